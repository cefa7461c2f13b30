"""CrossRE: the relations CrossRE and newskg share, scored per sentence by exact token spans.

CrossRE annotates one sentence a line, with entity types such as person, researcher,
organisation, university and product and 17 relation types. Only the relations that mean what a
newskg claim means are scored (``RELATION_RULES``; ``docs/evaluation.md`` has the reasons):

* ``role`` or ``part-of`` between a person (or researcher) and an organisation (or university)
  → ``AFFILIATED_WITH`` person → organisation;
* ``artifact`` or ``origin`` between an organisation (or university) and a product
  → ``DEVELOPS`` organisation → product; newskg's ``RELEASED`` is scored as ``DEVELOPS`` too,
  because CrossRE does not tell making from releasing.

CrossRE's direction varies with the wording (``QRIO artifact Sony``, ``Google artifact
AlphaGo``), so gold pairs are put in newskg's direction by entity type. A prediction is right
when its subject tokens, object tokens and mapped type are all identical to a gold relation's.
Every newskg claim of a mapped type counts as a prediction, whatever CrossRE calls its arguments.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.eval.metrics import Score, exact_match, score_cells, score_header, total
from kg.eval.predictors import Relation, RelationPredictor
from kg.eval.runner import Tick, predict_each
from kg.eval.spans import Span, TokenIndex, join_tokens

NAME = "crossre"
PROTOCOL = "newskg-eval/crossre/1"
TYPES: tuple[str, ...] = ("AFFILIATED_WITH", "DEVELOPS")
PREDICTED_TYPES: dict[str, str] = {"AFFILIATED_WITH": "AFFILIATED_WITH", "DEVELOPS": "DEVELOPS", "RELEASED": "DEVELOPS"}

PERSONS = frozenset({"person", "researcher"})
ORGANISATIONS = frozenset({"organisation", "university"})
PRODUCTS = frozenset({"product"})


@dataclass(frozen=True, slots=True)
class RelationRule:
    """CrossRE relation labels between a subject-type and an object-type group → newskg type."""

    labels: frozenset[str]
    subject_types: frozenset[str]
    object_types: frozenset[str]
    newskg_type: str


RELATION_RULES: tuple[RelationRule, ...] = (
    RelationRule(frozenset({"role", "part-of"}), PERSONS, ORGANISATIONS, "AFFILIATED_WITH"),
    RelationRule(frozenset({"artifact", "origin"}), ORGANISATIONS, PRODUCTS, "DEVELOPS"),
)

TokenSpan = tuple[int, int]
"""Inclusive (first, last) token indices, CrossRE's own convention."""
TokenRelation = tuple[TokenSpan, TokenSpan, str]


@dataclass(frozen=True, slots=True)
class CrossreSentence:
    key: str
    domain: str
    tokens: tuple[str, ...]
    entities: dict[TokenSpan, str]
    relations: tuple[tuple[TokenSpan, TokenSpan, str], ...]

    @property
    def text_and_offsets(self) -> tuple[str, list[Span]]:
        return join_tokens([self.tokens])


def map_relation(subject_type: str | None, object_type: str | None, label: str) -> tuple[str, bool] | None:
    """``(newskg type, swapped)`` for a CrossRE relation, or ``None`` if it is not scored."""
    for rule in RELATION_RULES:
        if label not in rule.labels:
            continue
        if subject_type in rule.subject_types and object_type in rule.object_types:
            return rule.newskg_type, False
        if object_type in rule.subject_types and subject_type in rule.object_types:
            return rule.newskg_type, True
    return None


def gold_relations(sentence: CrossreSentence) -> set[TokenRelation]:
    """Mapped gold relations in newskg's direction, as a set (``role`` + ``part-of`` count once)."""
    gold: set[TokenRelation] = set()
    for head, tail, label in sentence.relations:
        mapped = map_relation(sentence.entities.get(head), sentence.entities.get(tail), label)
        if mapped:
            newskg_type, swapped = mapped
            gold.add((tail, head, newskg_type) if swapped else (head, tail, newskg_type))
    return gold


