"""Choosing the statement-similarity threshold on labelled pairs, and reporting what it gives.

``python -m kg.resolve.tuning tests/fixtures/resolution/statement_pairs.yml`` prints precision and
recall of "same statement" for each measure, threshold and minimum of shared features, so the
setting in ``pipelines/lexicons/resolution.yml`` can be justified (docs/resolution.md keeps the
table). The entities a statement is about come from newskg's own extraction of the statement,
as they do for claims in the graph.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from kg.extract.lexicon import load_lexicon
from kg.extract.resolution_data import ResolutionData, StatementSettings, load_resolution_data
from kg.resolve.statements import FeatureExtractor, StatementFeatures, similarity, veto

Measure = Callable[[StatementFeatures, StatementFeatures, StatementSettings], float]


@dataclass(frozen=True, slots=True)
class LabelledPair:
    speaker: str
    a: str
    b: str
    same: bool


@dataclass(frozen=True, slots=True)
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def read_pairs(path: Path) -> list[LabelledPair]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [LabelledPair(p["speaker"], p["a"], p["b"], same) for same, key in ((True, "positives"), (False, "negatives")) for p in raw[key]]


def pair_features(pairs: Sequence[LabelledPair], data: ResolutionData | None = None) -> list[tuple[StatementFeatures, StatementFeatures]]:
    """Features of both sides of each pair, with the entities newskg's extraction finds in them."""
    from kg.extract.extractor import extract_text
    from kg.extract.pipeline import load_pipeline

    data = data or load_resolution_data()
    extractor = FeatureExtractor.load(load_lexicon(), data)
    nlp = load_pipeline()
    texts = [text for pair in pairs for text in (pair.a, pair.b)]
    features = extractor.features(texts)
    with_entities = [f.with_entities(e.id for e in extract_text(nlp, text).entities) for f, text in zip(features, texts, strict=True)]
    return list(zip(with_entities[0::2], with_entities[1::2], strict=True))


def _jaccard(a: StatementFeatures, b: StatementFeatures, settings: StatementSettings) -> float:
    if veto(a, b, settings) is not None or len(a.compared & b.compared) < settings.min_shared:
        return 0.0
    return len(a.compared & b.compared) / len(a.compared | b.compared)


def _dice(a: StatementFeatures, b: StatementFeatures, settings: StatementSettings) -> float:
    if veto(a, b, settings) is not None or len(a.compared & b.compared) < settings.min_shared:
        return 0.0
    return 2 * len(a.compared & b.compared) / (len(a.compared) + len(b.compared))


MEASURES: dict[str, Measure] = {"overlap": similarity, "dice": _dice, "jaccard": _jaccard}


def evaluate(pairs: Sequence[LabelledPair], features: Sequence[tuple[StatementFeatures, StatementFeatures]], settings: StatementSettings, measure: Measure = similarity) -> Scores:
    tp = fp = fn = tn = 0
    for pair, (a, b) in zip(pairs, features, strict=True):
        predicted = measure(a, b, settings) >= settings.threshold
        tp += predicted and pair.same
        fp += predicted and not pair.same
        fn += (not predicted) and pair.same
        tn += (not predicted) and not pair.same
    return Scores(tp, fp, fn, tn)


def table(pairs: Sequence[LabelledPair], features: Sequence[tuple[StatementFeatures, StatementFeatures]], settings: StatementSettings) -> list[str]:
    lines = ["| measure | min shared | threshold | precision | recall | TP | FP | FN |", "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, measure in MEASURES.items():
        for min_shared in (2, 3, 4):
            for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
                trial = replace(settings, threshold=threshold, min_shared=min_shared)
                s = evaluate(pairs, features, trial, measure)
                lines.append(f"| {name} | {min_shared} | {threshold:.1f} | {s.precision:.2f} | {s.recall:.2f} | {s.tp} | {s.fp} | {s.fn} |")
    return lines


def main(argv: Sequence[str]) -> int:
    path = Path(argv[0]) if argv else Path("tests/fixtures/resolution/statement_pairs.yml")
    pairs = read_pairs(path)
    features = pair_features(pairs)
    settings = load_resolution_data().statements
    print("\n".join(table(pairs, features, settings)))
    chosen = evaluate(pairs, features, settings)
    print(f"\nchosen: overlap, min_shared={settings.min_shared}, threshold={settings.threshold}: precision {chosen.precision:.2f}, recall {chosen.recall:.2f} ({chosen.tp} TP, {chosen.fp} FP, {chosen.fn} FN, {chosen.tn} TN)")
    for pair, (a, b) in zip(pairs, features, strict=True):
        score = similarity(a, b, settings)
        if (score >= settings.threshold) != pair.same:
            why = veto(a, b, settings)
            print(f"{'missed' if pair.same else 'wrong '} {score:.2f} {why or ''}: {pair.a!r} / {pair.b!r}\n    {sorted(a.compared)}\n    {sorted(b.compared)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
