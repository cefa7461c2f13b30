"""Small span helpers shared by the claim extractors: typed character spans and entity lookup."""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
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
    """The entity span in ``doc.ents`` that contains ``token`` (optionally of given labels).

    Walks the token's IOB tags to the entity's edges instead of scanning ``doc.ents`` (which
    builds a span for every entity of the doc on each call): O(entity length), not O(doc).
    """
    if not token.ent_type_:
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    first = doc[start]
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    span = Span(doc, start, end, label=first.ent_type, kb_id=first.ent_kb_id, span_id=first.ent_id)
    if not span.label_:
        return None
    return span if labels is None or span.label_ in set(labels) else None


_TEXT_CACHE = threading.local()
_TEXT_CACHE_SIZE = 16  # more than an nlp.pipe batch


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc.

    spaCy rebuilds ``Doc.text`` from every token on each access (about half a millisecond for a
    news article), so code that slices the text per entity or per token must not call it in a
    loop. The texts of the last few docs are kept per thread (components see a batch of docs in
    turn); a doc's text never changes.
    """
    entries: list[tuple[Doc, str]] | None = getattr(_TEXT_CACHE, "entries", None)
    if entries is None:
        entries = _TEXT_CACHE.entries = []
    for cached, text in entries:
        if cached is doc:
            return text
    text = doc.text
    entries.append((doc, text))
    if len(entries) > _TEXT_CACHE_SIZE:
        del entries[0]
    return text


def ref(span: Span, via: str = "direct") -> EntityRef:
    return EntityRef(span.start_char, span.end_char, span.label_, via)


def token_range_span(doc: Doc, tokens: Iterable[Token]) -> CharSpan | None:
    """Character span from the first to the last of ``tokens`` (None when empty)."""
    items = sorted(tokens, key=lambda t: t.i)
    if not items:
        return None
    return items[0].idx, items[-1].idx + len(items[-1].text)


def range_index(starts: Sequence[int], position: int) -> int:
    """Which of the consecutive ranges given by their sorted ``starts`` holds ``position`` (0 before the first)."""
    return max(0, bisect_right(starts, position) - 1)


def sentence_numbers(sentences: Iterable[Span]) -> dict[int, int]:
    """The number of each sentence (in document order), by the index of its first token."""
    return {sent.start: number for number, sent in enumerate(sentences)}


def sentence_of_char(doc: Doc) -> Callable[[int], int]:
    """A function giving the number of the sentence that holds a character offset of ``doc``."""
    starts = [sent.start_char for sent in doc.sents]
    return lambda char: range_index(starts, char)
