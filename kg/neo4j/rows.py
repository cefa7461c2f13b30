"""Query parameters for a batch: the rows the write statements of :mod:`kg.neo4j.cypher` UNWIND. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.document import ClaimRecord, EntityRecord, MentionRecord
from kg.neo4j import cypher
from kg.neo4j.batching import ArticleGroup
from kg.neo4j.entity_registry import EntityRegistry, unique
from kg.neo4j.validation import body_key
from kg.outlets import outlet_name
from kg.schema import qualifier_names


def _compact(row: dict[str, Any]) -> dict[str, Any]:
    """Leave out nulls: Cypher reads a missing key as null, and every value costs encoding time."""
    return {k: v for k, v in row.items() if v is not None}


@dataclass(slots=True)
class BatchRows:
    """The parameters of the write statements for a set of article groups (new or changed)."""

    article_ids: list[str] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    #: per article: {article, mentions: [...]}
    mentions: list[dict[str, Any]] = field(default_factory=list)
    #: claim type -> one row per fact
    claims: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: SAID facts whose reports name entities: {id, about: [...]}
    about: list[dict[str, Any]] = field(default_factory=list)
    #: per article: {article, reports: [...]}
    evidence: list[dict[str, Any]] = field(default_factory=list)
    evidence_ids: list[str] = field(default_factory=list)
    #: entities the mentions and claims point at
    referenced: set[str] = field(default_factory=set)


def article_row(group: ArticleGroup) -> dict[str, Any]:
    """Stored article properties. The text itself stays in the document (offsets point into it)."""
    a = group.article
    return _compact(
        {
            "id": a.id,
            "title": a.title,
            "published": group.published,
            "source": a.source,
            "url": a.url,
            "path": a.path,
            "author": a.author,
            "content_hash": a.content_hash,
            "outlet": outlet_name(a.source, a.url),
            "body_hash": body_key(a),
        }
    )


def mention_rows(group: ArticleGroup) -> list[dict[str, Any]]:
    """One row per entity mentioned in the article: occurrences in offset order, spans flattened."""
    by_entity: dict[str, list[MentionRecord]] = {}
    for mention in group.mentions:
        by_entity.setdefault(mention.entity, []).append(mention)
    rows = []
    for entity_id, mentions in by_entity.items():
        mentions.sort(key=lambda m: (m.start, m.end))
        rows.append(
            {
                "entity": entity_id,
                "spans": [offset for m in mentions for offset in (m.start, m.end)],
                "texts": [m.text for m in mentions],
                "sentences": [m.sentence for m in mentions],
            }
        )
    return rows


def evidence_row(claim: ClaimRecord) -> dict[str, Any]:
    """One report of a fact: where it was found, which rule found it and, for quotes, what was said."""
    row: dict[str, Any] = {
        "id": claim.id,
        "claim": claim.fact,
        "sentence": claim.sentence,
        "start": claim.start,
        "end": claim.end,
        "confidence": float(claim.confidence),
        "text": claim.evidence,
        "rule": getattr(claim, "rule", None),
        "statement": claim.statement,
        "cue": claim.cue,
        "source_text": claim.source_text,
        "direct": claim.direct,
        "about": unique(claim.about) if claim.about else None,
    }
    spans = claim.spans or {}
    for name in cypher.SPAN_NAMES:  # other span names are not part of the model: ignored
        span = spans.get(name)
        if span is not None:
            row[f"{name}_start"], row[f"{name}_end"] = span
    return _compact(row)


def claim_row(claim: ClaimRecord) -> dict[str, Any]:
    """The fact a report is about: its key, qualifiers and the entities it links."""
    return _compact(
        {
            "id": claim.fact,
            **{name: getattr(claim, name) for name in qualifier_names()},
            "subject": claim.subject,
            "object": claim.object,
        }
    )


def build_rows(groups: Iterable[ArticleGroup]) -> BatchRows:
    """Parameters for writing ``groups`` (articles that are new or changed). Pure."""
    rows = BatchRows()
    facts: dict[str, dict[str, Any]] = {}
    about: dict[str, list[str]] = {}
    for group in groups:
        article_id = group.article.id
        rows.article_ids.append(article_id)
        rows.articles.append(article_row(group))
        mentions = mention_rows(group)
        if mentions:
            rows.mentions.append({"article": article_id, "mentions": mentions})
            rows.referenced.update(m["entity"] for m in mentions)
        reports = []
        for claim in group.claims:
            if claim.fact not in facts:
                facts[claim.fact] = claim_row(claim)
                rows.claims.setdefault(claim.type, []).append(facts[claim.fact])
            if claim.about:  # a fact is about everything any of its reports names
                about[claim.fact] = unique([*about.get(claim.fact, ()), *claim.about])
            rows.referenced.update(e for e in (claim.subject, claim.object, *(claim.about or ())) if e is not None)
            reports.append(evidence_row(claim))
            rows.evidence_ids.append(claim.id)
        if reports:
            rows.evidence.append({"article": article_id, "reports": reports})
    rows.about = [{"id": fact, "about": entity_ids} for fact, entity_ids in about.items()]
    return rows


@dataclass(slots=True)
class EntityRows:
    """Entity parameters for a batch: full upserts, and refreshes of entities only declared."""

    upserts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    updates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    refreshed: set[str] = field(default_factory=set)


def _entity_row(record: EntityRecord) -> dict[str, Any]:
    return {"id": record.id, "name": record.name, "aliases": record.aliases} if record.aliases else {"id": record.id, "name": record.name}


def attribute_rows(rows: EntityRows, registry: EntityRegistry) -> list[dict[str, Any]]:
    """Attribute properties of the entities a batch writes or refreshes (only those that have any)."""
    ids = sorted({row["id"] for batch in (*rows.upserts.values(), *rows.updates.values()) for row in batch})
    return [{"id": entity_id, **registry.records[entity_id].attributes} for entity_id in ids if registry.records[entity_id].attributes]


def entity_rows(referenced: set[str], registry: EntityRegistry, missing: set[str]) -> EntityRows:
    """Which entities to write in full and which to refresh if present. Pure.

    A referenced entity is written in full unless this load already wrote it, it has not changed
    since and it still exists (``missing`` lists the ones that vanished). Declared entities that
    no written article references are refreshed only if they exist, so a document never creates
    an entity that nothing points to.
    """
    out = EntityRows()
    for entity_id in sorted(referenced):
        if entity_id in registry.dirty or entity_id not in registry.written or entity_id in missing:
            record = registry.records[entity_id]
            out.upserts.setdefault(record.type, []).append(_entity_row(record))
    for entity_id in sorted(registry.dirty - referenced):
        record = registry.records[entity_id]
        out.updates.setdefault(record.type, []).append(_entity_row(record))
        out.refreshed.add(entity_id)
    return out
