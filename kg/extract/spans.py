"""Small span helpers shared by the claim extractors: typed character spans and entity lookup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

CharSpan = tuple[int, int]


class EntityRef(NamedTuple):
    """An entity mention a claim points to, and how it was reached (directly or by anaphora)."""

    start: int
    end: int
    label: str
    via: str  # "direct", "apposition", "anaphora"


def entity_at(token: Token, labels: Iterable[str] | None = None) -> Span | None:
    """The entity span in ``doc.ents`` that contains ``token`` (optionally of given labels)."""
    if not token.ent_type_:
        return None
    allowed = set(labels) if labels is not None else None
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent if allowed is None or ent.label_ in allowed else None
    return None


def ref(span: Span, via: str = "direct") -> EntityRef:
    return EntityRef(span.start_char, span.end_char, span.label_, via)


def token_range_span(doc: Doc, tokens: Iterable[Token]) -> CharSpan | None:
    """Character span from the first to the last of ``tokens`` (None when empty)."""
    items = sorted(tokens, key=lambda t: t.i)
    if not items:
        return None
    return items[0].idx, items[-1].idx + len(items[-1].text)


def sentence_index(doc: Doc) -> dict[int, int]:
    """Map each token index to the index of its sentence."""
    index: dict[int, int] = {}
    for number, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            index[i] = number
    return index
