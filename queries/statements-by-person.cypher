// name: statements-by-person
// description: Everything a person (or an organization speaking) is reported to have said, across
//   articles in date order, with what each statement is about and where it was published.
// param: person: string — the speaker: name, alias or id, case-insensitive
// param: since: date = null — only statements published on or after this date
// param: until: date = null — only statements published on or before this date
// example: kg query statements-by-person --param person="Tomas Berg"
CALL () { // p = the entity named $person (id, name or alias), found through indexes, not by a scan
  MATCH (p:Entity {id: toLower($person)}) RETURN p
  UNION
  CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($person, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS p
  WITH p WHERE toLower(p.name) = toLower($person) OR any(alias IN coalesce(p.aliases, []) WHERE toLower(alias) = toLower($person))
  RETURN p
}
MATCH (p)<-[:SUBJECT]-(c:Claim:Said)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
WHERE ($since IS NULL OR a.published >= $since)
  AND ($until IS NULL OR a.published <= $until)
OPTIONAL MATCH (c)-[:ABOUT]->(x:Entity)
WHERE x.id IN coalesce(ev.about, [])
WITH p, c, ev, a, collect(x.name) AS about
RETURN a.published AS published,
       p.name AS speaker,
       ev.statement AS statement,
       coalesce(ev.direct, false) AS direct_quote,
       about,
       [{title: a.title, source: a.source, published: a.published, url: a.url}] AS sources
ORDER BY published, a.id, ev.start
