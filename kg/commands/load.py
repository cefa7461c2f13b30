"""``kg schema``, ``kg load`` and ``kg forget``: put graph documents into Neo4j and take articles out.

Exit codes (the same for every ``kg`` command, see the README): 0 everything was read and stored;
1 a problem with the input or the database: bad lines or records (each named on stderr, the rest is
stored), an unreadable file, the database unavailable or the load stopped; 2 a usage error only
(unknown option, bad option value).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neo4j import Driver
    from rich.console import Console

    from kg.neo4j.connection import Neo4jSettings
    from kg.neo4j.loader import LoadSummary

EXIT_UNAVAILABLE = 1
#: Bad inputs (named on stderr) with everything else stored: the same code as a failure, so a
#: scheduler notices, but distinct from usage errors (2).
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

_URI = typer.Option(None, "--uri", help="Bolt URI (default: NEO4J_URI, else the `kg neo4j start` server).")
_USER = typer.Option(None, "--user", help="User (default: NEO4J_USER / NEO4J_USERNAME).")
_PASSWORD = typer.Option(None, "--password", help="Password (default: NEO4J_PASSWORD; prefer the variable).")
_DATABASE = typer.Option(None, "--database", "-d", help="Database (default: NEO4J_DATABASE, else neo4j).")


def _fail(command: str, message: str, code: int = EXIT_UNAVAILABLE) -> typer.Exit:
    typer.echo(f"kg {command}: {message}", err=True)
    return typer.Exit(code)


def _connect(command: str, uri: str | None, user: str | None, password: str | None, database: str | None) -> tuple[Driver, Neo4jSettings]:
    """Open a verified driver, or exit 1 with one line saying why."""
    from kg.neo4j.connection import Neo4jUnavailable, open_driver, resolve_settings

    try:
        settings = resolve_settings(uri, user, password, database)
        return open_driver(settings), settings
    except Neo4jUnavailable as exc:
        raise _fail(command, str(exc)) from None


def _database_error(command: str, exc: Exception) -> typer.Exit:
    """One line for a driver error that happened after connecting (server gone, query refused)."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    hint = "; committed batches are kept, run the same command again to finish" if command == "load" else ""
    if "no such fulltext schema index" in message:
        hint = "; this database lacks newskg's indexes (e.g. made by neo4j-admin import): run `kg schema` once"
    return _fail(command, f"stopped by a database error ({type(exc).__name__}: {message}){hint}")


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _lines_with_progress(stream: IO[bytes], advance: Callable[[int], object]) -> Iterator[bytes]:
    """Pass lines through while advancing a byte-based progress bar."""
    for line in stream:
        advance(len(line))
        yield line


def _print_summary(summary: LoadSummary, *, forget: bool = False) -> None:
    s = summary
    if forget:
        typer.echo(f"articles: {s.articles_forgotten} forgotten, {s.articles_not_found} not found")
    else:
        typer.echo(
            f"articles: {s.articles_created} created, {s.articles_updated} updated, "
            f"{s.articles_unchanged} unchanged"
        )
        typer.echo(
            f"duplicates: {s.duplicate_inputs} repeated input(s) of an article already read (skipped), "
            f"{s.duplicates_linked} DUPLICATE_OF link(s) made (same body, other title, outlet or URL)"
        )
    typer.echo(f"entities: {s.entities_created} created, {s.entities_removed} removed")
    typer.echo(f"claims:   {s.claims_created} created, {s.claims_removed} removed")
    typer.echo(f"reports:  {s.evidence_created} written, {s.evidence_removed} removed")
    if not forget:
        rate = s.facts / s.seconds if s.seconds > 0 else 0.0
        typer.echo(
            f"lines:    {s.records} records ({s.facts} entity/mention/claim), {s.malformed} malformed, "
            f"{s.skipped} skipped, {s.warnings} warnings; {s.batches} batches in {s.seconds:.1f}s ({rate:,.0f} facts/s)"
        )


