"""Whole-graph administration through Cypher: the wipe that tests and benchmarks start from,
and the server's version (``kg neo4j check``). The statements live in :mod:`kg.neo4j.admin_cypher`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.neo4j import admin_cypher
from kg.neo4j.settings import DEFAULT_DATABASE

if TYPE_CHECKING:
    from neo4j import Driver


def empty_database(driver: Driver, database: str = DEFAULT_DATABASE, batch_size: int = 10_000) -> int:
    """Delete every node and relationship, keeping constraints and indexes; return the nodes deleted.

    Batched so a large test graph does not need one huge transaction on the small heap.
    """
    with driver.session(database=database) as session:
        summary = session.run(admin_cypher.DELETE_ALL_IN_BATCHES, batch=batch_size).consume()
    return summary.counters.nodes_deleted


def server_version(driver: Driver, database: str = DEFAULT_DATABASE) -> str:
    """``Neo4j <version> <edition>`` of the server behind ``driver`` (just ``Neo4j`` if it does not say)."""
    records, _, _ = driver.execute_query(admin_cypher.SERVER_COMPONENTS, database_=database)
    row = records[0] if records else None
    return f"Neo4j {row['version']} {row['edition']}" if row else "Neo4j"
