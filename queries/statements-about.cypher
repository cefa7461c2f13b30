// name: statements-about
// description: Who said what about an entity: every reported statement whose content names it,
//   with the speaker, whether it was a direct quote, and the article it appeared in.
// param: entity: string — the entity talked about: name, alias or id, case-insensitive
// param: since: date = null — only statements published on or after this date
// param: until: date = null — only statements published on or before this date
// example: kg query statements-about --param entity=GLM-4.5
CALL () { // e = the entity named $entity (id, name or alias), found through indexes, not by a scan
  MATCH (e:Entity {id: toLower($entity)}) RETURN e
  UNION
  CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($entity, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS e
  WITH e WHERE toLower(e.name) = toLower($entity) OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
  RETURN e
}
MATCH (e)<-[:ABOUT]-(c:Claim:Said)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
WHERE e.id IN coalesce(ev.about, [])
  AND ($since IS NULL OR a.published >= $since)
  AND ($until IS NULL OR a.published <= $until)
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
RETURN e.name AS about,
       coalesce(s.name, ev.source_text) AS speaker,
       ev.statement AS statement,
       coalesce(ev.direct, false) AS direct_quote,
       a.published AS published,
       [{title: a.title, source: a.source, published: a.published, url: a.url}] AS sources
ORDER BY published, a.id, ev.start
