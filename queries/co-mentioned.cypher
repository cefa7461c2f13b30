// name: co-mentioned
// description: The entities most often mentioned in the same articles as a given one, with those
//   articles.
// param: entity: string — name, alias or id, case-insensitive
// param: type: string = null — only co-mentioned entities of this type (Organization, Person, Model, Place)
// param: limit: int = 10 — how many entities to list
// example: kg query co-mentioned --param entity=GLM-4.5 --param type=Organization
MATCH (e:Entity)
WHERE toLower(e.name) = toLower($entity) OR toLower(e.id) = toLower($entity)
   OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (e)<-[:MENTIONS]-(a:Article)-[:MENTIONS]->(other:Entity)
WHERE other <> e AND ($type IS NULL OR toLower(other.type) = toLower($type))
WITH e, other, a
ORDER BY a.published, a.id
WITH e, other,
     count(DISTINCT a) AS articles,
     collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN e.name AS entity, other.name AS co_mentioned, other.type AS type, articles, sources
ORDER BY articles DESC, co_mentioned
LIMIT $limit
