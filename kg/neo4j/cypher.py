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

from kg.schema import CLAIMS, ENTITIES, OUTLET_RULE_VERSION, SAID_SPANS, qualifier_names, relationship_claim_types, stored_entity_types

# --------------------------------------------------------------------------------------------
# Labels and relationship types (closed sets from the registry, kg/schema.py; labels cannot be
# parameters in Cypher)
# --------------------------------------------------------------------------------------------

#: Entity ``type`` (as in the graph document) -> extra node label, for every stored type.
ENTITY_LABELS: Final[dict[str, str]] = {str(t): ENTITIES[t].label for t in stored_entity_types()}

#: Claim ``type`` (as in the graph document) -> extra node label of the reified :Claim.
CLAIM_LABELS: Final[dict[str, str]] = {str(t): spec.label for t, spec in CLAIMS.items()}

#: Claim types that also get a direct subject -> object relationship, for simple queries and
#: pictures. The relationship type equals the claim type.
DERIVED_RELATIONSHIPS: Final[tuple[str, ...]] = tuple(str(t) for t in relationship_claim_types())
#: Claim qualifiers (fact properties set when the fact is created): status, role.
QUALIFIERS: Final[tuple[str, ...]] = qualifier_names()

# --------------------------------------------------------------------------------------------
# Schema: constraints and indexes (all idempotent)
# --------------------------------------------------------------------------------------------

CONSTRAINT_ARTICLE_ID: Final = "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE"
CONSTRAINT_ENTITY_ID: Final = "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE"
CONSTRAINT_CLAIM_ID: Final = "CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (c:Claim) REQUIRE c.id IS UNIQUE"
CONSTRAINT_EVIDENCE_ID: Final = "CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (ev:Evidence) REQUIRE ev.id IS UNIQUE"
INDEX_ENTITY_NAME: Final = "CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)"
INDEX_ARTICLE_PUBLISHED: Final = "CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published)"
INDEX_ARTICLE_BODY_HASH: Final = "CREATE INDEX article_body_hash IF NOT EXISTS FOR (a:Article) ON (a.body_hash)"
CONSTRAINT_WRITE_LOCK: Final = "CREATE CONSTRAINT write_lock IF NOT EXISTS FOR (l:NewskgLock) REQUIRE l.name IS UNIQUE"
INDEX_CLAIM_TYPE: Final = "CREATE INDEX claim_type IF NOT EXISTS FOR (c:Claim) ON (c.type)"
INDEX_CLAIM_FIRST_PUBLISHED: Final = "CREATE INDEX claim_first_published IF NOT EXISTS FOR (c:Claim) ON (c.first_published)"
#: The claims of one type in date order: single-source-claims reads the oldest of a type first
#: (a rare type is not found by reading every claim).
INDEX_CLAIM_TYPE_FIRST_PUBLISHED: Final = (
    "CREATE INDEX claim_type_first_published IF NOT EXISTS FOR (c:Claim) ON (c.type, c.first_published)"
)
#: Independent outlets per claim: corroborated-claims reads the strongest claims first through it
#: (no sort of every fact), single-source-claims seeks the claims of one outlet.
INDEX_CLAIM_SOURCE_COUNT: Final = "CREATE INDEX claim_source_count IF NOT EXISTS FOR (c:Claim) ON (c.source_count)"
#: The order of the contradictions `kg resolve` stores (``CONTRADICTS``, see ``contradiction_rank``):
#: the contradictions query reads those of each kind most reported first (a prefix search) and
#: stops when its page is full.
INDEX_CONTRADICTION_RANK: Final = "CREATE INDEX contradiction_rank IF NOT EXISTS FOR ()-[r:CONTRADICTS]-() ON (r.rank)"
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

#: The first statement of every loader write transaction: an exclusive lock on one node, held to
#: the commit, so that write transactions of concurrent loads (two `kg ingest` on overlapping
#: input) run one after the other, each seeing what the previous committed: the second finds the
#: articles stored and skips them instead of writing their mentions and reports a second time.
#: The node is created here and deleted by RELEASE_WRITE_LOCK at the end of the same transaction,
#: so the graph never keeps it: a second transaction's MERGE waits on the uniqueness constraint's
#: entry (held to the first one's commit), then creates its own.
TAKE_WRITE_LOCK: Final = """
MERGE (l:NewskgLock {name: 'writes'})
SET l.held = true
"""
RELEASE_WRITE_LOCK: Final = """
MATCH (l:NewskgLock {name: 'writes'})
DELETE l
"""

