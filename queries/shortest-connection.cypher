// name: shortest-connection
// description: The shortest connection between two entities through facts (released, develops,
//   affiliated with, derived from, said about) and shared articles, step by step, with the articles behind it.
//   Among equally short paths, one through facts only is preferred to one through articles.
// param: entity: string — where the path starts: name, alias or id, case-insensitive
// param: other: string — where it ends: name, alias or id, case-insensitive
// param: max_hops: int = 6 — longest path to accept (at most 12 relationships)
// example: kg query shortest-connection --param entity="Tomas Berg" --param other=Alibaba
CALL () { // x = the entity named $entity (id, name or alias), found through indexes, not by a scan
  MATCH (x:Entity {id: toLower($entity)}) RETURN x
  UNION
  CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($entity, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS x
  WITH x WHERE toLower(x.name) = toLower($entity) OR any(alias IN coalesce(x.aliases, []) WHERE toLower(alias) = toLower($entity))
  RETURN x
}
CALL () { // y = the entity named $other (id, name or alias), found through indexes, not by a scan
  MATCH (y:Entity {id: toLower($other)}) RETURN y
  UNION
  CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(coalesce($other, ''), '\\', '\\\\'), '"', '\\"') + '"') YIELD node AS y
  WITH y WHERE toLower(y.name) = toLower($other) OR any(alias IN coalesce(y.aliases, []) WHERE toLower(alias) = toLower($other))
  RETURN y
}
WITH x, y WHERE x <> y
// One shortest path through facts and shared articles, then one through facts only, which wins a
// tie. (allShortestPaths would enumerate every shortest path, and through articles that mention
// popular entities there are millions on a large graph.) A path through facts only is never
// shorter than the shortest of all, so it only matters when it is exactly as short: it is looked
// for no deeper than that (a search through facts that finds nothing would otherwise walk every
// fact within 12 steps), and not at all when no path is short enough to be listed.
CALL (x, y) {
  OPTIONAL MATCH p = shortestPath((x)-[:RELEASED|DEVELOPS|AFFILIATED_WITH|DERIVED_FROM|SUBJECT|ABOUT|MENTIONS*..12]-(y))
  RETURN p AS by_any
}
CALL (x, y, by_any) {
  WITH x, y, by_any WHERE length(by_any) <= $max_hops AND length(by_any) <= 2
  OPTIONAL MATCH p = shortestPath((x)-[:RELEASED|DEVELOPS|AFFILIATED_WITH|DERIVED_FROM|SUBJECT|ABOUT*..2]-(y))
  RETURN p AS by_facts
  UNION
  WITH x, y, by_any WHERE length(by_any) <= $max_hops AND 2 < length(by_any) <= 4
  OPTIONAL MATCH p = shortestPath((x)-[:RELEASED|DEVELOPS|AFFILIATED_WITH|DERIVED_FROM|SUBJECT|ABOUT*..4]-(y))
  RETURN p AS by_facts
  UNION
  WITH x, y, by_any WHERE length(by_any) <= $max_hops AND 4 < length(by_any) <= 6
  OPTIONAL MATCH p = shortestPath((x)-[:RELEASED|DEVELOPS|AFFILIATED_WITH|DERIVED_FROM|SUBJECT|ABOUT*..6]-(y))
  RETURN p AS by_facts
  UNION
  WITH x, y, by_any WHERE length(by_any) <= $max_hops AND 6 < length(by_any)
  OPTIONAL MATCH p = shortestPath((x)-[:RELEASED|DEVELOPS|AFFILIATED_WITH|DERIVED_FROM|SUBJECT|ABOUT*..12]-(y))
  RETURN p AS by_facts
}
WITH CASE WHEN by_facts IS NOT NULL AND (by_any IS NULL OR length(by_facts) <= length(by_any)) THEN by_facts ELSE by_any END AS p
// filtered after the search: inside the pattern the predicate would make Neo4j plan an
// exhaustive variable-length fallback, which explodes on a large graph
WITH p WHERE p IS NOT NULL AND length(p) <= $max_hops
WITH p, nodes(p) AS ns, relationships(p) AS rs
WITH p, ns, rs,
     size([n IN ns WHERE n:Article]) AS via_articles,
     reduce(text = ns[0].name, i IN range(0, size(rs) - 1) |
       text
       + CASE WHEN startNode(rs[i]) = ns[i] THEN ' -' + type(rs[i]) + '-> ' ELSE ' <-' + type(rs[i]) + '- ' END
       + CASE
           WHEN ns[i + 1]:Article THEN '[article: ' + coalesce(ns[i + 1].title, ns[i + 1].id) + ']'
           WHEN ns[i + 1]:Claim THEN '[' + toLower(ns[i + 1].type) + ' claim]'
           ELSE ns[i + 1].name
         END) AS path
ORDER BY length(p), via_articles, path
LIMIT 1
WITH p, ns, path,
     [n IN ns WHERE n:Article] AS on_path,
     [r IN relationships(p) WHERE r.claim IS NOT NULL | r.claim] + [n IN ns WHERE n:Claim | n.id] AS claim_ids
OPTIONAL MATCH (c:Claim)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WHERE c.id IN claim_ids
WITH p, ns, path, on_path, collect(DISTINCT a) AS claim_articles
WITH p, ns, path, reduce(acc = [], a IN on_path + claim_articles | CASE WHEN a IN acc THEN acc ELSE acc + a END) AS articles
RETURN length(p) AS hops,
       path,
       [n IN ns WHERE n:Entity | n.name] AS entities,
       [a IN articles | {title: a.title, source: a.source, published: a.published, url: a.url}] AS sources
