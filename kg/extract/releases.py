"""RELEASED (organization → model, with a status) and DEVELOPS (organization → model) claims.

RELEASED comes from a release cue ("launched", "introduced", "open-sourced", "is expected to
release") whose subject resolves to an organization (directly, through an apposition
"Another player, Zhipu AI, introduced ...", or by anaphora "the company released ...") and
whose object holds a model; passives and participles ("GLM-4.5, released by Zhipu AI") too.
DEVELOPS comes from possessives and compounds ("Meta's Llama series", "DeepSeek's R1",
"Google Gemini") and from development verbs ("Zhipu AI built GLM-4.5").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.extract.anaphora import resolve_reference
from kg.extract.lexicon import Lexicon
from kg.extract.spans import CharSpan, EntityRef, entity_at, ref
from kg.schema import EntityType, ReleaseStatus

_ORG, _PERSON, _MODEL = EntityType.ORGANIZATION, EntityType.PERSON, EntityType.MODEL

_SKIP_OBJECT_DEPS = frozenset({"relcl", "acl", "advcl", "appos_skip", "ccomp"})
# prepositions that lead from an object to the models it lists ("updates including Qwen3-Max, ...")
_LIST_PREPS = frozenset({"of", "called", "named", "dubbed", "including", "like", "as", "alongside", "plus"})
_WORD = re.compile(r"[^\W_]+")
_COMPARISONS = frozenset({"rival", "rivaling", "outperform", "outperforming", "beat", "beating", "surpass", "surpassing", "than", "versus", "vs", "vs.", "against", "compare", "comparable"})
_DERIVATIVE_HEADS = frozenset({"version", "variant", "fine-tune", "finetune", "distillation", "quantization", "copy", "clone", "port", "derivative", "remix"})


def name_key(text: str) -> str:
    return "".join(w.lower() for w in _WORD.findall(text))


def is_release_object(model: Span, lexicon: Lexicon) -> bool:
    """Only models are release objects: not products, apps, features or tools that share a model
    family's name ("ChatGPT", "Claude Code", "Gemini app"); until entity types tell them apart, a
    curated list (``not_models`` in release_verbs.yml) and product nouns right after the name."""
    if model.label_ != _MODEL:
        return False
    if name_key(model.text) in _not_models(lexicon) or _hardware_name(model.text, lexicon) or _not_model_pattern(model.text, lexicon) or "\n" in model.text or "bench" in model.text.lower():
        return False  # a name running over a line break is a heading read into it ("Grok-4\nTheme 1")
    doc = model.doc
    following = doc[model.end].lower_ if model.end < len(doc) else ""
    if following in lexicon.release.get("product_nouns", []):
        return False
    return not name_cut(model, lexicon) and not non_model_noun(model, lexicon)


_MONTHS_AND_DAYS = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today tonight".split()
)


def name_cut(model: Span, lexicon: Lexicon) -> bool:
    """Whether the entity is likely a piece of a longer name, whose release would be misreported:
    glued to a word by a hyphen ("Llama-[Nemotron]", "[Qwen3]-based") or followed by a capitalized
    word that is no entity, stop word, month or day ("[Gemini] Robotics On-Device", "[Grok] Imagine")."""
    doc = model.doc
    if model.start >= 2 and doc[model.start - 1].text == "-" and not doc[model.start - 1].whitespace_ and not doc[model.start - 2].whitespace_:
        return True
    if model.end < len(doc):
        nxt = doc[model.end]
        if not doc[model.end - 1].whitespace_ and nxt.text == "-" and model.end + 1 < len(doc) and not nxt.whitespace_ and doc[model.end + 1].is_alpha:
            return True
        if not doc[model.end - 1].whitespace_ and doc[model.end - 1].text.endswith("-") and nxt.text[:1].isalnum():
            return True  # "[ZAYA1-]base"
        if (
            doc[model.end - 1].whitespace_ == " "
            and nxt.is_alpha
            and nxt.is_title
            and not nxt.is_stop
            and nxt.pos_ not in ("VERB", "AUX", "ADP")
            and not nxt.ent_type_
            and not nxt.is_sent_start
            and nxt.lower_ not in _MONTHS_AND_DAYS
            and nxt.lower_ not in lexicon.release.get("cut_exempt", [])
            and not _title_case_line(model)
        ):
            return True
    return False


_SEGMENT_EDGES = frozenset({":", "(", ")", '"', "“", "”", "|"})


def _title_case_line(model: Span) -> bool:
    """A Title Case heading ("Claude Opus 4.5 Tops Coding Benchmarks", "Baidu's Ernie-5.0 Enters
    Vision Leaderboard: ..."): every word of the name's sentence part (up to a colon, bracket or
    quote) is capitalized, so a capital after the name says nothing."""
    sent, doc = model.sent, model.doc
    start = model.start
    while start > sent.start and doc[start - 1].text not in _SEGMENT_EDGES and "\n" not in doc[start - 1].text:
        start -= 1
    end = model.end
    while end < sent.end and doc[end].text not in _SEGMENT_EDGES and "\n" not in doc[end].text:
        end += 1
    words = [t for t in doc[start:end] if t.is_alpha and len(t) > 3 and not t.ent_type_]
    return bool(words) and sum(t.is_title or t.is_upper for t in words) >= 0.8 * len(words)


def non_model_noun(model: Span, lexicon: Lexicon) -> bool:
    """Whether the text calls the named thing something other than a model (``non_model_nouns`` in
    release_verbs.yml; ``non_model_heads`` for a noun the name modifies): "the AI browser Atlas",
    "Figure-01 and Figure-02 humanoid robots",
    "AlphaEvolve, a ... coding agent", "X is a coding agent"."""
    nouns = frozenset(lexicon.release.get("non_model_nouns", []))
    root = model.root
    if root.dep_ == "conj":  # "Figure-01 and Figure-02 humanoid robots": the first conjunct's head
        first = root
        while first.dep_ == "conj" and first.head.i != first.i:
            first = first.head
        root = first
    heads = frozenset(lexicon.release.get("non_model_heads", []))
    head = root
    for _ in range(3 if not _title_case_line(model) else 0):  # the noun the name modifies ("X humanoid robots")
        if head.dep_ not in ("compound", "nmod", "amod") or head.head.i <= head.i:
            break
        head = head.head
        if head.i >= model.end and head.lemma_.lower() in heads:
            return True
    if root.dep_ == "appos" and root.head.lemma_.lower() in nouns and root.head.i == model.start - 1:  # "the AI browser Atlas"
        return True
    for child in root.children:  # "AlphaEvolve, a coding agent", "Origin M1, a new humanoid robot face"
        if child.dep_ == "appos" and (
            child.lemma_.lower() in nouns
            or (child.lower_ not in lexicon.model_nouns and any(c.dep_ == "compound" and c.lemma_.lower() in nouns for c in child.children))
        ):
            return True
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":  # "AlphaEvolve is a coding agent"
        return any(c.dep_ == "attr" and c.lemma_.lower() in nouns for c in root.head.children)
    return False


def _hardware_name(text: str, lexicon: Lexicon) -> bool:
    """A chip or system the recognizer read as a model ("TPU v7", "H100", "GB200"; ``hardware_names``)."""
    patterns = lexicon.release.get("hardware_names", [])
    return any(re.search(p, text) for p in patterns)


def _not_model_pattern(text: str, lexicon: Lexicon) -> bool:
    """SDKs, memory standards and the like the recognizer read as models (``not_model_patterns``)."""
    return any(re.search(p, text) for p in lexicon.release.get("not_model_patterns", []))


def _not_models(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(name_key(n) for n in lexicon.release.get("not_models", []))


class Release(NamedTuple):
    sentence: int
    organization: EntityRef
    model: EntityRef
    status: ReleaseStatus
    cue: CharSpan
    rule: str
    confidence: float | None = None  # set by :func:`score_claims`; None: the rule's confidence


class Development(NamedTuple):
    sentence: int
    organization: EntityRef
    model: EntityRef
    rule: str
    confidence: float | None = None


class Derivation(NamedTuple):
    """DERIVED_FROM: a named quantization, fine-tune, distillation or merge of a base model."""

    sentence: int
    model: EntityRef
    base: EntityRef
    cue: CharSpan
    rule: str


def find_releases(doc: Doc, lexicon: Lexicon) -> list[Release]:
    releases: list[Release] = []
    release_verbs = lexicon.release_verbs
    announce_verbs = lexicon.announce_verbs
    for number, sent in enumerate(doc.sents):
        for token in sent:
            lemma = _cue_lemma(token)
            if token.pos_ == "VERB" and (lemma in release_verbs or lemma in announce_verbs):
                releases.extend(_verbal_release(token, number, lexicon))
            elif token.pos_ == "NOUN" and token.lemma_ in lexicon.release_nouns:
                releases.extend(_nominal_release(token, number, lexicon))
    return _dedupe(releases)


def _verbal_release(verb: Token, sentence: int, lexicon: Lexicon) -> Iterator[Release]:
    if any(child.dep_ == "neg" for child in verb.children):
        return
    phrasal = lexicon.release[ReleaseStatus.RELEASED].get("phrasal", {})
    needs_particle = set(lexicon.release[ReleaseStatus.RELEASED].get("needs_particle", []))
    particle = phrasal.get(verb.lemma_)
    if verb.lemma_ in needs_particle and not any(c.dep_ == "prt" and c.lower_ == particle for c in verb.children):
        return
    lemma = _cue_lemma(verb)
    if lemma in lexicon.announce_verbs and lemma not in lexicon.release_verbs and any(o.lemma_ in lexicon.release_nouns for o in _objects(verb)):
        return  # "Alibaba announced the release of X": the nominal rule reads the release
    status = _status(verb, lexicon)
    cue = (verb.idx, verb.idx + len(verb.text))
    passive = any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children)
    if passive or (verb.dep_ == "acl" and not any(child.dep_ == "nsubj" for child in verb.children)):
        # "GPT-5 was released by OpenAI" / "GLM-4.5, released by Zhipu AI"
        agent = _agent(verb)
        org = resolve_reference(agent, lexicon) if agent is not None else None
        if agent is None and verb.dep_ != "acl":
            yield from _possessive_passive(verb, sentence, status, cue, lexicon)
            return
        if org is None or org.label != _ORG:
            return
        model_heads = [c for c in verb.children if c.dep_ == "nsubjpass"] or ([verb.head] if verb.dep_ == "acl" else [])
        for head in model_heads:
            for model in _models_in(head, lexicon):
                yield Release(sentence, org, model, status, cue, "passive")
        return
    subject = _subject(verb) or bare_subject(verb)
    if subject is None:
        return
    hosts = frozenset(name_key(h) for h in lexicon.release.get("hosts", []))
    text = verb.doc.text
    # a model hub or inference provider releases only as the named subject, never through an
    # apposition or antecedent ("Qwen/Qwen3-30B · Hugging Face: Alibaba's Qwen team has released ...")
    orgs = [o for o in _subject_organizations(subject, lexicon) if o.via == "direct" or name_key(text[o.start : o.end]) not in hosts]
    if not orgs:
        return
    models = [model for obj in _objects(verb) for model in _models_in(obj, lexicon)]
    # "released GPT-4.1 in ChatGPT, with a faster GPT-4.1 mini": models named right under "with"
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for token in (pobj, *pobj.conjuncts):
                models.extend(_models_in(token, lexicon, deep=False))
    models.extend(with_clause_models(verb, lexicon))
    # "launched A, alongside versions like B and C" / "including D": lists hung on the verb
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("alongside", "including", "plus")):
        models.extend(m for pobj in prep.children if pobj.dep_ == "pobj" for m in _models_in(pobj, lexicon))
    models = sorted({m.start: m for m in models}.values(), key=lambda m: m.start)
    from_heading = not models
    if from_heading:
        models = heading_models(verb, lexicon)
    if len(orgs) > 1 and _respectively(verb):
        # the parse of such lists is often wrong: take the models named between verb and "respectively"
        end = next(t.i for t in verb.sent if t.lower_ == "respectively")
        models = [ref(e) for e in verb.sent.ents if e.label_ == _MODEL and verb.i < e.start and e.end <= end and is_release_object(e, lexicon)]
        if len(orgs) != len(models):
            return
        for org, model in zip(orgs, models, strict=True):
            yield Release(sentence, org, model, status, cue, "respectively")
        return
    for org in orgs:
        for model in models:
            yield Release(sentence, org, model, status, cue, "heading" if from_heading else "active" if org.via == "direct" else org.via)


def _possessive_passive(verb: Token, sentence: int, status: ReleaseStatus, cue: CharSpan, lexicon: Lexicon) -> Iterator[Release]:
    """A passive release without agent whose subject models have possessors: "Skywork's Matrix-Game
    2.0 and Jan.ai's Jan-v1 were introduced" (each model with its own possessor)."""
    doc = verb.doc
    for subject in (c for c in verb.children if c.dep_ == "nsubjpass"):
        for model in (m for token in (subject, *subject.conjuncts) for m in _models_in(token, lexicon)):
            named = doc.char_span(model.start, model.end)
            owner = _possessor_or_compound(named) if named is not None else None
            if owner is not None and doc[named.start - 1].tag_ == "POS":
                yield Release(sentence, ref(owner), model, status, cue, "passive-possessive")