#: The stored content hash of each given article that exists. Decides new / changed / unchanged.
#: An article stored before outlets were normalized (no ``outlet_rule``) reads as changed, so the
#: next load rewrites it and its facts are recounted by the current rule (kg/outlets.py).
READ_ARTICLE_HASHES: Final = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, CASE WHEN a.outlet_rule = %d THEN a.content_hash END AS content_hash
""" % OUTLET_RULE_VERSION

#: Which of the given entities exist. Entities this load already wrote are checked by id only,
#: instead of re-sending their names and aliases with every batch that mentions them.
READ_EXISTING_ENTITIES: Final = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN e.id AS id
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
#
# Rows leave out null values (a missing map key reads as null) and nest per article, because
# the Python driver encodes parameters value by value and that encoding is the loader's main
# client-side cost.
# --------------------------------------------------------------------------------------------


#: A sortable key of a display name (the same as ``loader.name_rank``): fewer capital letters sort
#: later, then more spaces ("GLM 4.5" after "GLM-4.5"), then code-point order.
_NAME_RANK = (
    "(right('000' + toString(999 - size([c IN split({name}, '') WHERE c <> toLower(c)])), 3)"
    " + right('000' + toString(size([c IN split({name}, '') WHERE c = ' '])), 3) + {name})"
)


def _entity_statements(entity_type: str, label: str) -> tuple[str, str]:
    """(upsert, update) statements for entities of one type; ``row``: {id, name, aliases}."""
    others = ":".join(other for other in ENTITY_LABELS.values() if other != label)
    # The display name is chosen by a rule, not by which article came last (so that two loads in
    # any order, or a resumed one, agree): of the spellings seen, the one with the most capital
    # letters ("Labour Party" over "Labour party"), then the fewest spaces ("GLM-4.5" stays when a
    # later article writes "GLM 4.5"), then the smallest in code-point order. When
    # two spellings meet, both join the aliases; aliases are kept sorted.
    set_clause = (
        f"SET e:{label}, e.type = '{entity_type}',\n"
        f"    e.name = CASE WHEN e.name IS NULL OR {_NAME_RANK.format(name='row.name')} < {_NAME_RANK.format(name='e.name')}\n"
        "                  THEN row.name ELSE e.name END,\n"
        "    e.aliases = COLLECT { UNWIND coalesce(e.aliases, []) + coalesce(row.aliases, []) +\n"
        "                          CASE WHEN e.name IS NULL OR e.name = row.name THEN [] ELSE [e.name, row.name] END AS alias\n"
        "                          RETURN DISTINCT alias ORDER BY alias }\n"
        f"REMOVE e:{others}"
    )
    upsert = f"""
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
{set_clause}
"""
    # For entity lines that no written article references: refresh the node if it exists (an
    # article loaded earlier mentions it), never create an entity nothing points to.
    update = f"""
UNWIND $rows AS row
MATCH (e:Entity {{id: row.id}})
{set_clause}
"""
    return upsert, update


_ENTITY = {entity_type: _entity_statements(entity_type, label) for entity_type, label in ENTITY_LABELS.items()}
#: entity type -> statement creating or updating entities (name set, aliases unioned in order).
UPSERT_ENTITIES: Final[dict[str, str]] = {t: s[0] for t, s in _ENTITY.items()}
#: entity type -> statement updating entities only if present.
UPDATE_ENTITIES: Final[dict[str, str]] = {t: s[1] for t, s in _ENTITY.items()}

#: Create or replace articles (a null removes a stale property). ``loaded_at`` changes only when
#: content is (re)written, so a repeated load changes nothing.
UPSERT_ARTICLES: Final = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a.title = row.title, a.published = row.published, a.source = row.source, a.url = row.url,
    a.path = row.path, a.author = row.author, a.content_hash = row.content_hash,
    a.outlet = row.outlet, a.body_hash = row.body_hash, a.outlet_rule = %d,
    a.loaded_at = datetime.transaction()
""" % OUTLET_RULE_VERSION