def to_token_relations(index: TokenIndex, predicted: Iterable[Relation]) -> set[TokenRelation]:
    """Predicted claims of mapped types as token relations."""
    relations: set[TokenRelation] = set()
    for relation in predicted:
        newskg_type = PREDICTED_TYPES.get(relation.type)
        subject = index.token_span(*relation.subject)
        obj = index.token_span(*relation.object)
        if newskg_type and subject and obj:
            relations.add((subject, obj, newskg_type))
    return relations


def parse_crossre(lines: Iterable[str], domain: str) -> Iterator[CrossreSentence]:
    """Sentences of one CrossRE file; relation rows may carry extra fields after the label."""
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        data = json.loads(line)
        entities = {(int(s), int(e)): str(t) for s, e, t in data.get("ner", [])}
        relations = tuple(
            ((int(r[0]), int(r[1])), (int(r[2]), int(r[3])), str(r[4])) for r in data.get("relations", [])
        )
        key = str(data.get("doc_key", f"{domain}-{n}"))
        yield CrossreSentence(key, domain, tuple(data["sentence"]), entities, relations)


def crossre_files(path: Path) -> list[Path]:
    """The file itself, or every ``.json`` file of a folder (sorted)."""
    return sorted(path.glob("*.json")) if path.is_dir() else [path]


def read_crossre(path: Path, limit: int | None = None) -> Iterator[CrossreSentence]:
    """Sentences of one file or of each file in a folder; the domain is the file stem."""
    count = 0
    for file in crossre_files(path):
        with file.open(encoding="utf-8") as handle:
            for sentence in parse_crossre(handle, file.stem):
                if limit is not None and count >= limit:
                    return
                count += 1
                yield sentence


def evaluate(
    docs: Iterable[CrossreSentence],
    predictor: RelationPredictor,
    *,
    batch_size: int = 64,
    tick: Tick | None = None,
) -> dict[str, Any]:
    """Per-type and micro P/R/F1, overall and per domain (file)."""
    scores: dict[str, dict[str, Score]] = {}
    sentences: dict[str, int] = {}
    for sentence, predicted in predict_each(
        docs, lambda s: s.text_and_offsets[0], predictor.predict_relations, predictor, batch_size=batch_size, tick=tick
    ):
        _, offsets = sentence.text_and_offsets
        pred = to_token_relations(TokenIndex(offsets), predicted)
        gold = gold_relations(sentence)
        domain = scores.setdefault(sentence.domain, {t: Score() for t in TYPES})
        sentences[sentence.domain] = sentences.get(sentence.domain, 0) + 1
        for relation_type in TYPES:
            domain[relation_type] += exact_match(
                {r for r in gold if r[2] == relation_type}, {r for r in pred if r[2] == relation_type}
            )

    def block(per_type: dict[str, Score]) -> dict[str, Any]:
        result: dict[str, Any] = {t: per_type[t].as_dict() for t in TYPES}
        result["micro"] = total(per_type.values()).as_dict()
        return result

    overall = {t: total(d[t] for d in scores.values()) for t in TYPES}
    section = block(overall)
    section["domains"] = {name: block(per_type) for name, per_type in scores.items()}
    section["counts"] = {"sentences": sum(sentences.values()), "sentences_per_domain": sentences}
    return section


def render(systems: dict[str, dict[str, Any]]) -> str:
    """P/R/F1 per mapped type and micro, for all files together and for each file."""
    columns = (*TYPES, "micro")
    lines = score_header(columns, f"{'system':<16}{'file':<12}")
    for system, section in systems.items():
        domains = section["domains"]
        if len(domains) > 1:
            rows = [("all", section), *sorted(domains.items())]
        else:
            rows = [(next(iter(domains), "all"), section)]
        for name, block in rows:
            lines.append(f"{system:<16}{name:<12}{score_cells(block, columns)}")
    return "\n".join(lines)
