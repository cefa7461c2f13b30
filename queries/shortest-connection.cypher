// name: shortest-connection
// description: The shortest connection between two entities through facts (released, develops,
//   affiliated with, said about) and shared articles, step by step, with the articles behind it.
//   Among equally short paths, the one through fewest articles (most facts) is shown.
// param: entity: string — where the path starts: name, alias or id, case-insensitive
// param: other: string — where it ends: name, alias or id, case-insensitive
// param: max_hops: int = 6 — longest path to accept (at most 12 relationships)
// example: kg query shortest-connection --param entity="Tomas Berg" --param other=Alibaba
MATCH (x:Entity)
WHERE toLower(x.name) = toLower($entity) OR toLower(x.id) = toLower($entity)
   OR any(alias IN coalesce(x.aliases, []) WHERE toLower(alias) = toLower($entity))
MATCH (y:Entity)
WHERE toLower(y.name) = toLower($other) OR toLower(y.id) = toLower($other)
   OR any(alias IN coalesce(y.aliases, []) WHERE toLower(alias) = toLower($other))
WITH x, y WHERE x <> y
MATCH p = allShortestPaths((x)-[:RELEASED|DEVELOPS|AFFILIATED_WITH|SUBJECT|ABOUT|MENTIONS*..12]-(y))
WHERE length(p) <= $max_hops
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