#: The body hashes the given articles have now (before they are replaced or forgotten).
READ_BODY_HASHES: Final = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
WHERE a.body_hash IS NOT NULL
RETURN collect(DISTINCT a.body_hash) AS hashes
"""

#: Near-duplicates and syndicated copies: the articles sharing a body hash point at the one with
#: the smallest id, ``(copy)-[:DUPLICATE_OF]->(first)``. The result depends only on which articles
#: are stored, never on the order they were loaded in. First the links that no longer hold go
#: (an edited or forgotten article, a new smallest id), then the missing ones are merged.
UNLINK_DUPLICATES: Final = """
UNWIND $hashes AS h
MATCH (a:Article {body_hash: h})
WITH h, min(a.id) AS first_id
MATCH (a:Article {body_hash: h})-[d:DUPLICATE_OF]->(t:Article)
WHERE t.id <> first_id OR a.id = first_id
DELETE d
"""

LINK_DUPLICATES: Final = """
UNWIND $hashes AS h
MATCH (a:Article {body_hash: h})
WITH h, min(a.id) AS first_id
MATCH (first:Article {id: first_id})
MATCH (a:Article {body_hash: h})
WHERE a.id <> first_id
MERGE (a)-[:DUPLICATE_OF]->(first)
"""

#: One MENTIONS relationship per (article, entity); the article's old ones were deleted first.
#: ``row``: {article, mentions: [{entity, spans, texts, sentences}]}.
CREATE_MENTIONS: Final = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article})
UNWIND row.mentions AS m
MATCH (e:Entity {id: m.entity})
CREATE (a)-[:MENTIONS {count: size(m.texts), spans: m.spans, texts: m.texts, sentences: m.sentences}]->(e)
"""


def _claim_statement(claim_type: str, label: str) -> str:
    # A claim without counts yet was created by this batch: only then does it need its SUBJECT
    # and OBJECT links (they are part of the fact key, so an existing claim has them already).
    return f"""
UNWIND $rows AS row
MERGE (c:Claim {{id: row.id}})
ON CREATE SET c:{label}, c.type = '{claim_type}'{"".join(f", c.{q} = row.{q}" for q in QUALIFIERS)}
WITH c, row
WHERE c.article_count IS NULL
OPTIONAL MATCH (s:Entity {{id: row.subject}})
OPTIONAL MATCH (o:Entity {{id: row.object}})
FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | MERGE (c)-[:SUBJECT]->(s))
FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | MERGE (c)-[:OBJECT]->(o))
"""


#: claim type -> statement merging the reified fact nodes and their SUBJECT / OBJECT links;
#: ``row``: {id, status?, role?, subject?, object?}. Qualifiers are part of the fact key, so
#: they are set on creation; counts and dates are set after the reports.
MERGE_CLAIMS: Final[dict[str, str]] = {t: _claim_statement(t, label) for t, label in CLAIM_LABELS.items()}

#: ABOUT links of SAID claims: the union of what their reports name; ``row``: {id, about: [...]}.
LINK_CLAIM_ABOUT: Final = """
UNWIND $rows AS row
MATCH (c:Claim {id: row.id})
UNWIND row.about AS about
MATCH (x:Entity {id: about})
MERGE (c)-[:ABOUT]->(x)
"""

#: The span names of SAID claims stored on Evidence as ``<name>_start`` / ``<name>_end``.
SPAN_NAMES: Final[tuple[str, ...]] = SAID_SPANS