#: words of a heading before a colon that say a model came out ("Kimi K2 Launch: ...", "GLM-4.5 Drops: ...")
_HEADING_CUES = frozenset({"launch", "release", "debut", "drop", "arrive", "land", "unveil", "ship", "open-source", "opensource", "announce", "introduce", "rollout", "roll"})


def heading_models(verb: Token, lexicon: Lexicon) -> list[EntityRef]:
    """The one model a heading names before the colon, when the release after the colon names
    none: "Kimi K2 Launch: Moonshot AI open-sources a 1T MoE" (the heading must have a release word)."""
    sent = verb.sent
    colon = next((t for t in sent if t.text == ":" and t.i < verb.i), None)
    if colon is None:
        return []
    heading = verb.doc[sent.start : colon.i]
    if not any(w in _HEADING_CUES or w[:-1] in _HEADING_CUES or w[:-2] in _HEADING_CUES for t in heading for w in (t.lower_.replace("-", ""),)):
        return []
    models = [e for e in heading.ents if e.label_ == _MODEL and is_release_object(e, lexicon)]
    if len(models) != 1 or any(e.label_ == _ORG for e in heading.ents):
        return []
    return [ref(models[0])]


def with_clause_models(verb: Token, lexicon: Lexicon) -> list[EntityRef]:
    """Models named as the subject of a "with" clause of the release ("released Qwen3, with the
    flagship Qwen3-235B-A22B achieving ...", "released GPT-4.1, ..., with a faster GPT-4.1 mini
    replacing GPT-4o mini"): the clause hangs on the verb or on a participle clause of it; the
    clause's own object is not released, and a clause that names an organization is left alone."""
    found: list[EntityRef] = []
    heads = [verb, *(c for c in verb.children if c.dep_ == "advcl" and c.tag_ in ("VBG", "VBN"))]
    for head in heads:
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "with"):
            if any(t.ent_type_ == _ORG for t in prep.subtree):
                continue
            for clause in (c for c in prep.children if c.dep_ == "pcomp" and c.pos_ == "VERB"):
                for subject in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
                    for token in (subject, *subject.conjuncts):
                        # ("the flagship Qwen3-235B-A22B": the parser may make the name a second subject)
                        found.extend(m for m in _models_in(token, lexicon, deep=False) if m.start < clause.idx)
            if head is not verb:  # "specializing in coding, with a faster alternative GPT-4.1 mini"
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    found.extend(_models_in(pobj, lexicon, deep=False))
    return found


