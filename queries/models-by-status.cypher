// name: models-by-status
// description: Models by release status (released, planned, announced): who is behind each and
//   when it was first and last reported, with the reporting articles.
// param: status: string = null — released, planned or announced; null lists every status
// example: kg query models-by-status --param status=planned
MATCH (m:Model)<-[:OBJECT]-(c:Claim:Released)-[:SUBJECT]->(o:Entity)
WHERE $status IS NULL OR c.status = toLower($status)
MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH m, c, o, a
ORDER BY a.published, a.id
WITH m, c.status AS status,
     collect(DISTINCT o.name) AS organizations,
     min(a.published) AS first_reported,
     max(a.published) AS last_reported,
     collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN m.name AS model, status, organizations, first_reported, last_reported, sources
ORDER BY status, first_reported, model
