"""The transaction functions of a load and a forget: one batch, one managed write transaction.

Each function is pure with respect to Python state (the driver may retry it); what it did comes
back as an :class:`Outcome`, applied to the running summary only after commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.document import EntityRecord
from kg.neo4j import cypher
from kg.neo4j.batching import ArticleGroup
from kg.neo4j.entity_registry import EntityRegistry
from kg.neo4j.rows import attribute_rows, build_rows, entity_rows
from kg.neo4j.session import article_hashes, run_collect, run_counters
from kg.neo4j.summary import LoadSummary
from kg.neo4j.upkeep import body_hashes, link_duplicates, remove_articles_contribution, settle
from kg.schema import EntityType

if TYPE_CHECKING:
    from neo4j import ManagedTransaction


@dataclass(slots=True)
class Outcome:
    """Result of one transaction function; applied to the summary only after commit."""

    summary: LoadSummary = field(default_factory=LoadSummary)
    referenced: set[str] = field(default_factory=set)
    refreshed: set[str] = field(default_factory=set)


def write_batch(tx: ManagedTransaction, groups: list[ArticleGroup], registry: EntityRegistry) -> Outcome:
    """Transaction function for one batch. Pure with respect to Python state (it may be retried)."""
    outcome = Outcome()
    out = outcome.summary
    ids = [group.article.id for group in groups]
    run_counters(tx, cypher.TAKE_WRITE_LOCK)  # concurrent loads: one write transaction at a time
    stored = article_hashes(tx, ids) if ids else {}
    to_write = [g for g in groups if stored.get(g.article.id) != g.article.content_hash]
    changed = [g.article.id for g in to_write if g.article.id in stored]
    out.articles_unchanged = len(groups) - len(to_write)
    out.articles_updated = len(changed)
    out.articles_created = len(to_write) - len(changed)

    rows = build_rows(to_write)
    check = sorted(e for e in rows.referenced if e in registry.written and e not in registry.dirty)
    existing = run_collect(tx, cypher.READ_EXISTING_ENTITIES, "id", ids=check)[0] if check else set()
    entities = entity_rows(rows.referenced, registry, missing=set(check) - existing)
    outcome.referenced, outcome.refreshed = rows.referenced, entities.refreshed

    lost: set[str] = set()
    candidates: set[str] = set()
    hashes = {row["body_hash"] for row in rows.articles}
    if changed:
        hashes |= body_hashes(tx, changed)
        lost, candidates = remove_articles_contribution(tx, changed, out)
    if rows.evidence_ids:
        claims, counters = run_collect(tx, cypher.DELETE_EVIDENCE_BY_ID, "claims", ids=rows.evidence_ids)
        lost |= claims
        out.evidence_removed += counters.nodes_deleted

    for entity_type, entity_batch in entities.upserts.items():
        out.entities_created += run_counters(tx, cypher.UPSERT_ENTITIES[entity_type], rows=entity_batch).nodes_created
    for entity_type, entity_batch in entities.updates.items():
        run_counters(tx, cypher.UPDATE_ENTITIES[entity_type], rows=entity_batch)
    attributes = attribute_rows(entities, registry)
    if attributes:
        run_counters(tx, cypher.SET_ENTITY_ATTRIBUTES, rows=attributes)
    if rows.articles:
        run_counters(tx, cypher.UPSERT_ARTICLES, rows=rows.articles)
        out.duplicates_linked += link_duplicates(tx, hashes)
    if rows.mentions:
        out.mentions_created += run_counters(tx, cypher.CREATE_MENTIONS, rows=rows.mentions).relationships_created
    for claim_type, claim_batch in rows.claims.items():
        out.claims_created += run_counters(tx, cypher.MERGE_CLAIMS[claim_type], rows=claim_batch).nodes_created
    if rows.about:
        run_counters(tx, cypher.LINK_CLAIM_ABOUT, rows=rows.about)
    if rows.evidence:
        out.evidence_created += run_counters(tx, cypher.CREATE_EVIDENCE, rows=rows.evidence).nodes_created

    mentioned = sorted(e for e in rows.referenced if _surname_only_person(registry.records.get(e)))
    settle(tx, lost=lost, written=rows.article_ids, candidates=candidates - rows.referenced, out=out, removed=changed, mentioned=mentioned)
    run_counters(tx, cypher.RELEASE_WRITE_LOCK)
    return outcome


class TransactionTooLarge(Exception):
    """The server refused a write transaction for lack of memory (not retried as is: split it)."""


#: Neo4j status codes of a transaction that ran out of its memory allowance
#: (``dbms.memory.transaction.total.max``, ``db.memory.transaction.max``) or of the heap.
_OUT_OF_MEMORY_CODES = frozenset({
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
    "Neo.TransientError.General.OutOfMemoryError",
})


def is_out_of_memory(error: BaseException) -> bool:
    code = getattr(error, "code", None) or ""
    return code in _OUT_OF_MEMORY_CODES or (code.startswith("Neo.TransientError.") and "memory" in str(error).lower())


def write_batch_bounded(tx: ManagedTransaction, groups: list[ArticleGroup], registry: EntityRegistry) -> Outcome:
    """:func:`write_batch`, with an out-of-memory refusal turned into :class:`TransactionTooLarge`
    so that the driver does not retry the same batch for 30 s (it retries transient errors)."""
    from neo4j.exceptions import Neo4jError

    try:
        return write_batch(tx, groups, registry)
    except Neo4jError as exc:
        if is_out_of_memory(exc):
            raise TransactionTooLarge(" ".join(str(getattr(exc, "message", None) or exc).split())[:200]) from None
        raise


def _surname_only_person(record: EntityRecord | None) -> bool:
    return record is not None and record.type == EntityType.PERSON and len(record.name.split()) == 1


def forget_batch(tx: ManagedTransaction, article_ids: list[str]) -> Outcome:
    """Transaction function removing articles and everything only they supported."""
    outcome = Outcome()
    out = outcome.summary
    run_counters(tx, cypher.TAKE_WRITE_LOCK)
    found = list(article_hashes(tx, article_ids))
    out.articles_not_found = len(article_ids) - len(found)
    if not found:
        run_counters(tx, cypher.RELEASE_WRITE_LOCK)
        return outcome
    hashes = body_hashes(tx, found)
    lost, candidates = remove_articles_contribution(tx, found, out)
    out.articles_forgotten = run_counters(tx, cypher.DELETE_ARTICLES, ids=found).nodes_deleted
    link_duplicates(tx, hashes)
    settle(tx, lost=lost, written=[], candidates=candidates, out=out, removed=found)
    run_counters(tx, cypher.RELEASE_WRITE_LOCK)
    return outcome