def _subject_organizations(subject: Token, lexicon: Lexicon) -> list[EntityRef]:
    """The organization(s) a release subject names: itself, its appositive or antecedent, the owner
    of a team noun ("Alibaba's Qwen team"), and coordinated subjects ("Together AI and Agentica")."""
    org = resolve_reference(subject, lexicon)
    named = entity_at(subject, (_MODEL,))
    if org is None and named is not None and named.start > 0:
        # "Alibaba Qwen released ...": the company before its team's name
        before = entity_at(subject.doc[named.start - 1], (_ORG,))
        if before is not None and team_name(before, named):
            org = ref(before)
    if org is None and subject.lemma_.lower() in lexicon.release.get("team_nouns", []):
        # the first organization named in the team's modifiers ("Alibaba's Tongyi Qianwen (Qwen) team")
        for token in subject.subtree:
            if token.i >= subject.i:
                break
            found = entity_at(token, (_ORG,))
            if found is not None:
                org = ref(found)
                break
    if org is None or org.label != _ORG:
        return []
    orgs = [org]
    for conjunct in subject.conjuncts:
        found = entity_at(conjunct, (_ORG, _PERSON))
        if found is not None and all(o.start != found.start_char for o in orgs):
            orgs.append(ref(found))
    return sorted(orgs, key=lambda o: o.start)


