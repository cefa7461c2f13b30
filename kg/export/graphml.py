"""GraphML through networkx, for Gephi, yEd and Cytoscape desktop.

A directed multigraph: entity nodes and article nodes (``type`` = Organization, Person, Model,
Place or Article; ``label`` for display), fact edges (RELEASED, DEVELOPS, AFFILIATED_WITH),
SAID_ABOUT edges from a speaker to what a statement names, and MENTIONS edges from articles to
entities. ``kg resolve``'s layer: ALIAS_OF edges from an alias node to its canonical entity (with
``rule``), and one node per claim cluster (``kind`` = cluster, ``type`` = ClaimCluster, its
``members`` claim ids) with IN_CLUSTER edges to the entities its facts involve; every fact edge
of a clustered claim carries ``cluster``. GraphML attributes must be scalars, so lists are joined with ``"; "`` and absent values
are left out; dates are ISO strings.
"""

from __future__ import annotations

from datetime import date
from typing import IO, Any

import networkx as nx

from kg.export.json_graph import LINK_LABELS
from kg.export.model import ALIAS_OF, Graph
from kg.schema import RELATIONSHIPS, Relationship, qualifier_names

_MENTIONS = RELATIONSHIPS[Relationship.MENTIONS]

LIST_SEPARATOR = "; "


def _scalars(values: dict[str, Any]) -> dict[str, str | int | float | bool]:
    """Drop absent values, join lists, ISO-format dates: GraphML takes scalars only."""
    out: dict[str, str | int | float | bool] = {}
    for key, value in values.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, list | tuple):
            value = LIST_SEPARATOR.join(str(v) for v in value)
        out[key] = value
    return out


def to_networkx(graph: Graph, *, articles: bool = True, co_mentions: bool = False) -> nx.MultiDiGraph:
    """The typed multigraph described in the module docstring."""
    g = nx.MultiDiGraph(name="newskg")
    mentions = graph.mention_counts()
    entity_articles = graph.entity_articles()
    for e in sorted(graph.entities.values(), key=lambda e: e.id):
        g.add_node(
            e.id,
            **_scalars(
                {
                    "kind": "entity",
                    "type": e.type,
                    "label": e.name,
                    "name": e.name,
                    "aliases": [a for a in e.aliases if a != e.name],
                    "mentions": mentions.get(e.id, 0),
                    "articles": len(entity_articles.get(e.id, [])),
                }
            ),
        )
    if articles:
        for a in sorted(graph.articles.values(), key=lambda a: a.id):
            g.add_node(
                a.id,
                **_scalars(
                    {
                        "kind": "article",
                        "type": "Article",
                        "label": a.title or a.id,
                        "title": a.title,
                        "published": a.published,
                        "source": a.source,
                        "url": a.url,
                        "author": a.author,
                    }
                ),
            )
        for m in graph.mentions:
            if m.article in graph.articles and m.entity in graph.entities:
                g.add_edge(m.article, m.entity, key=f"mentions:{m.article}|{m.entity}", type=_MENTIONS.type.value, label=_MENTIONS.caption, weight=m.count)
    cluster_of = graph.cluster_of()
    alias_rules = {(a.alias, a.canonical): a.rule for a in graph.alias_links}
    for link in sorted(graph.links(co_mentions=co_mentions), key=lambda link: link.id):
        claim = graph.claims.get(link.claim) if link.claim else None
        attrs: dict[str, Any] = {"type": link.type, "label": LINK_LABELS.get(link.type, link.type.lower()), "weight": link.weight}
        if link.type == ALIAS_OF:
            attrs["rule"] = alias_rules.get((link.source, link.target))
        if claim is not None:
            reports = claim.reports
            report_articles = [graph.articles[r.article] for r in reports if r.article in graph.articles]
            attrs |= {
                "claim": claim.id,
                **{q: getattr(claim, q) for q in qualifier_names()},
                "statement": claim.statement,
                "sources": claim.source_count,
                "articles": claim.article_count,
                "first_published": claim.first_published,
                "last_published": claim.last_published,
                "confidence": claim.max_confidence,
                "evidence": reports[0].text if reports else None,
                "article_titles": [a.title or a.id for a in report_articles],
                "article_urls": [a.url for a in report_articles if a.url],
                "cluster": cluster_of.get(claim.id),
            }
        g.add_edge(link.source, link.target, key=link.id, **_scalars(attrs))
    for cluster in sorted(graph.clusters.values(), key=lambda k: k.id):
        node = f"cluster:{cluster.id}"
        g.add_node(
            node,
            **_scalars(
                {
                    "kind": "cluster", "type": "ClaimCluster", "label": cluster.statement or cluster.key or cluster.id,
                    "claim_type": cluster.type, "key": cluster.key, "rule": cluster.rule, "statement": cluster.statement,
                    "members": cluster.members, "sources": cluster.source_count, "articles": cluster.article_count,
                    "first_published": cluster.first_published, "last_published": cluster.last_published,
                }  # fmt: skip
            ),
        )
        involved: dict[str, None] = {}
        for member in cluster.members:
            claim = graph.claims.get(member)
            for entity_id in (claim.subject, claim.object) if claim else ():
                if entity_id in graph.entities:
                    involved.setdefault(entity_id, None)
        for entity_id in involved:
            g.add_edge(node, entity_id, key=f"in-cluster:{cluster.id}|{entity_id}", type="IN_CLUSTER", label="in cluster")
    return g


def write_graphml(graph: Graph, out: IO[bytes], *, articles: bool = True, co_mentions: bool = False) -> None:
    nx.write_graphml(to_networkx(graph, articles=articles, co_mentions=co_mentions), out, encoding="utf-8", prettyprint=True)
