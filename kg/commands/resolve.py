"""``kg resolve``: cross-article resolution on the loaded graph (docs/resolution.md).

Run it after ``kg load`` / ``kg ingest``; it is idempotent and only writes what changed. Loads in
between keep what it wrote correct (links and clusters whose evidence goes away are dropped), so a
graph is never wrong, at most not yet resolved.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kg.commands.load import _DATABASE, _PASSWORD, _URI, _USER, _connect, _database_error


def register(app: typer.Typer) -> None:
    app.command("resolve")(resolve_command)


def resolve_command(
    explain: Annotated[bool, typer.Option("--explain", help="After resolving, list every entity link and claim cluster with its evidence.")] = False,
    show: Annotated[bool, typer.Option("--show", help="Only list the links and clusters in the graph; change nothing.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the whole resolution layer (loaded facts stay); undoes every merge.")] = False,
    model: Annotated[str | None, typer.Option("--model", help="spaCy base pipeline for lemmatizing statements.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress (the steps done, with time elapsed).")] = False,
    uri: str | None = _URI,
    user: str | None = _USER,
    password: str | None = _PASSWORD,
    database: str | None = _DATABASE,
) -> None:
    """Merge entities across articles (ALIAS_OF), group reports of one fact or one statement
    (ClaimCluster, with counted independent sources), link models to families and known developers,
    and store the facts reports may disagree on (CONTRADICTS, read by `kg query contradictions`).

    To undo one merge for good, list the pair in pipelines/gazetteers/do_not_merge.yml and run
    `kg resolve` again; `--clear` removes every merge at once.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    from kg.resolve.graph import GraphResolver

    driver, settings = _connect("resolve", uri, user, password, database)
    try:
        resolver = GraphResolver(driver, settings.database, model=model)
        if clear:
            resolver.clear()
            typer.echo("resolution layer removed: no ALIAS_OF links, claim clusters, model families, gazetteer DEVELOPS edges or stored contradictions remain")
            return
        if not show:
            from kg.progress import Progress

            with Progress("kg resolve", len(resolver.STEPS), unit="steps", quiet=quiet, every=1) as progress:
                summary = resolver.resolve(on_step=lambda _step: progress.advance())
            typer.echo(summary.render())
        if explain or show:
            _print_links(resolver.alias_links())
            _print_clusters(resolver.clusters())
    except (Neo4jError, DriverError) as exc:
        raise _database_error("resolve", exc) from None
    finally:
        driver.close()


def _print_links(links: list[dict[str, Any]]) -> None:
    typer.echo(f"\nentity links ({len(links)}):")
    for link in links:
        typer.echo(f"  {link['source_name']} ({link['source']}) -> {link['target_name']} ({link['target']}) [{link['rule']}]")
        typer.echo(f"      {link['evidence']}")


def _print_clusters(clusters: list[dict[str, Any]]) -> None:
    typer.echo(f"\nclaim clusters ({len(clusters)}):")
    for cluster in clusters:
        typer.echo(f"  {cluster['type']} {cluster['key']} [{cluster['rule']}]: {cluster['sources']} sources, {cluster['articles']} articles")
        for member in cluster["members"]:
            what = member["statement"] or f"{member['subject']} -> {member['object']}"
            score = f" (similarity {member['score']:.2f})" if member["score"] is not None else ""
            typer.echo(f"      {', '.join(str(o) for o in member['outlets'])}: {what}{score}")
