// name: co-mentioned
// description: The entities most often mentioned in the same articles as a given one, with those
//   articles.
// param: entity: string — name, alias or id, case-insensitive
// param: type: string = null — only co-mentioned entities of this type (Organization, Person, Model, Place)
// param: limit: int = 10 — how many entities to list
// example: kg query co-mentioned --param entity=GLM-4.5 --param type=Organization
CALL () { // e = the entity named $entity (id, name or alias), found through indexes, not by a scan
  MATCH (e:Entity {id: toLower($entity)}) RETURN e
  UNION
  CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($entity, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS e
  WITH e WHERE toLower(e.name) = toLower($entity) OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
  RETURN e
}
MATCH (e)<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(other:Entity)
WHERE other <> e AND ($type IS NULL OR toLower(other.type) = toLower($type))
WITH e, other, a ORDER BY a.published, a.id
// one MENTIONS per article and entity: the list's size is the number of articles; properties
// are read for the top entities' articles only
WITH e, other, collect(a) AS articles
ORDER BY size(articles) DESC, other.name
LIMIT $limit
RETURN e.name AS entity, other.name AS co_mentioned, other.type AS type, size(articles) AS articles,
       [a IN articles | {title: a.title, source: a.source, published: a.published, url: a.url}] AS sources
ORDER BY articles DESC, co_mentioned
