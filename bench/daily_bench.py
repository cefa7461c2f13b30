"""Figures for ingest as a daily job (issue 16), against a running Neo4j whose database is EMPTIED.

    NEO4J_URI=... NEO4J_PASSWORD=... python bench/daily_bench.py bbc ../shared/corpus/bbc
    NEO4J_URI=... NEO4J_PASSWORD=... python bench/daily_bench.py concurrent ../shared/corpus/bbc --articles 300 --trials 5

``bbc``: ``kg ingest`` of every article of the five BBC folders into an empty database: exit code,
wall time, peak memory of the process tree (RSS summed over ``kg`` and its workers, sampled every
0.2 s), articles stored, DUPLICATE_OF links, then the same command again: its exit code, the
"articles:" line and whether the graph fingerprint (kg.neo4j.fingerprint) is unchanged.

``concurrent``: a sequential ingest of the first N articles gives the reference fingerprint; then,
per trial, an emptied database and two ``kg ingest`` of the same N articles started at once; the
trial passes when the fingerprint equals the reference. Also counts doubled MENTIONS.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from kg.neo4j.connection import open_driver, resolve_settings
from kg.neo4j.fingerprint import graph_fingerprint
from kg.neo4j.admin import empty_database

KG = str(Path(sys.executable).parent / "kg")
FOLDERS = ("business", "entertainment", "politics", "sport", "tech")
DOUBLED_MENTIONS = "MATCH (a:Article)-[m:MENTIONS]->(e) WITH a, e, count(m) AS n WHERE n > 1 RETURN count(*) AS pairs"


def _tree_rss(pid: int) -> int:
    """RSS in bytes of ``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


def run_kg(args: list[str]) -> dict[str, object]:
    started = time.perf_counter()
    proc = subprocess.Popen([KG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    lines = [line for line in out.splitlines() if line.startswith(("articles:", "duplicates:"))]
    return {"exit": proc.returncode, "seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(peak / 2**20), "summary": lines, "stderr_lines": len(err.splitlines()), "stderr_tail": err.splitlines()[-3:]}


def count(driver, database: str, query: str) -> int:  # type: ignore[no-untyped-def]
    return driver.execute_query(query, database_=database).records[0][0]


def bbc(corpus: Path, processes: int, encoding_fallback: str | None = None) -> dict[str, object]:
    settings = resolve_settings()
    driver = open_driver(settings)
    empty_database(driver, settings.database)
    paths = [str(corpus / f) for f in FOLDERS]
    files = sum(1 for f in FOLDERS for _ in (corpus / f).glob("*.txt"))
    options = ["-p", str(processes), *(["--encoding-fallback", encoding_fallback] if encoding_fallback else [])]
    first = run_kg(["ingest", *paths, *options])
    fp1 = graph_fingerprint(driver, settings.database)
    stored = count(driver, settings.database, "MATCH (a:Article) RETURN count(a)")
    linked = count(driver, settings.database, "MATCH (:Article)-[d:DUPLICATE_OF]->(:Article) RETURN count(d)")
    second = run_kg(["ingest", *paths, *options])
    fp2 = graph_fingerprint(driver, settings.database)
    driver.close()
    return {"files": files, "first": first, "articles_stored": stored, "duplicate_of_links": linked, "fingerprint": str(fp1), "second": second, "graph_identical_after_rerun": fp1 == fp2}


def concurrent(corpus: Path, articles: int, trials: int) -> dict[str, object]:
    settings = resolve_settings()
    driver = open_driver(settings)
    files = sorted(str(p) for f in FOLDERS for p in (corpus / f).glob("*.txt"))[:articles]
    listing = Path("/tmp") / f"newskg-concurrent-{os.getpid()}"
    listing.mkdir(exist_ok=True)
    for i, f in enumerate(files):  # one folder of links, so both runs read the same paths
        link = listing / f"{i:04d}-{Path(f).parent.name}-{Path(f).name}"
        if not link.exists():
            link.symlink_to(f)
    args = ["ingest", str(listing), "-p", "1"]
    empty_database(driver, settings.database)
    reference_run = run_kg(args)
    reference = graph_fingerprint(driver, settings.database)
    results = []
    for trial in range(trials):
        empty_database(driver, settings.database)
        started = time.perf_counter()
        procs = [subprocess.Popen([KG, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate() for p in procs]
        fp = graph_fingerprint(driver, settings.database)
        results.append({
            "trial": trial + 1,
            "exits": [p.returncode for p in procs],
            "seconds": round(time.perf_counter() - started, 1),
            "equal_to_sequential": fp == reference,
            "fingerprint": str(fp),
            "doubled_mentions": count(driver, settings.database, DOUBLED_MENTIONS),
            "summaries": [[line for line in out.splitlines() if line.startswith("articles:")] for out, _ in outs],
        })
        print(json.dumps(results[-1]), flush=True)
    driver.close()
    return {"articles": len(files), "reference": str(reference), "reference_run": reference_run, "trials": results, "equal": sum(r["equal_to_sequential"] for r in results)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["bbc", "concurrent"])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--processes", "-p", type=int, default=2)
    parser.add_argument("--encoding-fallback", help="bbc: passed to kg ingest (e.g. cp1252 for the Latin-1 file)")
    ns = parser.parse_args()
    result = bbc(ns.corpus, ns.processes, ns.encoding_fallback) if ns.what == "bbc" else concurrent(ns.corpus, ns.articles, ns.trials)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
