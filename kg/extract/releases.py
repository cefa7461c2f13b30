"""RELEASED (organization → model, with a status) and DEVELOPS (organization → model) claims.

RELEASED comes from a release cue ("launched", "introduced", "open-sourced", "is expected to
release") whose subject resolves to an organization (directly, through an apposition
"Another player, Zhipu AI, introduced ...", or by anaphora "the company released ...") and
whose object holds a model; passives and participles ("GLM-4.5, released by Zhipu AI") too.
DEVELOPS comes from possessives and compounds ("Meta's Llama series", "DeepSeek's R1",
"Google Gemini") and from development verbs ("Zhipu AI built GLM-4.5").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.extract.anaphora import resolve_reference
from kg.extract.lexicon import Lexicon
from kg.extract.spans import CharSpan, EntityRef, entity_at, ref

_SKIP_OBJECT_DEPS = frozenset({"relcl", "acl", "advcl", "appos_skip", "ccomp"})


class Release(NamedTuple):
    sentence: int
    organization: EntityRef
    model: EntityRef
    status: str  # released | planned | announced
    cue: CharSpan
    rule: str


class Development(NamedTuple):
    sentence: int
    organization: EntityRef
    model: EntityRef
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
    phrasal = lexicon.release["released"].get("phrasal", {})
    needs_particle = set(lexicon.release["released"].get("needs_particle", []))
    particle = phrasal.get(verb.lemma_)
    if verb.lemma_ in needs_particle and not any(c.dep_ == "prt" and c.lower_ == particle for c in verb.children):
        return
    status = _status(verb, lexicon)
    cue = (verb.idx, verb.idx + len(verb.text))
    passive = any(child.dep_ in ("nsubjpass", "auxpass") for child in verb.children)
    if passive or verb.dep_ == "acl":
        # "GPT-5 was released by OpenAI" / "GLM-4.5, released by Zhipu AI"
        agent = _agent(verb)
        org = resolve_reference(agent, lexicon) if agent is not None else None
        if org is None or org.label != "Organization":
            return
        model_heads = [c for c in verb.children if c.dep_ == "nsubjpass"] or ([verb.head] if verb.dep_ == "acl" else [])
        for head in model_heads:
            for model in _models_in(head, lexicon):
                yield Release(sentence, org, model, status, cue, "passive")
        return
    subject = _subject(verb)
    if subject is None:
        return
    org = resolve_reference(subject, lexicon)
    if org is None or org.label != "Organization":
        return
    for obj in _objects(verb):
        for model in _models_in(obj, lexicon):
            yield Release(sentence, org, model, status, cue, "active" if org.via == "direct" else org.via)


def _nominal_release(noun: Token, sentence: int, lexicon: Lexicon) -> Iterator[Release]:
    """"OpenAI's launch of GPT-5", "the release of GLM-4.5 by Zhipu AI", "the GPT-5 launch"."""
    org: EntityRef | None = None
    models: list[EntityRef] = []
    for child in noun.children:
        if child.dep_ == "poss":
            found = entity_at(child, ("Organization",))
            org = ref(found) if found is not None else org
            models.extend(_models_in(child, lexicon, deep=False))
        elif child.dep_ == "compound":
            models.extend(_models_in(child, lexicon, deep=False))
        elif child.dep_ == "prep" and child.lower_ in ("of", "by"):
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                if child.lower_ == "of":
                    models.extend(_models_in(pobj, lexicon))
                else:
                    found = entity_at(pobj, ("Organization",))
                    org = ref(found) if found is not None else org
    if org is None or not models:
        return
    upcoming = any(c.lower_ in ("upcoming", "planned", "expected", "forthcoming", "anticipated", "imminent") for c in noun.children)
    status = "planned" if upcoming else "released"
    for model in models:
        yield Release(sentence, org, model, status, (noun.idx, noun.idx + len(noun.text)), "nominal")


def _status(verb: Token, lexicon: Lexicon) -> str:
    if any(c.dep_ == "aux" and c.lower_ in lexicon.plan_modals for c in verb.children):
        return "planned"
    head = verb
    for _ in range(3):
        if head.dep_ not in ("xcomp", "pcomp", "acl", "ccomp", "advcl") or head.head.i == head.i:
            break
        governor = head.head
        if governor.lemma_ in lexicon.plan_governors or governor.lemma_ in lexicon.plan_nouns:
            return "planned"
        if governor.lemma_ == "go" and any(c.lower_ == "to" for c in head.children):
            return "planned"  # "is going to release"
        head = governor
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and verb.head.pos_ == "NOUN" and verb.head.lemma_ in lexicon.plan_nouns:
        return "planned"
    lemma = _cue_lemma(verb)
    if lemma in lexicon.announce_verbs and lemma not in lexicon.release_verbs:
        return "announced"
    return "released"


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
        model = entity_at(token, ("Model",))
        if model is not None and model.start not in seen:
            seen.add(model.start)
            models.append(ref(model))
        if not deep and token is not head:
            continue
        for child in token.children:
            if child.dep_ in _SKIP_OBJECT_DEPS:
                continue
            if child.dep_ == "prep" and child.lower_ not in ("of", "called", "named", "dubbed"):
                continue
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
    for model in (e for e in doc.ents if e.label_ == "Model"):
        org = _possessor_or_compound(model)
        if org is not None:
            found.append(Development(sentence_of[model.start], ref(org), ref(model), "possessive"))
    for token in doc:
        if token.pos_ == "VERB" and token.lemma_ in develop_verbs and not any(c.dep_ == "neg" for c in token.children):
            subject = _subject(token)
            org = resolve_reference(subject, lexicon) if subject is not None else None
            if org is None or org.label != "Organization":
                continue
            for obj in _objects(token):
                for model in _models_in(obj, lexicon):
                    found.append(Development(sentence_of[token.i], org, model, "verb"))
    unique = {(d.organization.start, d.model.start): d for d in found}
    return sorted(unique.values(), key=lambda d: d.model.start)


def _possessor_or_compound(model: Span) -> Span | None:
    doc = model.doc
    # "Google Gemini", "Alibaba's Qwen3": an organization right before the model name
    if model.start >= 1:
        previous = doc[model.start - 1]
        if previous.tag_ == "POS" and model.start >= 2:
            previous = doc[model.start - 2]
        org = entity_at(previous, ("Organization",))
        if org is not None and org.end in (model.start, model.start - 1):
            return org
    # "Meta's Llama series": the possessor of the noun the model modifies
    head = model.root
    if head.dep_ in ("compound", "nmod") and head.head.i >= model.end:
        head = head.head
    for child in head.children:
        if child.dep_ == "poss":
            org = entity_at(child, ("Organization",))
            if org is not None:
                return org
    return None


def _dedupe(releases: list[Release]) -> list[Release]:
    unique: dict[tuple[int, int, str], Release] = {}
    for release in releases:
        unique.setdefault((release.organization.start, release.model.start, release.status), release)
    return sorted(unique.values(), key=lambda r: (r.sentence, r.model.start))
