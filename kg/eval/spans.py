"""Span arithmetic shared by the benchmark protocols: trimming, fragments, tokens, offset alignment.

Spans are half-open character (or token) intervals ``(start, end)``. Every benchmark compares
spans that two parties drew on the same text, so the small rules here (what counts as an edge,
when two fragments are one span, which tokens a character span covers) are the protocol, and
they live in one place so that every set applies them the same way to gold and to predictions.
"""

from __future__ import annotations

import difflib
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

Span = tuple[int, int]


def is_edge_char(char: str) -> bool:
    """True for characters an annotator may or may not include at a span's edge.

    Whitespace and Unicode punctuation (quotes, commas, dashes, brackets): PolNeAR annotators
    include closing quotes and commas inconsistently, and so do extractors.
    """
    return char.isspace() or unicodedata.category(char).startswith("P")


def trim_span(text: str, start: int, end: int) -> Span | None:
    """Shrink ``(start, end)`` past edge characters; ``None`` when nothing else is left."""
    start, end = max(0, start), min(len(text), end)
    while start < end and is_edge_char(text[start]):
        start += 1
    while end > start and is_edge_char(text[end - 1]):
        end -= 1
    return (start, end) if start < end else None


def merge_fragments(text: str, fragments: Iterable[Span]) -> list[Span]:
    """Join fragments separated only by edge characters; keep real gaps apart.

    brat breaks an annotation at every line break, so ``803 833;834 898`` is one span across a
    newline, while ``752 760;769 800`` skips words and stays two spans, as in CofeNet's BIO
    version of the corpus, where the skipped words break the label run.
    """
    merged: list[Span] = []
    for start, end in sorted(fragments):
        if merged and all(is_edge_char(c) for c in text[merged[-1][1] : start]):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def normalized_spans(text: str, fragments: Iterable[Span]) -> list[Span]:
    """Merge fragments, then trim each; the form in which spans are compared."""
    return [s for s in (trim_span(text, a, b) for a, b in merge_fragments(text, fragments)) if s]


def overlaps(a: Span, b: Span) -> bool:
    """True when two half-open spans share at least one position."""
    return a[0] < b[1] and b[0] < a[1]


def iou(a: Span, b: Span) -> float:
    """Intersection over union of two spans (0 when disjoint), CofeNet's overlap ratio."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def join_tokens(sentences: Sequence[Sequence[str]]) -> tuple[str, list[Span]]:
    """Rebuild a text from tokenised sentences: tokens joined by spaces, sentences by newlines.

    Returns the text and each token's character span, in order, so predictions on the text can
    be mapped back to token indices.
    """
    parts: list[str] = []
    offsets: list[Span] = []
    pos = 0
    for s_index, sentence in enumerate(sentences):
        if s_index:
            parts.append("\n")
            pos += 1
        for t_index, token in enumerate(sentence):
            if t_index:
                parts.append(" ")
                pos += 1
            parts.append(token)
            offsets.append((pos, pos + len(token)))
            pos += len(token)
    return "".join(parts), offsets


class TokenIndex:
    """Maps character spans onto the tokens they touch."""

    def __init__(self, offsets: Sequence[Span]) -> None:
        self._starts = [s for s, _ in offsets]
        self._ends = [e for _, e in offsets]

    def token_span(self, start: int, end: int) -> Span | None:
        """Inclusive ``(first, last)`` token indices overlapping ``[start, end)``, or ``None``.

        A prediction that cuts a token in half still names that token, as CoNLL's token-level
        scoring would see it after re-tokenising.
        """
        first = bisect_right(self._ends, start)
        last = bisect_left(self._starts, end) - 1
        if first >= len(self._starts) or last < first:
            return None
        return (first, last)


class OffsetMapper:
    """Maps offsets in a rewritten text (e.g. after Markdown or whitespace cleaning) to the original.

    Extraction may normalise the text it was given; gold offsets index the original, so
    predicted offsets are carried back through the matching blocks of a character diff.
    """

    def __init__(self, original: str, rewritten: str) -> None:
        self.identity = original == rewritten
        self._blocks: list[tuple[int, int, int]] = []
        if not self.identity:
            matcher = difflib.SequenceMatcher(None, original, rewritten, autojunk=False)
            self._blocks = [(b.a, b.b, b.size) for b in matcher.get_matching_blocks() if b.size]
        self._b_starts = [b for _, b, _ in self._blocks]

    def span(self, start: int, end: int) -> Span | None:
        """The original span for a rewritten one, or ``None`` if no character of it survives."""
        if self.identity:
            return (start, end)
        mapped_start = self._forward(start)
        mapped_end = self._backward(end)
        if mapped_start is None or mapped_end is None or mapped_end <= mapped_start:
            return None
        return (mapped_start, mapped_end)

    def _forward(self, offset: int) -> int | None:
        """Original offset of the first surviving character at or after ``offset``."""
        i = bisect_right(self._b_starts, offset) - 1
        if i >= 0:
            a, b, size = self._blocks[i]
            if offset < b + size:
                return a + offset - b
        if i + 1 < len(self._blocks):
            return self._blocks[i + 1][0]
        return None

    def _backward(self, offset: int) -> int | None:
        """Original end offset of the last surviving character before ``offset``."""
        i = bisect_left(self._b_starts, offset) - 1
        if i < 0:
            return None
        a, b, size = self._blocks[i]
        return a + min(offset - b, size)
