"""Every Cypher statement the schema manager and the graph loader run, as named constants.

Keeping them in one module means the graph model can be reviewed (and changed) in one place, and
guarantees that data only ever reaches Neo4j as parameters: statements are fixed strings, and the
few that differ by label are generated here at import time from the closed lists of entity and
claim types, never from document content.

Conventions: batch statements take ``$rows`` (a list of maps) or ``$ids`` (a list of strings) and
``UNWIND`` them, so one round trip serves a whole batch. ``docs/schema.md`` describes the model.
"""

from __future__ import annotations

from typing import Final

# --------------------------------------------------------------------------------------------
# Labels and relationship types (closed sets; labels cannot be parameters in Cypher)
# --------------------------------------------------------------------------------------------

#: Entity ``type`` (as in the graph document) -> extra node label.
ENTITY_LABELS: Final[dict[str, str]] = {
    "Organization": "Organization",
    "Person": "Person",
    "Model": "Model",
    "Place": "Place",
}

#: Claim ``type`` (as in the graph document) -> extra node label of the reified :Claim.
CLAIM_LABELS: Final[dict[str, str]] = {
    "RELEASED": "Released",
    "DEVELOPS": "Develops",
    "SAID": "Said",
    "AFFILIATED_WITH": "Affiliation",
}

#: Claim types that also get a direct subject -> object relationship, for simple queries and
#: pictures. The relationship type equals the claim type.
DERIVED_RELATIONSHIPS: Final[tuple[str, ...]] = ("RELEASED", "DEVELOPS", "AFFILIATED_WITH")

# --------------------------------------------------------------------------------------------
# Schema: constraints and indexes (all idempotent)
# --------------------------------------------------------------------------------------------

CONSTRAINT_ARTICLE_ID: Final = "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE"
CONSTRAINT_ENTITY_ID: Final = "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE"
CONSTRAINT_CLAIM_ID: Final = "CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (c:Claim) REQUIRE c.id IS UNIQUE"
CONSTRAINT_EVIDENCE_ID: Final = "CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (ev:Evidence) REQUIRE ev.id IS UNIQUE"
INDEX_ENTITY_NAME: Final = "CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)"
INDEX_ARTICLE_PUBLISHED: Final = "CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published)"
INDEX_CLAIM_TYPE: Final = "CREATE INDEX claim_type IF NOT EXISTS FOR (c:Claim) ON (c.type)"
# Full-text indexes only index STRING and LIST<STRING> values: name is a string, aliases a list.
FULLTEXT_ENTITY_NAMES: Final = (
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (e:Entity) ON EACH [e.name, e.aliases]"
)
FULLTEXT_STATEMENTS: Final = (
    "CREATE FULLTEXT INDEX statements IF NOT EXISTS FOR (n:Claim|Evidence) ON EACH [n.statement]"
)
AWAIT_INDEXES: Final = "CALL db.awaitIndexes($timeout)"
SHOW_SCHEMA: Final = """
SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, state, owningConstraint
RETURN name, type, entityType, labelsOrTypes, properties, state, owningConstraint
ORDER BY name
"""

# --------------------------------------------------------------------------------------------
# Reading state
# --------------------------------------------------------------------------------------------

#: The stored content hash of each given article that exists. Decides new / changed / unchanged.
READ_ARTICLE_HASHES: Final = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.content_hash AS content_hash
"""

# --------------------------------------------------------------------------------------------
# Removing an article's contribution (replace and forget)
# --------------------------------------------------------------------------------------------

#: Delete the Evidence nodes (reports) found in the given articles; returns the claims they
#: supported, which must be recounted or deleted.
DELETE_ARTICLE_EVIDENCE: Final = """
UNWIND $ids AS id
MATCH (:Article {id: id})<-[:IN]-(ev:Evidence)
OPTIONAL MATCH (ev)-[:SUPPORTS]->(c:Claim)
WITH ev, c.id AS claim
DETACH DELETE ev
RETURN collect(DISTINCT claim) AS claims
"""

#: Delete Evidence nodes by id. Evidence ids are unique per report by contract; should a new
#: report reuse an id stored for another article, the new one wins instead of failing the batch.
DELETE_EVIDENCE_BY_ID: Final = """
UNWIND $ids AS id
MATCH (ev:Evidence {id: id})
OPTIONAL MATCH (ev)-[:SUPPORTS]->(c:Claim)
WITH ev, c.id AS claim
DETACH DELETE ev
RETURN collect(DISTINCT claim) AS claims
"""

#: Delete the MENTIONS relationships of the given articles; returns the entities that lost one
#: (candidates for orphan clean-up).
DELETE_ARTICLE_MENTIONS: Final = """
UNWIND $ids AS id
MATCH (:Article {id: id})-[m:MENTIONS]->(e:Entity)
DELETE m
RETURN collect(DISTINCT e.id) AS entities
"""

#: Delete the given articles themselves (forget); run after their evidence and mentions.
DELETE_ARTICLES: Final = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
DETACH DELETE a
"""

