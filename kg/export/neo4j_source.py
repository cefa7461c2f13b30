"""Read the whole graph out of Neo4j into the export :class:`~kg.export.model.Graph`.

The seven fixed read statements live in :mod:`kg.export.cypher`; they run in one read-only
transaction so the export is a consistent snapshot even while a load is running.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kg.export.cypher import READ_ALIAS_LINKS, READ_ARTICLES, READ_CLAIMS, READ_CLUSTERS, READ_ENTITIES, READ_MENTIONS, READ_REPORTS
from kg.export.model import AliasLink, Article, Claim, ClaimCluster, Entity, Graph, Mention, Report
from kg.neo4j.session import quiet_session
from kg.schema import qualifier_names

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

_REPORT_FIELDS = frozenset({"id", "sentence", "start", "end", "confidence", "text", "rule", "statement", "cue", "source_text", "direct", "about"})


def _native(value: Any) -> Any:
    to_native = getattr(value, "to_native", None)
    return to_native() if callable(to_native) else value


def _report(props: dict[str, Any], article: str) -> Report:
    spans: dict[str, list[int]] = {}
    for key, value in props.items():
        if key in _REPORT_FIELDS or not isinstance(value, int):
            continue
        for suffix, index in (("_start", 0), ("_end", 1)):
            if key.endswith(suffix):
                spans.setdefault(key[: -len(suffix)], [0, 0])[index] = value
    return Report(
        id=props["id"],
        article=article,
        sentence=props.get("sentence", 0),
        start=props.get("start", 0),
        end=props.get("end", 0),
        confidence=float(props.get("confidence", 0.0)),
        text=props.get("text") or "",
        rule=props.get("rule"),
        statement=props.get("statement"),
        cue=props.get("cue"),
        source_text=props.get("source_text"),
        direct=props.get("direct"),
        about=list(props.get("about") or []),
        spans=spans,
    )


def _read(tx: ManagedTransaction, tick: Callable[[], None] | None = None) -> Graph:
    graph = Graph()

    def rows(query: str) -> Iterator[Any]:
        for row in tx.run(query):
            if tick is not None:
                tick()
            yield row

    for r in rows(READ_ENTITIES):
        graph.entities[r["id"]] = Entity(r["id"], r["type"], r["name"], list(r["aliases"]), {"kind": r["kind"]} if r["kind"] else {})
    for r in rows(READ_ARTICLES):
        graph.articles[r["id"]] = Article(
            id=r["id"], title=r["title"], published=_native(r["published"]), source=r["source"], url=r["url"],
            author=r["author"], path=r["path"], content_hash=r["content_hash"],
            outlet=r["outlet"], body_hash=r["body_hash"],
        )  # fmt: skip
    for r in rows(READ_MENTIONS):
        graph.mentions.append(
            Mention(r["article"], r["entity"], r["count"] or 0, list(r["spans"] or []), list(r["texts"] or []), list(r["sentences"] or []))
        )
    for r in rows(READ_CLAIMS):
        graph.claims[r["id"]] = Claim(r["id"], r["type"], r["subject"], r["object"], **{q: r[q] for q in qualifier_names()})
    for r in rows(READ_REPORTS):
        claim = graph.claims.get(r["claim"])
        if claim is not None:
            claim.reports.append(_report(dict(r["props"]), r["article"]))
    for r in rows(READ_ALIAS_LINKS):
        evidence = r["evidence"]
        graph.alias_links.append(
            AliasLink(r["alias"], r["canonical"], r["rule"], evidence if isinstance(evidence, str) else None, list(r["articles"]))
        )
    for r in rows(READ_CLUSTERS):
        members = [m for m in r["members"] if m in graph.claims]
        scores = {m: float(s) for m, s in zip(r["members"], r["scores"], strict=False) if s is not None}
        graph.clusters[r["id"]] = ClaimCluster(r["id"], r["type"], members, r["key"], r["rule"], scores=scores)
    return graph


def graph_from_neo4j(driver: Driver, database: str, *, tick: Callable[[], None] | None = None) -> Graph:
    """Snapshot the database's graph (one read transaction) as a settled :class:`Graph`;
    ``tick`` is called once per row read (for progress)."""
    with quiet_session(driver, database) as session:
        graph = session.execute_read(_read, tick)
    return graph.settle()