def register(app: typer.Typer) -> None:
    """Add the ``schema``, ``load`` and ``forget`` commands to the ``kg`` app."""

    @app.command("schema")
    def schema_command(
        uri: str | None = _URI,
        user: str | None = _USER,
        password: str | None = _PASSWORD,
        database: str | None = _DATABASE,
    ) -> None:
        """Create the graph's constraints and indexes (safe to repeat; `kg load` does it too)."""
        from neo4j.exceptions import Neo4jError

        from kg.neo4j.schema import describe_schema, ensure_schema

        driver, settings = _connect("schema", uri, user, password, database)
        try:
            report = ensure_schema(driver, settings.database)
            for row in describe_schema(driver, settings.database):
                mark = "created" if row["name"] in report.created else "ok"
                on = ",".join(row.get("labelsOrTypes") or []) + "(" + ",".join(row.get("properties") or []) + ")"
                kind = f"{row['type'].lower()} index" + (" (constraint)" if row.get("owningConstraint") else "")
                typer.echo(f"{mark:8} {row['name']:24} {kind:28} {on} {row['state'].lower()}")
            typer.echo(f"{len(report.created)} created, {len(report.existing)} already present")
        except Neo4jError as exc:
            raise _database_error("schema", exc) from None
        finally:
            driver.close()

    @app.command("load")
    def load_command(
        documents: list[str] = typer.Argument(..., metavar="GRAPH.jsonl...", help="Graph documents (`kg extract` output); - reads stdin."),
        batch_size: int = typer.Option(200, "--batch-size", "-b", min=1, help="Articles per write transaction."),
        max_rows: int = typer.Option(20_000, "--max-rows", min=1, help="Also close a batch at this many mention+claim records."),
        progress: bool | None = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: when stderr is a terminal; otherwise a line every 500 articles or 30 s)."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress at all."),
        uri: str | None = _URI,
        user: str | None = _USER,
        password: str | None = _PASSWORD,
        database: str | None = _DATABASE,
    ) -> None:
        """Load graph documents into Neo4j: idempotent, resumable, unchanged articles skipped.

        Each batch of articles is one transaction that also records every article's content hash,
        so after an interruption the same command finishes the job without loss or duplicates.
        """
        from neo4j.exceptions import DriverError, Neo4jError

        from kg.neo4j.loader import GraphLoader, LoadSummary, Problem

        missing = [d for d in documents if d != "-" and not Path(d).is_file()]
        if missing:
            raise _fail("load", f"cannot read {', '.join(missing)}: no such file")
        if documents.count("-") > 1:
            raise _fail("load", "stdin (-) can be given only once")

        console = _stderr_console()
        show_progress = (console.is_terminal if progress is None else progress) and not quiet
        from kg.progress import Progress

        log_progress = Progress("kg load", None, quiet=quiet or show_progress or progress is False, terminal=False)
        driver, settings = _connect("load", uri, user, password, database)

        def report(problem: Problem) -> None:
            console.print(str(problem), markup=False, soft_wrap=True)

        total = LoadSummary()
        try:
            with ExitStack() as stack:
                bar = None
                if show_progress:
                    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

                    bar = stack.enter_context(
                        Progress(
                            TextColumn("{task.description}"),
                            BarColumn(),
                            DownloadColumn(),
                            TextColumn("{task.fields[articles]} articles"),
                            TimeRemainingColumn(),
                            console=console,
                            transient=True,
                        )
                    )
                loader = GraphLoader(driver, settings.database, batch_size, max_rows=max_rows, on_problem=report)
                stack.enter_context(log_progress)
                for document in documents:
                    name = "<stdin>" if document == "-" else document
                    stream: IO[bytes] = sys.stdin.buffer if document == "-" else stack.enter_context(open(document, "rb"))
                    lines: Iterator[bytes] | IO[bytes] = stream
                    if bar is not None:
                        size = None if document == "-" else Path(document).stat().st_size
                        task = bar.add_task(Path(name).name, total=size, articles=0)
                        done = total.articles_seen

                        def on_batch(s: LoadSummary, task: int = task, done: int = done) -> None:
                            bar.update(task, articles=done + s.articles_seen)

                        loader.on_batch = on_batch
                        lines = _lines_with_progress(stream, lambda n, task=task: bar.advance(task, n))
                    else:
                        done = total.articles_seen
                        loader.on_batch = lambda s, done=done: log_progress.update(done + s.articles_seen)
                    total.merge(loader.load_lines(lines, name))
        except KeyboardInterrupt:
            raise _fail("load", "interrupted; committed batches are kept, run the same command again to finish", 130) from None
        except (Neo4jError, DriverError) as exc:
            raise _database_error("load", exc) from None
        except OSError as exc:
            raise _fail("load", f"cannot read input: {exc}") from None
        finally:
            driver.close()
        _print_summary(total)
        if total.problem_count:
            typer.echo(f"kg load: {total.problem_count} problem(s) reported above; everything else is stored", err=True)
            raise typer.Exit(EXIT_PROBLEMS)

    @app.command("forget")
    def forget_command(
        article_ids: list[str] = typer.Argument(..., metavar="ARTICLE_ID...", help="Ids of articles to remove."),
        uri: str | None = _URI,
        user: str | None = _USER,
        password: str | None = _PASSWORD,
        database: str | None = _DATABASE,
    ) -> None:
        """Remove articles and every claim, report and entity that only they supported."""
        from neo4j.exceptions import DriverError, Neo4jError

        from kg.neo4j.loader import GraphLoader

        driver, settings = _connect("forget", uri, user, password, database)
        try:
            summary = GraphLoader(driver, settings.database).forget(article_ids)
        except (Neo4jError, DriverError) as exc:
            raise _database_error("forget", exc) from None
        finally:
            driver.close()
        _print_summary(summary, forget=True)
