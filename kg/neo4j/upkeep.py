"""Keeping the graph consistent after articles are replaced or forgotten, inside the write transaction.

Removing an article's evidence and mentions; settling claims (pruned, deleted when unsupported,
recounted) and orphan entities; re-linking syndicated copies (``DUPLICATE_OF``); and keeping the
resolution layer of ``kg resolve`` correct (alias links, clusters, families) without a full
re-run. All statements are :mod:`kg.neo4j.cypher`'s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.neo4j import cypher
from kg.neo4j.session import run_collect, run_counters
from kg.neo4j.summary import LoadSummary

if TYPE_CHECKING:
    from neo4j import ManagedTransaction


def remove_articles_contribution(tx: ManagedTransaction, article_ids: list[str], out: LoadSummary) -> tuple[set[str], set[str]]:
    """Delete the evidence and mentions of ``article_ids``; return (claims hit, entities hit)."""
    claims, counters = run_collect(tx, cypher.DELETE_ARTICLE_EVIDENCE, "claims", ids=article_ids)
    out.evidence_removed += counters.nodes_deleted
    entities, counters = run_collect(tx, cypher.DELETE_ARTICLE_MENTIONS, "entities", ids=article_ids)
    out.mentions_removed += counters.relationships_deleted
    return claims, entities


def _resolution_before(tx: ManagedTransaction, *, removed: list[str], mentioned: list[str], lost: list[str], written: list[str]) -> set[str] | None:
    """Keep ``kg resolve``'s layer correct, part 1 (before claims are deleted): drop alias links
    whose evidence goes away (and clusters that used them); return the clusters to recount, or
    None when the graph has no resolution layer (the usual case during bulk loads: one count-store
    lookup)."""
    layer = tx.run(cypher.READ_RESOLUTION_LAYER).single()
    if layer is None or not (layer["links"] or layer["clusters"] or layer["families"]):
        return None
    dropped: set[str] = set()
    if layer["links"] and removed:
        dropped |= run_collect(tx, cypher.DROP_ALIAS_LINKS_OF_ARTICLES, "entities", ids=removed)[0]
    if layer["links"] and mentioned:
        dropped |= run_collect(tx, cypher.DROP_OPEN_ALIAS_LINKS_OF_ENTITIES, "entities", ids=mentioned)[0]
    if not layer["clusters"]:
        return set()
    if dropped:
        run_counters(tx, cypher.DISSOLVE_CLUSTERS_VIA, ids=sorted(dropped))
    return run_collect(tx, cypher.CLUSTERS_OF_CLAIMS, "clusters", ids=lost, articles=written)[0]


def _resolution_after(tx: ManagedTransaction, clusters: set[str] | None, entities_removed: bool) -> None:
    """Part 2 (after claims and orphans are settled): recount clusters, drop empty ones and families."""
    if clusters:
        ids = sorted(clusters)
        run_counters(tx, cypher.DISSOLVE_SMALL_CLUSTERS, ids=ids)
        run_counters(tx, cypher.RECOUNT_CLUSTERS, ids=ids)
    if clusters is not None and entities_removed:
        run_counters(tx, cypher.DELETE_EMPTY_FAMILIES)


def settle(
    tx: ManagedTransaction,
    *,
    lost: set[str],
    written: list[str],
    candidates: set[str],
    out: LoadSummary,
    removed: list[str] | None = None,
    mentioned: list[str] | None = None,
) -> None:
    """Bring claims and entities back to a consistent state after reports were added or removed.

    ``lost``: claims that lost reports (ABOUT links pruned, deleted if unsupported, else
    recounted in full); ``written``: articles written in this batch (their claims' counts grow);
    ``candidates``: entities that may have become orphans; ``removed``: articles replaced or
    forgotten and ``mentioned``: surname-only people the written articles name (both for the
    resolution layer).
    """
    ids = sorted(lost)
    clusters = _resolution_before(tx, removed=removed or [], mentioned=mentioned or [], lost=ids, written=written)
    removed_entities = 0
    if ids:
        pruned, _ = run_collect(tx, cypher.PRUNE_CLAIM_ABOUT, "entities", ids=ids)
        candidates |= pruned
        freed, counters = run_collect(tx, cypher.DELETE_UNSUPPORTED_CLAIMS, "entities", ids=ids)
        candidates |= freed
        out.claims_removed += counters.nodes_deleted
    if written:  # a syndicated copy changes which reports are independent: recount in full
        copies = run_collect(tx, cypher.CLAIMS_OF_COPIES, "claims", articles=written)[0]
        ids = sorted(set(ids) | copies)
    if ids or written:
        run_counters(tx, cypher.RECOUNT_CLAIMS, ids=ids, articles=written)
    if written:
        run_counters(tx, cypher.ADD_TO_CLAIM_COUNTS, articles=written, exclude=ids)
    if candidates:
        counters = run_counters(tx, cypher.DELETE_ORPHAN_ENTITIES, ids=sorted(candidates))
        out.entities_removed += counters.nodes_deleted
        removed_entities = counters.nodes_deleted
    _resolution_after(tx, clusters, removed_entities > 0)


def body_hashes(tx: ManagedTransaction, article_ids: list[str]) -> set[str]:
    record = tx.run(cypher.READ_BODY_HASHES, ids=article_ids).single()
    return set(record["hashes"]) if record is not None else set()


def link_duplicates(tx: ManagedTransaction, hashes: set[str]) -> int:
    """Re-link the copies of each body hash (see ``cypher.LINK_DUPLICATES``); returns links made."""
    if not hashes:
        return 0
    ordered = sorted(hashes)
    run_counters(tx, cypher.UNLINK_DUPLICATES, hashes=ordered)
    return run_counters(tx, cypher.LINK_DUPLICATES, hashes=ordered).relationships_created
