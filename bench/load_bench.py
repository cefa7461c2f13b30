"""Benchmark of the graph loader: facts per second and peak memory on a large synthetic document.

    .venv/bin/python bench/load_bench.py                      # 20k articles into the managed test server
    .venv/bin/python bench/load_bench.py --articles 2000 --batch-size 100 200 500
    NEO4J_URI=bolt://host:7687 NEO4J_PASSWORD=... .venv/bin/python bench/load_bench.py --wipe
    .venv/bin/python bench/load_bench.py --document graph.jsonl --wipe

"Facts" are entity + mention + claim records, the records that carry knowledge. The document is
generated with Zipf-distributed entity reuse, so popular organisations and models appear in many
articles (and their RELEASED facts gather thousands of reports), as in real news.

The target database is emptied before each run: the managed ``test`` instance (the one the test
suite uses) is wiped without asking, any other server only with ``--wipe``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import sys
import tempfile
import time
from bisect import bisect_left
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.document import ArticleRecord, ClaimRecord, EntityRecord, Header, MentionRecord, Record, write_records  # noqa: E402

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

OUTLETS = ("TechWire", "The Daily Byte", "AI Wire", "Model Watch", "Silicon Ledger", "Compute Times", "The Gradient Post", None)
WORDS = (
    "model release weights open benchmark training compute chips lab startup funding researchers "
    "safety evaluation inference latency tokens context window license api partnership launch "
    "announced week report analysts developers enterprise customers cloud data reasoning agents"
).split()


class _Zipf:
    """Draw ranks 0..n-1 with probability proportional to 1 / (rank + 1) ** s."""

    def __init__(self, n: int, s: float, rng: random.Random) -> None:
        self._cum = list(accumulate(1.0 / (k + 1) ** s for k in range(n)))
        self._rng = rng

    def draw(self) -> int:
        return bisect_left(self._cum, self._rng.random() * self._cum[-1])

    def distinct(self, k: int) -> list[int]:
        picked: dict[int, None] = {}
        while len(picked) < k:
            picked[self.draw()] = None
        return list(picked)


def generate_document(n_articles: int, *, seed: int = 7, zipf_s: float = 1.1, text_chars: int = 1500) -> Iterator[Record]:
    """A synthetic graph document: per article ~10 entity lines, 10 mentions and 5 claims.

    Entity lines are repeated before every article that uses them (as a streaming extractor
    would), sometimes with a new alias. Each model has one maker, so RELEASED/DEVELOPS facts about
    popular models are reported by many articles from several outlets.
    """
    rng = random.Random(seed)
    n_org, n_model, n_person, n_place = (max(50, n_articles // d) for d in (20, 8, 4, 100))
    orgs, models, people, places = (_Zipf(n, zipf_s, rng) for n in (n_org, n_model, n_person, n_place))
    aliases: dict[str, list[str]] = {}

    def declare(eid: str, etype: str, name: str) -> EntityRecord:
        known = aliases.setdefault(eid, [name])
        if rng.random() < 0.03:
            known.append(f"{name} ({rng.choice(WORDS)})")
        return EntityRecord(id=eid, type=etype, name=name, aliases=list(known))

    def maker(model: int) -> int:
        return model % n_org  # each model has one maker

    yield Header(generator="bench/load_bench.py")
    for i in range(n_articles):
        aid = f"bench-{i:07d}"
        model_ids = models.distinct(3)
        org_ids = list(dict.fromkeys([maker(model_ids[0]), maker(model_ids[1]), maker(model_ids[2])]))
        while len(org_ids) < 3:
            org = orgs.draw()
            if org not in org_ids:
                org_ids.append(org)
        person_ids = people.distinct(3)
        place_id = places.draw()
        chosen = (
            [(f"org:{k}", "Organization", f"Org {k}") for k in org_ids]
            + [(f"model:{k}", "Model", f"Model {k}") for k in model_ids]
            + [(f"person:{k}", "Person", f"Person {k}") for k in person_ids]
            + [(f"place:{place_id}", "Place", f"Place {place_id}")]
        )
        for eid, etype, name in chosen:
            yield declare(eid, etype, name)
        text = " ".join(rng.choice(WORDS) for _ in range(text_chars // 7))
        published = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        yield ArticleRecord(
            id=aid, title=f"Synthetic article {i}", published=published, source=rng.choice(OUTLETS),
            url=f"https://news.example/{aid}", path=None,
            content_hash=hashlib.sha256(f"{seed}:{aid}".encode()).hexdigest()[:16], text=text,
        )
        for n, (eid, _, name) in enumerate(chosen):
            start = 20 * n
            yield MentionRecord(entity=eid, article=aid, start=start, end=start + len(name), text=name, sentence=n // 3)

        def fact(ctype: str, subject: str, obj: str | None, qualifier: str, n: int, **kw: object) -> ClaimRecord:
            return ClaimRecord(
                id=f"{aid}#c{n}", fact=f"{ctype}|{subject}|{obj or '-'}|{qualifier}", type=ctype, subject=subject,
                object=obj, article=aid, sentence=n, start=100 * n, end=100 * n + 80,
                confidence=round(rng.uniform(0.5, 1.0), 3),
                evidence=" ".join(rng.choice(WORDS) for _ in range(12)), **kw,  # type: ignore[arg-type]
            )

        m0, m1, m2 = model_ids
        yield fact("RELEASED", f"org:{maker(m0)}", f"model:{m0}", "released", 1, status="released")
        yield fact("RELEASED", f"org:{maker(m1)}", f"model:{m1}", "released", 2, status="released")
        yield fact("DEVELOPS", f"org:{maker(m2)}", f"model:{m2}", "", 3)
        yield fact("AFFILIATED_WITH", f"person:{person_ids[0]}", f"org:{org_ids[0]}", "researcher", 4, role="researcher")
        statement = " ".join(rng.choice(WORDS) for _ in range(10))
        yield fact(
            "SAID", f"person:{person_ids[1]}", None, hashlib.sha1(statement.encode()).hexdigest()[:10], 5,
            statement=statement, cue="said", source_text=f"Person {person_ids[1]}", direct=True,
            about=[f"model:{m0}"], spans={"source": [500, 510], "cue": [511, 515], "content": [520, 580]},
        )


def write_document(path: Path, n_articles: int, *, seed: int = 7) -> int:
    """Write a generated document to ``path``; returns the number of facts in it."""
    facts = 0
    with open(path, "w", encoding="utf-8") as out:
        for record in generate_document(n_articles, seed=seed):
            facts += isinstance(record, EntityRecord | MentionRecord | ClaimRecord)
            write_records([record], out)
    return facts


def _target(args: argparse.Namespace) -> tuple[Neo4jSettings, bool]:
    """Settings of the server to use and whether it is the managed test instance."""
    from kg.neo4j.connection import Neo4jSettings

    if os.environ.get("NEO4J_URI"):
        from kg.neo4j.connection import resolve_settings

        return resolve_settings(), False
    from kg.neo4j import server

    port = int(os.environ.get("NEWSKG_TEST_NEO4J_BOLT_PORT", "17687"))
    http = int(os.environ.get("NEWSKG_TEST_NEO4J_HTTP_PORT", "17474"))
    info = server.start("test", bolt_port=port, http_port=http)
    settings: Neo4jSettings = info.settings()
    return settings, True


def _cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) a local process has used so far, from /proc; None if unknown."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pid(args: argparse.Namespace, managed: bool) -> int | None:
    if args.server_pid is not None:
        return int(args.server_pid)
    if managed:
        from kg.neo4j import server

        return server.status("test").pid
    return None


#: Emptying a large graph: relationships first, in small transactions, so that no single
#: transaction has to hold a dense node's thousands of relationships (the default 512 MB heap).
_WIPE = (
    "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS",
    "MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS",
)


def _wipe(driver: Driver, database: str) -> None:
    with driver.session(database=database) as session:
        for statement in _WIPE:
            session.run(statement).consume()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000, help="articles to generate (default 20000)")
    parser.add_argument("--document", type=Path, help="load this graph document instead of generating one")
    parser.add_argument("--batch-size", type=int, nargs="+", default=[200], help="one run per batch size")
    parser.add_argument("--max-rows", type=int, default=20_000)
    parser.add_argument("--wipe", action="store_true", help="allow emptying a server given by NEO4J_URI")
    parser.add_argument("--reload", action="store_true", help="also time a second load of the same document (all unchanged)")
    parser.add_argument("--json", action="store_true", help="print results as JSON lines")
    parser.add_argument("--server-pid", type=int, help="pid of a local Neo4j given by NEO4J_URI, to report its CPU time")
    args = parser.parse_args(argv)

    from kg.neo4j.connection import open_driver
    from kg.neo4j.loader import GraphLoader

    settings, managed = _target(args)
    if not managed and not args.wipe:
        parser.error(f"this empties database {settings.database!r} at {settings.uri}: pass --wipe to confirm")

    with tempfile.TemporaryDirectory() as tmp:
        document = args.document
        if document is None:
            document = Path(tmp) / f"bench-{args.articles}.jsonl"
            started = time.perf_counter()
            facts = write_document(document, args.articles)
            print(f"generated {document.name}: {args.articles} articles, {facts} facts, "
                  f"{document.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.1f}s", file=sys.stderr)
        driver = open_driver(settings)
        try:
            for batch_size in args.batch_size:
                _wipe(driver, settings.database)
                loader = GraphLoader(driver, settings.database, batch_size, max_rows=args.max_rows)
                loader.ensure_schema()
                pid = _server_pid(args, managed)
                server_cpu, loader_cpu, load_before = _cpu_seconds(pid), time.process_time(), os.getloadavg()[0]
                with open(document, "rb") as f:
                    summary = loader.load_lines(f, str(document))
                loader_cpu = time.process_time() - loader_cpu
                server_after = _cpu_seconds(pid)
                server_cpu = None if server_cpu is None or server_after is None else server_after - server_cpu
                peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                result = {
                    "batch_size": batch_size,
                    "articles": summary.articles_seen,
                    "facts": summary.facts,
                    "seconds": round(summary.seconds, 2),
                    "facts_per_s": round(summary.facts / summary.seconds),
                    "articles_per_s": round(summary.articles_seen / summary.seconds),
                    "peak_rss_mb": round(peak_mb),
                    "entities": summary.entities_created,
                    "claims": summary.claims_created,
                    "reports": summary.evidence_created,
                    "problems": summary.problem_count,
                    "loader_cpu_s": round(loader_cpu, 1),
                    "server_cpu_s": None if server_cpu is None else round(server_cpu, 1),
                    "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
                }
                if args.reload:
                    with open(document, "rb") as f:
                        again = loader.load_lines(f, str(document))
                    result["reload_seconds"] = round(again.seconds, 2)
                    result["reload_unchanged"] = again.articles_unchanged
                if args.json:
                    print(json.dumps(result))
                else:
                    print(
                        f"batch {batch_size:>5}: {result['facts']} facts in {result['seconds']}s = "
                        f"{result['facts_per_s']:,} facts/s ({result['articles_per_s']:,} articles/s), "
                        f"peak RSS {result['peak_rss_mb']} MB; {result['entities']} entities, {result['claims']} claims, "
                        f"{result['reports']} reports; CPU: loader {result['loader_cpu_s']}s, server "
                        f"{result['server_cpu_s'] if server_cpu is not None else '?'}s; machine load average "
                        f"{result['load_average'][0]} -> {result['load_average'][1]}"
                        + (f"; reload {result['reload_seconds']}s ({result['reload_unchanged']} unchanged)" if args.reload else "")
                    )
        finally:
            driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
