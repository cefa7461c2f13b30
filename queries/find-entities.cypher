// name: find-entities
// description: Find entities whose name or an alias contains some text (case-insensitive), most
//   mentioned first; handy to learn the exact names the other queries take.
// param: text: string — part of a name or alias
// param: type: string = null — Organization, Person, Model or Place; null for all
// param: limit: int = 25 — how many entities to list
// example: kg query find-entities --param text=glm
// Candidates through the entity_names full-text index when the text is plain ASCII: every run of
// letters and digits in it then lies inside one indexed word of a name or alias that contains the
// text, so '*run*' AND … finds them all (and a few more, which the comparison below drops). Any
// other text is compared with every entity.
CALL () {
  WITH [w IN reduce(runs = [''], ch IN split(toLower(coalesce($text, '')), '') |
          CASE WHEN ch =~ '[a-z0-9]' THEN runs[..-1] + (last(runs) + ch) ELSE runs + '' END) WHERE w <> ''] AS words
  WITH words, size(words) > 0 AND coalesce($text, '') =~ '[\\x00-\\x7f]*' AS indexed
  CALL (words, indexed) {
    WITH words WHERE indexed
    CALL db.index.fulltext.queryNodes('entity_names', reduce(q = '', w IN words | q + CASE q WHEN '' THEN '' ELSE ' AND ' END + '*' + w + '*'))
      YIELD node
    RETURN node AS e
    UNION
    WITH words WHERE NOT indexed
    MATCH (e:Entity)
    RETURN e
  }
  RETURN e
}
WITH e
WHERE (toLower(e.name) CONTAINS toLower($text)
       OR any(alias IN coalesce(e.aliases, []) WHERE toLower(alias) CONTAINS toLower($text)))
  AND ($type IS NULL OR toLower(e.type) = toLower($type))
OPTIONAL MATCH (e)<-[m:MENTIONS]-(:Article)
WITH e, count(m) AS articles, sum(m.count) AS mentions
RETURN e.name AS name, e.type AS type, e.id AS id, e.aliases AS aliases, articles, mentions
ORDER BY mentions DESC, name
LIMIT $limit
