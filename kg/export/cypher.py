"""The export home of Cypher: the fixed read statements that snapshot a whole graph for export.

No parameters, nothing built from input (the claim qualifiers' columns come from the schema registry); :mod:`kg.export.neo4j_source` runs them all in one
read-only transaction so an export is a consistent snapshot even while a load is running.
"""

from __future__ import annotations

from typing import Final

from kg.schema import qualifier_names

READ_ENTITIES: Final = """
MATCH (e:Entity)
RETURN e.id AS id, e.type AS type, e.name AS name, coalesce(e.aliases, []) AS aliases, e.kind AS kind
ORDER BY id
"""

READ_ARTICLES: Final = """
MATCH (a:Article)
RETURN a.id AS id, a.title AS title, a.published AS published, a.source AS source, a.url AS url,
       a.author AS author, a.path AS path, a.content_hash AS content_hash,
       a.outlet AS outlet, a.body_hash AS body_hash
ORDER BY published, id
"""

READ_MENTIONS: Final = """
MATCH (a:Article)-[m:MENTIONS]->(e:Entity)
RETURN a.id AS article, e.id AS entity, m.count AS count, m.spans AS spans, m.texts AS texts, m.sentences AS sentences
ORDER BY article, entity
"""

READ_CLAIMS: Final = """
MATCH (c:Claim)
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
RETURN c.id AS id, c.type AS type, s.id AS subject, o.id AS object%s
ORDER BY id
""" % "".join(f", c.{q} AS {q}" for q in qualifier_names())

READ_REPORTS: Final = """
MATCH (ev:Evidence)-[:SUPPORTS]->(c:Claim)
MATCH (ev)-[:IN]->(a:Article)
RETURN c.id AS claim, a.id AS article, properties(ev) AS props
ORDER BY claim, article, props.start
"""

#: ``kg resolve``'s alias links (none before it ran).
READ_ALIAS_LINKS: Final = """
MATCH (s:Entity)-[r:ALIAS_OF]->(t:Entity)
RETURN s.id AS alias, t.id AS canonical, r.rule AS rule, r.evidence AS evidence, coalesce(r.articles, []) AS articles
ORDER BY alias, canonical
"""

#: ``kg resolve``'s claim clusters with their members.
READ_CLUSTERS: Final = """
MATCH (k:ClaimCluster)<-[r:IN_CLUSTER]-(c:Claim)
WITH k, r, c ORDER BY c.id
RETURN k.id AS id, k.type AS type, k.key AS key, k.rule AS rule, collect(c.id) AS members, collect(r.score) AS scores
ORDER BY id
"""
