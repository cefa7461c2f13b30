"""AI-news gold: exact-match entity P/R/F1 on hand-annotated 2025 newsletter excerpts.

The gold (``bench/gold/ainews2025/gold.jsonl``, made by ``bench/gold/gold.py convert``) holds, per
excerpt, its ``source`` file in the AI-news corpus, its ``start``/``end`` character offsets, its
``split`` (dev or test) and its entities as ``[start, end, TYPE]`` offsets into the same source
(types ORG, PERSON, MODEL, PLACE and the confusable PRODUCT, SOFTWARE, BENCHMARK, HARDWARE, HANDLE);
no article text. The excerpt text is read from the corpus folder: ``$NEWSKG_AINEWS_DIR``, else the
first ``shared/corpus/ainews`` found above the gold file or above this checkout.

Each excerpt's text goes to the system as it is (no Markdown cleaning: the offsets are into the raw
text). Scoring, per type, on the set of ``(start, end, type)`` per excerpt:

* exact match: a prediction is right if a gold entity has the same boundaries and type;
* ``confusion``: predictions of Organization/Person/Model/Place whose exact span is gold under
  another type (``pred -> gold``: "Model -> PRODUCT" is a product taken for a model), the errors the
  confusable types exist to prevent; ``boundary`` counts predictions that overlap a gold entity of
  the same type without matching it ("Gemini 3 Deep" for "Gemini 3 Deep Think").

Tune on ``dev``; report ``test`` once.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.eval.metrics import Score, score_table, total
from kg.eval.predictors import EntityPredictor
from kg.eval.runner import Tick, predict_each

NAME = "ainews-gold"
PROTOCOL = "newskg-eval/ainews-gold/1"
TYPE_OF: dict[str, str] = {"Organization": "ORG", "Person": "PERSON", "Model": "MODEL", "Place": "PLACE"}
CORE = ("ORG", "PERSON", "MODEL")
TYPES = (*CORE, "PLACE")
CONFUSABLE = ("PRODUCT", "SOFTWARE", "BENCHMARK", "HARDWARE", "HANDLE")
SPLITS = ("dev", "test", "all")
CORPUS_ENV = "NEWSKG_AINEWS_DIR"
TOP_ERRORS = 25


class GoldError(ValueError):
    """The gold file or the corpus it points into is unusable."""


@dataclass(frozen=True, slots=True)
class GoldExcerpt:
    id: str
    split: str
    source: str
    text: str
    entities: tuple[tuple[int, int, str], ...]  # offsets into ``text``


def corpus_dir(gold_path: Path) -> Path:
    """Where the excerpts' sources are (see the module docstring)."""
    if os.environ.get(CORPUS_ENV):
        return Path(os.environ[CORPUS_ENV])
    here = Path(__file__).resolve()
    for base in (*gold_path.resolve().parents, *here.parents):
        candidate = base / "shared" / "corpus" / "ainews"
        if candidate.is_dir():
            return candidate
    raise GoldError(f"AI-news corpus not found for {gold_path}: set {CORPUS_ENV} to the ainews folder")


