"""Relation claims on the hand-checked AI-news 2025 gold (``bench/gold/ainews2025/gold.jsonl``).

Each gold line is an excerpt of a 2025 AI-news issue or summary, given as a ``source`` (relative to
the corpus folder ``shared/corpus/ainews``) and ``start``/``end`` offsets, with typed entity spans
and relations (``RELEASED`` with ``status``, ``DEVELOPS``, ``DERIVED_FROM``, ``AFFILIATED_WITH``
with an optional ``role``). newskg extracts each excerpt on its own (Markdown cleaned, as for its
JSON input) and is scored **by names, per excerpt**:

* a relation argument is reduced to :func:`kg.eval.ainews.name_key` of its text (lowercase, runs of
  letters and digits joined; organisation suffixes such as "AI", "Labs", "Inc" dropped), so that
  "Alibaba's" and "Alibaba", "GLM-4.5" and "GLM 4.5" are one name, but "Qwen3-VL" and
  "Qwen3-VL-Embedding" are not; gold and predicted pairs are sets of ``(head key, tail key)`` per
  excerpt, so a pair stated twice counts once;
* a predicted pair is right if the key of its argument as written **or** of the entity's
  canonical name equals the gold key (anaphora such as "the company" is judged by the entity it
  was resolved to);
* ``org→model``: RELEASED and DEVELOPS together (the gold and newskg disagree on whether a sentence
  reports a release or only who builds the model, which the status figure measures instead);
  ``RELEASED`` and ``DEVELOPS`` are also scored alone;
* ``status``: on gold RELEASED pairs that a predicted RELEASED pair matches, the share whose
  predicted status (released / announced / planned) equals the gold one; a pair predicted with
  several statuses counts as right only if one of them is the gold one and it is the only one;
* ``AFFILIATED_WITH`` (person → organisation) and ``DERIVED_FROM`` (model → base model) pairs
  the same way; roles are not scored.

``--split dev`` or ``--split test`` selects a part; tune on dev only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.eval.ainews import name_key
from kg.eval.ainews_gold import GoldError, SourceTexts, corpus_dir
from kg.eval.metrics import Score, score_cells, score_header, total
from kg.eval.predictors import Relation, RelationPredictor
from kg.eval.runner import Tick, predict_each

NAME = "ainews-relations"
PROTOCOL = "newskg-eval/ainews-relations/1"
COLUMNS: tuple[str, ...] = ("org→model", "RELEASED", "DEVELOPS", "AFFILIATED_WITH", "DERIVED_FROM")
_HEAD_TYPE = {"RELEASED": "Organization", "DEVELOPS": "Organization", "AFFILIATED_WITH": "Person", "DERIVED_FROM": "Model"}
_TAIL_TYPE = {"RELEASED": "Model", "DEVELOPS": "Model", "AFFILIATED_WITH": "Organization", "DERIVED_FROM": "Model"}


@dataclass(frozen=True, slots=True)
class GoldRelation:
    type: str
    head: str
    tail: str
    qualifier: str | None


@dataclass(frozen=True, slots=True)
class GoldExcerpt:
    id: str
    split: str
    text: str
    relations: tuple[GoldRelation, ...]


def key(name: str, relation_type: str, part: str) -> str:
    """The compared form of a relation argument (see the module docstring)."""
    entity_type = (_HEAD_TYPE if part == "head" else _TAIL_TYPE)[relation_type]
    return name_key(re.sub(r"['’]s?$", "", name.strip()), entity_type)


def parse_excerpt(data: dict[str, Any], texts: SourceTexts) -> GoldExcerpt:
    frame = texts[data["source"]]
    start, end = int(data["start"]), int(data["end"])
    relations = []
    for rel in data.get("relations", []):
        (hs, he), (ts, te) = rel["head"], rel["tail"]
        relations.append(GoldRelation(rel["type"], frame[hs:he], frame[ts:te], rel.get("status") or rel.get("role")))
    return GoldExcerpt(str(data["id"]), str(data.get("split", "")), frame[start:end], tuple(relations))


def read_gold(path: Path, limit: int | None = None, split: str | None = None) -> Iterator[GoldExcerpt]:
    """Excerpts of a gold file (optionally one split), with their text taken from the corpus."""
    texts = SourceTexts(corpus_dir(path))
    count = 0
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if split is not None and data.get("split") != split:
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            try:
                yield parse_excerpt(data, texts)
            except (KeyError, TypeError, ValueError) as exc:
                if isinstance(exc, GoldError):
                    raise
                raise GoldError(f"{path}:{number}: malformed gold excerpt ({exc!r})") from None


def _pred_keys(relation: Relation, text: str, relation_type: str) -> set[tuple[str, str]]:
    heads = {key(text[relation.subject[0] : relation.subject[1]], relation_type, "head")}
    tails = {key(text[relation.object[0] : relation.object[1]], relation_type, "tail")}
    if len(relation.names) == 2:
        heads.add(key(relation.names[0], relation_type, "head"))
        tails.add(key(relation.names[1], relation_type, "tail"))
    return {(h, t) for h in heads for t in tails if h and t}


def _match(gold: set[tuple[str, str]], predicted: list[set[tuple[str, str]]]) -> tuple[Score, set[tuple[str, str]]]:
    """Right predictions are counted once per gold pair they hit; wrong ones once per pair."""
    hits: set[tuple[str, str]] = set()
    wrong: set[tuple[str, str]] = set()
    for alternatives in predicted:
        hit = sorted(alternatives & gold)
        if hit:
            hits.add(hit[0])
        elif alternatives:
            wrong.add(min(alternatives))
    return Score(len(hits), len(hits) + len(wrong), len(hits), len(gold)), hits


def score_excerpt(excerpt: GoldExcerpt, predicted: Iterable[Relation]) -> dict[str, Any]:
    """Scores per column, status counts and the errors of one excerpt."""
    predicted = list(predicted)
    groups = {
        "org→model": ({"RELEASED", "DEVELOPS"}, {"RELEASED", "DEVELOPS"}),
        "RELEASED": ({"RELEASED"}, {"RELEASED"}),
        "DEVELOPS": ({"DEVELOPS"}, {"DEVELOPS"}),
        "AFFILIATED_WITH": ({"AFFILIATED_WITH"}, {"AFFILIATED_WITH"}),
        "DERIVED_FROM": ({"DERIVED_FROM"}, {"DERIVED_FROM"}),
    }
    scores: dict[str, Score] = {}
    errors: dict[str, list[list[str]]] = {"missed": [], "wrong": []}
    for column, (gold_types, pred_types) in groups.items():
        gold = {(key(r.head, r.type, "head"), key(r.tail, r.type, "tail")) for r in excerpt.relations if r.type in gold_types}
        preds = [_pred_keys(p, excerpt.text, next(iter(gold_types))) for p in predicted if p.type in pred_types]
        scores[column], hits = _match(gold, preds)
        if column == "org→model" or column in ("AFFILIATED_WITH", "DERIVED_FROM"):
            errors["missed"].extend([column, *pair] for pair in sorted(gold - hits))
            errors["wrong"].extend([column, *min(p)] for p in preds if p and not p & gold)
    # status on matched releases
    statuses: dict[tuple[str, str], set[str]] = {}
    for p in predicted:
        if p.type == "RELEASED":
            for pair in _pred_keys(p, excerpt.text, "RELEASED"):
                statuses.setdefault(pair, set()).add(p.qualifier or "")
    matched = right = 0
    for r in excerpt.relations:
        if r.type != "RELEASED":
            continue
        pair = (key(r.head, r.type, "head"), key(r.tail, r.type, "tail"))
        if pair in statuses:
            matched += 1
            right += statuses[pair] == {r.qualifier}
            if statuses[pair] != {r.qualifier}:
                errors["wrong"].append(["status", *pair, f"{r.qualifier}≠{'/'.join(sorted(statuses[pair]))}"])
    return {"scores": scores, "status": (right, matched), "errors": errors}


def evaluate(docs: Iterable[GoldExcerpt], predictor: RelationPredictor, *, batch_size: int = 16, tick: Tick | None = None) -> dict[str, Any]:
    per_column: dict[str, list[Score]] = {c: [] for c in COLUMNS}
    right = matched = 0
    errors: dict[str, list[list[str]]] = {}
    splits: dict[str, int] = {}
    for excerpt, predicted in predict_each(docs, lambda e: e.text, predictor.predict_relations, predictor, batch_size=batch_size, tick=tick):
        result = score_excerpt(excerpt, predicted)
        for column in COLUMNS:
            per_column[column].append(result["scores"][column])
        right += result["status"][0]
        matched += result["status"][1]
        splits[excerpt.split] = splits.get(excerpt.split, 0) + 1
        if result["errors"]["missed"] or result["errors"]["wrong"]:
            errors[excerpt.id] = [*(["missed", *m] for m in result["errors"]["missed"]), *(["wrong", *w] for w in result["errors"]["wrong"])]
    section: dict[str, Any] = {c: total(per_column[c]).as_dict() for c in COLUMNS}
    section["status"] = {"accuracy": round(right / matched, 4) if matched else 0.0, "right": right, "matched": matched}
    section["counts"] = {"excerpts": sum(splits.values()), "splits": splits}
    section["errors"] = errors
    return section


def render(systems: dict[str, dict[str, Any]]) -> str:
    lines = score_header(COLUMNS, f"{'system':<12}")
    for system, section in systems.items():
        lines.append(f"{system:<12}{score_cells(section, COLUMNS)}")
        status = section["status"]
        lines.append(f"{'':<12}status accuracy on matched releases: {100 * status['accuracy']:.1f} ({status['right']}/{status['matched']})")
    return "\n".join(lines)
