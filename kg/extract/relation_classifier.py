"""A small learned relation classifier over (organization, model) pairs of one sentence.

The rules of :mod:`kg.extract.releases` are precise on the shapes they know; news and newsletter
prose has many more ("Qwen3 Coder from Alibaba is touted", "Alibaba Qwen2.5-1M and Janus-Pro
captured attention", "the new Moonshot model Kimi K2"). This classifier scores every
(Organization, Model) pair of a sentence that the rules left alone by its **context only** (words
between and around the two mentions, their order and distance, other entities between them, the
dependency path between them), never by the names, and proposes a DEVELOPS claim (rule
``classifier``, confidence = its probability) when the probability reaches a threshold
(``classifier_threshold`` of the ``newskg_claims`` component in pipelines/newskg.cfg).

It is trained by ``bench/train_relations.py`` on **weak labels** (distant supervision), on the
2023–2025 AI-news summaries of ``../shared/corpus/ainews/descriptions-2023-2025.jsonl`` minus the
gold excerpts: a pair is positive when the curated developer map
(``developer`` in pipelines/gazetteers/models.yml) names the organization as the model family's
developer and the issue's front matter lists both (``companies``, ``models``); negative when the
map names another developer. Pairs of unknown families are not used. The weights are plain JSON
(``pipelines/relations/model.json``: feature → weight, and the bias).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.schema import EntityType

_ORG, _PERSON, _MODEL = EntityType.ORGANIZATION, EntityType.PERSON, EntityType.MODEL

MAX_BETWEEN = 8


class Candidate(NamedTuple):
    sentence: int
    organization: Span
    model: Span


def candidates(doc: Doc, is_model: object = None) -> Iterator[Candidate]:
    """(Organization, Model) entity pairs within one sentence, at most 30 tokens apart."""
    for number, sent in enumerate(doc.sents):
        ents = list(sent.ents)
        orgs = [e for e in ents if e.label_ == _ORG]
        models = [e for e in ents if e.label_ == _MODEL and (is_model is None or is_model(e))]  # type: ignore[operator]
        for org in orgs:
            for model in models:
                if abs(org.start - model.start) <= 30:
                    yield Candidate(number, org, model)


def _word(token: Token) -> str:
    if token.like_num:
        return "<num>"
    if token.ent_type_ in (_ORG, _MODEL, _PERSON):
        return f"<{token.ent_type_}>"
    return token.lemma_.lower()


def _path(a: Token, b: Token) -> str | None:
    """Dependency labels from ``a`` up to the lowest common ancestor and down to ``b`` (≤ 5 arcs)."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    ids_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in ids_b:
            m = ids_b[t.i]
            if n + m > 5:
                return None
            left = [x.dep_ for x in up_a[:n]]
            right = [x.dep_ for x in reversed(up_b[:m])]
            return "/".join(left) + "^" + t.lemma_.lower() + "^" + "/".join(right)
    return None


def features(candidate: Candidate) -> list[str]:
    org, model = candidate.organization, candidate.model
    doc = org.doc
    first, second = (org, model) if org.start < model.start else (model, org)
    order = "om" if first is org else "mo"
    feats = [f"order={order}"]
    between = doc[first.end : second.start]
    gap = len(between)
    feats.append(f"gap={min(gap, 6) if gap < 6 else ('6-12' if gap <= 12 else '12+')}")
    if gap <= MAX_BETWEEN:
        words = [_word(t) for t in between]
        feats.extend(f"b={w}" for w in words)
        feats.append(f"bseq={order}:{' '.join(words)}")
    else:
        feats.extend(f"bfar={_word(t)}" for t in between if t.pos_ == "VERB")
    feats.extend(f"l={_word(t)}" for t in doc[max(first.sent.start, first.start - 2) : first.start])
    feats.extend(f"r={_word(t)}" for t in doc[second.end : min(second.sent.end, second.end + 2)])
    other_orgs = sum(1 for e in doc.ents if e.label_ == _ORG and first.end <= e.start and e.end <= second.start)
    other_models = sum(1 for e in doc.ents if e.label_ == _MODEL and first.end <= e.start and e.end <= second.start)
    feats.append(f"orgs_between={min(other_orgs, 2)}")
    feats.append(f"models_between={min(other_models, 2)}")
    path = _path(org.root, model.root)
    feats.append(f"path={path}" if path is not None else "path=none")
    feats.append(f"org_dep={org.root.dep_}")
    feats.append(f"model_dep={model.root.dep_}")
    sent_text = org.sent.text.strip()
    if sent_text.endswith(":") or len(org.sent) <= 8:
        feats.append("heading")
    return feats


class RelationClassifier:
    """Logistic regression over :func:`features`; ``probability`` of a developer pair."""

    def __init__(self, weights: dict[str, float], bias: float) -> None:
        self.weights = weights
        self.bias = bias

    @classmethod
    def load(cls, path: Path) -> RelationClassifier:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data["bias"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a relation classifier model ({exc})") from None

    def score(self, feats: Iterable[str]) -> float:
        """The logit of a feature list (>= 0: the pair is predicted)."""
        return self.bias + sum(self.weights.get(f, 0.0) for f in feats)

    def probability_of(self, feats: Iterable[str]) -> float:
        return _sigmoid(self.score(feats))

    def probability(self, candidate: Candidate) -> float:
        return self.probability_of(features(candidate))


def _sigmoid(score: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))


def held_out_split(per_doc: list[list[tuple[list[str], int]]], every: int = 10) -> tuple[list[tuple[list[str], int]], list[tuple[list[str], int]]]:
    """Training and held-out examples: every ``every``-th document's pairs are held out."""
    train = [e for i, ex in enumerate(per_doc) if i % every for e in ex]
    held = [e for i, ex in enumerate(per_doc) if not i % every for e in ex]
    return train, held


@cache
def load_classifier(path: str) -> RelationClassifier:
    return RelationClassifier.load(Path(path))


def train(examples: list[tuple[list[str], int]], *, epochs: int = 15, rate: float = 0.1, l2: float = 1e-4, seed: int = 13) -> RelationClassifier:
    """Plain SGD logistic regression, positives and negatives weighted to balance."""
    import random

    rng = random.Random(seed)
    weights: dict[str, float] = {}
    bias = 0.0
    positives = sum(label for _, label in examples) or 1
    negatives = (len(examples) - positives) or 1
    weight_of = {1: len(examples) / (2 * positives), 0: len(examples) / (2 * negatives)}
    order = list(range(len(examples)))
    for epoch in range(epochs):
        rng.shuffle(order)
        step = rate / (1 + epoch)
        for i in order:
            feats, label = examples[i]
            p = _sigmoid(bias + sum(weights.get(f, 0.0) for f in feats))
            gradient = (p - label) * weight_of[label]
            bias -= step * gradient
            for f in feats:
                w = weights.get(f, 0.0)
                weights[f] = w - step * (gradient + l2 * w)
    return RelationClassifier({f: round(w, 5) for f, w in weights.items() if abs(w) >= 1e-3}, round(bias, 5))


def save(classifier: RelationClassifier, path: Path, meta: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"meta": meta, "bias": classifier.bias, "weights": dict(sorted(classifier.weights.items()))}
    path.write_text(json.dumps(data, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
