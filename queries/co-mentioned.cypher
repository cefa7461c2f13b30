// name: co-mentioned
// description: The entities most often mentioned in the same articles as a given one, one row per
//   entity with its id (after `kg resolve`, aliases count as their canonical entity), with how
//   many articles they share and the oldest of them (`max_articles` at most). When the name
//   matches several entities (an organization and a person named alike), `entity_id` tells their
//   rows apart.
// param: entity: string — name, alias or id, case-insensitive
// param: type: string = null — only co-mentioned entities of this type (Organization, Person, Model, Place)
// param: limit: int = 10 — how many entities to list
// param: max_articles: int = 20 — how many shared articles to list per entity (oldest first)
// example: kg query co-mentioned --param entity=GLM-4.5 --param type=Organization
CALL () { // e = the entity named $entity (id, name or alias), found through indexes, not by a scan
  MATCH (e:Entity {id: toLower($entity)}) RETURN e
  UNION
  CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($entity, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS e
  WITH e WHERE toLower(e.name) = toLower($entity) OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
  RETURN e
}
// what e is an alias of, read once (not once per co-mentioned entity: e may be a hub)
WITH e, [(e)-[:ALIAS_OF]->(c:Entity) | c] AS e_canonical
// MENTIONS always runs from an article to an entity: no label is checked on the (many) rows
MATCH (e)<-[:MENTIONS]-(a)-[:MENTIONS]->(x)
WHERE x <> e
// one MENTIONS per article and entity: the list's size is the number of articles
WITH e, e_canonical, x, collect(a) AS articles
WHERE $type IS NULL OR toLower(x.type) = toLower($type)
// after `kg resolve`, an alias node counts as its canonical entity: one row per entity
// (the link count comes from the node's degree, without reading links: most entities are no alias)
WITH e, e_canonical, x, articles,
     CASE WHEN COUNT { (x)-[:ALIAS_OF]->() } = 0 THEN [] ELSE [(x)-[:ALIAS_OF]->(canonical:Entity) | canonical] END AS canonicals
UNWIND CASE canonicals WHEN [] THEN [x] ELSE canonicals END AS other
WITH e, e_canonical, other, collect(articles) AS groups
WHERE other <> e AND NOT other IN e_canonical
WITH e, other,
     CASE size(groups) WHEN 1 THEN head(groups)
       ELSE COLLECT { UNWIND groups AS g UNWIND g AS a RETURN DISTINCT a } END AS articles
ORDER BY size(articles) DESC, other.name, other.id
LIMIT $limit
// only the $max_articles oldest shared articles are listed (a hub shares tens of thousands with
// each top entity); `articles` keeps the full count. They are sorted for the top entities only.
WITH e, other, size(articles) AS shared,
     COLLECT { UNWIND articles AS a WITH a ORDER BY a.published, a.id LIMIT $max_articles RETURN a } AS listed
// properties are read for the listed articles only
RETURN e.name AS entity, e.id AS entity_id, other.name AS co_mentioned, other.id AS id, other.type AS type,
       shared AS articles,
       [a IN listed | {title: a.title, source: a.source, published: a.published, url: a.url}] AS sources
ORDER BY articles DESC, co_mentioned, id
