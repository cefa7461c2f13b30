"""Model and organization names the recognizer missed, read from a clear release frame.

The relation rules can only link named entities. On AI-news summaries most missed
organization → model pairs had no Model entity for a plainly released model ("ByteDance
launched DreamO, a unified image customization model", "Mistral's Devstral-2") or the
organization was typed as something else ("[Meta AI|Model] released Llama 4 Scout"). Inside
the claims component, before the relation rules run, this module adds or fixes entity spans
only where the frame itself says what the name is:

* **release objects**: the object of a release or announcement verb whose subject is an
  organization, when the words look like a model name (a digit, an inner capital: "DreamO",
  "DeepCoder-14B", "X-REASONER"), or any capitalized name followed by an apposition with a model
  noun (", a … model"); a capitalized word coordinated with a released model ("released Llama 4
  Scout and Maverick");
* **cut names in release objects**: a Model entity glued to more name by a hyphen or followed by
  capitalized words ("released [Gemini] Robotics On-Device", "[Llama]-[Nemotron]") is widened to
  the whole name;
* **possessives**: "<Organization>'s <name>" when the name looks like a model name ("Huawei's
  Pangu Ultra MoE", "ByteDance's SAIL-VL2"), not a chip ("H100", "M5");
* **organizations**: a capitalized word coordinated with an organization that releases ("Together
  AI and Agentica released …"); a Model or Person entity that acts as the releasing subject or
  possessor of a model and is a curated organization name ("Meta AI", "Alibaba Qwen", "Ai2").

Nothing overlapping a span of ``doc.spans["newskg_other"]`` (products, software, hardware,
benchmarks) or another organization/person entity is added.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import Lexicon
from kg.extract.releases import _MONTHS_AND_DAYS, _title_case_line, bare_subject
from kg.extract.spans import entity_at
from kg.schema import EntityType

_ORG, _PERSON, _MODEL = EntityType.ORGANIZATION, EntityType.PERSON, EntityType.MODEL

MAX_NAME_TOKENS = 6
#: chips and devices: "H100", "GB200", "M5", "MI300X" (unless the model families know the stem)
_HARDWARE = re.compile(r"^[A-Z]{1,3}\d{1,4}[A-Z]?$")
_SIZE = re.compile(r"^\d+(?:\.\d+)?[KMBT]?$", re.I)
_CAMEL = re.compile(r"[a-z][A-Z]")
_STOP_NAMES = frozenset({"ai", "llm", "llms", "api", "gpu", "gpus", "the", "new", "open", "source", "weights", "model", "models", "latex", "macos", "ios", "iphone", "ipad", "youtube", "github"})
#: "SoCs", "GPUs", "LLMs": an acronym's plural is no inner capital of a name
_PLURAL_ACRONYM = re.compile(r"^[A-Z][a-z]?[A-Z]+s$")
#: words that make a name something other than a model
_NOT_NAME_WORDS = frozenset({
    "soc", "socs", "chip", "chips", "project", "initiative", "eval", "evals", "benchmark", "claims", "speedup", "upload", "wizardry", "face",
    "apache", "license", "mit", "gpl", "phase", "version", "stage", "round", "step", "part", "tier", "level", "season", "paper",
})
#: variant words that alone are a cut name ("Amazon unveiled Nova 2.0 Pro, Lite, and Omni"), not a model
_GENERIC_VARIANTS = frozenset({
    "lite", "pro", "mini", "flash", "nano", "max", "plus", "small", "medium", "large", "base", "instruct", "ultra", "air", "turbo",
    "fast", "tiny", "micro", "heavy", "high", "low", "preview", "exp", "omni", "thinking", "chat", "vision", "standard",
})


def frame_entities(doc: Doc, lexicon: Lexicon) -> bool:
    """Add and fix entity spans as the module says; True when ``doc.ents`` changed."""
    blocked = _blocked_tokens(doc)
    changes: dict[tuple[int, int], str] = {}  # (start, end) token range -> label
    release_lemmas = lexicon.release_verbs | lexicon.announce_verbs
    for token in doc:
        lemma = token.lemma_.lower().replace("-", "")
        if token.pos_ == "VERB" and lemma in release_lemmas and not any(c.dep_ in ("nsubjpass", "auxpass", "neg") for c in token.children):
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None) or bare_subject(token)
            if subject is None:
                continue
            org = _acting_organization(subject, lexicon, changes)
            if org is None:
                _unnamed_releaser(doc, token, subject, lexicon, blocked, changes)
                continue
            for conjunct in subject.conjuncts:  # "Together AI and Agentica released ..."
                if not conjunct.ent_type_ and conjunct.pos_ == "PROPN" and conjunct.is_title and conjunct.i not in blocked:
                    changes[(conjunct.i, conjunct.i + 1)] = _ORG
            for obj in (c for c in token.children if c.dep_ == "dobj"):
                _release_object(doc, obj, lexicon, blocked, changes)
    for token in doc:  # "<Organization>'s <name>"
        if token.tag_ != "POS" or token.i < 1 or token.i + 1 >= len(doc):
            continue
        owner = entity_at(doc[token.i - 1])
        if owner is None or owner.end != token.i:
            continue
        if owner.label_ != _ORG:
            if owner.label_ in (_MODEL, _PERSON) and lexicon.canonical_organization(owner.text) and entity_at(doc[token.i + 1], (_MODEL,)) is not None:
                changes[(owner.start, owner.end)] = _ORG  # "[Ai2|Model]'s Tülu 3"
            continue
        if doc[token.i + 1].ent_type_:
            continue
        name = _name_from(doc, token.i + 1, blocked)
        if name is None:
            continue
        span = doc[name[0] : name[1]]
        words = span.text.split()
        if len(words) > 3 or (len(words) > 1 and _title_case_line(span)):
            continue  # "DeepSeek's LaTeX File Upload Wizardry: ..." (a heading read on)
        variants = {v.lower() for v in lexicon.model_variants}
        if any(not (any(c.isdigit() for c in w) or w.lower() in variants or _CAMEL.search(w)) for w in words[1:]):
            continue  # "Meta's ParetoQ Explored": each word after the first is a version, a variant or a name
        if _model_shaped(span, lexicon):
            changes[name] = _MODEL
    if not changes:
        return False
    return _apply(doc, changes)


def _acting_organization(subject: Token, lexicon: Lexicon, changes: dict[tuple[int, int], str]) -> Span | None:
    """The organization a release subject names, relabelling a Model or Person entity that is a
    curated organization name ("[Meta AI|Model] released ...")."""
    named = entity_at(subject)
    if named is None:
        return None
    if named.label_ == _ORG:
        return named
    if named.label_ in (_MODEL, _PERSON) and lexicon.canonical_organization(named.text):
        changes[(named.start, named.end)] = _ORG
        return named
    return None


def _unnamed_releaser(doc: Doc, verb: Token, subject: Token, lexicon: Lexicon, blocked: set[int], changes: dict[tuple[int, int], str]) -> None:
    """"Zyphra released ZAYA1-74B-Preview": a capitalized proper-noun subject that is no entity
    (nor a known person) releasing a recognized model is an organization."""
    if subject.ent_type_ or subject.pos_ != "PROPN" or not subject.text[:1].isupper() or subject.is_stop or subject.i in blocked:
        return
    parts = [c for c in subject.children if c.dep_ == "compound" and c.i < subject.i]
    if any(p.ent_type_ or p.pos_ != "PROPN" or not p.text[:1].isupper() for p in parts):
        return
    start = min([subject.i, *(p.i for p in parts)])
    if start != subject.i - len(parts):
        return
    if any(t.pos_ not in ("AUX", "ADV", "PART") for t in doc[subject.i + 1 : verb.i]) or verb.i - subject.i > 3:
        return  # the subject right before its verb ("Zyphra released", "Zyphra has now released")
    if start > 0 and doc[start - 1].text not in (".", "\n", ",", ";") and not doc[start - 1].is_space and doc[start].sent.start != start:
        return  # not after a heading's bracket or colon ("Ooh... Awkward (Score: ...): OpenAI launched ...")
    name = doc[start : subject.i + 1].text
    if name.lower() in {w.lower() for p in lexicon.people for w in (p, p.split()[-1])} or any(t.i in blocked for t in doc[start : subject.i + 1]):
        return
    from kg.extract.releases import is_release_object

    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if any(entity_at(t, (_MODEL,)) is not None and is_release_object(entity_at(t, (_MODEL,)), lexicon) for o in objects for t in o.subtree):
        changes[(start, subject.i + 1)] = _ORG


def _release_object(doc: Doc, obj: Token, lexicon: Lexicon, blocked: set[int], changes: dict[tuple[int, int], str]) -> None:
    model = entity_at(obj, (_MODEL,))
    if model is not None:
        widened = _widened(doc, model, blocked)
        if widened is not None:
            changes[widened] = _MODEL
        for conjunct in obj.conjuncts:  # "released Llama 4 Scout and Maverick"
            if (
                not conjunct.ent_type_ and conjunct.pos_ == "PROPN" and conjunct.is_title and conjunct.i not in blocked
                and conjunct.lower_ not in _STOP_NAMES and conjunct.lower_ not in _GENERIC_VARIANTS
            ):
                name = _name_from(doc, _left_edge(doc, conjunct), blocked)
                if name is not None and name[0] <= conjunct.i < name[1]:
                    changes[name] = _MODEL
        return
    if obj.ent_type_:
        return
    for child in obj.children:  # "released the [Llama]-[Nemotron] model family"
        named = entity_at(doc[_left_edge(doc, child)], (_MODEL,)) if child.dep_ in ("compound", "nmod") else None
        if named is not None:
            widened = _widened(doc, named, blocked)
            if widened is not None:
                changes[widened] = _MODEL
    name = _name_from(doc, _left_edge(doc, obj), blocked)
    if name is None or not name[0] <= obj.i < name[1]:
        return
    span = doc[name[0] : name[1]]
    if _model_shaped(span, lexicon) or (_capitalized(span) and _appositive_model_noun(doc, name[1], lexicon)):
        changes[name] = _MODEL


def _left_edge(doc: Doc, head: Token) -> int:
    """The first token of the name a head ends: compounds and glued pieces before it."""
    start = head.i
    while start > 0:
        previous = doc[start - 1]
        glued = not previous.whitespace_
        if (previous.dep_ in ("compound", "nmod", "nummod") and previous.head.i >= start and _namey(previous)) or (glued and previous.text == "-"):
            start -= 1
            continue
        if glued and _namey(previous) and start - 1 > 0 and not doc[start - 2].whitespace_ and doc[start - 2].text == "-":
            start -= 1
            continue
        break
    while start < head.i and doc[start].text == "-":
        start += 1
    return start


def _namey(token: Token) -> bool:
    text = token.text
    return bool(text) and (text[0].isupper() or any(c.isdigit() for c in text)) and token.lower_ not in _STOP_NAMES


def _name_from(doc: Doc, start: int, blocked: set[int]) -> tuple[int, int] | None:
    """The token range of a name starting at ``start``: capitalized words, digits and the pieces
    glued to them by hyphens or dots, up to punctuation, a lowercase word or another entity."""
    if start >= len(doc) or start in blocked or not _namey(doc[start]) or doc[start].is_sent_start and doc[start].lower_ in _STOP_NAMES:
        return None
    end = start + 1
    while end < len(doc) and end - start < MAX_NAME_TOKENS and end not in blocked:
        token, previous = doc[end], doc[end - 1]
        if token.ent_type_ and entity_at(token, (_ORG, _PERSON)) is not None:
            break
        glued = not previous.whitespace_
        if glued and (token.text in ("-", ".") or previous.text in ("-", ".")) and (token.text in ("-", ".") or token.is_alpha or token.like_num or any(c.isdigit() for c in token.text)):
            end += 1
            continue
        if not glued and previous.whitespace_ == " " and _namey(token) and not token.is_sent_start and token.pos_ not in ("VERB", "AUX", "ADP"):
            end += 1
            continue
        break
    while end > start + 1 and doc[end - 1].text in ("-", "."):
        end -= 1
    return start, end


def _model_shaped(span: Span, lexicon: Lexicon) -> bool:
    """Whether words look like a model's name: a digit or an inner capital, not a chip, a size or a date."""
    text = span.text
    if len(text) < 3 or not any(c.isalpha() for c in text) or _SIZE.match(text) or any(t.like_url or t.like_email for t in span):
        return False
    if _HARDWARE.match(text) and not any(text.lower().startswith(f.stem.lower()) for f in lexicon.model_families):
        return False
    if span[0].lower_ in _STOP_NAMES or span[0].is_stop or not span[0].text[:1].isalpha():
        return False  # "$500B Stargate Project", "500B ..."
    if any(t.lower_ in _NOT_NAME_WORDS or "bench" in t.lower_ or t.lemma_.lower() in lexicon.release.get("non_model_nouns", []) for t in span):
        return False  # "Quantum Chip ...", "Tensor SoCs", "... Project"
    letters = re.sub(r"[^A-Za-z]", "", text)
    inner_capital = any(_CAMEL.search(t.text) and not _PLURAL_ACRONYM.match(t.text) for t in span)
    upper_hyphen = "-" in text and len(letters) >= 4 and letters.isupper()
    digit = any(c.isdigit() for c in text) and sum(c.isalpha() for c in text) >= 2
    return digit or inner_capital or upper_hyphen


