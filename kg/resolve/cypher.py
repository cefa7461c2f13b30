"""Every Cypher statement ``kg resolve`` runs, as named constants (data only ever as parameters).

The resolution layer sits on top of what the loader writes and never changes it:

* ``(:Entity)-[:ALIAS_OF {rule, evidence, articles, claims, open_world, resolved_at}]->(:Entity)``
  from an alias node to its canonical entity (cross-article merges, reversible);
* ``(:Claim)-[:IN_CLUSTER {score, via}]->(:ClaimCluster {id, type, key, speaker, rule, method,
  threshold, claim_count, article_count, source_count, first_published, last_published,
  statement})``: reports of one fact under different keys (entities merged across articles) or
  one statement in other words (SAID paraphrases);
* ``(:Model)-[:IN_FAMILY]->(:ModelFamily {id, name, developer})`` and
  ``(:Organization)-[:DEVELOPS {basis: 'gazetteer'}]->(:Model)``: background knowledge from
  ``pipelines/gazetteers/models.yml``, never counted as a report;
* ``(:Claim)-[:CONTRADICTS {kind, rank}]->(:Claim)``: two facts that reports may disagree on
  (``kind`` release, role, affiliation or speaker), the candidates the ``contradictions`` query
  checks (its time window, the claims' current reports) and lists, in ``rank`` order;
* ``content_lemmas`` / ``features_version`` on ``:Said`` claims: cached statement features.

Batch statements take ``$rows`` or ``$ids`` and ``UNWIND`` them.
"""

from __future__ import annotations

from typing import Final

# Shared with the loader, which keeps the layer correct between runs.
from kg.neo4j.cypher import DELETE_EMPTY_FAMILIES, DISSOLVE_SMALL_CLUSTERS, RECOUNT_CLUSTERS  # noqa: F401
from kg.neo4j.cypher import SET_CONTRADICTION_RANK
from kg.outlets import CONTENTLESS_MAX_CHARS, CONTENTLESS_STATEMENT

GAZETTEER_BASIS: Final = "gazetteer"

# -- reading ---------------------------------------------------------------------------------------

READ_PERSONS: Final = "MATCH (p:Person) RETURN p.id AS id, p.name AS name"

READ_AFFILIATIONS: Final = """
MATCH (p:Person)<-[:SUBJECT]-(c:Affiliation)-[:OBJECT]->(o:Organization)
MATCH (c)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
WITH p, o, c, ev, a ORDER BY a.published, a.id
RETURN p.id AS person, o.id AS org, c.id AS claim, collect(DISTINCT a.id) AS articles, head(collect(ev.text)) AS text
"""

#: For each given person: the articles that mention them and the organizations each mentions.
READ_PERSON_ARTICLE_ORGS: Final = """
UNWIND $ids AS id
MATCH (p:Person {id: id})<-[:MENTIONS]-(a:Article)
OPTIONAL MATCH (a)-[:MENTIONS]->(o:Organization)
RETURN p.id AS person, a.id AS article, collect(DISTINCT o.id) AS orgs
"""

READ_LEARNED_ALIASES: Final = """
MATCH (e:Entity)
WHERE e.merges IS NOT NULL
RETURN e.id AS id, e.merges AS merges
"""

READ_EXISTING_ENTITIES: Final = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN e.id AS id, e.type AS type
"""

READ_LIVE_MENTIONS: Final = """
UNWIND $rows AS row
MATCH (:Article {id: row.article})-[:MENTIONS]->(:Entity {id: row.entity})
RETURN row.article AS article, row.entity AS entity
"""

READ_ALIAS_LINKS: Final = """
MATCH (s:Entity)-[r:ALIAS_OF]->(t:Entity)
RETURN s.id AS source, t.id AS target, r.rule AS rule, r.evidence AS evidence, r.articles AS articles,
       s.name AS source_name, t.name AS target_name
ORDER BY target, source
"""

READ_MODELS: Final = "MATCH (m:Model) RETURN m.id AS id, m.name AS name"

READ_ORGANIZATION_IDS: Final = """
UNWIND $ids AS id
MATCH (o:Organization {id: id})
RETURN o.id AS id
"""

READ_FAMILY_LINKS: Final = "MATCH (m:Model)-[:IN_FAMILY]->(f:ModelFamily) RETURN m.id AS model, f.id AS family"

READ_GAZETTEER_DEVELOPERS: Final = """
MATCH (o:Organization)-[r:DEVELOPS]->(m:Model)
WHERE r.basis = 'gazetteer'
RETURN o.id AS org, m.id AS model
"""

#: SAID claims with a named speaker: statement, cached features, articles, what they are about.
READ_SAID_CLAIMS: Final = """
MATCH (c:Said)-[:SUBJECT]->(s:Entity)
MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH c, s, collect(DISTINCT a.id) AS articles
OPTIONAL MATCH (c)-[:ABOUT]->(x:Entity)
RETURN c.id AS id, s.id AS speaker, c.statement AS statement, toString(c.first_published) AS first,
       articles, collect(x.id) AS about, c.content_lemmas AS features, c.features_version AS version
