// name: corroborated-claims
// description: Facts reported by at least N independent outlets (distinct article sources; an
//   article without a source counts as its own outlet), strongest first, with every report.
//   After `kg resolve`, a cluster of claims (the same statement in other words, the same fact
//   under merged names) counts as one fact, its subject and object shown by canonical name.
// param: min_sources: int = 2 — fewest independent outlets
// param: type: string = null — RELEASED, DEVELOPS, SAID or AFFILIATED_WITH; null for all
// param: limit: int = 100 — how many facts to list (the strongest; ties broken by claim id)
// example: kg query corroborated-claims
// example: kg query corroborated-claims --param min_sources=3 --param type=RELEASED
MATCH (c:Claim)
WHERE $type IS NULL OR c.type = toUpper($type)
OPTIONAL MATCH (c)-[:IN_CLUSTER]->(k:ClaimCluster)
WITH coalesce(k, c) AS fact, collect(c) AS members
WHERE fact.source_count >= $min_sources
WITH fact, members,
     reduce(first = head(members), m IN members |
       CASE WHEN m.first_published < first.first_published THEN m ELSE first END) AS rep
// choose the page before reading any report: a large graph has hundreds of thousands of facts
ORDER BY fact.source_count DESC, fact.article_count DESC, fact.first_published, rep.type, rep.id
LIMIT $limit
OPTIONAL MATCH (rep)-[:SUBJECT]->(s0:Entity)
OPTIONAL MATCH (s0)-[:ALIAS_OF]->(s1:Entity)
OPTIONAL MATCH (rep)-[:OBJECT]->(o0:Entity)
OPTIONAL MATCH (o0)-[:ALIAS_OF]->(o1:Entity)
WITH fact, members, rep, coalesce(s1, s0) AS s, coalesce(o1, o0) AS o
UNWIND members AS m
MATCH (m)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH fact, rep, s, o, a
ORDER BY a.published, a.id
WITH fact, rep, s, o, collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN rep.type AS type,
       s.name AS subject,
       o.name AS object,
       CASE rep.type
         WHEN 'RELEASED' THEN rep.status
         WHEN 'AFFILIATED_WITH' THEN rep.role
         WHEN 'SAID' THEN rep.statement
       END AS detail,
       fact.source_count AS outlets,
       fact.article_count AS articles,
       fact.first_published AS first_reported,
       sources
ORDER BY outlets DESC, articles DESC, first_reported, type, subject, object