def _respectively(verb: Token) -> bool:
    return any(t.lower_ == "respectively" for t in verb.sent)


def _nominal_release(noun: Token, sentence: int, lexicon: Lexicon) -> Iterator[Release]:
    """"OpenAI's launch of GPT-5", "the release of GLM-4.5 by Zhipu AI", "the GPT-5 launch"."""
    org: EntityRef | None = None
    models: list[EntityRef] = []
    for child in noun.children:
        if child.dep_ == "poss":
            found = entity_at(child, (_ORG,))
            org = ref(found) if found is not None else org
            models.extend(_models_in(child, lexicon, deep=False))
        elif child.dep_ == "compound":
            models.extend(_models_in(child, lexicon, deep=False))
        elif child.dep_ == "prep" and child.lower_ in ("of", "by"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                if child.lower_ == "of":
                    models.extend(_models_in(pobj, lexicon))
                else:
                    found = entity_at(pobj, (_ORG,))
                    org = ref(found) if found is not None else org
    if org is None and models:
        org = _owner_of_nominal(noun, lexicon)
    rule = "nominal"
    if org is None and models:
        org = _previous_releaser(noun, lexicon)
        rule = "nominal-previous"
    if org is None or not models:
        return
    upcoming = any(c.lower_ in ("upcoming", "planned", "expected", "forthcoming", "anticipated", "imminent", "delayed", "future") for c in noun.children)
    # "a delay in the release of X", "anticipates the release": not out yet
    governor = noun.head.head if noun.dep_ == "pobj" else noun.head
    upcoming = upcoming or governor.lemma_.lower() in lexicon.release.get("pending_nouns", [])
    # "the release of GPT-5.1 by OpenAI, scheduled for November 12"
    upcoming = upcoming or any(t.dep_ == "acl" and t.lemma_.lower() in lexicon.plan_governors for t in noun.subtree)
    status = ReleaseStatus.PLANNED if upcoming else ReleaseStatus.RELEASED
    for model in models:
        yield Release(sentence, org, model, status, (noun.idx, noun.idx + len(noun.text)), rule)


def _previous_releaser(noun: Token, lexicon: Lexicon) -> EntityRef | None:
    """"Google DeepMind announced multiple updates at I/O. Key highlights include the release of
    Gemini 2.5 Pro and Gemini Diffusion": a release noun that names no owner in a sentence whose
    own subject is no organization takes the organization that is the subject of a release or
    announcement verb in the sentence right before, in the same paragraph."""
    sent = noun.sent
    if any(t.ent_type_ == _ORG for t in sent[: noun.i - sent.start]):
        return None
    doc = noun.doc
    if sent.start == 0 or "\n" in doc[sent.start - 1].text_with_ws:
        return None
    previous = doc[sent.start - 1].sent
    cues = lexicon.release_verbs | lexicon.announce_verbs
    for token in previous:
        if token.pos_ == "VERB" and _cue_lemma(token) in cues and not any(c.dep_ == "neg" for c in token.children):
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            named = entity_at(subject, (_ORG,)) if subject is not None else None
            if named is not None:
                return ref(named, "previous-sentence")
    return None


def _owner_of_nominal(noun: Token, lexicon: Lexicon) -> EntityRef | None:
    """"OpenAI celebrates its anniversary with the launch of GPT-5.2": the subject of the verb the
    release noun hangs from (through "with"/"by"/"after"/"for" or as its object)."""
    head = noun
    if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.lower_ in ("with", "by", "after", "for", "through"):
        head = head.head.head
    elif head.dep_ == "dobj":
        head = head.head
    else:
        return None
    if head.pos_ not in ("VERB", "AUX"):
        return None
    subject = _subject(head)
    if subject is None:
        return None
    org = resolve_reference(subject, lexicon)
    return org if org is not None and org.label == _ORG else None


def _status(verb: Token, lexicon: Lexicon) -> ReleaseStatus:
    if any(c.dep_ == "aux" and c.lower_ in lexicon.plan_modals for c in verb.children):
        return ReleaseStatus.PLANNED
    head = verb
    for _ in range(3):
        if head.dep_ not in ("xcomp", "pcomp", "acl", "ccomp", "advcl") or head.head.i == head.i:
            break
        governor = head.head
        if governor.lemma_ in lexicon.plan_governors or governor.lemma_ in lexicon.plan_nouns:
            return ReleaseStatus.PLANNED
        if governor.lemma_ == "go" and any(c.lower_ == "to" for c in head.children):
            return ReleaseStatus.PLANNED  # "is going to release"
        head = governor
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and verb.head.pos_ == "NOUN" and verb.head.lemma_ in lexicon.plan_nouns:
        return ReleaseStatus.PLANNED
    if any(c.dep_ == "advmod" and c.lower_ in ("soon", "shortly") for c in verb.children):
        return ReleaseStatus.PLANNED
    lemma = _cue_lemma(verb)
    if lemma in lexicon.announce_verbs and lemma not in lexicon.release_verbs:
        available = lexicon.release.get("availability")
        if available and re.search(available, verb.doc.text[verb.idx : verb.sent.end_char], re.I):
            return ReleaseStatus.RELEASED  # "announced Imagen 3, ... now available in Vertex AI"
        return ReleaseStatus.ANNOUNCED
    return ReleaseStatus.RELEASED


def _cue_lemma(token: Token) -> str:
    """Lower-case lemma with hyphens dropped, so "open-source" and "opensource" are one cue."""
    return token.lemma_.lower().replace("-", "")


def _subject(verb: Token) -> Token | None:
    current = verb
    for _ in range(4):
        subject = next((c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return subject
        if current.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl") and current.head.i != current.i:
            current = current.head
            if current.pos_ == "NOUN":  # "plans to launch": the plan's owner
                poss = next((c for c in current.children if c.dep_ == "poss"), None)
                if poss is not None:
                    return poss
            continue
        return None
    return None


def bare_subject(verb: Token) -> Token | None:
    """An organization right before a verb that has no subject in the parse, opening its sentence
    ("RunwayML introduced Gen-4 References" with "RunwayML" parsed as punctuation)."""
    if verb.i == 0 or any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in verb.children) or verb.dep_ not in ("ROOT", "conj"):
        return None
    named = entity_at(verb.doc[verb.i - 1], (_ORG,))
    if named is None or named.end != verb.i or named.start != verb.sent.start:
        return None
    return verb.doc[verb.i - 1]


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _objects(verb: Token) -> list[Token]:
    objects = [c for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")]
    for obj in list(objects):
        objects.extend(c for c in obj.conjuncts)
    return objects


def _models_in(head: Token, lexicon: Lexicon, deep: bool = True) -> list[EntityRef]:
    """Model entities in an object phrase, not inside its relative clauses or comparisons."""
    models: list[EntityRef] = []
    seen: set[int] = set()
    stack = [head]
    while stack:
        token = stack.pop()
        model = entity_at(token, (_MODEL,))
        if model is not None and model.start not in seen:
            seen.add(model.start)
            if is_release_object(model, lexicon):
                models.append(ref(model))
        if not deep and token is not head:
            continue
        compared = any(c.lower_ in _COMPARISONS and c.i < token.i for c in token.children)  # "rivaling models like X"
        for child in token.children:
            if child.dep_ in _SKIP_OBJECT_DEPS:
                continue
            if child.dep_ == "prep" and child.lower_ not in _LIST_PREPS:
                continue
            if child.lemma_.lower() in _COMPARISONS or (compared and child.dep_ == "prep"):
                continue  # "a reasoning model rivaling models like DeepSeek-R1"
            if child.dep_ == "prep" and child.lower_ == "of" and token.lemma_.lower() in _DERIVATIVE_HEADS:
                continue  # "a smaller version of Kimi", "a fine-tune of Llama": not the named model
            stack.append(child)
    return sorted(models, key=lambda m: m.start)


def find_developments(doc: Doc, lexicon: Lexicon) -> list[Development]:
    """Organization → model links from possessives, compounds and development verbs."""
    found: list[Development] = []
    sentence_of = {}
    for number, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = number
    develop_verbs = frozenset(lexicon.release.get("develops", []))
    for model in (e for e in doc.ents if e.label_ == _MODEL):
        if not is_release_object(model, lexicon):
            continue
        org = _possessor_or_compound(model)
        if org is not None:
            found.append(Development(sentence_of[model.start], ref(org), ref(model), "possessive"))
            # "OpenAI's o3-mini and o1": the possessor owns the coordinated models too
            # up to the next organization named ("Zhipu AI's GLM-4.5 and GLM-4.5-Air, Alibaba's Qwen3")
            for conjunct in sorted(model.root.conjuncts, key=lambda t: t.i):
                other = entity_at(conjunct, (_MODEL,))
                if other is None or other.start <= model.start:
                    continue
                if any(t.ent_type_ == _ORG for t in doc[model.end : other.start]):
                    break
                if is_release_object(other, lexicon):
                    found.append(Development(sentence_of[other.start], ref(org), ref(other), "possessive"))
            continue
        maker = _maker_after(model) or model_noun_owner(model, lexicon)
        if maker is not None:
            found.append(Development(sentence_of[model.start], ref(maker[0]), ref(model), maker[1]))
    for token in doc:
        if token.pos_ == "VERB" and token.lemma_ in develop_verbs and not any(c.dep_ == "neg" for c in token.children):
            subject = _subject(token)
            org = resolve_reference(subject, lexicon) if subject is not None else None
            if org is None or org.label != _ORG:
                continue
            for obj in _objects(token):
                for model in _models_in(obj, lexicon):
                    found.append(Development(sentence_of[token.i], org, model, "verb"))
    unique = {(d.organization.start, d.model.start): d for d in found}
    return sorted(unique.values(), key=lambda d: d.model.start)


def _maker_after(model: Span) -> tuple[Span, str] | None:
    """"Falcon-H1R-7B from TII", "Magi-1 by Sand AI": the organization right after the model name,
    behind "from"/"by" (an optional "the")."""
    doc = model.doc
    i = model.end
    if i + 1 >= len(doc) or doc[i].sent.start != model.sent.start:
        return None
    word = doc[i].lower_
    if word in ("from", "by"):
        j = i + 1 + (doc[i + 1].lower_ == "the")
        if j < len(doc):
            org = entity_at(doc[j], (_ORG,))
            if org is not None and org.start == j:
                return org, f"model-{word}"
    return None


def model_noun_owner(model: Span, lexicon: Lexicon) -> tuple[Span, str] | None:
    """"the new Moonshot model Kimi K2", "Alibaba's new model, Qwen3.5": the organization that
    owns (possessive or compound) a model noun (``model_nouns``) right before the name."""
    doc = model.doc
    i = model.start - 1
    if i >= 0 and doc[i].text == ",":
        i -= 1
    if i < 0 or doc[i].lower_ not in lexicon.model_nouns or doc[i].sent.start != model.sent.start:
        return None
    noun = doc[i]
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "nmod") and child.i < noun.i:
            org = entity_at(child, (_ORG,))
            if org is not None:
                return org, "model-noun"
    return None


def coordinated_claims(doc: Doc, releases: list[Release], developments: list[Development], lexicon: Lexicon) -> tuple[list[Release], list[Development]]:
    """Claims for the models coordinated with a claimed one, when the rules' parse missed them:
    "OpenAI updated o1 and o3-mini" (the classifier found o1), "released Llama 4 Scout and
    Maverick". Same organization, type, status and confidence as the claim (rule ``coordinated``);
    a list that names another organization between the two models is left alone."""
    claimed = {(c.organization.start, c.model.start) for c in (*releases, *developments)}
    new_releases: list[Release] = []
    new_developments: list[Development] = []
    for claim in (*releases, *developments):
        named = doc.char_span(claim.model.start, claim.model.end)
        if named is None:
            continue
        for conjunct in named.root.conjuncts:
            other = entity_at(conjunct, (_MODEL,))
            if other is None or (claim.organization.start, other.start_char) in claimed or not is_release_object(other, lexicon):
                continue
            low, high = sorted((named, other), key=lambda e: e.start)
            if any(t.ent_type_ == _ORG for t in doc[low.end : high.start]):
                continue
            claimed.add((claim.organization.start, other.start_char))
            if isinstance(claim, Release):
                new_releases.append(claim._replace(model=ref(other), rule="coordinated"))
            else:
                new_developments.append(claim._replace(model=ref(other), rule="coordinated"))
    return new_releases, new_developments


def team_name(org: Span, model: Span) -> bool:
    """"Alibaba Qwen released ...": a bare family name right after the company, acting as subject."""
    return org.end == model.start and model.root.dep_ in ("nsubj", "nsubjpass") and not any(c.isdigit() for c in model.text)


def _possessor_or_compound(model: Span) -> Span | None:
    doc = model.doc
    # "Google Gemini", "Alibaba's Qwen3": an organization right before the model name
    if model.start >= 1:
        previous = doc[model.start - 1]
        if previous.tag_ == "POS" and model.start >= 2:
            previous = doc[model.start - 2]
        org = entity_at(previous, (_ORG,))
        # "Alibaba Qwen released ...", "Tencent Hunyuan has open-sourced ...": a bare family name
        # right after the company and acting as subject is the company's team, not a model
        acting = org is not None and team_name(org, model)
        if org is not None and org.end in (model.start, model.start - 1) and not acting:
            return org
    # "Meta's Llama series": the possessor of the noun the model modifies
    head = model.root
    if head.dep_ in ("compound", "nmod") and head.head.i >= model.end:
        head = head.head
    for child in head.children:
        if child.dep_ == "poss":
            org = entity_at(child, (_ORG,))
            if org is not None:
                return org
    return None


def _dedupe(releases: list[Release]) -> list[Release]:
    unique: dict[tuple[int, int, str], Release] = {}
    for release in releases:
        unique.setdefault((release.organization.start, release.model.start, release.status), release)
    return sorted(unique.values(), key=lambda r: (r.sentence, r.model.start))


def find_derivations(doc: Doc, lexicon: Lexicon) -> list[Derivation]:
    """DERIVED_FROM model → base model: "Jan-v1 (built on Qwen3-4B-Thinking)", "OpenThinker, a
    fine-tune of Qwen2.5", "X distilled from Y".

    Two models in a row in one sentence (no model between them, at most ``_DERIVATION_GAP``
    characters apart) with a derivation cue (``derivation_cues`` in release_verbs.yml) between."""
    cues = _derivation_cues(lexicon)
    found: list[Derivation] = []
    for number, sent in enumerate(doc.sents):
        models = [e for e in sent.ents if e.label_ == _MODEL]
        for derived, base in zip(models, models[1:]):
            between = doc.text[derived.end_char : base.start_char]
            if len(between) > _DERIVATION_GAP or not between.strip():
                continue
            match = cues.search(between)
            if match is None:
                continue
            if any(t.pos_ == "VERB" and t.tag_ in ("VBD", "VBZ", "VBP") and t.idx < derived.end_char + match.start() for t in doc[derived.end : base.start]):
                continue  # the first name is a clause's subject, not the derived model
            cue = (derived.end_char + match.start(), derived.end_char + match.end())
            found.append(Derivation(number, ref(derived), ref(base), cue, "derivation"))
    return found


_DERIVATION_GAP = 60


def _derivation_cues(lexicon: Lexicon) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{c})" for c in lexicon.release.get("derivation_cues", [])) or "(?!)", re.I)


def known_developer(model_text: str, lexicon: Lexicon) -> str | None:
    """The curated developer of a model's family (pipelines/gazetteers/models.yml), if any."""
    lowered = model_text.lower()
    for family in lexicon.model_families:  # longest stems first
        if lowered.startswith(family.stem.lower()):
            return family.developer
    return None


def plausible_organization(name: str, lexicon: Lexicon) -> bool:
    """Whether an organization entity can release or develop: not a known person's name or surname
    ("Zuckerberg"), nor a heading fragment read as a name ("M1 Model Enters")."""
    key = name.strip().lower()
    if any(key in (p.lower(), p.split()[-1].lower()) for p in lexicon.people):
        return False
    words = key.split()
    return not (len(words) > 1 and ("model" in words or "models" in words or words[-1].endswith(("ers", "ses")) and words[-1] not in ("partners", "ventures", "labs")))


def developers_within(model_text: str, lexicon: Lexicon) -> list[str]:
    """The curated developers of the families named after the first word of a model's name
    ("Llama-Nemotron", "Llama-3.1-Nemotron-70B": Nemotron's developer)."""
    found = []
    for match in re.finditer(r"(?<=[-_ /])[^\W_]", model_text):
        rest = model_text[match.start() :].lower()
        for family in lexicon.model_families:
            if rest.startswith(family.stem.lower()) and family.developer:
                found.append(family.developer)
                break
    return found


def same_organization(a: str, b: str, lexicon: Lexicon) -> bool:
    """Whether two organization names plausibly name one organization ("Google" and "Google
    DeepMind", "Alibaba Qwen" and "Alibaba", "Meta AI" and "Meta")."""
    a, b = lexicon.canonical_organization(a) or a, lexicon.canonical_organization(b) or b
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    initials = {"".join(w[0] for w in _WORD.findall(x)).lower() for x in (a, b) if len(_WORD.findall(x)) > 1}
    return ka.startswith(kb) or kb.startswith(ka) or ka in initials or kb in initials


def credit_check(doc: Doc, org: EntityRef, model: EntityRef, derived_bases: set[int], lexicon: Lexicon, release: bool = False) -> float | None:
    """Confidence that ``org`` released or develops ``model``, from the curated developer map;
    ``None`` drops the claim: a third party's derivative or hosting of another's model
    ("NVIDIA releases a Qwen3.5 quantized to NVFP4", "Alibaba's endpoint for Kimi")."""
    text = doc.text
    if not plausible_organization(text[org.start : org.end], lexicon):
        return None
    if release and model.start in derived_bases:
        return None  # "released Magistral 1.2, a fine-tune of Mistral Small 3.2": the base is not released
    name = text[model.start : model.end]
    providers = {name_key(p) for p in lexicon.release.get("providers", [])}
    if name_key(text[org.start : org.end]) in providers and not same_organization(text[org.start : org.end], known_developer(name, lexicon) or "", lexicon):
        return None  # "OpenRouter announced Quasar Alpha": a host's stealth model, not its own
    if any(same_organization(text[org.start : org.end], d, lexicon) for d in developers_within(name, lexicon)):
        return 1.0  # "Nvidia released Llama-Nemotron": Nemotron is Nvidia's
    developer = known_developer(name, lexicon)
    if developer is None:
        return None if model.start in derived_bases else 0.0  # 0.0: no evidence either way
    if same_organization(text[org.start : org.end], developer, lexicon):
        return 1.0
    if model.start in derived_bases:
        return None
    span = doc.char_span(model.start, model.end, alignment_mode="expand")
    words = lexicon.release.get("derivative_words", [])
    if span is not None:
        sentence = span.sent.text.lower()
        if any(re.search(r"\b" + re.escape(w), sentence) for w in words):
            return None
    return -1.0
