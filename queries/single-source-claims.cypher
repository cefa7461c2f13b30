// name: single-source-claims
// description: Facts only one outlet reports (possibly in several of its articles): the ones to
//   double-check before relying on them, with their source. A claim that `kg resolve` put in a
//   cluster with reports from other outlets is not single-source.
// param: type: string = null — RELEASED, DEVELOPS, SAID or AFFILIATED_WITH; null for all
// param: limit: int = 100 — how many facts to list (oldest first)
// example: kg query single-source-claims --param type=RELEASED
// Nearly every claim has one outlet: the oldest are read in date order through the
// claim_first_published index, stopping at $limit, instead of sorting them all. Claims without a
// date sort last, so they are read only when the dated ones fall short of $limit.
// Nearly every claim has one outlet: the oldest are read in date order through an index
// (claim_first_published, or claim_type_first_published for one type), stopping at $limit, instead
// of sorting them all. Claims without a date sort last: they are read only when the dated ones
// fall short of $limit.
CALL () {
  UNWIND CASE WHEN $type IS NULL THEN [1] ELSE [] END AS any_type
  CALL () {
    MATCH (c:Claim)
    USING INDEX c:Claim(first_published)
    WHERE c.first_published IS NOT NULL
      AND c.source_count = 1
      AND NOT EXISTS { (c)-[:IN_CLUSTER]->(k:ClaimCluster) WHERE k.source_count > 1 }
    WITH c ORDER BY c.first_published, c.type, c.id LIMIT $limit
    RETURN c
  }
  RETURN c
  UNION ALL
  UNWIND CASE WHEN $type IS NULL THEN [] ELSE [toUpper($type)] END AS one_type
  CALL (one_type) {
    MATCH (c:Claim)
    WHERE c.type = one_type AND c.first_published IS NOT NULL
      AND c.source_count = 1
      AND NOT EXISTS { (c)-[:IN_CLUSTER]->(k:ClaimCluster) WHERE k.source_count > 1 }
    WITH c ORDER BY c.type, c.first_published, c.id LIMIT $limit // one type: the index's order
    RETURN c
  }
  RETURN c
}
WITH collect(c) AS dated
CALL (dated) { // the undated claims, only when the dated ones fall short of $limit
  CALL (dated) {
    UNWIND CASE WHEN size(dated) < $limit AND $type IS NULL THEN [1] ELSE [] END AS any_type
    MATCH (c:Claim)
    WHERE c.first_published IS NULL
      AND c.source_count = 1
      AND NOT EXISTS { (c)-[:IN_CLUSTER]->(k:ClaimCluster) WHERE k.source_count > 1 }
    RETURN c
    UNION ALL
    UNWIND CASE WHEN size(dated) < $limit AND $type IS NOT NULL THEN [toUpper($type)] ELSE [] END AS one_type
    MATCH (c:Claim)
    USING INDEX c:Claim(type)
    WHERE c.type = one_type AND c.first_published IS NULL
      AND c.source_count = 1
      AND NOT EXISTS { (c)-[:IN_CLUSTER]->(k:ClaimCluster) WHERE k.source_count > 1 }
    RETURN c
  }
  WITH c ORDER BY c.type, c.id
  RETURN collect(c) AS undated
}
UNWIND (dated + undated)[..$limit] AS c
OPTIONAL MATCH (c)-[:SUBJECT]->(s:Entity)
OPTIONAL MATCH (c)-[:OBJECT]->(o:Entity)
MATCH (c)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH c, s, o, a
ORDER BY a.published, a.id
WITH c, s, o, collect(DISTINCT {title: a.title, source: a.source, published: a.published, url: a.url}) AS sources
RETURN c.type AS type,
       s.name AS subject,
       o.name AS object,
       CASE c.type
         WHEN 'RELEASED' THEN c.status
         WHEN 'AFFILIATED_WITH' THEN c.role
         WHEN 'SAID' THEN c.statement
       END AS detail,
       c.article_count AS articles,
       c.first_published AS first_reported,
       sources
ORDER BY first_reported, type, subject, object
