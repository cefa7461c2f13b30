"""Resolve pronoun and nominal references ("He", "the company") to an entity named earlier.

A deliberately simple, recency-based resolver: news prose introduces a person or organization
by name and then refers back to it ("Andrew Ng ... He pointed out ..."; "Meta ... the company
said"). "he"/"she" take the most recent person, "it" and nominal
organization phrases the most recent organization, within a window of sentences. Gender is
read only from honorifics: "she" skips a person introduced as "Mr"/"Sir"/"Lord", "he" one
introduced as "Ms"/"Mrs"/"Lady"/"Dame".
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import Lexicon
from kg.extract.spans import EntityRef, entity_at, ref
from kg.schema import EntityType

#: The entity types a subject or source resolves to directly or by apposition: who can act or speak.
_AGENTS = (EntityType.ORGANIZATION, EntityType.PERSON)

WINDOW_SENTENCES = 4


def referent_type(head: Token, lexicon: Lexicon) -> str | None:
    """Which entity type a pronoun or "the <noun>" phrase headed by ``head`` refers to, if any."""
    word = head.lower_
    for label, words in lexicon.pronouns.items():
        if word in words:
            return None if label == "Any" else label
    if any(child.lower_ in ("the", "this", "that") for child in head.children if child.dep_ == "det"):
        for label, words in lexicon.nominal_anaphors.items():
            if word in words or head.lemma_.lower() in words:
                return label
    return None


def resolve_reference(head: Token, lexicon: Lexicon) -> EntityRef | None:
    """Resolve a subject/source token to an entity: itself, its appositive, or an antecedent."""
    direct = entity_at(head, _AGENTS)
    if direct is not None:
        return ref(direct)
    for child in head.children:
        if child.dep_ == "appos":
            appositive = entity_at(child, _AGENTS)
            if appositive is not None:
                return ref(appositive, "apposition")
    wanted = referent_type(head, lexicon)
    if wanted is None:
        return None
    antecedent = _most_recent(head.doc, head, wanted, _GENDER.get(head.lower_))
    return ref(antecedent, "anaphora") if antecedent is not None else None


_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_HONORIFICS = {"mr": "m", "mr.": "m", "sir": "m", "lord": "m", "ms": "f", "ms.": "f", "mrs": "f", "mrs.": "f", "miss": "f", "lady": "f", "dame": "f", "baroness": "f"}


def _gender_of(ent: Span) -> str | None:
    """The gender an honorific in or right before the mention gives ("Ms Hewitt"), else None."""
    doc = ent.doc
    words = [ent[0].lower_] + ([doc[ent.start - 1].lower_] if ent.start > 0 else [])
    return next((_HONORIFICS[w] for w in words if w in _HONORIFICS), None)


def _most_recent(doc: Doc, before: Token, label: str, gender: str | None = None) -> Span | None:
    sentence_starts = [sent.start for sent in doc.sents]
    current = max(i for i, start in enumerate(sentence_starts) if start <= before.i)
    earliest = sentence_starts[max(0, current - WINDOW_SENTENCES)]
    candidates = [ent for ent in doc.ents if ent.label_ == label and earliest <= ent.start and ent.end <= before.i]
    if gender is not None:
        candidates = [ent for ent in candidates if _gender_of(ent) in (None, gender)]
    return candidates[-1] if candidates else None
