"""JSON for web tools: ``nodes`` + ``links`` (the d3 / force-graph shape) plus the claims with their
evidence and the articles they come from, so a page can show every fact's provenance.

This is also the data the ``kg viz`` page embeds. Format (docs/export.md)::

    {"format": "newskg-graph-json", "version": 1, "counts": {...},
     "nodes":    [{"id", "type", "name", "aliases", "mentions", "articles": [article ids]}],
     "links":    [{"id", "source", "target", "type", "claim", "weight", "label", "status", "role",
                   "sources", "first_published", "last_published"}],
     "claims":   [{"id", "type", "subject", "object", "status", "role", "statement", "about",
                   "summary", "source_count", "article_count", "outlets", "first_published", "last_published",
                   "reports": [{"id", "article", "text", "statement", "direct", "confidence", "rule", "sentence",
                                "start", "end", "cue", "source_text"}]}],
     "articles": [{"id", "title", "published", "source", "url", "author", "outlet"}],
     "clusters": [{"id", "type", "key", "rule", "statement", "members", "source_count", "article_count",
                   "outlets", "first_published", "last_published"}],
     "contradictions": [{"kind", "subject", "object", "side_a", "side_b", "claim_a", "claim_b"}]}

``kg resolve``'s layer: ``ALIAS_OF`` links (alias node -> canonical entity, with ``rule``) among
``links``, claim clusters in ``clusters`` (each member claim names its ``cluster``). Each claim
also says whether it is ``citable`` (a statement needs a speaker and a content clause), its
caption ``verb`` ("plans to release") and its ``syndicated`` copies.
"""

from __future__ import annotations

import json
from datetime import date
from typing import IO, Any

from kg.export.model import ALIAS_OF, Graph
from kg.schema import ClaimType, ReleaseStatus, caption, link_captions, qualifier_names

FORMAT_NAME = "newskg-graph-json"
FORMAT_VERSION = 1

#: Short edge labels for pictures (the registry's captions, kg/schema.py).
LINK_LABELS: dict[str, str] = link_captions()
#: Claim qualifiers, written on claims and their links.
QUALIFIERS: tuple[str, ...] = qualifier_names()


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def graph_to_data(graph: Graph, *, co_mentions: bool = False) -> dict[str, Any]:
    """The JSON-ready dictionary (see the module docstring)."""
    mentions = graph.mention_counts()
    entity_articles = graph.entity_articles()
    names = graph.names()
    cluster_of = graph.cluster_of()
    alias_rules = {(a.alias, a.canonical): a.rule for a in graph.alias_links}
    nodes = [
        {
            "id": e.id,
            "type": e.type,
            "name": e.name,
            "aliases": [a for a in e.aliases if a != e.name],
            "mentions": mentions.get(e.id, 0),
            "articles": entity_articles.get(e.id, []),
        }
        for e in sorted(graph.entities.values(), key=lambda e: e.id)
    ]
    links = []
    for link in sorted(graph.links(co_mentions=co_mentions), key=lambda link: link.id):
        claim = graph.claims.get(link.claim) if link.claim else None
        label = LINK_LABELS.get(link.type, link.type.lower())
        if claim is not None and claim.type == ClaimType.RELEASED and claim.status and claim.status != ReleaseStatus.RELEASED:
            label = caption(claim.type, status=claim.status)
        item: dict[str, Any] = {
            "id": link.id,
            "source": link.source,
            "target": link.target,
            "type": link.type,
            "claim": link.claim,
            "weight": link.weight,
            "label": label,
        }
        if link.type == ALIAS_OF:
            item["rule"] = alias_rules.get((link.source, link.target))
        if claim is not None:
            item |= {
                **{q: getattr(claim, q) for q in QUALIFIERS},
                "sources": claim.source_count,
                "first_published": _iso(claim.first_published),
                "last_published": _iso(claim.last_published),
            }
        links.append(item)
    claims = []
    for claim in sorted(graph.claims.values(), key=lambda c: c.id):
        claims.append(
            {
                "id": claim.id,
                "type": claim.type,
                "subject": claim.subject,
                "object": claim.object,
                **{q: getattr(claim, q) for q in QUALIFIERS},
                "statement": claim.statement,
                "about": claim.about,
                "summary": claim.describe(names),
                "verb": claim.verb,
                "citable": claim.citable,
                "cluster": cluster_of.get(claim.id),
                "source_count": claim.source_count,
                "syndicated": claim.syndicated,
                "article_count": claim.article_count,
                "outlets": claim.outlets,
                "first_published": _iso(claim.first_published),
                "last_published": _iso(claim.last_published),
                "reports": [
                    {
                        "id": r.id,
                        "article": r.article,
                        "text": r.text,
                        "statement": r.statement,
                        "direct": r.direct,
                        "confidence": r.confidence,
                        "rule": r.rule,
                        "sentence": r.sentence,
                        "start": r.start,
                        "end": r.end,
                        "cue": r.cue,
                        "source_text": r.source_text,
                    }
                    for r in claim.reports
                ],
            }
        )
    articles = [
        {"id": a.id, "title": a.title, "published": _iso(a.published), "source": a.source, "url": a.url, "author": a.author,
         "outlet": a.outlet_key or None}
        for a in sorted(graph.articles.values(), key=lambda a: (a.published or date.max, a.id))
    ]
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "counts": graph.counts(),
        "nodes": nodes,
        "links": links,
        "claims": claims,
        "articles": articles,
        "clusters": [
            {
                "id": k.id, "type": k.type, "key": k.key, "rule": k.rule, "statement": k.statement, "members": k.members,
                "source_count": k.source_count, "article_count": k.article_count, "outlets": k.outlets,
                "first_published": _iso(k.first_published), "last_published": _iso(k.last_published),
            }  # fmt: skip
            for k in sorted(graph.clusters.values(), key=lambda k: k.id)
        ],
        "contradictions": [
            {"kind": x.kind, "subject": x.subject, "object": x.object, "side_a": x.side_a, "side_b": x.side_b, "claim_a": x.claim_a, "claim_b": x.claim_b}
            for x in graph.contradictions()
        ],
    }


def write_json(graph: Graph, out: IO[str], *, co_mentions: bool = False, indent: int | None = 2) -> None:
    json.dump(graph_to_data(graph, co_mentions=co_mentions), out, ensure_ascii=False, indent=indent)
    out.write("\n")
