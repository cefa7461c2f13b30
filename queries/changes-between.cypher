// name: changes-between
// description: What changed between two dates: facts first reported within the window (new
//   releases, plans, affiliations, statements), oldest first, with the reports in the window.
// param: since: date — window start (inclusive)
// param: until: date — window end (inclusive)
// param: type: string = null — RELEASED, DEVELOPS, SAID or AFFILIATED_WITH; null for all
// param: limit: int = 200 — how many facts to list (the first reported first)
// example: kg query changes-between --param since=2025-08-01 --param until=2025-08-07
MATCH (c:Claim)
WHERE c.first_published >= $since AND c.first_published <= $until
  AND ($type IS NULL OR c.type = toUpper($type))
WITH c ORDER BY c.first_published, c.type, c.id LIMIT $limit
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WHERE a.published <= $until
WITH c, s, o, a
ORDER BY a.published, a.id
WITH c, s, o, collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN c.first_published AS first_reported,
       c.type AS type,
       s.name AS subject,
       o.name AS object,
       CASE c.type
         WHEN 'RELEASED' THEN c.status
         WHEN 'AFFILIATED_WITH' THEN c.role
         WHEN 'SAID' THEN c.statement
       END AS detail,
       size(sources) AS articles,
       sources
ORDER BY first_reported, type, subject, object