#: One Evidence node per claim line (report), linked to its fact and its article;
#: ``row``: {article, reports: [...]}. Properties are named one by one (not ``SET ev += map``):
#: a map of unknown keys makes the planner materialise all rows (Eager) to protect the lookups.
CREATE_EVIDENCE: Final = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article})
UNWIND row.reports AS r
MATCH (c:Claim {id: r.claim})
CREATE (ev:Evidence {id: r.id})
SET ev.sentence = r.sentence, ev.start = r.start, ev.end = r.end, ev.confidence = r.confidence,
    ev.text = r.text, ev.rule = r.rule, ev.statement = r.statement, ev.cue = r.cue,
    ev.source_text = r.source_text, ev.direct = r.direct, ev.about = r.about,
    ev.source_start = r.source_start, ev.source_end = r.source_end,
    ev.cue_start = r.cue_start, ev.cue_end = r.cue_end,
    ev.content_start = r.content_start, ev.content_end = r.content_end
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
OPTIONAL MATCH (c)-[:SUBJECT]->(:Entity)-[d:%s]->(:Entity)
WHERE d.claim = c.id
DELETE d
WITH DISTINCT c
OPTIONAL MATCH (c)-[:SUBJECT|OBJECT|ABOUT]->(e:Entity)
WITH c, collect(DISTINCT e.id) AS entities
DETACH DELETE c
RETURN entities
""" % "|".join(DERIVED_RELATIONSHIPS)

def _sync_derived() -> str:
    """Statement tail keeping each claim's derived subject -> object relationship in step with it.

    Appended to the statements that update claim counts, so the claims they visit need no second
    lookup. The relationship carries the claim id, so MERGE finds exactly its own.
    """
    clauses = ["WITH c", "OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)", "OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)", "WITH c, s, o"]
    for claim_type in DERIVED_RELATIONSHIPS:
        label = CLAIM_LABELS[claim_type]
        qualifier = "".join(f", r.{q.name} = c.{q.name}" for q in CLAIMS[claim_type].qualifiers if q.on_relationship)  # type: ignore[index]
        clauses.append(
            f"FOREACH (_ IN CASE WHEN c:{label} AND s IS NOT NULL AND o IS NOT NULL THEN [1] ELSE [] END |\n"
            f"  MERGE (s)-[r:{claim_type} {{claim: c.id}}]->(o)\n"
            f"  SET r.sources = c.source_count, r.articles = c.article_count{qualifier})"
        )
    return "\n".join(clauses) + "\n"


#: Separates the parts of a contradiction's sort key; below every character of a name or statement,
#: so the key sorts as its parts would one after the other.
RANK_SEPARATOR: Final = "\\u0001"
#: Characters of the subject (a name, or the statement) in the sort key: a range index entry has a
#: size limit; two subjects alike in their first 200 characters are ordered by claim ids instead.
RANK_SUBJECT_CHARS: Final = 200


def contradiction_rank(r: str = "r", a: str = "a", b: str = "b") -> str:
    """Cypher expression: the sort key of the stored contradiction ``r`` from claim ``a`` to claim
    ``b``: its kind, then the order of queries/contradictions.cypher as one string: outlets of both
    sides (descending), their articles (descending), subject (the statement, else the subject's
    name), the claim ids. The counts change as articles are loaded: the loader rewrites the key of
    a claim's contradictions whenever it recounts the claim."""
    sep = f"'{RANK_SEPARATOR}'"
    subject = (f"CASE {r}.kind WHEN 'speaker' THEN {a}.statement "
               f"ELSE head(COLLECT {{ MATCH ({a})-[:SUBJECT]->(s:Entity) RETURN s.name }}) END")
    return (
        f"{r}.kind + {sep}"
        f" + right('0000000000' + toString(1000000000 - coalesce({a}.source_count, 0) - coalesce({b}.source_count, 0)), 10)"
        f" + right('0000000000000' + toString(1000000000000 - coalesce({a}.article_count, 0) - coalesce({b}.article_count, 0)), 13)"
        f" + left(coalesce({subject}, ''), {RANK_SUBJECT_CHARS}) + {sep} + {a}.id + {sep} + {b}.id"
    )


#: Set ``rank`` of the contradictions ``r`` (from ``a`` to ``b``) in scope, where it changed.
SET_CONTRADICTION_RANK: Final = (
    f"WITH r, a, b, {contradiction_rank()} AS rank\n"
    "WHERE r.rank IS NULL OR r.rank <> rank\n"
    "SET r.rank = rank\n"
)

#: Whether the graph has claims but no stored contradictions (never resolved since they were
#: loaded): ``kg query contradictions`` says so when it lists nothing.
NO_STORED_CONTRADICTIONS: Final = "RETURN NOT EXISTS { ()-[:CONTRADICTS]->() } AND EXISTS { (:Claim) } AS unresolved"

