"""``kg ingest``: extract articles and load them into Neo4j in one streaming pass."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.commands.extract import EncodingFallbackOption, prepare
from kg.commands.load import _DATABASE, _PASSWORD, _URI, _USER, EXIT_PROBLEMS, EXIT_UNAVAILABLE, _connect, _database_error, _fail, _print_summary


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)


def ingest_command(
    paths: Annotated[list[str] | None, typer.Argument(help="Article files or folders (read recursively), article URLs or RSS/Atom feed URLs.", show_default=False)] = None,
    url_files: Annotated[list[Path] | None, typer.Option("--urls", help="A file of article or feed URLs, one a line (# comments). Repeatable.")] = None,
    state: Annotated[Path | None, typer.Option("--state", help="Conditional-request state for URLs (default: $NEWSKG_HOME/sources/state.json).")] = None,
    refetch: Annotated[bool, typer.Option("--refetch", help="Fetch every URL in full, ignoring (and then replacing) the saved state.")] = False,
    model: Annotated[str | None, typer.Option("--model", help="spaCy base pipeline.")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", "-b", min=1, help="Articles per write transaction.")] = 200,
    nlp_batch_size: Annotated[int, typer.Option("--nlp-batch-size", min=1, help="Articles per nlp.pipe batch in a worker (memory grows with it, speed does not).")] = 8,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="Articles per chunk sent to a worker.")] = 32,
    processes: Annotated[int | None, typer.Option("--processes", "-p", min=1, help="Local worker processes for extraction (default: the machine's cores; 1 = in this process).", show_default=False)] = None,
    executor: Annotated[str, typer.Option("--executor", help="Where extraction runs: local, dask://HOST:PORT (a Dask scheduler) or dask-local[:N] (a local Dask cluster of N workers).")] = "local",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress (a bar with rate and ETA on a terminal, else a line every 500 articles or 30 s).")] = False,
    skip_unchanged: Annotated[bool, typer.Option("--skip-unchanged/--no-skip-unchanged", help="Look up content hashes first and do not extract articles stored unchanged.")] = True,
    fallback_encoding: EncodingFallbackOption = None,
    uri: str | None = _URI,
    user: str | None = _USER,
    password: str | None = _PASSWORD,
    database: str | None = _DATABASE,
) -> None:
    """Extract and load in one pass: unchanged articles are skipped before extraction, changed ones replaced.

    Articles stream through bounded buffers (memory stays flat whatever the corpus size);
    extraction runs in worker processes (or on a Dask cluster) while a loader thread writes to
    Neo4j. Bad input files are named on stderr and skipped, the rest is stored. Exit code: 0 all
    read and stored; 1 bad inputs (named), the database or the executor unusable, or extraction
    failed; 2 usage errors only.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from kg.inputs import ArticleInputs, close_web, open_web
    from kg.progress import Progress, count_article_files
    from kg.distributed import ExecutorError, PipelineSpec, default_processes, make_executor
    from kg.extract.pipeline import PipelineError, load_pipeline
    from kg.ingest import IngestStats, ingest
    from kg.neo4j.loader import GraphLoader, Problem

    fallback, prepared = prepare("ingest", paths, url_files, state, refetch, fallback_encoding)
    paths = prepared.paths
    if prepared.empty:
        raise _fail("ingest", "nothing to read")
    n = processes or default_processes()
    spec = PipelineSpec(model=model, batch_size=nlp_batch_size)
    nlp = None
    if executor == "local" and n == 1:
        try:
            nlp = load_pipeline(model)
        except PipelineError as exc:
            raise _fail("ingest", str(exc)) from None
    driver, settings = _connect("ingest", uri, user, password, database)
    if not open_web(prepared, lambda message: typer.echo(f"kg ingest: {message}", err=True)):
        driver.close()
        raise typer.Exit(EXIT_PROBLEMS)
    inputs = ArticleInputs(paths, on_error=lambda message: typer.echo(f"kg ingest: {message}", err=True), web=prepared.web, fallback=fallback)
    finished = False

    extraction_failed = 0

    def report(problem: Problem) -> None:
        typer.echo(str(problem), err=True)

    stats = IngestStats()
    try:
        try:
            runner = make_executor(executor, processes=n, spec=spec, nlp=nlp)
        except ExecutorError as exc:
            raise _fail("ingest", str(exc)) from None
        with runner, Progress("kg ingest", (count_article_files(paths) if not prepared.web else None) if not quiet else None, quiet=quiet) as progress:
            loader = GraphLoader(driver, settings.database, batch_size, on_problem=report)

            def advance(result: object = None) -> None:  # inputs done: stored or skipped, bad or repeated
                nonlocal extraction_failed
                error = getattr(result, "error", None)
                if error is not None:  # an article extraction gave up on: reported and skipped; the run goes on
                    extraction_failed += 1
                    article = result.article  # type: ignore[attr-defined]
                    typer.echo(f"kg ingest: {article.path or article.id}: {error}", err=True)
                progress.update(stats.extracted + stats.skipped_unchanged + inputs.failed + inputs.repeated)

            summary = ingest(nlp, inputs, loader, executor=runner, batch_size=chunk_size, skip_unchanged_articles=skip_unchanged, stats=stats, on_article=advance)
            advance()
        finished = True
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
        close_web(prepared, save=finished, echo=typer.echo)
    summary.duplicate_inputs += inputs.repeated
    _print_summary(summary)
    typer.echo(f"pipeline: {stats.describe()}")
    failed = inputs.failed + prepared.bad + extraction_failed
    if failed or summary.problem_count:
        typer.echo(f"kg ingest: {failed} input file(s) or line(s) failed, {summary.problem_count} record problem(s); everything else is stored", err=True)
        raise typer.Exit(EXIT_PROBLEMS)
