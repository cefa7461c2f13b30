"""Precision, recall and F1 from match counts, with the three matching rules the sets use.

A :class:`Score` keeps the raw counts rather than the ratios so that scores add up across
documents (micro-averaging) and so that a report can be recomputed from its counts. Counts are
floats because PolNeAR weighs each of several annotators' files by ``1/k``.

Both sides are treated as sets: repeating a span neither earns nor costs anything, which keeps
the figures independent of how many times an extractor reports the same mention.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from kg.eval.spans import Span, iou, overlaps


@dataclass(frozen=True, slots=True)
class Score:
    """Counts behind one P/R/F1 figure.

    ``correct_pred`` (predictions judged right) and ``found_gold`` (gold items found) differ only
    under lenient matching, where one prediction may cover two gold spans or the reverse.
    """

    correct_pred: float = 0.0
    n_pred: float = 0.0
    found_gold: float = 0.0
    n_gold: float = 0.0

    @property
    def precision(self) -> float:
        """Share of predictions that are right; 0.0 when nothing was predicted."""
        return self.correct_pred / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        """Share of gold items found; 0.0 when there is no gold item."""
        return self.found_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.correct_pred + other.correct_pred,
            self.n_pred + other.n_pred,
            self.found_gold + other.found_gold,
            self.n_gold + other.n_gold,
        )

    def scaled(self, weight: float) -> Score:
        """The same counts times ``weight`` (for averaging over annotators)."""
        return Score(self.correct_pred * weight, self.n_pred * weight, self.found_gold * weight, self.n_gold * weight)

    def as_dict(self) -> dict[str, float]:
        """Ratios and counts, rounded for a JSON report."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "correct_pred": _count(self.correct_pred),
            "n_pred": _count(self.n_pred),
            "found_gold": _count(self.found_gold),
            "n_gold": _count(self.n_gold),
        }


def _count(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)


def total(scores: Iterable[Score]) -> Score:
    """Micro-average: the sum of the counts."""
    result = Score()
    for score in scores:
        result = result + score
    return result


def exact_match(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> Score:
    """Strict matching: an item is right only if the other side has the identical item.

    Items are anything hashable: ``(start, end)`` spans, ``(start, end, type)`` entities,
    ``(subject, object, type)`` relations, normalised names.
    """
    gold_set, pred_set = set(gold), set(pred)
    hits = len(gold_set & pred_set)
    return Score(hits, len(pred_set), hits, len(gold_set))


def overlap_match(gold: Iterable[Span], pred: Iterable[Span]) -> Score:
    """Lenient matching: a span is right if it shares a character with any span on the other side."""
    gold_set, pred_set = set(gold), set(pred)
    correct = sum(1 for p in pred_set if any(overlaps(p, g) for g in gold_set))
    found = sum(1 for g in gold_set if any(overlaps(g, p) for p in pred_set))
    return Score(correct, len(pred_set), found, len(gold_set))


def proportional_match(gold: Iterable[Span], pred: Iterable[Span]) -> Score:
    """Partial credit: each span earns its best intersection-over-union with the other side.

    Recall sums, over gold spans, the best IoU with any prediction; precision sums, over
    predictions, the best IoU with any gold span. This is the symmetric P/R/F1 form of the
    token-overlap-proportional score CofeNet reports as "jaccard" (see :func:`cofenet_jaccard`).
    """
    gold_set, pred_set = set(gold), set(pred)
    correct = sum(max((iou(p, g) for g in gold_set), default=0.0) for p in pred_set)
    found = sum(max((iou(g, p) for p in pred_set), default=0.0) for g in gold_set)
    return Score(correct, len(pred_set), found, len(gold_set))


def cofenet_jaccard_counts(gold: Iterable[Span], pred: Iterable[Span]) -> tuple[float, float]:
    """Numerator and denominator of CofeNet's single "jaccard" figure.

    CofeNet (``exe/eval/evaluation.py``) averages, over every gold span and every prediction
    that overlaps no gold span, the gold span's best IoU (0 for the stray predictions). Kept as
    (sum, count) so that documents add up before dividing.
    """
    gold_set, pred_set = set(gold), set(pred)
    credit = sum(max((iou(g, p) for p in pred_set), default=0.0) for g in gold_set)
    stray = sum(1 for p in pred_set if not any(overlaps(p, g) for g in gold_set))
    return credit, float(len(gold_set) + stray)


def score_header(columns: Iterable[str], label: str) -> list[str]:
    """The two header lines of a P/R/F1/gold table whose rows start with ``label``-wide text."""
    columns = list(columns)
    return [
        label + "".join(f"{c:<24}" for c in columns),
        " " * len(label) + "".join(f"{'P':>6}{'R':>6}{'F1':>6}{'gold':>6}" for _ in columns),
    ]


def prf_cells(score: dict[str, float]) -> str:
    """Precision, recall and F1 of one score (:meth:`Score.as_dict`) in percent, 6 characters each."""
    return f"{100 * score['precision']:6.1f}{100 * score['recall']:6.1f}{100 * score['f1']:6.1f}"


def score_cells(block: dict[str, dict[str, float]], columns: Iterable[str]) -> str:
    """One row's cells: precision, recall and F1 in percent and the gold count, per column."""
    return "".join(f"{prf_cells(block[c])}{block[c]['n_gold']:>6}" for c in columns)


def score_table(systems: dict[str, dict[str, Any]], columns: Iterable[str]) -> list[str]:
    """Header and one row a system: P/R/F1/gold per column (the table every entity set starts with)."""
    columns = list(columns)
    lines = score_header(columns, f"{'system':<16}")
    for system, section in systems.items():
        lines.append(f"{system:<16}{score_cells(section, columns)}")
    return lines
