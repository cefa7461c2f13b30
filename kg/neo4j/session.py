"""The few ways newskg talks to a Neo4j session or transaction, written once.

Every module that runs fixed statements (the loader, ``kg resolve``, ``kg ingest``, the exports,
the query library) opens its sessions with :func:`quiet_session` and runs statements inside
managed transactions with these helpers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.neo4j import cypher

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction, Result, Session, SummaryCounters


def quiet_session(driver: Driver, database: str) -> Session:
    """A session on ``database`` with server notifications off: for fixed statements they are
    noise (e.g. "property key does not exist" on an empty graph), and the driver would log each
    one as a warning."""
    return driver.session(database=database, notifications_min_severity="OFF")


def run_counters(tx: ManagedTransaction, statement: str, **params: Any) -> SummaryCounters:
    """Run a statement to the end; return what it changed (Neo4j's counters)."""
    return tx.run(statement, **params).consume().counters


def run_collect(tx: ManagedTransaction, statement: str, key: str, **params: Any) -> tuple[set[str], SummaryCounters]:
    """Run a statement whose rows each carry a value or a list under ``key``; return their union."""
    result: Result = tx.run(statement, **params)
    values: set[str] = set()
    for record in result:
        value = record[key]
        if isinstance(value, list):
            values.update(v for v in value if v is not None)
        elif value is not None:
            values.add(value)
    return values, result.consume().counters


def read_rows(tx: ManagedTransaction, statement: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a statement as a dict."""
    return [record.data() for record in tx.run(statement, **params)]


def article_hashes(tx: ManagedTransaction, ids: list[str]) -> dict[str, str]:
    """``{article id: content_hash}`` of those of ``ids`` already stored."""
    return {r["id"]: r["content_hash"] for r in tx.run(cypher.READ_ARTICLE_HASHES, ids=ids)}
