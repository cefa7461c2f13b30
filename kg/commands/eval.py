"""``kg eval SET PATH``: score newskg on a public benchmark split and write a JSON report."""

from __future__ import annotations

import json
import shlex
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer

_SET_HELP = """Score newskg on a public benchmark split, print a table and write a JSON report.

SET names the benchmark and PATH the split to score:

polnear: who said what (source, cue, content spans); PATH is a PolNeAR split folder with text/ and attributions/, e.g. ../shared/corpus/polnear/test

conll: Person and Organization NER; PATH is conllpp_test.txt or conllpp_dev.txt

ainews: Organization and Model names against silver labels; PATH is descriptions-2023-2025.jsonl

ainews-gold: Organization/Person/Model/Place mentions (exact match, with confusions against Product/Software/Benchmark/Hardware/Handle) on the hand-annotated AI-news 2025 excerpts; PATH is bench/gold/ainews2025/gold.jsonl; --split dev (default), test or all

crossre: AFFILIATED_WITH and DEVELOPS relations; PATH is news-test.json, ai-test.json, a -dev file, or a folder of them

ainews-relations: org→model (RELEASED/DEVELOPS), release status, AFFILIATED_WITH and DERIVED_FROM pairs on the hand-checked AI-news 2025 gold; PATH is bench/gold/ainews2025/gold.jsonl (or a supplement in its format), --split dev or test

Tune on dev splits, report on test. Protocols: docs/evaluation.md.
"""


class SetName(str, Enum):
    polnear = "polnear"
    conll = "conll"
    ainews = "ainews"
    ainews_gold = "ainews-gold"
    crossre = "crossre"
    ainews_relations = "ainews-relations"


def newskg_predictor(*, model: str | None, markdown: bool, said_refine: bool = True) -> object:
    """The system under test (tests replace this with a fake).

    ``said_refine=False``: SAID claims before the graph's precision filter (every attribution
    PolNeAR would annotate, sourceless and non-speech ones included), spans still in newskg's form.
    """
    from kg.eval.newskg import NewskgPredictor

    if said_refine:
        return NewskgPredictor(model=model, markdown=markdown)
    from kg.extract.pipeline import load_pipeline

    nlp = load_pipeline(model)
    nlp.get_pipe("newskg_claims").said_refine = False
    return NewskgPredictor(nlp, model=model, markdown=markdown)


def baseline_predictor(*, markdown: bool) -> object:
    """The bare spaCy model newskg builds on (tests replace this with a fake)."""
    from kg.eval.newskg import SpacyEntityPredictor

    return SpacyEntityPredictor(markdown=markdown)


def _command_line(set_name: str, path: Path, out: Path, baseline: bool, limit: int | None, model: str | None, split: str | None = None) -> str:
    args = ["kg", "eval", set_name, str(path), "--out", str(out)]
    if split:
        args += ["--split", split]
    if baseline:
        args.append("--baseline")
    if limit is not None:
        args += ["--limit", str(limit)]
    if model:
        args += ["--model", model]
    if split:
        args += ["--split", split]
    return shlex.join(args)


def _progress_bar(label: str, length: int) -> Any:
    """A progress bar over documents on stderr, so stdout carries only the table."""
    return typer.progressbar(length=length, label=f"{label:<8}", file=sys.stderr, show_pos=True)


def register(app: typer.Typer) -> None:
    @app.command("eval", help=_SET_HELP, no_args_is_help=True)
    def eval_command(
        set_name: SetName = typer.Argument(..., metavar="SET", help="polnear, conll, ainews, ainews-gold, ainews-relations or crossre.", show_default=False),
        path: Path = typer.Argument(..., metavar="PATH", help="The split to score: a folder or file, see above.", show_default=False),
        out: Path | None = typer.Option(None, "--out", help="JSON report path (default: reports/eval-SET.json)."),
        baseline: bool = typer.Option(False, "--baseline", help="Also score the bare spaCy model (conll, ainews)."),
        limit: int | None = typer.Option(None, "--limit", min=1, help="Score only the first N documents."),
        model: str | None = typer.Option(None, "--model", help="spaCy model for newskg's pipeline (default: newskg's own)."),
        split: str | None = typer.Option(None, "--split", help="ainews-gold (dev by default, test or all) and ainews-relations (dev or test; both by default): the part of the gold to score."),
    ) -> None:
        import dataclasses
        import functools

        from kg.eval import ainews_gold, relations_gold
        from kg.eval.sets import SETS, render, run

        if not path.exists():  # a missing input is a bad input (exit 1), as in every command
            typer.echo(f"kg eval: {path}: no such file or folder", err=True)
            raise typer.Exit(1)
        eval_set = SETS[set_name.value]
        if split is not None and eval_set.name not in ("ainews-gold", "ainews-relations"):
            raise typer.BadParameter(f"{eval_set.name} has no --split: PATH names the split", param_hint="--split")
        if eval_set.name == "ainews-gold":
            split = split or "dev"
            if split not in ainews_gold.SPLITS:
                raise typer.BadParameter(f"one of {', '.join(ainews_gold.SPLITS)}", param_hint="--split")
            eval_set = dataclasses.replace(eval_set, read=functools.partial(ainews_gold.read_gold, split=split))
        if eval_set.name == "ainews-relations":
            if split not in (None, "dev", "test"):
                raise typer.BadParameter(f"unknown split {split!r}: dev or test", param_hint="--split")
            eval_set = dataclasses.replace(eval_set, read=functools.partial(relations_gold.read_gold, split=split))
        if baseline and not eval_set.baseline:
            raise typer.BadParameter(f"no spaCy baseline for {eval_set.name}: it has no such task", param_hint="--baseline")
        out_path = out or Path("reports") / f"eval-{eval_set.name}{'-' + split if split else ''}.json"
        predictors: dict[str, object] = {"newskg": newskg_predictor(model=model, markdown=eval_set.markdown)}
        if eval_set.name == "polnear":  # also every attribution, before the graph's precision filter
            predictors["newskg-all"] = newskg_predictor(model=model, markdown=eval_set.markdown, said_refine=False)
        if baseline:
            predictors["spacy"] = baseline_predictor(markdown=eval_set.markdown)
        try:
            report = _run_set(run, eval_set, path, predictors, limit, out_path, baseline, model, split)
        except ainews_gold.GoldError as exc:  # both gold sets read through kg.eval.ainews_gold
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(render(eval_set, report))
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        typer.echo(f"\nreport: {out_path}")


def _run_set(run: Any, eval_set: Any, path: Path, predictors: dict[str, object], limit: int | None, out_path: Path, baseline: bool, model: str | None, split: str | None) -> Any:
    return run(
            eval_set,
            path,
            predictors,
            limit=limit,
            command=_command_line(eval_set.name, path, out_path, baseline, limit, model, split),
            progress=_progress_bar,
            extra={"model": model, **({"gold_split": split} if split else {})},
        )
