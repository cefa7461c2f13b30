"""``kg export``: write the graph as RDF, GraphML, neo4j-admin CSV or JSON, from Neo4j or a document.

Also home of :func:`read_graph`, the one way ``kg export``, ``kg viz`` and ``kg stats`` get their
graph: ``--from graph.jsonl`` reads a graph document without any database, otherwise Neo4j.

Exit codes: 0 written; 1 the database cannot be used or the output cannot be written; 2 bad
options (unknown format, bad base IRI).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.commands.load import _DATABASE, _PASSWORD, _URI, _USER, _connect, _database_error, _fail

if TYPE_CHECKING:
    from kg.export.model import Graph
    from kg.progress import Progress

EXIT_USAGE = 2

FromOption = Annotated[
    Path | None,
    typer.Option(
        "--from",
        metavar="GRAPH.jsonl",
        help="Read this graph document (`kg extract` output; - for stdin) instead of Neo4j: no database needed.",
        show_default=False,
    ),
]


def read_graph(
    command: str,
    source: Path | None,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    *,
    progress: Progress | None = None,
) -> Graph:
    """The graph from a document (``--from``) or the database; one line and exit 1 when impossible.

    ``progress`` (optional) advances once per document record or database row read."""
    from neo4j.exceptions import DriverError, Neo4jError

    from kg.export.document_source import SourceError, graph_from_document
    from kg.export.neo4j_source import graph_from_neo4j

    if source is not None:
        problems: list[str] = []
        try:
            graph = graph_from_document(source, on_problem=problems.append, tick=None if progress is None else progress.advance)
        except SourceError as exc:
            raise _fail(command, str(exc)) from None
        for problem in problems[:20]:
            typer.echo(f"kg {command}: {source}: {problem} (skipped)", err=True)
        if len(problems) > 20:
            typer.echo(f"kg {command}: … and {len(problems) - 20} more problem(s) skipped", err=True)
        return graph
    driver, settings = _connect(command, uri, user, password, database)
    try:
        return graph_from_neo4j(driver, settings.database, tick=None if progress is None else progress.advance)
    except (Neo4jError, DriverError) as exc:
        raise _database_error(command, exc) from None
    finally:
        driver.close()


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)


def export_command(
    output: Annotated[
        str,
        typer.Option("--output", "-o", metavar="PATH", help="File to write (- for stdout), or the directory for csv.", show_default=False),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="ttl, jsonld, nt (RDF), graphml, csv (neo4j-admin import directory) or json (nodes+links); "
            "default: from the -o suffix.",
            show_default=False,
        ),
    ] = None,
    source: FromOption = None,
    base_iri: Annotated[
        str,
        typer.Option("--base-iri", help="Namespace for the RDF IRIs of entities, articles, claims and reports."),
    ] = "https://newskg.example/id/",
    co_mentions: Annotated[
        bool, typer.Option("--co-mentions", help="json/graphml: also link entities named in the same articles.")
    ] = False,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="No progress and no summary (progress: records read, with the total for a document file, rate and ETA: a bar on a terminal, else a line every 500 records or 30 s)."),
    ] = False,
    uri: str | None = _URI,
    user: str | None = _USER,
    password: str | None = _PASSWORD,
    database: str | None = _DATABASE,
) -> None:
    """Export the graph with provenance: RDF (schema.org + PROV-O), GraphML, neo4j-admin CSV or JSON.

    Reads Neo4j, or a graph document with --from (no database needed). See docs/export.md.
    """
    from kg.export import FORMATS, ExportError, guess_format, write
    from kg.export.rdf import BaseIriError, check_base_iri

    chosen = (fmt or guess_format(output) or "").lower()
    if not chosen:
        raise _fail("export", f"cannot tell the format from {output!r}: give --format ({', '.join(FORMATS)})", EXIT_USAGE)
    if chosen not in FORMATS:
        raise _fail("export", f"unknown --format {chosen!r} (use one of {', '.join(FORMATS)})", EXIT_USAGE)
    try:
        check_base_iri(base_iri)
    except BaseIriError as exc:
        raise _fail("export", str(exc), EXIT_USAGE) from None
    if chosen == "csv" and output == "-":
        raise _fail("export", "csv writes a directory of files: give -o DIRECTORY", EXIT_USAGE)
    if output != "-" and chosen != "csv" and Path(output).is_dir():
        raise _fail("export", f"{output} is a directory; give a file name", EXIT_USAGE)

    from kg.export.document_source import count_records
    from kg.progress import Progress

    total = count_records(source) if source is not None and not quiet else None
    with Progress("kg export", total, unit="records read", quiet=quiet) as progress:
        graph = read_graph("export", source, uri, user, password, database, progress=progress)
    try:
        summary = write(graph, chosen, output, base_iri=base_iri, co_mentions=co_mentions)
    except ExportError as exc:
        raise _fail("export", str(exc)) from None
    if output != "-" and not quiet:
        typer.echo(summary, err=True)
