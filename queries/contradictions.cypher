// name: contradictions
// description: Facts that reports disagree on, each side with its outlets and evidence: a model
//   reported released by some and still planned or announced by others (a plan reported on or
//   after the first release report; a plan reported before it is just news moving on), a person
//   given two roles at one organization or two different organizations within `days` of each
//   other, and one statement attributed to two different speakers. Statements without a content
//   clause ("It", "which") and aliases of one entity (`kg resolve`) are never set against each other;
//   two sides reported by exactly the same articles are one article's muddle, not a disagreement,
//   two people with the same surname ("Mr Armes", "Rory Armes") and an organization and its
//   longer-named part ("Sony", "Sony Computer Entertainment America") are taken for one speaker.
//   Lists what `kg resolve` found: run it after loading new articles (until then their new
//   disagreements are missing; those listed are checked against the reports as they are now).
// param: kind: string = null — release, role, affiliation or speaker; null for all
// param: days: int = 30 — how close in time two affiliation reports must be to conflict
// param: limit: int = 100 — how many contradictions to list (the most reported first)
// example: kg query contradictions
// example: kg query contradictions --param kind=release
// `kg resolve` stores the candidate pairs (CONTRADICTS, kg/resolve/cypher.py), each with its kind
// and its place in the list's order as one sort key (`rank`: kind, outlets, articles, subject,
// claim ids; the loader keeps it up to date as reports arrive). Each kind's pairs are read in that
// order through the contradiction_rank index (a prefix search) and checked as they come, until
// `limit` pass: the page is the best `limit` of those.
UNWIND CASE WHEN $kind IS NULL THEN ['affiliation', 'release', 'role', 'speaker'] ELSE [toLower($kind)] END AS one_kind
CALL (one_kind) {
  MATCH (a:Claim)-[r:CONTRADICTS]->(b:Claim)
  WHERE r.rank STARTS WITH one_kind + '\u0001'
  WITH a, r, b
  ORDER BY r.rank
  CALL (a, r, b) {
    // released vs still planned / announced, for the same organization and model: a plan reported
    // on or after the first release report
    WITH a, r, b WHERE r.kind = 'release' AND b.last_published >= a.first_published
    MATCH (o:Entity)<-[:SUBJECT]-(a)-[:OBJECT]->(m:Entity)
    RETURN o.name AS subject, m.name AS object,
           o.name + ' released ' + m.name AS side_a,
           o.name + CASE b.status WHEN 'planned' THEN ' plans to release ' ELSE ' announced ' END + m.name AS side_b
    UNION ALL
    // one person, two roles at one organization or two organizations, reported close in time
    WITH a, r, b WHERE r.kind IN ['role', 'affiliation']
      AND a.first_published <= b.last_published + duration({days: $days})
      AND b.first_published <= a.last_published + duration({days: $days})
    MATCH (p:Entity)<-[:SUBJECT]-(a)-[:OBJECT]->(o1:Entity)
    MATCH (b)-[:OBJECT]->(o2:Entity)
    WHERE NOT EXISTS { (o1)-[:ALIAS_OF]-(o2) }
      AND NOT EXISTS { (o1)-[:ALIAS_OF]->(:Entity)<-[:ALIAS_OF]-(o2) }
    RETURN p.name AS subject, CASE WHEN o1 = o2 THEN o1.name END AS object,
           p.name + ', ' + coalesce(a.role, 'affiliated') + ' at ' + o1.name AS side_a,
           p.name + ', ' + coalesce(b.role, 'affiliated') + ' at ' + o2.name AS side_b
    UNION ALL
    // one statement (same words, case and spacing aside), two speakers; the statements as reported now
    WITH a, r, b WHERE r.kind = 'speaker'
      // a statement needs a content clause (kg/outlets.py, CONTENTLESS_STATEMENT)
      AND (size(a.statement) > 40 OR NOT a.statement =~ '(?is)\\W*(?:(?:\\w+\\W*){0,2}|(?:\\b(?:a|about|all|also|am|an|and|any|anything|are|as|at|be|been|being|but|by|can|comment|could|did|do|does|everything|for|from|had|has|have|he|her|here|him|i|if|in|into|is|it|its|just|may|me|might|more|no|not|nothing|now|of|on|one|ones|only|or|s|she|should|so|some|something|still|such|than|that|the|them|then|there|these|they|this|those|thus|to|too|us|very|was|we|well|were|what|whatever|when|which|whichever|who|whom|whose|will|with|would|yes|you)\\b\\W*)*)')
      AND toLower(trim(reduce(t = '', w IN split(a.statement, ' ') | CASE WHEN w = '' THEN t ELSE t + ' ' + w END)))
        = toLower(trim(reduce(t = '', w IN split(b.statement, ' ') | CASE WHEN w = '' THEN t ELSE t + ' ' + w END)))
    MATCH (a)-[:SUBJECT]->(s1:Entity)
    MATCH (b)-[:SUBJECT]->(s2:Entity)
    WHERE s1 <> s2
      AND NOT EXISTS { (s1)-[:ALIAS_OF]-(s2) }
      AND NOT EXISTS { (s1)-[:ALIAS_OF]->(:Entity)<-[:ALIAS_OF]-(s2) }
      AND NOT (s1:Person AND s2:Person AND last(split(s1.name, ' ')) = last(split(s2.name, ' ')))
      AND NOT (s1:Organization AND s2:Organization AND (s1.name STARTS WITH s2.name + ' ' OR s2.name STARTS WITH s1.name + ' '))
    RETURN a.statement AS subject, null AS object, s1.name + ' said it' AS side_a, s2.name + ' said it' AS side_b
  }
  // each side's reports, read once, in date order: the "same articles" check here, the outlets,
  // evidence and sources of the page below
  WITH r.kind AS kind, subject, object, a, b, side_a, side_b,
       COLLECT { MATCH (a)<-[:SUPPORTS]-(ev)-[:IN]->(x)
                 WITH ev, x ORDER BY x.published, x.id, ev.start RETURN [ev, x] } AS reports_a,
       COLLECT { MATCH (b)<-[:SUPPORTS]-(ev)-[:IN]->(x)
                 WITH ev, x ORDER BY x.published, x.id, ev.start RETURN [ev, x] } AS reports_b
  // two sides reported by exactly the same articles are no disagreement: checked in the page's order,
  // only until the page is full (every pair's reports would be read otherwise)
  WHERE COLLECT { UNWIND reports_a AS report RETURN DISTINCT report[1].id AS id ORDER BY id }
     <> COLLECT { UNWIND reports_b AS report RETURN DISTINCT report[1].id AS id ORDER BY id }
  LIMIT $limit
  RETURN kind, subject, object, a, b, side_a, side_b, reports_a, reports_b
}
// the page in the documented order, from the claims as they are now
WITH kind, subject, object, a, b, side_a, side_b, reports_a, reports_b
ORDER BY a.source_count + b.source_count DESC, a.article_count + b.article_count DESC, kind, subject, a.id, b.id
LIMIT $limit
RETURN kind, subject, object, side_a,
       COLLECT { UNWIND reports_a AS report WITH report[1] AS x
                 RETURN DISTINCT coalesce(x.outlet, trim(x.source), 'unknown outlet') AS outlet ORDER BY outlet } AS outlets_a,
       [report IN reports_a[..5] | '“' + report[0].text + '” (' + coalesce(report[1].source, report[1].outlet, 'unknown outlet') + ', '
                                   + coalesce(toString(report[1].published), 'undated') + ')'] AS evidence_a,
       side_b,
       COLLECT { UNWIND reports_b AS report WITH report[1] AS x
                 RETURN DISTINCT coalesce(x.outlet, trim(x.source), 'unknown outlet') AS outlet ORDER BY outlet } AS outlets_b,
       [report IN reports_b[..5] | '“' + report[0].text + '” (' + coalesce(report[1].source, report[1].outlet, 'unknown outlet') + ', '
                                   + coalesce(toString(report[1].published), 'undated') + ')'] AS evidence_b,
       COLLECT { UNWIND reports_a + reports_b AS report WITH DISTINCT report[1] AS x ORDER BY x.published, x.id
                 RETURN {title: x.title, source: coalesce(x.source, x.outlet), published: x.published, url: x.url} } AS sources
