"""``kg ingest``: extract articles and load them into Neo4j in one streaming pass."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.commands.load import _DATABASE, _PASSWORD, _URI, _USER, EXIT_PROBLEMS, _connect, _database_error, _fail, _print_summary


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders, read recursively.", show_default=False)],
    model: Annotated[str | None, typer.Option("--model", help="spaCy base pipeline.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", "-b", min=1, help="Articles per write transaction.")] = 200,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1, help="Worker processes for the NLP pipeline.")] = 1,
    uri: str | None = _URI,
    user: str | None = _USER,
    password: str | None = _PASSWORD,
    database: str | None = _DATABASE,
) -> None:
    """Extract and load in one pass: unchanged articles are skipped, changed ones replaced.

    Bad input files are reported and skipped; the exit code is 2 if any were, 1 if the database
    cannot be used.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from kg.articles import ArticleError, read_articles
    from kg.extract.pipeline import PipelineError, load_pipeline
    from kg.ingest import ingest
    from kg.neo4j.loader import GraphLoader, Problem

    try:
        nlp = load_pipeline(model)
    except PipelineError as exc:
        raise _fail("ingest", str(exc)) from None
    driver, settings = _connect("ingest", uri, user, password, database)
    failed = 0

    def articles():  # type: ignore[no-untyped-def]
        nonlocal failed
        for item in read_articles(paths):
            if isinstance(item, ArticleError):
                failed += 1
                typer.echo(f"kg ingest: {item}", err=True)
            else:
                yield item

    def report(problem: Problem) -> None:
        typer.echo(str(problem), err=True)

    try:
        loader = GraphLoader(driver, settings.database, batch_size, on_problem=report)
        summary = ingest(nlp, articles(), loader, n_process=processes)
    except (Neo4jError, DriverError) as exc:
        raise _database_error("load", exc) from None
    finally:
        driver.close()
    _print_summary(summary)
    if failed or summary.problem_count:
        typer.echo(f"kg ingest: {failed} input file(s) or line(s) failed, {summary.problem_count} record problem(s); everything else is stored", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