#: Statement tail after the claim counts change: the sort keys of the claim's stored contradictions.
_SYNC_CONTRADICTIONS: Final = (
    "WITH c\n"
    "CALL (c) {\n"
    "  MATCH (c)-[r:CONTRADICTS]-(:Claim)\n"
    "  WITH r, startNode(r) AS a, endNode(r) AS b\n"
    + SET_CONTRADICTION_RANK
    + "}\n"
)

_SYNC_DERIVED: Final = _sync_derived() + _SYNC_CONTRADICTIONS


#: The independence key of a report's article ``a`` (kg/outlets.py): the normalized outlet of the
#: earliest article with the same body (a syndicated copy counts for its origin), else the
#: article's own outlet; ``''`` is the one unknown outlet. Articles loaded before outlets were
#: stored fall back to their source. Outlet names compare ignoring case. ``origin`` is [outlet, article id] of the first copy.
def report_key(a: str = "a") -> str:
    origin = (f"COLLECT {{ MATCH (b:Article {{body_hash: {a}.body_hash}}) "
              f"RETURN [coalesce(b.outlet, ''), b.id] AS first ORDER BY b.published, b.id LIMIT 1 }}")
    return (f"coalesce(head({origin}), [coalesce({a}.outlet, trim({a}.source), ''), {a}.id]) AS origin")


#: The claims reported by the given written articles (``$articles``) that have a copy (same body)
#: in the graph: syndication changes which reports are independent, so they are recounted in full.
CLAIMS_OF_COPIES: Final = """
UNWIND $articles AS aid
MATCH (a:Article {id: aid})
WHERE a.body_hash IS NOT NULL AND EXISTS { MATCH (b:Article {body_hash: a.body_hash}) WHERE b <> a }
MATCH (a)<-[:IN]-(:Evidence)-[:SUPPORTS]->(c:Claim)
RETURN collect(DISTINCT c.id) AS claims
"""

#: Recompute each claim's provenance summary from all its reports. Used for claims that lost
#: reports (replace, forget) and for SAID claims (whose statement is chosen among reports), so
#: the figures are exact and independent of load order. ``source_count`` counts independent
#: outlets (``report_key``: syndicated copies count once, every article of unknown origin is one
#: "unknown outlet"); ``outlets`` lists the known ones (normalized), sorted; ``syndicated`` counts
#: the reports that are copies of an earlier article. ``statement`` is the earliest report's (by publication date,
#: then article id, then offset). ``$ids``: claims that lost reports; ``$articles``: articles
#: written in this batch (their SAID claims that existed before are recounted).
RECOUNT_CLAIMS: Final = (
    "CALL () {\n"
    "  UNWIND $ids AS id MATCH (c:Claim {id: id}) RETURN c\n"
    "  UNION\n"
    "  UNWIND $articles AS aid\n"
    "  MATCH (:Article {id: aid})<-[:IN]-(:Evidence)-[:SUPPORTS]->(c:Said)\n"
    "  WHERE c.article_count IS NOT NULL\n"
    "  RETURN c\n"
    "}\n"
    "WITH DISTINCT c\n"
    + "MATCH (c)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)\n"
    + f"WITH c, ev, a, {report_key()}\n"
    + """ORDER BY a.published, a.id, ev.start
WITH c,
     count(DISTINCT a) AS articles,
     count(DISTINCT toLower(origin[0])) AS sources,
     collect(DISTINCT CASE WHEN origin[0] <> '' THEN origin[0] END) AS named,
     count(DISTINCT CASE WHEN origin[1] <> a.id THEN a END) AS copies,
     min(a.published) AS first_published,
     max(a.published) AS last_published,
     max(ev.confidence) AS max_confidence,
     head(collect(ev.statement)) AS statement
SET c.article_count = articles,
    c.source_count = sources,
    c.outlets = COLLECT { UNWIND named AS n WITH toLower(n) AS lowered, min(n) AS outlet RETURN outlet ORDER BY outlet },
    c.syndicated = copies,
    c.first_published = first_published,
    c.last_published = last_published,
    c.max_confidence = max_confidence,
    c.statement = statement
"""
    + _SYNC_DERIVED
)