def _capitalized(span: Span) -> bool:
    return span[0].text[:1].isupper() and span[0].lower_ not in _STOP_NAMES and not span[0].is_stop


def _appositive_model_noun(doc: Doc, end: int, lexicon: Lexicon) -> bool:
    """", a unified image customization model" right after the name (a model noun within 8 words)."""
    if end + 1 >= len(doc) or doc[end].text != "," or doc[end + 1].lower_ not in ("a", "an", "the", "its", "their"):
        return False
    for token in doc[end + 2 : min(len(doc), end + 10)]:
        if token.text in (",", ";", ".", "(") or token.pos_ == "VERB" and token.tag_ != "VBN":
            return False
        if token.lower_ in lexicon.model_nouns or token.lemma_.lower() in lexicon.model_nouns:
            return True
    return False


def _widened(doc: Doc, model: Span, blocked: set[int]) -> tuple[int, int] | None:
    """A released Model entity cut from its name: "[Gemini] Robotics On-Device", "[Llama]-[Nemotron]"."""
    end = model.end
    while end < len(doc) and end - model.start < MAX_NAME_TOKENS + 2 and end not in blocked:
        token, previous = doc[end], doc[end - 1]
        glued = not previous.whitespace_
        other = entity_at(token)
        if other is not None and other.label_ != _MODEL:
            break
        if glued and (token.text == "-" or previous.text == "-") and (token.text == "-" or token.is_alpha or any(c.isdigit() for c in token.text)):
            end += 1
            continue
        hyphenated = not token.whitespace_ and end + 1 < len(doc) and doc[end + 1].text == "-"  # "On-Device"
        if (
            previous.whitespace_ == " " and token.is_alpha and token.is_title and (hyphenated or (not token.is_stop and token.pos_ not in ("VERB", "AUX", "ADP")))
            and not token.is_sent_start and token.lower_ not in _MONTHS_AND_DAYS
        ):
            end += 1
            continue
        break
    while end > model.end and doc[end - 1].text == "-":
        end -= 1
    if end == model.end:
        return None
    # a widened name ends at punctuation or a lowercase word; one running on into a Title Case
    # heading is left alone
    if end < len(doc) and doc[end].is_title and not doc[end].is_sent_start:
        return None
    return model.start, end


def _blocked_tokens(doc: Doc) -> set[int]:
    """Tokens of the recognizer's other types (products, software, hardware, benchmarks, handles)."""
    blocked: set[int] = set()
    for span in doc.spans.get("newskg_other", []):
        blocked.update(range(span.start, span.end))
    return blocked


def _apply(doc: Doc, changes: dict[tuple[int, int], str]) -> bool:
    ents = list(doc.ents)
    changed = False
    for (start, end), label in sorted(changes.items(), key=lambda c: (c[0][1] - c[0][0]), reverse=True):
        overlapping = [e for e in ents if e.start < end and start < e.end]
        if any(e.label_ != label and not (e.start == start and e.end == end) for e in overlapping if e.label_ in (_ORG, _PERSON) and label == _MODEL):
            continue  # never swallow an organization or a person into a model name
        if any(e.start < start or e.end > end for e in overlapping):
            continue  # crosses an entity's edge
        if len(overlapping) == 1 and overlapping[0].start == start and overlapping[0].end == end and overlapping[0].label_ == label:
            continue
        ents = [e for e in ents if e not in overlapping]
        ents.append(Span(doc, start, end, label=label))
        changed = True
    if changed:
        doc.ents = sorted(ents, key=lambda e: e.start)
    return changed