class SourceTexts:
    """Source texts by ``source`` name: an issue body after its front matter, or a summary's text."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, str] = {}

    def __getitem__(self, source: str) -> str:
        if source not in self._cache:
            self._cache[source] = self._load(source)
        return self._cache[source]

    def _load(self, source: str) -> str:
        if "#" in source:
            name, sid = source.split("#", 1)
            path = self.root / name
            if not path.is_file():
                raise GoldError(f"{path}: no such corpus file")
            for line in path.open(encoding="utf-8"):
                obj = json.loads(line)
                if obj.get("id") == sid:
                    return str(obj["text"])
            raise GoldError(f"{path}: no summary with id {sid!r}")
        path = self.root / source
        if not path.is_file():
            raise GoldError(f"{path}: no such corpus file")
        text = path.read_text(encoding="utf-8")
        match = re.match(r"---\n.*?\n---\n", text, flags=re.S)
        return text[match.end() :] if match else text


def parse_gold(lines: Iterable[str], texts: SourceTexts, split: str = "dev", origin: str = "gold") -> Iterator[GoldExcerpt]:
    if split not in SPLITS:
        raise GoldError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            start, end = int(row["start"]), int(row["end"])
            if split != "all" and row["split"] != split:
                continue
            text = texts[row["source"]][start:end]
            entities = tuple((int(s) - start, int(e) - start, str(t)) for s, e, t in row["entities"])
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, GoldError):
                raise
            raise GoldError(f"{origin}:{number}: not a gold excerpt ({exc})") from None
        if any(not (0 <= s < e <= len(text)) for s, e, _ in entities):
            raise GoldError(f"{origin}:{number}: entity offsets outside excerpt {row['id']}")
        yield GoldExcerpt(str(row["id"]), str(row["split"]), str(row["source"]), text, entities)


def read_gold(path: Path, limit: int | None = None, split: str = "dev") -> Iterator[GoldExcerpt]:
    """Excerpts of one split of a ``gold.jsonl`` file, with their text from the corpus."""
    if path.is_dir():
        path = path / "gold.jsonl"
    if not path.is_file():
        raise GoldError(f"{path}: no gold file")
    texts = SourceTexts(corpus_dir(path))
    with path.open(encoding="utf-8") as handle:
        for i, excerpt in enumerate(parse_gold(handle, texts, split, str(path))):
            if limit is not None and i >= limit:
                return
            yield excerpt


def score_excerpt(excerpt: GoldExcerpt, predicted: Iterable[tuple[int, int, str]]) -> dict[str, Any]:
    """Per-type counts, confusions and errors (with their surface text) for one excerpt."""
    gold = set(excerpt.entities)
    gold_type = {(s, e): t for s, e, t in gold}
    pred = {(s, e, TYPE_OF.get(t, t)) for s, e, t in predicted}
    scores = {}
    for kind in TYPES:
        g = {x for x in gold if x[2] == kind}
        p = {x for x in pred if x[2] == kind}
        scores[kind] = Score(len(g & p), len(p), len(g & p), len(g))
    confusion: Counter[str] = Counter()
    boundary: Counter[str] = Counter()
    false_hits: list[str] = []
    for s, e, t in pred - gold:
        other = gold_type.get((s, e))
        if other is not None:
            confusion[f"{t} -> {other}"] += 1
        elif any(gs < e and s < ge and gt == t for gs, ge, gt in gold):
            boundary[t] += 1
        false_hits.append(f"{t}: {excerpt.text[s:e]}" + (f" (gold {other})" if other else ""))
    misses = [f"{t}: {excerpt.text[s:e]}" for s, e, t in gold - pred if t in TYPES]
    return {"scores": scores, "confusion": confusion, "boundary": boundary, "false_hits": false_hits, "misses": misses}


def evaluate(docs: Iterable[GoldExcerpt], predictor: EntityPredictor, *, batch_size: int = 16, tick: Tick | None = None) -> dict[str, Any]:
    """Exact-match P/R/F1 per type, the micro average over ORG/PERSON/MODEL, confusions and errors."""
    totals = {kind: Score() for kind in TYPES}
    confusion: Counter[str] = Counter()
    boundary: Counter[str] = Counter()
    false_hits: Counter[str] = Counter()
    misses: Counter[str] = Counter()
    gold_counts: Counter[str] = Counter()
    n_docs = 0
    for excerpt, predicted in predict_each(docs, lambda d: d.text, predictor.predict_entities, predictor, batch_size=batch_size, tick=tick):
        result = score_excerpt(excerpt, [(p.start, p.end, p.type) for p in predicted])
        for kind, score in result["scores"].items():
            totals[kind] += score
        confusion.update(result["confusion"])
        boundary.update(result["boundary"])
        false_hits.update(result["false_hits"])
        misses.update(result["misses"])
        gold_counts.update(t for _, _, t in excerpt.entities)
        n_docs += 1
    section: dict[str, Any] = {kind: totals[kind].as_dict() for kind in TYPES}
    section["micro"] = total(totals[k] for k in CORE).as_dict()
    section["confusion"] = dict(confusion.most_common())
    section["confused_with_confusable"] = sum(n for k, n in confusion.items() if k.split(" -> ")[1] in CONFUSABLE)
    section["boundary"] = dict(boundary)
    section["top_false_hits"] = false_hits.most_common(TOP_ERRORS)
    section["top_misses"] = misses.most_common(TOP_ERRORS)
    section["counts"] = {"documents": n_docs, "gold": dict(sorted(gold_counts.items()))}
    return section


def render(systems: dict[str, dict[str, Any]]) -> str:
    lines = score_table(systems, (*TYPES, "micro"))
    for system, section in systems.items():
        confusion = ", ".join(f"{k} ({n})" for k, n in section["confusion"].items()) or "-"
        lines.append(f"\n{system} type confusions (predicted -> gold): {confusion}")
        lines.append(f"{system} boundary errors: {', '.join(f'{k} ({n})' for k, n in section['boundary'].items()) or '-'}")
        lines.append(f"{system} commonest false hits: {', '.join(f'{k} ({n})' for k, n in section['top_false_hits'][:15]) or '-'}")
        lines.append(f"{system} commonest misses: {', '.join(f'{k} ({n})' for k, n in section['top_misses'][:15]) or '-'}")
    return "\n".join(lines)
