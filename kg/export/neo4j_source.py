"""Read the whole graph out of Neo4j into the export :class:`~kg.export.model.Graph`.

This module holds the only Cypher of the analyst surface outside ``queries/``: seven fixed read
statements (no parameters needed, nothing built from input), run in one read-only transaction so
the export is a consistent snapshot even while a load is running.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Final

from kg.export.model import AliasLink, Article, Claim, ClaimCluster, Entity, Graph, Mention, Report
from kg.schema import qualifier_names

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

READ_ENTITIES: Final = """
MATCH (e:Entity)
RETURN e.id AS id, e.type AS type, e.name AS name, coalesce(e.aliases, []) AS aliases, e.kind AS kind
ORDER BY id
"""

READ_ARTICLES: Final = """
MATCH (a:Article)
RETURN a.id AS id, a.title AS title, a.published AS published, a.source AS source, a.url AS url,
       a.author AS author, a.path AS path, a.content_hash AS content_hash,
       a.outlet AS outlet, a.body_hash AS body_hash
ORDER BY published, id
"""

READ_MENTIONS: Final = """
MATCH (a:Article)-[m:MENTIONS]->(e:Entity)
RETURN a.id AS article, e.id AS entity, m.count AS count, m.spans AS spans, m.texts AS texts, m.sentences AS sentences
ORDER BY article, entity
"""

READ_CLAIMS: Final = """
MATCH (c:Claim)
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
RETURN c.id AS id, c.type AS type, s.id AS subject, o.id AS object%s
ORDER BY id
""" % "".join(f", c.{q} AS {q}" for q in qualifier_names())

READ_REPORTS: Final = """
MATCH (ev:Evidence)-[:SUPPORTS]->(c:Claim)
MATCH (ev)-[:IN]->(a:Article)
RETURN c.id AS claim, a.id AS article, properties(ev) AS props
ORDER BY claim, article, props.start
"""

#: ``kg resolve``'s alias links (none before it ran).
READ_ALIAS_LINKS: Final = """
MATCH (s:Entity)-[r:ALIAS_OF]->(t:Entity)
RETURN s.id AS alias, t.id AS canonical, r.rule AS rule, r.evidence AS evidence, coalesce(r.articles, []) AS articles
ORDER BY alias, canonical
"""

#: ``kg resolve``'s claim clusters with their members.
READ_CLUSTERS: Final = """
MATCH (k:ClaimCluster)<-[r:IN_CLUSTER]-(c:Claim)
WITH k, r, c ORDER BY c.id
RETURN k.id AS id, k.type AS type, k.key AS key, k.rule AS rule, collect(c.id) AS members, collect(r.score) AS scores
ORDER BY id
"""

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
    with driver.session(database=database, notifications_min_severity="OFF") as session:
        graph = session.execute_read(_read, tick)
    return graph.settle()
