"""The graph's constraints and indexes, in one place, created idempotently.

Uniqueness constraints make every ``MERGE`` of the loader an index seek (and forbid duplicates
even under concurrent writers); range indexes serve the common lookups (entity by name, articles
by date, claims by type); full-text indexes let users find entities by any alias and quotes by
wording. ``docs/schema.md`` explains each item.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.neo4j import cypher

if TYPE_CHECKING:
    from neo4j import Driver


@dataclass(frozen=True, slots=True)
class SchemaItem:
    """One constraint or index: its name in Neo4j and the statement that creates it."""

    name: str
    kind: str
    statement: str


SCHEMA: tuple[SchemaItem, ...] = (
    SchemaItem("article_id", "uniqueness constraint", cypher.CONSTRAINT_ARTICLE_ID),
    SchemaItem("entity_id", "uniqueness constraint", cypher.CONSTRAINT_ENTITY_ID),
    SchemaItem("claim_id", "uniqueness constraint", cypher.CONSTRAINT_CLAIM_ID),
    SchemaItem("evidence_id", "uniqueness constraint", cypher.CONSTRAINT_EVIDENCE_ID),
    SchemaItem("write_lock", "uniqueness constraint", cypher.CONSTRAINT_WRITE_LOCK),
    SchemaItem("entity_name", "range index", cypher.INDEX_ENTITY_NAME),
    SchemaItem("article_published", "range index", cypher.INDEX_ARTICLE_PUBLISHED),
    SchemaItem("article_body_hash", "range index", cypher.INDEX_ARTICLE_BODY_HASH),
    SchemaItem("claim_type", "range index", cypher.INDEX_CLAIM_TYPE),
    SchemaItem("claim_first_published", "range index", cypher.INDEX_CLAIM_FIRST_PUBLISHED),
    SchemaItem("claim_type_first_published", "range index", cypher.INDEX_CLAIM_TYPE_FIRST_PUBLISHED),
    SchemaItem("claim_source_count", "range index", cypher.INDEX_CLAIM_SOURCE_COUNT),
    SchemaItem("contradiction_rank", "range index", cypher.INDEX_CONTRADICTION_RANK),
    SchemaItem("entity_names", "full-text index", cypher.FULLTEXT_ENTITY_NAMES),
    SchemaItem("statements", "full-text index", cypher.FULLTEXT_STATEMENTS),
)

#: Seconds to wait for new indexes to come online (populating is quick on an empty graph).
AWAIT_TIMEOUT_S = 300


@dataclass(frozen=True, slots=True)
class SchemaReport:
    """What :func:`ensure_schema` did: names created now and names that already existed."""

    created: tuple[str, ...]
    existing: tuple[str, ...]


def ensure_schema(driver: Driver, database: str) -> SchemaReport:
    """Create every missing constraint and index, then wait until all are online.

    Schema statements cannot share a transaction with data writes, so each runs on its own;
    ``IF NOT EXISTS`` makes the whole call safe to repeat.
    """
    created: list[str] = []
    existing: list[str] = []
    for item in SCHEMA:
        summary = driver.execute_query(item.statement, database_=database).summary
        counters = summary.counters
        if counters.constraints_added or counters.indexes_added:
            created.append(item.name)
        else:
            existing.append(item.name)
    driver.execute_query(cypher.AWAIT_INDEXES, timeout=AWAIT_TIMEOUT_S, database_=database)
    return SchemaReport(created=tuple(created), existing=tuple(existing))


def describe_schema(driver: Driver, database: str) -> list[dict[str, object]]:
    """The indexes (including those backing constraints) that exist, one dict each."""
    records = driver.execute_query(cypher.SHOW_SCHEMA, database_=database).records
    return [record.data() for record in records]