"""

#: Claims of the types in ``$types`` (those kg/schema.py marks ``fact_clusters``) whose subject or
#: object is one of the given entities.
READ_FACT_CLAIMS_OF: Final = """
UNWIND $ids AS id
MATCH (:Entity {id: id})<-[:SUBJECT|OBJECT]-(c:Claim)
WHERE c.type IN $types
WITH DISTINCT c
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
RETURN c.id AS id, c.type AS type, s.id AS subject, o.id AS object, c.status AS status
"""

READ_CLUSTERS: Final = """
MATCH (k:ClaimCluster)
OPTIONAL MATCH (k)<-[:IN_CLUSTER]-(c:Claim)
RETURN k.id AS id, collect(c.id) AS members
"""

#: Every cluster with its members and their reports, for ``kg resolve --explain`` and reports.
READ_CLUSTER_DETAILS: Final = """
MATCH (k:ClaimCluster)<-[r:IN_CLUSTER]-(c:Claim)
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
OPTIONAL MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH k, c, r, s, o, collect(DISTINCT coalesce(a.source, a.outlet, 'unknown outlet')) AS outlets
ORDER BY k.type, k.source_count DESC, k.id, c.first_published, c.id
RETURN k.id AS id, k.type AS type, k.key AS key, k.rule AS rule, k.source_count AS sources,
       k.article_count AS articles, k.statement AS statement,
       collect({claim: c.id, subject: s.name, object: o.name, statement: c.statement, score: r.score, outlets: outlets}) AS members
"""

#: Pairs of claims that reports may disagree on, as ``kg resolve`` stores them (``CONTRADICTS``):
#: the rules of queries/contradictions.cypher without what changes between runs (the reports'
#: dates, checked by the query with its ``days``). A released model and a plan or announcement of
#: it by the same organization (``a`` the release); one person given two roles at one
#: organization or two organizations (aliases of one entity aside); one statement (same words,
#: case and spacing aside, with a content clause: kg/outlets.py) attributed to two speakers that
#: are not one (aliases, one surname, an organization and its longer-named part).
READ_CONTRADICTION_CANDIDATES: Final = (
    """
MATCH (o:Entity)<-[:SUBJECT]-(a:Claim:Released {status: 'released'})-[:OBJECT]->(m:Entity)
MATCH (o)<-[:SUBJECT]-(b:Claim:Released)-[:OBJECT]->(m)
WHERE b.status IN ['planned', 'announced']
RETURN a.id AS a, b.id AS b, 'release' AS kind
UNION ALL
MATCH (p:Entity)<-[:SUBJECT]-(a:Claim:Affiliation)-[:OBJECT]->(o1:Entity)
MATCH (p)<-[:SUBJECT]-(b:Claim:Affiliation)-[:OBJECT]->(o2:Entity)
WHERE a.id < b.id
  AND ((o1 = o2 AND a.role IS NOT NULL AND b.role IS NOT NULL AND toLower(a.role) <> toLower(b.role)) OR o1 <> o2)
  AND NOT EXISTS { (o1)-[:ALIAS_OF]-(o2) }
  AND NOT EXISTS { (o1)-[:ALIAS_OF]->(:Entity)<-[:ALIAS_OF]-(o2) }
RETURN a.id AS a, b.id AS b, CASE WHEN o1 = o2 THEN 'role' ELSE 'affiliation' END AS kind
UNION ALL
MATCH (a:Claim:Said)-[:SUBJECT]->(s1:Entity)
WHERE a.statement IS NOT NULL
// statements equal once spaces are collapsed are also equal with every space removed: that cheap
// key groups them first, and only statements that share it are checked and compared word by word
WITH toLower(trim(replace(a.statement, ' ', ''))) AS rough, collect([a, s1]) AS said
WHERE size(said) > 1
UNWIND said AS pair
WITH pair[0] AS a, pair[1] AS s1
"""
    + f"WHERE (size(a.statement) > {CONTENTLESS_MAX_CHARS} OR NOT a.statement =~ '{CONTENTLESS_STATEMENT.replace(chr(92), chr(92) * 2)}')\n"
    + """WITH toLower(trim(reduce(t = '', w IN split(a.statement, ' ') | CASE WHEN w = '' THEN t ELSE t + ' ' + w END))) AS text,
     collect([a, s1]) AS said
WHERE size(said) > 1
UNWIND said AS x
UNWIND said AS y
WITH x[0] AS a, x[1] AS s1, y[0] AS b, y[1] AS s2
WHERE a.id < b.id AND s1 <> s2
  AND NOT EXISTS { (s1)-[:ALIAS_OF]-(s2) }
  AND NOT EXISTS { (s1)-[:ALIAS_OF]->(:Entity)<-[:ALIAS_OF]-(s2) }
  AND NOT (s1:Person AND s2:Person AND last(split(s1.name, ' ')) = last(split(s2.name, ' ')))
  AND NOT (s1:Organization AND s2:Organization AND (s1.name STARTS WITH s2.name + ' ' OR s2.name STARTS WITH s1.name + ' '))
