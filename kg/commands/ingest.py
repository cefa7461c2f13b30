"""``kg ingest``: extract articles and load them into Neo4j in one streaming pass."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.commands.load import _DATABASE, _PASSWORD, _URI, _USER, EXIT_PROBLEMS, EXIT_UNAVAILABLE, _connect, _database_error, _fail, _print_summary


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders, read recursively.", show_default=False)],
    model: Annotated[str | None, typer.Option("--model", help="spaCy base pipeline.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", "-b", min=1, help="Articles per write transaction.")] = 200,
    nlp_batch_size: Annotated[int, typer.Option("--nlp-batch-size", min=1, help="Articles per nlp.pipe batch in a worker (memory grows with it, speed does not).")] = 8,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="Articles per chunk sent to a worker.")] = 32,
    processes: Annotated[int | None, typer.Option("--processes", "-p", min=1, help="Local worker processes for extraction (default: the machine's cores; 1 = in this process).", show_default=False)] = None,
    executor: Annotated[str, typer.Option("--executor", help="Where extraction runs: local, dask://HOST:PORT (a Dask scheduler) or dask-local[:N] (a local Dask cluster of N workers).")] = "local",
    skip_unchanged: Annotated[bool, typer.Option("--skip-unchanged/--no-skip-unchanged", help="Look up content hashes first and do not extract articles stored unchanged.")] = True,
    uri: str | None = _URI,
    user: str | None = _USER,
    password: str | None = _PASSWORD,
    database: str | None = _DATABASE,
) -> None:
    """Extract and load in one pass: unchanged articles are skipped before extraction, changed ones replaced.

    Articles stream through bounded buffers (memory stays flat whatever the corpus size);
    extraction runs in worker processes (or on a Dask cluster) while a loader thread writes to
    Neo4j. Bad input files are reported and skipped; the exit code is 2 if any were, 1 if the
    database or the executor cannot be used or extraction fails.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from kg.articles import ArticleError, read_articles
    from kg.distributed import ExecutorError, PipelineSpec, default_processes, make_executor
    from kg.extract.pipeline import PipelineError, load_pipeline
    from kg.ingest import IngestStats, ingest
    from kg.neo4j.loader import GraphLoader, Problem

    n = processes or default_processes()
    spec = PipelineSpec(model=model, batch_size=nlp_batch_size)
    nlp = None
    if executor == "local" and n == 1:
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

    def extracted(result) -> None:  # type: ignore[no-untyped-def]
        nonlocal failed
        if result.error is not None:  # reported and skipped; the run goes on
            failed += 1
            typer.echo(f"kg ingest: {result.article.path or result.article.id}: {result.error}", err=True)

    def report(problem: Problem) -> None:
        typer.echo(str(problem), err=True)

    stats = IngestStats()
    try:
        try:
            runner = make_executor(executor, processes=n, spec=spec, nlp=nlp)
        except ExecutorError as exc:
            raise _fail("ingest", str(exc)) from None
        with runner:
            loader = GraphLoader(driver, settings.database, batch_size, on_problem=report)
            summary = ingest(nlp, articles(), loader, executor=runner, batch_size=chunk_size, skip_unchanged_articles=skip_unchanged, stats=stats, on_article=extracted)
    except (Neo4jError, DriverError) as exc:
        raise _database_error("load", exc) from None
    except PipelineError as exc:
        raise _fail("ingest", str(exc)) from None
    except Exception as exc:  # a worker's failure, surfaced as one line (committed articles are kept)
        if isinstance(exc, typer.Exit):
            raise
        raise _fail("ingest", f"extraction failed ({type(exc).__name__}: {exc}); committed articles are kept, run the same command again to finish", EXIT_UNAVAILABLE) from None
    finally:
        driver.close()
    _print_summary(summary)
    typer.echo(f"pipeline: {stats.describe()}")
    if failed or summary.problem_count:
        typer.echo(f"kg ingest: {failed} input file(s) or line(s) failed, {summary.problem_count} record problem(s); everything else is stored", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
