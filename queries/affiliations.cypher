// name: affiliations
// description: Who is affiliated with whom: people, their roles and organizations, with how many
//   outlets report each affiliation and the articles.
// param: person: string = null — person name or alias, case-insensitive; null for everyone
// param: org: string = null — organization name or alias, case-insensitive; null for all
// example: kg query affiliations --param org=OpenAI
CALL () { // every affiliation claim, or those of the person named $person, or else of the organization named $org, found through indexes
  MATCH (p:Entity)<-[:SUBJECT]-(c:Claim:Affiliation) WHERE $person IS NULL AND $org IS NULL RETURN p, c
  UNION
  CALL () {
    MATCH (p:Entity {id: toLower($person)}) RETURN p
    UNION
    CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($person, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS p
    WITH p WHERE toLower(p.name) = toLower($person) OR any(alias IN coalesce(p.aliases, []) WHERE toLower(alias) = toLower($person))
    RETURN p
  }
  MATCH (p)<-[:SUBJECT]-(c:Claim:Affiliation) RETURN p, c
  UNION
  CALL () {
    MATCH (o:Entity {id: toLower($org)}) RETURN o
    UNION
    CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($org, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS o
    WITH o WHERE toLower(o.name) = toLower($org) OR any(alias IN coalesce(o.aliases, []) WHERE toLower(alias) = toLower($org))
    RETURN o
  }
  MATCH (p:Entity)<-[:SUBJECT]-(c:Claim:Affiliation)-[:OBJECT]->(o) WHERE $person IS NULL RETURN p, c
}
MATCH (c)-[:OBJECT]->(o:Entity)
WHERE $org IS NULL
   OR toLower(o.name) = toLower($org) OR toLower(o.id) = toLower($org)
   OR any(alias IN coalesce(o.aliases, []) WHERE toLower(alias) = toLower($org))
MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH p, c, o, a
ORDER BY a.published, a.id
WITH p, c, o, collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN p.name AS person, c.role AS role, o.name AS organization,
       c.source_count AS outlets, c.first_published AS first_reported, sources
ORDER BY organization, person, role
