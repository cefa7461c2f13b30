"""Run every named query with many parameter sets and write all their rows, to compare two versions.

A query rewrite for speed must not change what a query answers. This runs each query of a library
folder (default: the shipped ``queries/``) over parameter sets picked from the graph itself (the
most and least mentioned entities of each type, their aliases and ids, resolved aliases, partial
names, odd texts, every claim type, small and large limits) and writes one JSON line per run:
``{"query", "params", "columns", "rows"}`` (or ``"error"``). Run it before and after a change, on
the same graph, and compare the files::

    .venv/bin/python bench/query_snapshot.py --out /tmp/before.jsonl
    .venv/bin/python bench/query_snapshot.py --library /path/to/new/queries --out /tmp/after.jsonl
    .venv/bin/python bench/query_snapshot.py --compare /tmp/before.jsonl /tmp/after.jsonl

Neo4j: NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD (``eval "$(kg neo4j env -i NAME)"``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

TYPES = ("Organization", "Person", "Model", "Place")
CLAIM_TYPES = (None, "RELEASED", "DEVELOPS", "SAID", "AFFILIATED_WITH")


def _names(driver: Any, database: str) -> dict[str, list[str]]:
    """Entity names, aliases and ids to use as parameters, by type (plus resolved aliases)."""

    def rows(cypher: str, **params: Any) -> list[dict[str, Any]]:
        found, _, _ = driver.execute_query(cypher, database_=database, **params)
        return [dict(r) for r in found]

    picked: dict[str, list[str]] = {}
    for label in TYPES:
        ranked = rows(
            f"MATCH (e:{label}) WITH e, COUNT {{ (e)<-[:MENTIONS]-() }} AS n ORDER BY n DESC, e.id "
            "RETURN e.name AS name, e.id AS id, e.aliases AS aliases"
        )
        chosen = [ranked[i] for i in sorted({0, 1, 5, len(ranked) // 3, len(ranked) - 1}) if 0 <= i < len(ranked)]
        names = [r["name"] for r in chosen]
        names += [chosen[0]["id"]] if chosen else []
        names += [r["aliases"][0] for r in ranked[:200] if r["aliases"]][:2]
        names += [n.upper() for n in names[:1]]
        picked[label] = list(dict.fromkeys(names))
    resolved = rows("MATCH (s:Entity)-[:ALIAS_OF]->(t:Entity) RETURN s.name AS alias, t.name AS name ORDER BY s.id LIMIT 4")
    picked["resolved"] = list(dict.fromkeys(n for r in resolved for n in (r["alias"], r["name"])))
    speakers = rows(
        "MATCH (p:Person)<-[:SUBJECT]-(c:Said) WITH p, count(c) AS n ORDER BY n DESC, p.id LIMIT 3 RETURN p.name AS name"
    )
    picked["speakers"] = [r["name"] for r in speakers]
    return picked


def parameter_sets(driver: Any, database: str) -> dict[str, list[dict[str, str]]]:
    names = _names(driver, database)
    every = list(dict.fromkeys(n for group in names.values() for n in group))
    orgs, people = names["Organization"] + names["resolved"], names["Person"] + names["speakers"] + names["resolved"]
    windows = [("2000-01-01", "2030-12-31"), ("2004-01-01", "2004-12-31"), ("2025-07-01", "2025-08-31")]
    texts = sorted({n[:k] for n in every for k in (1, 3, 4) if n[:k].strip()} | {n.lower() for n in every[:6]})
    texts += ["", " ", "gpt-5", "GLM 4.5", "4.5", "o'", "é", "Zürich", "\u212aelvin", 'a"b', "a*b", "(", "mr ", "-", "u.s"]
    sets: dict[str, list[dict[str, str]]] = {
        "affiliations": [{}] + [{"person": p} for p in people] + [{"org": o} for o in orgs]
        + [{"person": p, "org": o} for p, o in itertools.islice(itertools.product(people[:3], orgs[:3]), 9)],
        "changes-between": [{"since": s, "until": u} for s, u in windows]
        + [{"since": s, "until": u, "type": t, "limit": str(n)} for s, u in windows[:1] for t in CLAIM_TYPES[1:] for n in (5, 1000)],
        "co-mentioned": [{"entity": n} for n in every]
        + [{"entity": n, "type": t, "limit": str(k)} for n in every[:8] for t in TYPES for k in (3, 50)],
        "contradictions": [{"kind": k, "days": str(d), "limit": str(n)} for k in ("", "release", "role", "affiliation", "speaker") for d in (30, 3650) for n in (3, 100, 1000)],
        "corroborated-claims": [
            {"min_sources": str(m), "type": t, "limit": str(n)} for m in (1, 2, 3) for t in CLAIM_TYPES for n in (1, 5, 100, 5000)
        ],
        "entity-timeline": [{"entity": n} for n in every] + [{"entity": n, "since": s, "until": u} for n in every[:6] for s, u in windows],
        "find-entities": [{"text": t} for t in texts] + [{"text": t, "type": ty, "limit": str(k)} for t in texts[:40:3] for ty in TYPES for k in (1, 200)],
        "models-by-status": [{}, {"status": "released"}, {"status": "planned"}, {"status": "announced"}],
        "releases-by-organization": [{}] + [{"org": o} for o in orgs]
        + [{"since": s, "until": u, "status": st} for s, u in windows for st in ("", "released", "planned")],
        "shortest-connection": [{"entity": a, "other": b} for a, b in itertools.permutations(every[:12], 2)]
        + [{"entity": a, "other": b, "max_hops": str(h)} for a, b in itertools.permutations(every[:5], 2) for h in (1, 2, 3, 12)],
        "single-source-claims": [{"type": t, "limit": str(n)} for t in CLAIM_TYPES for n in (1, 5, 100, 5000)],
        "statements-about": [{"entity": n} for n in every] + [{"entity": n, "since": s, "until": u} for n in every[:6] for s, u in windows],
        "statements-by-person": [{"person": p} for p in people] + [{"person": p, "since": s, "until": u} for p in people[:4] for s, u in windows],
    }
    # an empty string stands for "leave the parameter at its default"
    return {q: [{k: v for k, v in p.items() if v is not None and (v != "" or k == "text")} for p in ps] for q, ps in sets.items()}


def snapshot(library_dir: Path | None, out: Path, only: list[str] | None = None) -> int:
    from kg.neo4j.connection import open_driver, resolve_settings
    from kg.queries import bind, load_library, plain, to_jsonable

    settings = resolve_settings(None, None, None, None)
    driver = open_driver(settings)
    library = load_library(library_dir)
    sets = parameter_sets(driver, settings.database)
    runs = 0
    with open(out, "w", encoding="utf-8") as handle:
        for name, query in sorted(library.items()):
            if only and name not in only:
                continue
            for raw in sets.get(name, [{}]):
                line: dict[str, Any] = {"query": name, "params": raw}
                try:
                    with driver.session(database=settings.database, notifications_min_severity="OFF", default_access_mode="READ") as session:
                        result = session.run(query.cypher, bind(query, raw))
                        line["columns"] = list(result.keys())
                        line["rows"] = [[to_jsonable(plain(v)) for v in record.values()] for record in result]
                except Exception as exc:  # noqa: BLE001 - recorded and compared like rows
                    line["error"] = f"{type(exc).__name__}: {getattr(exc, 'message', None) or exc}"[:300]
                handle.write(json.dumps(line, sort_keys=True, ensure_ascii=False) + "\n")
                runs += 1
    driver.close()
    print(f"{runs} runs of {len(library)} queries written to {out}")
    return 0


def compare(before: Path, after: Path) -> int:
    def read(path: Path) -> dict[str, dict[str, Any]]:
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return {json.dumps([d["query"], d["params"]], sort_keys=True): d for d in lines}

    old, new = read(before), read(after)
    differ = 0
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a != b:
            differ += 1
            if differ <= 20:
                print(f"DIFFERS {key}:\n  before: {json.dumps(a, ensure_ascii=False)[:600]}\n  after:  {json.dumps(b, ensure_ascii=False)[:600]}")
    rows = sum(len(d.get("rows", [])) for d in old.values())
    errors = sum(1 for d in old.values() if "error" in d)
    print(f"{len(old)} runs before ({rows} rows, {errors} errors), {len(new)} after: {differ} differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, help="folder of .cypher files (default: the shipped queries/)")
    parser.add_argument("--out", type=Path, help="write the snapshot here")
    parser.add_argument("--only", nargs="+", help="these queries only")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"), help="compare two snapshots")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        parser.error("--out or --compare is needed")
    return snapshot(args.library, args.out, args.only)


if __name__ == "__main__":
    sys.exit(main())