# --------------------------------------------------------------------------------------------
# Writing an article's contribution
# --------------------------------------------------------------------------------------------


def _entity_statements(label: str) -> tuple[str, str, str]:
    """(upsert, ensure, update) statements for entities of one type label."""
    others = ":".join(other for other in ENTITY_LABELS.values() if other != label)
    union_aliases = (
        "reduce(acc = coalesce(e.aliases, []), alias IN row.aliases |"
        " CASE WHEN alias IN acc THEN acc ELSE acc + alias END)"
    )
    upsert = f"""
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
SET e:{label}, e.type = row.type, e.name = row.name, e.aliases = {union_aliases}
REMOVE e:{others}
"""
    # For entities already written earlier in the same load and not changed since: no write
    # unless the node vanished meanwhile.
    ensure = f"""
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
ON CREATE SET e:{label}, e.type = row.type, e.name = row.name, e.aliases = row.aliases
"""
    # For entity lines that no written article references: refresh the node if it exists (an
    # article loaded earlier mentions it), never create an entity nothing points to.
    update = f"""
UNWIND $rows AS row
MATCH (e:Entity {{id: row.id}})
SET e:{label}, e.type = row.type, e.name = row.name, e.aliases = {union_aliases}
REMOVE e:{others}
"""
    return upsert, ensure, update


_ENTITY = {entity_type: _entity_statements(label) for entity_type, label in ENTITY_LABELS.items()}
#: entity type -> statement creating or updating entities (name set, aliases unioned).
UPSERT_ENTITIES: Final[dict[str, str]] = {t: s[0] for t, s in _ENTITY.items()}
#: entity type -> statement creating entities only if missing.
ENSURE_ENTITIES: Final[dict[str, str]] = {t: s[1] for t, s in _ENTITY.items()}
#: entity type -> statement updating entities only if present.
UPDATE_ENTITIES: Final[dict[str, str]] = {t: s[2] for t, s in _ENTITY.items()}

#: Create or replace articles. ``row.props`` holds every stored property; nulls remove stale ones.
#: ``loaded_at`` changes only when content is (re)written, so a repeated load changes nothing.
UPSERT_ARTICLES: Final = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a += row.props, a.loaded_at = datetime.transaction()
"""

#: One MENTIONS relationship per (article, entity); the article's old ones were deleted first.
CREATE_MENTIONS: Final = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article})
MATCH (e:Entity {id: row.entity})
CREATE (a)-[:MENTIONS {count: row.count, spans: row.spans, texts: row.texts, sentences: row.sentences}]->(e)
"""


def _claim_statement(label: str) -> str:
    return f"""
UNWIND $rows AS row
MERGE (c:Claim {{id: row.id}})
ON CREATE SET c:{label}, c.type = row.type, c.status = row.status, c.role = row.role
"""


#: claim type -> statement merging the reified fact nodes (qualifiers are part of the fact key,
#: so they are set on creation; counts and dates are set by RECOUNT_CLAIMS).
MERGE_CLAIMS: Final[dict[str, str]] = {t: _claim_statement(label) for t, label in CLAIM_LABELS.items()}


def _claim_link_statement(rel_type: str) -> str:
    return f"""
UNWIND $rows AS row
MATCH (c:Claim {{id: row.claim}})
MATCH (e:Entity {{id: row.entity}})
MERGE (c)-[:{rel_type}]->(e)
"""


LINK_CLAIM_SUBJECTS: Final = _claim_link_statement("SUBJECT")
LINK_CLAIM_OBJECTS: Final = _claim_link_statement("OBJECT")
LINK_CLAIM_ABOUT: Final = _claim_link_statement("ABOUT")

