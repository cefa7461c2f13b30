"""``kg queries`` and ``kg query``: list and run the named Cypher queries of ``queries/``.

Exit codes: 0 done; 1 the database cannot be used or refused the statement; 2 the request itself
is wrong (unknown query, missing or badly typed parameter, unreadable library).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.commands.load import _DATABASE, _PASSWORD, _URI, _USER, _connect, _database_error, _fail

if TYPE_CHECKING:
    from kg.queries import NamedQuery

EXIT_USAGE = 2

LibraryOption = Annotated[
    Path | None,
    typer.Option(
        "--library",
        help="Folder of .cypher queries to use instead of the shipped library (env NEWSKG_QUERIES).",
        envvar="NEWSKG_QUERIES",
        show_default=False,
    ),
]
ParamOption = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        metavar="NAME=VALUE",
        help="A query parameter (repeatable), typed as its header declares: e.g. --param org=\"Zhipu AI\" "
        "--param since=2025-08-01 --param names=a,b.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    str,
    typer.Option("--format", "-f", help="table (for reading), json (row objects) or csv.", case_sensitive=False),
]


def load_library_or_exit(command: str, library: Path | None) -> dict[str, NamedQuery]:
    """The query library, or one line and exit 2 when a file in it is broken."""
    from kg.queries import QueryError, load_library

    try:
        return load_library(library)
    except QueryError as exc:
        raise _fail(command, str(exc), EXIT_USAGE) from None


def _usage(message: str) -> typer.Exit:
    return _fail("query", message, EXIT_USAGE)


def register(app: typer.Typer) -> None:
    """Add ``queries`` and ``query`` to the ``kg`` app."""
    app.command("queries")(queries_command)
    app.command("query")(query_command)


def queries_command(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also show parameters and examples.")] = False,
    library: LibraryOption = None,
) -> None:
    """List the named queries: name and what each answers (-v adds parameters and examples)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    queries = load_library_or_exit("queries", library)
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    table = Table(box=box.SIMPLE_HEAD, show_lines=verbose)
    table.add_column("query", no_wrap=True, style="bold")
    table.add_column("answers")
    for query in queries.values():
        text = query.description
        if verbose:
            for param in query.params:
                text += f"\n  --param {param.signature()}" + (f"  {param.description}" if param.description else "")
            for example in query.examples:
                text += f"\n  e.g. {example}"
        table.add_row(query.name, text)
    console.print(table)
    console.print("Run one with: kg query NAME --param key=value …  (kg queries -v shows the parameters)", style="dim")


def query_command(
    name: Annotated[str | None, typer.Argument(help="A query from `kg queries`.", show_default=False)] = None,
    param: ParamOption = None,
    cypher: Annotated[
        str | None,
        typer.Option("--cypher", "-c", help="Run this Cypher text instead of a named query (parameters typed from their text).", show_default=False),
    ] = None,
    fmt: FormatOption = "table",
    write: Annotated[
        bool, typer.Option("--write", help="Run in a write transaction (only with --cypher); otherwise the server refuses writes.")
    ] = False,
    show: Annotated[bool, typer.Option("--show", help="Print the query's Cypher and bound parameters, do not run it.")] = False,
    library: LibraryOption = None,
    uri: str | None = _URI,
    user: str | None = _USER,
    password: str | None = _PASSWORD,
    database: str | None = _DATABASE,
) -> None:
    """Run a named query (or --cypher) against Neo4j and print the rows as a table, JSON or CSV.

    Parameters are bound, never pasted into the Cypher text.
    Named queries run in a read-only transaction; see docs/queries.md.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from kg import queries as q

    fmt = fmt.lower()
    if fmt not in q.OUTPUT_FORMATS:
        raise _usage(f"unknown --format {fmt!r} (use {', '.join(q.OUTPUT_FORMATS)})")
    if (name is None) == (cypher is None):
        raise _usage("give a query NAME (see `kg queries`) or --cypher TEXT, not both" if name else "give a query NAME (see `kg queries`) or --cypher TEXT")
    if write and cypher is None:
        raise _usage("--write is only for --cypher; library queries are read-only")
    try:
        raw = q.split_assignments(param or [])
        if cypher is not None:
            refused = q.confinement_problem(cypher)
            if refused is not None:  # checked before anything is sent, --write or not
                raise _usage(refused)
            statement = cypher
            params = {key: q.infer_value(value) for key, value in raw.items()}
            title = None
        else:
            assert name is not None
            named = q.get_query(name, load_library_or_exit("query", library))
            statement = named.cypher
            params = q.bind(named, raw)
            title = named.name
    except q.QueryError as exc:
        raise _usage(str(exc)) from None
    if show:
        typer.echo(statement.rstrip())
        typer.echo(f"// parameters: {q.to_jsonable(params)}")
        return

    driver, settings = _connect("query", uri, user, password, database)
    try:
        result = q.run(driver, settings.database, statement, params, write=write)
        if title is not None and not result.rows:
            hint = q.empty_result_hint(driver, settings.database, title)
            if hint:
                typer.echo(hint, err=True)
    except (Neo4jError, DriverError) as exc:
        raise _database_error("query", exc) from None
    finally:
        driver.close()

    if fmt == "table":
        from rich.console import Console

        console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
        q.output(result, fmt, sys.stdout, console, title=title)
    else:
        q.output(result, fmt, sys.stdout)