#: Add the reports of the articles just written (``$articles``) to the counts of their claims,
#: without re-reading older reports (popular facts have thousands). Exact because a newly
#: written article has no earlier report of any claim, and one with a copy in the graph
#: (CLAIMS_OF_COPIES) has its claims recounted instead. Claims that lost reports in this batch
#: (``$exclude``) and SAID claims that existed before (their statement is chosen among all
#: reports) get RECOUNT_CLAIMS instead, which runs first. Both also sync derived relationships.
ADD_TO_CLAIM_COUNTS: Final = (
    """
UNWIND $articles AS aid
MATCH (a:Article {id: aid})<-[:IN]-(ev:Evidence)-[:SUPPORTS]->(c:Claim)
WHERE (NOT c:Said OR c.article_count IS NULL) AND NOT c.id IN $exclude
WITH c, ev, a, coalesce(a.outlet, trim(a.source), '') AS outlet
ORDER BY a.published, a.id, ev.start
WITH c,
     count(DISTINCT a) AS articles,
     count(CASE WHEN outlet = '' THEN 1 END) > 0 AS unknown,
     collect(DISTINCT CASE WHEN outlet <> '' THEN outlet END) AS named,
     min(a.published) AS first_published,
     max(a.published) AS last_published,
     max(ev.confidence) AS max_confidence,
     head(collect(ev.statement)) AS statement
WITH c, articles, unknown, first_published, last_published, max_confidence, statement,
     coalesce(c.source_count, 0) > size(coalesce(c.outlets, [])) AS old_unknown,
     COLLECT { UNWIND coalesce(c.outlets, []) + named AS n WITH toLower(n) AS lowered, min(n) AS outlet RETURN outlet ORDER BY outlet } AS outlets
SET c.article_count = coalesce(c.article_count, 0) + articles,
    c.statement = coalesce(c.statement, statement),
    c.outlets = outlets,
    c.syndicated = coalesce(c.syndicated, 0),
    c.source_count = size(outlets) + CASE WHEN old_unknown OR unknown THEN 1 ELSE 0 END,
    c.first_published = CASE
        WHEN first_published IS NULL THEN c.first_published
        WHEN c.first_published IS NULL OR first_published < c.first_published THEN first_published
        ELSE c.first_published END,
    c.last_published = CASE
        WHEN last_published IS NULL THEN c.last_published
        WHEN c.last_published IS NULL OR last_published > c.last_published THEN last_published
        ELSE c.last_published END,
    c.max_confidence = CASE
        WHEN c.max_confidence IS NULL OR max_confidence > c.max_confidence THEN max_confidence
        ELSE c.max_confidence END
"""
    + _SYNC_DERIVED
)


#: Delete entities that nothing refers to any more (no mention, no claim).
DELETE_ORPHAN_ENTITIES: Final = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
WHERE NOT EXISTS { MATCH (e)<-[:MENTIONS|SUBJECT|OBJECT|ABOUT]-() }
DETACH DELETE e
"""

# --------------------------------------------------------------------------------------------
# Entity attributes and the resolution layer (``kg resolve``, docs/resolution.md)
#
# The loader stores entity attributes (model family, known developer, organization kind, product
# owner, and the merges extraction made with their reasons) and keeps what ``kg resolve`` wrote
# correct when articles are replaced or forgotten: alias links whose evidence goes away are
# dropped, with the claim clusters that relied on them, and cluster counts follow their claims.
# --------------------------------------------------------------------------------------------

#: Entity attributes of the graph document as properties; ``merges`` (JSON strings, one per merge
#: with alias, rule and evidence) are unioned like aliases. ``row``: {id, family?, known_developer?,
#: kind?, product_of?, merges?}.
SET_ENTITY_ATTRIBUTES: Final = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
SET e.family = coalesce(row.family, e.family),
    e.known_developer = coalesce(row.known_developer, e.known_developer),
    e.kind = coalesce(row.kind, e.kind),
    e.product_of = coalesce(row.product_of, e.product_of),
    e.merges = CASE WHEN row.merges IS NULL THEN e.merges
               ELSE COLLECT { UNWIND coalesce(e.merges, []) + row.merges AS m RETURN DISTINCT m ORDER BY m } END
"""

