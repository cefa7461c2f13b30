"""CoNLL++ / CoNLL-2003: Person and Organization NER, entity-level exact match, CoNLL style.

Each ``-DOCSTART-`` document is rebuilt as text (tokens joined by spaces, sentences by
newlines) so that newskg sees whole articles as it would in use; predictions are mapped back to
the tokens they touch, and an entity counts only with identical first token, last token and type.
PER is Person and ORG is Organization; LOC and MISC are not scored (newskg's Place is not
CoNLL's LOC and MISC has no counterpart).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.eval.metrics import Score, exact_match, score_table, total
from kg.eval.predictors import EntityPredictor, EntitySpan
from kg.eval.runner import Tick, predict_each
from kg.eval.spans import Span, TokenIndex, join_tokens

NAME = "conll"
PROTOCOL = "newskg-eval/conll/1"
TAG_TYPES: dict[str, str] = {"PER": "Person", "ORG": "Organization"}
TYPES: tuple[str, ...] = ("Person", "Organization")

TokenEntity = tuple[int, int, str]
"""(first token, last token inclusive, newskg type), token indices over the whole document."""


@dataclass(frozen=True, slots=True)
class ConllDocument:
    index: int
    sentences: tuple[tuple[str, ...], ...]
    tags: tuple[tuple[str, ...], ...]

    @property
    def text_and_offsets(self) -> tuple[str, list[Span]]:
        return join_tokens(self.sentences)


def iob_chunks(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first, last, label)`` chunks of an IOB1 or IOB2 tag sequence.

    A chunk starts at ``B-X``, or at ``I-X`` after ``O`` or after another label (IOB1, and the
    lenient reading of broken IOB2), as the ``conlleval`` script reads them.
    """
    chunks: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label and start >= 0
        if start >= 0 and not continues:
            chunks.append((start, i - 1, label))
            start, label = -1, ""
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    return chunks


def parse_conll(lines: Iterable[str]) -> Iterator[ConllDocument]:
    """Documents of a CoNLL-2003 file: token first column, NER tag last column."""
    sentences: list[tuple[str, ...]] = []
    tags: list[tuple[str, ...]] = []
    tokens: list[str] = []
    labels: list[str] = []
    index = 0

    def close_sentence() -> None:
        if tokens:
            sentences.append(tuple(tokens))
            tags.append(tuple(labels))
            tokens.clear()
            labels.clear()

    for line in lines:
        fields = line.split()
        if not fields:
            close_sentence()
        elif fields[0] == "-DOCSTART-":
            close_sentence()
            if sentences:
                yield ConllDocument(index, tuple(sentences), tuple(tags))
                index += 1
            sentences, tags = [], []
        else:
            tokens.append(fields[0])
            labels.append(fields[-1])
    close_sentence()
    if sentences:
        yield ConllDocument(index, tuple(sentences), tuple(tags))


def read_conll(path: Path, limit: int | None = None) -> Iterator[ConllDocument]:
    """Documents of a CoNLL file (``path``), at most ``limit``."""
    with path.open(encoding="utf-8") as handle:
        for doc in parse_conll(handle):
            if limit is not None and doc.index >= limit:
                return
            yield doc


def gold_entities(doc: ConllDocument) -> set[TokenEntity]:
    """PER/ORG chunks with document-level token indices and newskg type names."""
    entities: set[TokenEntity] = set()
    offset = 0
    for tags in doc.tags:
        for first, last, label in iob_chunks(tags):
            if label in TAG_TYPES:
                entities.add((offset + first, offset + last, TAG_TYPES[label]))
        offset += len(tags)
    return entities


def to_token_entities(index: TokenIndex, predicted: Iterable[EntitySpan]) -> set[TokenEntity]:
    """Predicted mentions of the scored types as token entities; others are dropped."""
    entities: set[TokenEntity] = set()
    for entity in predicted:
        if entity.type in TYPES and (span := index.token_span(entity.start, entity.end)):
            entities.add((span[0], span[1], entity.type))
    return entities


def evaluate(
    docs: Iterable[ConllDocument],
    predictor: EntityPredictor,
    *,
    batch_size: int = 16,
    tick: Tick | None = None,
) -> dict[str, Any]:
    """Per-type and micro-averaged P/R/F1 of one system."""
    scores = {t: Score() for t in TYPES}
    n_docs = 0
    for doc, predicted in predict_each(
        docs, lambda d: d.text_and_offsets[0], predictor.predict_entities, predictor, batch_size=batch_size, tick=tick
    ):
        _, offsets = doc.text_and_offsets
        pred = to_token_entities(TokenIndex(offsets), predicted)
        gold = gold_entities(doc)
        for entity_type in TYPES:
            scores[entity_type] += exact_match(
                {e for e in gold if e[2] == entity_type}, {e for e in pred if e[2] == entity_type}
            )
        n_docs += 1
    section: dict[str, Any] = {t: scores[t].as_dict() for t in TYPES}
    section["micro"] = total(scores.values()).as_dict()
    section["counts"] = {"documents": n_docs}
    return section


def render(systems: dict[str, dict[str, Any]]) -> str:
    """Plain-text table of P/R/F1 (percent) per type and micro-average, one row per system."""
    lines = score_table(systems, (*TYPES, "micro"))
    return "\n".join(lines)
