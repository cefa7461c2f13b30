// name: entity-timeline
// description: An entity's timeline: every dated report of a fact involving it (as subject,
//   object, or named in a statement), oldest first, with the sentence and the article.
// param: entity: string — name, alias or id, case-insensitive
// param: since: date = null — only reports published on or after this date
// param: until: date = null — only reports published on or before this date
// example: kg query entity-timeline --param entity=OpenAI
CALL () { // e = the entity named $entity (id, name or alias), found through indexes, not by a scan
  MATCH (e:Entity {id: toLower($entity)}) RETURN e
  UNION
  CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($entity, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS e
  WITH e WHERE toLower(e.name) = toLower($entity) OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
  RETURN e
}
MATCH (e)<-[:SUBJECT|OBJECT|ABOUT]-(c:Claim)
WITH DISTINCT e, c
MATCH (c)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
WHERE a.published IS NOT NULL
  AND ($since IS NULL OR a.published >= $since)
  AND ($until IS NULL OR a.published <= $until)
  AND (EXISTS { (c)-[:SUBJECT|OBJECT]->(e) } OR e.id IN coalesce(ev.about, []))
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
RETURN a.published AS published,
       c.type AS type,
       coalesce(s.name, ev.source_text, 'someone') + CASE c.type
         WHEN 'RELEASED' THEN CASE c.status WHEN 'planned' THEN ' plans to release ' WHEN 'announced' THEN ' announced ' ELSE ' released ' END + o.name
         WHEN 'DEVELOPS' THEN ' develops ' + o.name
         WHEN 'AFFILIATED_WITH' THEN ' (' + coalesce(c.role, 'affiliated') + ') at ' + o.name
         WHEN 'DERIVED_FROM' THEN ' is derived from ' + o.name
         ELSE ' said: ' + coalesce(ev.statement, '')
       END AS fact,
       ev.text AS evidence,
       [{title: a.title, source: a.source, published: a.published, url: a.url}] AS sources
ORDER BY published, a.id, ev.start
