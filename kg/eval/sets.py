"""The benchmark sets ``kg eval`` knows, and the function that runs one into a report.

Each set module provides ``read(path, limit)``, ``evaluate(docs, predictor, tick=...)`` and
``render(systems)``; this registry ties them to a name and a protocol version, and
:func:`run` produces the JSON-ready report the CLI prints and writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import kg
from kg.eval import ainews, ainews_gold, conll, crossre, polnear, relations_gold
from kg.eval.runner import Tick

REPORT_FORMAT = "newskg-eval-report/1"


@dataclass(frozen=True, slots=True)
class EvalSet:
    name: str
    protocol: str
    summary: str
    read: Callable[[Path, int | None], Iterator[Any]]
    evaluate: Callable[..., dict[str, Any]]
    render: Callable[[dict[str, dict[str, Any]]], str]
    baseline: bool
    """Whether ``--baseline`` (the bare spaCy model) can answer this task."""
    markdown: bool
    """Whether texts are Markdown, cleaned by kg.articles before extraction."""


SETS: dict[str, EvalSet] = {
    "polnear": EvalSet(
        "polnear", polnear.PROTOCOL,
        "who said what: source/cue/content spans on PolNeAR (split folder with text/ and attributions/)",
        polnear.read_polnear, polnear.evaluate, polnear.render, baseline=False, markdown=False,
    ),
    "conll": EvalSet(
        "conll", conll.PROTOCOL,
        "Person/Organization NER on CoNLL++ or CoNLL-2003 (a conllpp_*.txt file)",
        conll.read_conll, conll.evaluate, conll.render, baseline=True, markdown=False,
    ),
    "ainews": EvalSet(
        "ainews", ainews.PROTOCOL,
        "Organization/Model names per AI-news summary against silver labels (descriptions-*.jsonl)",
        ainews.read_ainews, ainews.evaluate, ainews.render, baseline=True, markdown=True,
    ),
    "ainews-gold": EvalSet(
        "ainews-gold", ainews_gold.PROTOCOL,
        "ORG/PERSON/MODEL/PLACE mentions, exact match, on hand-annotated AI-news 2025 excerpts (gold.jsonl; --split dev|test|all)",
        ainews_gold.read_gold, ainews_gold.evaluate, ainews_gold.render, baseline=True, markdown=False,
    ),
    "crossre": EvalSet(
        "crossre", crossre.PROTOCOL,
        "AFFILIATED_WITH/DEVELOPS relations on CrossRE (a *-test.json or *-dev.json file, or a folder)",
        crossre.read_crossre, crossre.evaluate, crossre.render, baseline=False, markdown=False,
    ),
    "ainews-relations": EvalSet(
        "ainews-relations", relations_gold.PROTOCOL,
        "RELEASED/DEVELOPS/AFFILIATED_WITH/DERIVED_FROM pairs by name on the hand-checked AI-news 2025 gold (gold.jsonl; --split dev|test)",
        relations_gold.read_gold, relations_gold.evaluate, relations_gold.render, baseline=False, markdown=True,
    ),
}

ProgressFactory = Callable[[str, int], Any]
"""``(label, total) -> context manager`` whose value has ``update(n)``, e.g. ``typer.progressbar``."""


def run(
    eval_set: EvalSet,
    path: Path,
    predictors: dict[str, object],
    *,
    limit: int | None = None,
    command: str = "",
    progress: ProgressFactory | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Read the split once, score each named predictor on it, and return the report."""
    docs = list(eval_set.read(path, limit))
    systems: dict[str, dict[str, Any]] = {}
    elapsed: dict[str, float] = {}
    for name, predictor in predictors.items():
        started = time.perf_counter()
        if progress is None:
            systems[name] = eval_set.evaluate(docs, predictor)
        else:
            with progress(name, len(docs)) as bar:
                tick: Tick = lambda: bar.update(1)  # noqa: E731
                systems[name] = eval_set.evaluate(docs, predictor, tick=tick)
        elapsed[name] = round(time.perf_counter() - started, 2)
    report: dict[str, Any] = {
        "format": REPORT_FORMAT,
        "set": eval_set.name,
        "protocol": eval_set.protocol,
        "path": str(path),
        "split": path.stem if path.is_file() else path.name,
        "limit": limit,
        "documents": len(docs),
        "command": command,
        "newskg_version": kg.__version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "elapsed_seconds": elapsed,
        "systems": systems,
    }
    if eval_set.name == "polnear":
        report["published_exact_f1"] = {"source": "CofeNet, COLING 2022, Table 6 (test)", "figures": polnear.PUBLISHED_EXACT_F1}
    if extra:
        report.update(extra)
    return report


def render(eval_set: EvalSet, report: dict[str, Any]) -> str:
    """The human-readable table for a report."""
    title = f"{eval_set.name} · {report['split']} · {report['documents']} documents · protocol {eval_set.protocol}"
    return f"{title}\n\n{eval_set.render(report['systems'])}"
