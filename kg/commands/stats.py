"""``kg stats``: who is quoted most, which organizations are most central, which groups form.

Exit codes: 0 done; 1 the database cannot be used or the chart cannot be written; 2 bad options.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.commands.export import FromOption, read_graph
from kg.commands.load import _DATABASE, _PASSWORD, _URI, _USER, _fail

if TYPE_CHECKING:
    from kg.stats import Stats

EXIT_USAGE = 2


def register(app: typer.Typer) -> None:
    app.command("stats")(stats_command)


def stats_command(
    source: FromOption = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Rows per table.")] = 10,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.", case_sensitive=False)] = "table",
    png: Annotated[
        Path | None,
        typer.Option("--png", metavar="CHART.png", help="Also write a bar chart (central organizations, cited speakers).", show_default=False),
    ] = None,
    uri: str | None = _URI,
    user: str | None = _USER,
    password: str | None = _PASSWORD,
    database: str | None = _DATABASE,
) -> None:
    """Graph analytics (networkx): most-cited speakers, central organizations (degree, PageRank), communities.

    Reads Neo4j, or a graph document with --from.
    """
    from kg.stats import compute, write_chart

    fmt = fmt.lower()
    if fmt not in ("table", "json"):
        raise _fail("stats", f"unknown --format {fmt!r} (use table or json)", EXIT_USAGE)
    graph = read_graph("stats", source, uri, user, password, database)
    stats = compute(graph, top)
    if png is not None:
        try:
            write_chart(stats, png)
        except OSError as exc:
            raise _fail("stats", f"cannot write {png}: {exc.strerror or exc}") from None
    if fmt == "json":
        json.dump(stats.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_tables(stats)
    if png is not None:
        typer.echo(f"chart written to {png}", err=True)


def _print_tables(stats: Stats) -> None:
    """Three rich tables: speakers, organizations, communities."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    c = stats.counts
    console.print(
        f"{c['entities']} entities, {c['claims']} facts ({c['reports']} reports), {c['articles']} articles, "
        f"{c['entity_links']} entity links",
        style="bold",
    )

    table = Table(title="Most cited speakers", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("speaker", "type", "statements", "reports", "direct quotes", "articles", "outlets"):
        table.add_column(column, justify="left" if column in ("speaker", "type") else "right")
    for s in stats.speakers:
        table.add_row(s.name, s.type, str(s.statements), str(s.reports), str(s.direct_quotes), str(s.articles), str(s.outlets))
    console.print(table)

    table = Table(title="Most central organizations", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("organization", "PageRank", "degree", "fact links", "mentions"):
        table.add_column(column, justify="left" if column == "organization" else "right")
    for o in stats.organizations:
        table.add_row(o.name, f"{o.pagerank:.3f}", str(o.degree), str(o.fact_links), str(o.mentions))
    console.print(table)

    table = Table(title=f"Communities: the {len(stats.communities)} largest (greedy modularity)", title_justify="left", box=box.SIMPLE_HEAD)
    for column in ("#", "size", "types", "most connected members (degree)"):
        table.add_column(column, justify="right" if column in ("#", "size") else "left", overflow="fold")
    for community in stats.communities:
        types = ", ".join(f"{n} {t}" for t, n in community.types.items())
        members = ", ".join(f"{m.name} ({m.degree})" for m in community.top_members)
        more = community.size - len(community.top_members)
        table.add_row(str(community.index), str(community.size), types, members + (f", … {more} more" if more > 0 else ""))
    console.print(table)
    if stats.left_out:
        names = ", ".join(item["name"] for item in stats.left_out)
        console.print(f"left out as outlet boilerplate (the outlet naming itself in its own articles): {names}", style="dim")
    console.print(
        "degree: entities linked by a fact or a shared article; fact links: by a fact; PageRank over both, weighted",
        style="dim",
    )
