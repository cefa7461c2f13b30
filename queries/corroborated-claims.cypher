// name: corroborated-claims
// description: Facts reported by at least N independent outlets, strongest first, each with its
//   outlets ("Outlet (first report, articles, syndicated copies)") and every report. An outlet is the article's
//   source, else its URL's registered domain, compared ignoring case; every article with neither
//   is one "unknown outlet", which never corroborates on its own; syndicated copies (the same body
//   from several outlets) count once, for the earliest copy, and are marked. Statements count
//   only with a speaker and a content clause ("It", "which" never do). After `kg resolve`, a
//   cluster of claims (the same statement in other words, the same fact under merged names)
//   counts as one fact, its subject and object shown by canonical name.
// param: min_sources: int = 2 — fewest independent outlets
// param: type: string = null — RELEASED, DEVELOPS, SAID or AFFILIATED_WITH; null for all
// param: limit: int = 100 — how many facts to list (the strongest; ties broken by claim id)
// example: kg query corroborated-claims
// example: kg query corroborated-claims --param min_sources=3 --param type=RELEASED
// The strongest facts are chosen without reading, sorting or grouping every fact of a large graph,
// each list in the page's order and only as far as the page: the clusters `kg resolve` made (a
// cluster counts as one fact), the short statements of claims in no cluster (the only ones the
// content check can drop) and the other claims in no cluster, the last two read through the
// claim_source_count index, strongest first.
// SUBJECT always ends at an entity and IN_CLUSTER at a cluster, so `EXISTS { (c)-[:SUBJECT]->() }` is
// answered from the claim's degree, without reading its (many) links or checking a label.
CALL () {
  UNWIND ['clusters', 'short statements'] AS part
  CALL (part) {
    CALL (part) {
      WITH part WHERE part = 'clusters'
      MATCH (k:ClaimCluster)
      WHERE k.source_count >= $min_sources
      MATCH (k)<-[:IN_CLUSTER]-(c:Claim)
      WHERE $type IS NULL OR c.type = toUpper($type)
      WITH k AS fact, collect(c) AS members
      WITH fact, members,
           reduce(first = head(members), m IN members |
             CASE WHEN m.first_published < first.first_published THEN m ELSE first END) AS rep
      ORDER BY fact.source_count DESC, fact.article_count DESC, fact.first_published, rep.type, rep.id
      RETURN fact, members, rep
      UNION ALL
      WITH part WHERE part = 'short statements'
      MATCH (c:Claim)
      USING INDEX c:Claim(source_count)
      WHERE c.source_count >= $min_sources AND c.type = 'SAID'
        AND ($type IS NULL OR c.type = toUpper($type))
        AND size(coalesce(c.statement, '')) <= 40
        AND NOT EXISTS { (c)-[:IN_CLUSTER]->() }
      WITH c
      ORDER BY c.source_count DESC, c.article_count DESC, c.first_published, c.type, c.id
      RETURN c AS fact, [c] AS members, c AS rep
    }
    WITH fact, members, rep
    // a statement is cited only with a speaker and a content clause (kg/outlets.py, CONTENTLESS_STATEMENT)
    WHERE rep.type <> 'SAID'
       OR (EXISTS { (rep)-[:SUBJECT]->() }
           AND (size(coalesce(fact.statement, rep.statement, '')) > 40 OR NOT coalesce(fact.statement, rep.statement, '') =~ '(?is)\\W*(?:(?:\\w+\\W*){0,2}|(?:\\b(?:a|about|all|also|am|an|and|any|anything|are|as|at|be|been|being|but|by|can|comment|could|did|do|does|everything|for|from|had|has|have|he|her|here|him|i|if|in|into|is|it|its|just|may|me|might|more|no|not|nothing|now|of|on|one|ones|only|or|s|she|should|so|some|something|still|such|than|that|the|them|then|there|these|they|this|those|thus|to|too|us|very|was|we|well|were|what|whatever|when|which|whichever|who|whom|whose|will|with|would|yes|you)\\b\\W*)*)'))
    RETURN fact, members, rep
    LIMIT $limit
  }
  RETURN fact, members, rep
  UNION ALL
  MATCH (c:Claim)
  WHERE c.source_count >= $min_sources
    AND ($type IS NULL OR c.type = toUpper($type))
    AND NOT EXISTS { (c)-[:IN_CLUSTER]->() }
    AND (c.type <> 'SAID' OR (size(coalesce(c.statement, '')) > 40 AND EXISTS { (c)-[:SUBJECT]->() }))
  WITH c
  ORDER BY c.source_count DESC, c.article_count DESC, c.first_published, c.type, c.id
  LIMIT $limit
  RETURN c AS fact, [c] AS members, c AS rep
}
WITH fact, members, rep
ORDER BY fact.source_count DESC, fact.article_count DESC, fact.first_published, rep.type, rep.id
LIMIT $limit
OPTIONAL MATCH (rep)-[:SUBJECT]->(s0:Entity)
OPTIONAL MATCH (s0)-[:ALIAS_OF]->(s1:Entity)
OPTIONAL MATCH (rep)-[:OBJECT]->(o0:Entity)
OPTIONAL MATCH (o0)-[:ALIAS_OF]->(o1:Entity)
WITH fact, members, rep, coalesce(s1, s0) AS s, coalesce(o1, o0) AS o
UNWIND members AS m
MATCH (m)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article)
WITH DISTINCT fact, rep, s, o, a
// the outlet a report counts for: the earliest copy's (same body), else the article's own; looked
// up once per body, however many of the page's reports share it
WITH a.body_hash AS body, collect([fact, rep, s, o, a]) AS uses
WITH uses, head(COLLECT { MATCH (b:Article {body_hash: body})
                          RETURN [coalesce(b.outlet, ''), b.id] AS first ORDER BY b.published, b.id LIMIT 1 }) AS first
UNWIND uses AS use
WITH use[0] AS fact, use[1] AS rep, use[2] AS s, use[3] AS o, use[4] AS a, first
WITH fact, rep, s, o, a, coalesce(first, [coalesce(a.outlet, trim(a.source), ''), a.id]) AS origin
ORDER BY a.published, a.id
WITH fact, rep, s, o,
     collect({title: a.title, source: coalesce(a.source, a.outlet), published: a.published, url: a.url,
              syndicated: origin[1] <> a.id}) AS sources,
     collect([origin[0], a.published, origin[1] <> a.id]) AS reports
WITH fact, rep, s, o, sources,
     COLLECT { UNWIND reports AS r
               WITH toLower(r[0]) AS key, min(r[0]) AS name, min(r[1]) AS first, count(*) AS n,
                    sum(CASE WHEN r[2] THEN 1 ELSE 0 END) AS copies
               ORDER BY first, name
               RETURN CASE WHEN key = '' THEN 'unknown outlet' ELSE name END
                      + ' (' + coalesce(toString(first), 'undated') + ', ' + n + CASE n WHEN 1 THEN ' article' ELSE ' articles' END
                      + CASE copies WHEN 0 THEN '' ELSE ', ' + copies + ' syndicated' END + ')' AS outlet } AS by_outlet
RETURN rep.type AS type,
       s.name AS subject,
       o.name AS object,
       CASE rep.type
         WHEN 'RELEASED' THEN rep.status
         WHEN 'AFFILIATED_WITH' THEN rep.role
         WHEN 'SAID' THEN coalesce(fact.statement, rep.statement)
       END AS detail,
       fact.source_count AS outlets,
       fact.article_count AS articles,
       fact.first_published AS first_reported,
       by_outlet,
       sources
ORDER BY outlets DESC, articles DESC, first_reported, type, subject, object