RETURN a.id AS a, b.id AS b, 'speaker' AS kind
"""
)

#: The stored contradictions.
READ_CONTRADICTIONS: Final = "MATCH (a:Claim)-[r:CONTRADICTS]->(b:Claim) RETURN a.id AS a, b.id AS b, r.kind AS kind"

# -- writing ---------------------------------------------------------------------------------------

WRITE_ALIAS_LINKS: Final = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.source})
MATCH (t:Entity {id: row.target})
MERGE (s)-[r:ALIAS_OF]->(t)
SET r.rule = row.rule, r.evidence = row.evidence, r.articles = row.articles, r.claims = row.claims,
    r.open_world = row.open_world, r.resolved_at = datetime.transaction()
"""

DELETE_ALIAS_LINKS: Final = """
UNWIND $rows AS row
MATCH (:Entity {id: row.source})-[r:ALIAS_OF]->(:Entity {id: row.target})
DELETE r
"""

WRITE_STATEMENT_FEATURES: Final = """
UNWIND $rows AS row
MATCH (c:Claim {id: row.id})
SET c.content_lemmas = row.features, c.features_version = row.version
"""

DELETE_CLUSTERS: Final = """
UNWIND $ids AS id
MATCH (k:ClaimCluster {id: id})
DETACH DELETE k
"""

CREATE_CLUSTERS: Final = """
UNWIND $rows AS row
MERGE (k:ClaimCluster {id: row.id})
SET k.type = row.type, k.key = row.key, k.speaker = row.speaker, k.rule = row.rule,
    k.method = row.method, k.threshold = row.threshold
"""

LINK_CLUSTER_MEMBERS: Final = """
UNWIND $rows AS row
MATCH (k:ClaimCluster {id: row.cluster})
MATCH (c:Claim {id: row.claim})
MERGE (c)-[r:IN_CLUSTER]->(k)
SET r.score = row.score, r.via = row.via
"""

WRITE_FAMILY_LINKS: Final = """
UNWIND $rows AS row
MATCH (m:Model {id: row.model})
MERGE (f:ModelFamily {id: row.family})
SET f.name = row.name, f.developer = row.developer
MERGE (m)-[:IN_FAMILY]->(f)
SET m.family = row.name
"""

DELETE_FAMILY_LINKS: Final = """
UNWIND $rows AS row
MATCH (m:Model {id: row.model})-[r:IN_FAMILY]->(f:ModelFamily {id: row.family})
DELETE r
REMOVE m.family
"""

WRITE_GAZETTEER_DEVELOPERS: Final = """
UNWIND $rows AS row
MATCH (o:Organization {id: row.org})
MATCH (m:Model {id: row.model})
MERGE (o)-[r:DEVELOPS {basis: 'gazetteer'}]->(m)
SET r.source = row.source
"""

DELETE_GAZETTEER_DEVELOPERS: Final = """
UNWIND $rows AS row
MATCH (:Organization {id: row.org})-[r:DEVELOPS]->(:Model {id: row.model})
WHERE r.basis = 'gazetteer'
DELETE r
"""

# -- undoing everything ----------------------------------------------------------------------------

WRITE_CONTRADICTIONS: Final = (
    """
UNWIND $rows AS row
MATCH (a:Claim {id: row.a})
MATCH (b:Claim {id: row.b})
MERGE (a)-[r:CONTRADICTS {kind: row.kind}]->(b)
"""
    + SET_CONTRADICTION_RANK
)

DELETE_CONTRADICTIONS: Final = """
UNWIND $rows AS row
MATCH (:Claim {id: row.a})-[r:CONTRADICTS {kind: row.kind}]->(:Claim {id: row.b})
DELETE r
"""

#: The sort key of every stored contradiction, rewritten where it changed (an entity renamed by a
#: later load: the loader rewrites the keys of the claims it recounts, not of renamed entities).
REFRESH_CONTRADICTION_RANKS: Final = "MATCH (a:Claim)-[r:CONTRADICTS]->(b:Claim)\n" + SET_CONTRADICTION_RANK

CLEAR_ALIAS_LINKS: Final = "MATCH ()-[r:ALIAS_OF]->() DELETE r"
CLEAR_CONTRADICTIONS: Final = "MATCH ()-[r:CONTRADICTS]->() DELETE r"
CLEAR_CLUSTERS: Final = "MATCH (k:ClaimCluster) DETACH DELETE k"
CLEAR_FAMILIES: Final = "MATCH (f:ModelFamily) DETACH DELETE f"
CLEAR_MODEL_FAMILY_PROPERTY: Final = "MATCH (m:Model) WHERE m.family IS NOT NULL REMOVE m.family"
CLEAR_GAZETTEER_DEVELOPERS: Final = "MATCH ()-[r:DEVELOPS]->() WHERE r.basis = 'gazetteer' DELETE r"
