"""``kg viz``: write one self-contained, interactive HTML page of the graph (works offline).

Exit codes: 0 written; 1 the database cannot be used or the page cannot be written; 2 bad
options (unknown query, an entity that does not exist, --query with --from).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.commands.export import FromOption, read_graph
from kg.commands.load import _DATABASE, _PASSWORD, _URI, _USER, _connect, _database_error, _fail
from kg.commands.query import LibraryOption, ParamOption, load_library_or_exit

EXIT_USAGE = 2


def register(app: typer.Typer) -> None:
    app.command("viz")(viz_command)


def _query_names(
    name: str, params: list[str], library: Path | None, uri: str | None, user: str | None, password: str | None, database: str | None
) -> list[str]:
    """Run a library query and return the strings its rows contain (candidate entity names)."""
    from neo4j.exceptions import DriverError, Neo4jError

    from kg import queries as q

    try:
        query = q.get_query(name, load_library_or_exit("viz", library))
        bound = q.bind(query, q.split_assignments(params))
    except q.QueryError as exc:
        raise _fail("viz", str(exc), EXIT_USAGE) from None
    driver, settings = _connect("viz", uri, user, password, database)
    try:
        result = q.run(driver, settings.database, query.cypher, bound)
    except (Neo4jError, DriverError) as exc:
        raise _database_error("viz", exc) from None
    finally:
        driver.close()
    return q.entity_names_in(result)


def viz_command(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("graph.html"),
    source: FromOption = None,
    around: Annotated[
        list[str] | None,
        typer.Option("--around", "-a", metavar="ENTITY", help="Only this entity's neighbourhood (name, alias or id; repeatable).", show_default=False),
    ] = None,
    hops: Annotated[int, typer.Option("--hops", min=0, max=6, help="Neighbourhood radius for --around, in links.")] = 1,
    query: Annotated[
        str | None,
        typer.Option("--query", "-q", metavar="NAME", help="Only the entities a library query's rows name (needs Neo4j); see `kg queries`.", show_default=False),
    ] = None,
    param: ParamOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many entities, most mentioned first (0 = all).")] = 250,
    co_mentions: Annotated[
        bool, typer.Option("--co-mentions", help="Also link entities named in the same articles (and let --around follow them).")
    ] = False,
    title: Annotated[str, typer.Option("--title", help="Page title.")] = "newskg graph",
    library: LibraryOption = None,
    uri: str | None = _URI,
    user: str | None = _USER,
    password: str | None = _PASSWORD,
    database: str | None = _DATABASE,
) -> None:
    """Write an interactive graph page: coloured, sized by mentions, with search, filters and evidence.

    One HTML file with everything inlined: it opens offline and fetches nothing.
    Scope it with --around ENTITY --hops N, --query NAME --param k=v, or --limit.
    """
    from kg.viz import ScopeError, render_html, scope

    if query is not None and source is not None:
        raise _fail("viz", "--query runs a library query in Neo4j; it cannot be combined with --from", EXIT_USAGE)
    if param and query is None:
        raise _fail("viz", "--param is for --query", EXIT_USAGE)
    if output.is_dir():
        raise _fail("viz", f"{output} is a directory; give a file name such as graph.html", EXIT_USAGE)
    names = _query_names(query, param or [], library, uri, user, password, database) if query else None
    graph = read_graph("viz", source, uri, user, password, database)
    try:
        scoped = scope(graph, around=around or (), hops=hops, names=names, limit=limit or None, co_mentions=co_mentions)
    except ScopeError as exc:
        raise _fail("viz", str(exc), EXIT_USAGE) from None
    before_cap = scope(graph, around=around or (), hops=hops, names=names, limit=None, co_mentions=co_mentions) if limit else scoped
    page = render_html(scoped, title=title, co_mentions=co_mentions, total=len(before_cap.entities), limit=limit or None)
    try:
        output.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise _fail("viz", f"cannot write {output}: {exc.strerror or exc}") from None
    counts = scoped.counts()
    dropped = len(graph.entities) - counts["entities"]
    note = f" ({dropped} of {len(graph.entities)} entities left out by the scope)" if dropped else ""
    typer.echo(f"{output}: {counts['entities']} entities, {counts['claims']} facts, {counts['articles']} articles{note}", err=True)
