// name: affiliations
// description: Who is affiliated with whom: people, their roles and organizations, with how many
//   outlets report each affiliation and the articles.
// param: person: string = null — person name or alias, case-insensitive; null for everyone
// param: org: string = null — organization name or alias, case-insensitive; null for all
// example: kg query affiliations --param org=OpenAI
MATCH (p:Entity)<-[:SUBJECT]-(c:Claim:Affiliation)-[:OBJECT]->(o:Entity)
WHERE ($person IS NULL
       OR toLower(p.name) = toLower($person) OR toLower(p.id) = toLower($person)
       OR any(alias IN coalesce(p.aliases, []) WHERE toLower(alias) = toLower($person)))
  AND ($org IS NULL
       OR toLower(o.name) = toLower($org) OR toLower(o.id) = toLower($org)
       OR any(alias IN coalesce(o.aliases, []) WHERE toLower(alias) = toLower($org)))
MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH p, c, o, a
ORDER BY a.published, a.id
WITH p, c, o, collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN p.name AS person, c.role AS role, o.name AS organization,
       c.source_count AS outlets, c.first_published AS first_reported, sources
ORDER BY organization, person, role
