// name: releases-by-organization
// description: Which models each organization released, plans to release or announced, with
//   the articles that report it (optionally only reports published within a date window).
// param: org: string = null — organization name or alias, case-insensitive; null lists every organization
// param: status: string = null — released, planned or announced; null for all three
// param: since: date = null — only reports published on or after this date
// param: until: date = null — only reports published on or before this date
// example: kg query releases-by-organization --param org="Zhipu AI"
// example: kg query releases-by-organization --param since=2025-08-01 --param until=2025-08-31
CALL () { // every release claim, or those of the organization named $org (id, name or alias), found through indexes
  MATCH (o:Entity)<-[:SUBJECT]-(c:Claim:Released) WHERE $org IS NULL RETURN o, c
  UNION
  CALL () {
    MATCH (o:Entity {id: toLower($org)}) RETURN o
    UNION
    CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($org, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS o
    WITH o WHERE toLower(o.name) = toLower($org) OR any(alias IN coalesce(o.aliases, []) WHERE toLower(alias) = toLower($org))
    RETURN o
  }
  MATCH (o)<-[:SUBJECT]-(c:Claim:Released) RETURN o, c
}
MATCH (c)-[:OBJECT]->(m:Entity)
WHERE $status IS NULL OR c.status = toLower($status)
MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WHERE ($since IS NULL OR a.published >= $since)
  AND ($until IS NULL OR a.published <= $until)
// independent outlets in the window, counted as corroborated-claims does (docs/queries.md)
WITH o, m, c, a,
     coalesce(head(COLLECT { MATCH (b:Article {body_hash: a.body_hash})
                             RETURN coalesce(b.outlet, '') AS first ORDER BY b.published, b.id LIMIT 1 }),
              coalesce(a.outlet, trim(a.source), '')) AS outlet
ORDER BY a.published, a.id
WITH o, m, c,
     min(a.published) AS first_reported,
     count(DISTINCT toLower(outlet)) AS outlets,
     collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN o.name AS organization, m.name AS model, c.status AS status, first_reported, outlets, sources
ORDER BY organization, first_reported, model
