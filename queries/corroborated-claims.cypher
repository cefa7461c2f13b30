// name: corroborated-claims
// description: Facts reported by at least N independent outlets (distinct article sources; an
//   article without a source counts as its own outlet), strongest first, with every report.
// param: min_sources: int = 2 — fewest independent outlets
// param: type: string = null — RELEASED, DEVELOPS, SAID or AFFILIATED_WITH; null for all
// example: kg query corroborated-claims
// example: kg query corroborated-claims --param min_sources=3 --param type=RELEASED
MATCH (c:Claim)
WHERE c.source_count >= $min_sources
  AND ($type IS NULL OR c.type = toUpper($type))
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH c, s, o, a
ORDER BY a.published, a.id
WITH c, s, o, collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN c.type AS type,
       s.name AS subject,
       o.name AS object,
       CASE c.type
         WHEN 'RELEASED' THEN c.status
         WHEN 'AFFILIATED_WITH' THEN c.role
         WHEN 'SAID' THEN c.statement
       END AS detail,
       c.source_count AS outlets,
       c.article_count AS articles,
       c.first_published AS first_reported,
       sources
ORDER BY outlets DESC, articles DESC, first_reported, type, subject, object
