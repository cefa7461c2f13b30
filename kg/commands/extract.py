"""``kg extract``: read articles, extract entities and claims, write a graph document."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

EXIT_SOME_FAILED = 1


def register(app: typer.Typer) -> None:
    app.command("extract")(extract)


def default_processes() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (.txt .md .html .json .jsonl), read recursively.", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="Graph document to write (JSON Lines); '-' for stdout.")] = "graph.jsonl",
    output_format: Annotated[str, typer.Option("--format", help="'jsonl' writes the graph document; 'table' also prints a summary table to stdout.")] = "jsonl",
    model: Annotated[str | None, typer.Option("--model", help="spaCy base pipeline (default: pipelines/newskg.cfg or $NEWSKG_SPACY_MODEL).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per nlp.pipe batch.")] = 32,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1, help="Worker processes for the NLP pipeline (default: 1; try the number of cores for big corpora).")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Extract Organizations, People, Models, Places and RELEASED / DEVELOPS / SAID / AFFILIATED_WITH claims.

    Writes one JSON object a line (docs/graph-document.md); problems with single files or lines are
    reported on stderr, the rest is still extracted, and the exit code is 1 if anything failed.
    """
    from kg.articles import ArticleError, read_articles
    from kg.extract.extractor import extract_articles
    from kg.extract.output import ExtractionSummary, GraphDocumentWriter
    from kg.extract.pipeline import PipelineError, load_pipeline

    if output_format not in ("jsonl", "table"):
        typer.echo(f"kg extract: unknown --format {output_format!r} (use jsonl or table)", err=True)
        raise typer.Exit(2)
    try:
        nlp = load_pipeline(model)
    except PipelineError as exc:
        typer.echo(f"kg extract: {exc}", err=True)
        raise typer.Exit(1) from None
    summary = ExtractionSummary()
    show_progress = not quiet and sys.stderr.isatty()

    def good_articles():  # type: ignore[no-untyped-def]
        for item in read_articles(paths):
            if isinstance(item, ArticleError):
                summary.failed += 1
                typer.echo(f"kg extract: {item}", err=True)
                continue
            yield item

    out = sys.stdout if output == "-" else None
    try:
        handle = out or open(output, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        typer.echo(f"kg extract: cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(1) from None
    try:
        writer = GraphDocumentWriter(handle, model=f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}")
        results = extract_articles(nlp, good_articles(), batch_size=batch_size, n_process=processes)
        if show_progress:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} articles"), TimeElapsedColumn(), transient=True) as progress:
                task = progress.add_task("extracting", total=None)
                for result in results:
                    writer.write(result)
                    summary.add(result)
                    progress.advance(task)
        else:
            for result in results:
                writer.write(result)
                summary.add(result)
    finally:
        if out is None:
            handle.close()
    if not quiet:
        typer.echo(summary.render(), err=output_format != "table")
    if summary.failed:
        raise typer.Exit(EXIT_SOME_FAILED)