#: Whether any part of the resolution layer exists (count-store lookups): loads into a graph that
#: was never resolved skip the upkeep below.
READ_RESOLUTION_LAYER: Final = """
CALL () { MATCH ()-[r:ALIAS_OF]->() RETURN count(r) AS links }
CALL () { MATCH (k:ClaimCluster) RETURN count(k) AS clusters }
CALL () { MATCH (f:ModelFamily) RETURN count(f) AS families }
RETURN links, clusters, families
"""

#: Drop alias links that rest on one of the given (replaced or forgotten) articles; returns the
#: alias entities that lost their link.
DROP_ALIAS_LINKS_OF_ARTICLES: Final = """
MATCH (s:Entity)-[r:ALIAS_OF]->(:Entity)
WHERE any(article IN coalesce(r.articles, []) WHERE article IN $ids)
DELETE r
RETURN collect(DISTINCT s.id) AS entities
"""

#: Drop the open-world alias links (surname rule) of entities a newly written article mentions:
#: the new article may be about someone else with that surname. ``kg resolve`` re-decides.
DROP_OPEN_ALIAS_LINKS_OF_ENTITIES: Final = """
UNWIND $ids AS id
MATCH (s:Entity {id: id})-[r:ALIAS_OF]->(:Entity)
WHERE r.open_world
DELETE r
RETURN collect(DISTINCT s.id) AS entities
"""

#: Dissolve the claim clusters that mapped a member through one of the given alias entities.
DISSOLVE_CLUSTERS_VIA: Final = """
MATCH (:Claim)-[r:IN_CLUSTER]->(k:ClaimCluster)
WHERE any(alias IN coalesce(r.via, []) WHERE alias IN $ids)
WITH DISTINCT k
DETACH DELETE k
"""

#: The clusters of the given claims (``$ids``) and of the claims reported by the given articles
#: (``$articles``): their counts change with this batch.
CLUSTERS_OF_CLAIMS: Final = """
CALL () {
  UNWIND $ids AS id
  MATCH (:Claim {id: id})-[:IN_CLUSTER]->(k:ClaimCluster)
  RETURN k
  UNION
  UNWIND $articles AS aid
  MATCH (:Article {id: aid})<-[:IN]-(:Evidence)-[:SUPPORTS]->(:Claim)-[:IN_CLUSTER]->(k:ClaimCluster)
  RETURN k
}
RETURN collect(DISTINCT k.id) AS clusters
"""

#: Delete clusters left with fewer than two member claims.
DISSOLVE_SMALL_CLUSTERS: Final = """
UNWIND $ids AS id
MATCH (k:ClaimCluster {id: id})
WHERE COUNT { (k)<-[:IN_CLUSTER]-(:Claim) } < 2
DETACH DELETE k
"""

#: A cluster's provenance summary over all reports of all its claims, counted like a claim's:
#: ``source_count`` is independent outlets (``report_key``), as for a claim.
RECOUNT_CLUSTERS: Final = """
UNWIND $ids AS id
MATCH (k:ClaimCluster {id: id})<-[:IN_CLUSTER]-(c:Claim)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
""" + f"WITH k, c, ev, a, {report_key()}\n" + """ORDER BY a.published, a.id, ev.start
WITH k,
     count(DISTINCT c) AS claims,
     count(DISTINCT a) AS articles,
     count(DISTINCT toLower(origin[0])) AS sources,
     collect(DISTINCT CASE WHEN origin[0] <> '' THEN origin[0] END) AS named,
     count(DISTINCT CASE WHEN origin[1] <> a.id THEN a END) AS copies,
     min(a.published) AS first_published,
     max(a.published) AS last_published,
     head(collect(ev.statement)) AS statement
SET k.claim_count = claims,
    k.article_count = articles,
    k.source_count = sources,
    k.outlets = COLLECT { UNWIND named AS n WITH toLower(n) AS lowered, min(n) AS outlet RETURN outlet ORDER BY outlet },
    k.syndicated = copies,
    k.first_published = first_published,
    k.last_published = last_published,
    k.statement = statement
"""

#: Delete model families no model belongs to any more (after orphan entities were deleted).
DELETE_EMPTY_FAMILIES: Final = """
MATCH (f:ModelFamily)
WHERE NOT EXISTS { MATCH (f)<-[:IN_FAMILY]-() }
DETACH DELETE f
"""