#: One Evidence node per claim line (report), linked to its fact and its article.
CREATE_EVIDENCE: Final = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article})
MATCH (c:Claim {id: row.claim})
CREATE (ev:Evidence {id: row.id})
SET ev += row.props
CREATE (ev)-[:SUPPORTS]->(c)
CREATE (ev)-[:IN]->(a)
"""

# --------------------------------------------------------------------------------------------
# Keeping claims, derived relationships and entities consistent
# --------------------------------------------------------------------------------------------

#: Drop ABOUT links that no remaining report of a SAID claim names (after reports were removed);
#: returns the entities that lost a link.
PRUNE_CLAIM_ABOUT: Final = """
UNWIND $ids AS id
MATCH (c:Claim {id: id})-[r:ABOUT]->(e:Entity)
WHERE NOT EXISTS { MATCH (c)<-[:SUPPORTS]-(ev:Evidence) WHERE e.id IN coalesce(ev.about, []) }
DELETE r
RETURN collect(DISTINCT e.id) AS entities
"""

#: Delete claims left without any report, with their derived relationships; returns the
#: entities they pointed at (candidates for orphan clean-up).
DELETE_UNSUPPORTED_CLAIMS: Final = """
UNWIND $ids AS id
MATCH (c:Claim {id: id})
WHERE NOT EXISTS { MATCH (c)<-[:SUPPORTS]-(:Evidence) }
OPTIONAL MATCH (c)-[:SUBJECT]->(:Entity)-[d:RELEASED|DEVELOPS|AFFILIATED_WITH]->(:Entity)
WHERE d.claim = c.id
DELETE d
WITH DISTINCT c
OPTIONAL MATCH (c)-[:SUBJECT|OBJECT|ABOUT]->(e:Entity)
WITH c, collect(DISTINCT e.id) AS entities
DETACH DELETE c
RETURN entities
"""

#: Recompute each claim's provenance summary from its reports, so counts are exact after any
#: load, replace or forget, and independent of load order. ``source_count`` counts distinct
#: outlets (``Article.source``); an article without a source counts as an outlet of its own.
#: ``statement`` is the earliest report's (by publication date, then article id, then offset).
RECOUNT_CLAIMS: Final = """
UNWIND $ids AS id
MATCH (c:Claim {id: id})<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
WITH c, ev, a
ORDER BY a.published, a.id, ev.start
WITH c,
     count(DISTINCT a) AS articles,
     count(DISTINCT coalesce('source:' + a.source, 'article:' + a.id)) AS sources,
     min(a.published) AS first_published,
     max(a.published) AS last_published,
     max(ev.confidence) AS max_confidence,
     head(collect(ev.statement)) AS statement
SET c.article_count = articles,
    c.source_count = sources,
    c.first_published = first_published,
    c.last_published = last_published,
    c.max_confidence = max_confidence,
    c.statement = statement
"""


def _derived_statement(claim_type: str) -> str:
    label = CLAIM_LABELS[claim_type]
    qualifier = {"RELEASED": ", r.status = c.status", "AFFILIATED_WITH": ", r.role = c.role"}.get(claim_type, "")
    return f"""
UNWIND $ids AS id
MATCH (c:Claim {{id: id}})
WHERE c:{label}
MATCH (c)-[:SUBJECT]->(s:Entity)
MATCH (c)-[:OBJECT]->(o:Entity)
MERGE (s)-[r:{claim_type} {{claim: c.id}}]->(o)
SET r.sources = c.source_count, r.articles = c.article_count{qualifier}
"""


#: claim type -> statement creating/updating the direct relationship derived from each claim.
SYNC_DERIVED: Final[dict[str, str]] = {t: _derived_statement(t) for t in DERIVED_RELATIONSHIPS}

#: Delete entities that nothing refers to any more (no mention, no claim).
DELETE_ORPHAN_ENTITIES: Final = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
WHERE NOT EXISTS { MATCH (e)<-[:MENTIONS|SUBJECT|OBJECT|ABOUT]-() }
DETACH DELETE e
"""

# --------------------------------------------------------------------------------------------
# Counting (for summaries and tests)
# --------------------------------------------------------------------------------------------

COUNT_ARTICLES: Final = "MATCH (a:Article) RETURN count(a) AS n"
