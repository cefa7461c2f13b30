// name: find-entities
// description: Find entities whose name or an alias contains some text (case-insensitive), most
//   mentioned first; handy to learn the exact names the other queries take.
// param: text: string — part of a name or alias
// param: type: string = null — Organization, Person, Model or Place; null for all
// param: limit: int = 25 — how many entities to list
// example: kg query find-entities --param text=glm
MATCH (e:Entity)
WHERE (toLower(e.name) CONTAINS toLower($text)
       OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) CONTAINS toLower($text)))
  AND ($type IS NULL OR toLower(e.type) = toLower($type))
OPTIONAL MATCH (e)<-[m:MENTIONS]-(:Article)
WITH e, count(m) AS articles, sum(m.count) AS mentions
RETURN e.name AS name, e.type AS type, e.id AS id, e.aliases AS aliases, articles, mentions
ORDER BY mentions DESC, name
LIMIT $limit
