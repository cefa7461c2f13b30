"""End-to-end throughput and memory of newskg's pipeline, against the bare spaCy ceiling, in ONE run.

    .venv/bin/python bench/pipeline_bench.py                              # throughput phases, 1x BBC
    .venv/bin/python bench/pipeline_bench.py --articles 600 --phases ceiling extract ingest
    .venv/bin/python bench/pipeline_bench.py --phases memory --scales 1 10 100
    .venv/bin/python bench/pipeline_bench.py --phases queries --repeat 20

Phases (each runs in a fresh child process; peak RSS is sampled over that process and all of its
descendants, the extraction workers included):

``ceiling``   the bare models (``spacy.load`` of the same base package, the same components,
              plus the attribution tagger's network when the config enables it; none of
              newskg's rules) on the same texts: (a) N independent processes each piping 1/N of
              the texts (what the hardware allows), (b) ``nlp.pipe(n_process=N)``. The higher is
              the ceiling. ``--ceiling-base-only`` leaves the tagger out.
``extract``   what ``kg extract -p N`` does: read, extract in N worker processes, write the graph
              document (to /dev/null). Saves the results for the ``memory`` phase.
``ingest``    what ``kg ingest -p N`` does, into a real Neo4j (emptied first): read, look up
              hashes, extract in N workers, load overlapped; plus the loader's facts/s.
``memory``    the whole ingest pipeline over the corpus replayed ``--scales`` times (distinct ids,
              dates and outlets per replica) into Neo4j. Extraction is *memoized* from the
              ``extract`` phase (each replica gets the original article's records, re-keyed), so
              10x and 100x finish in minutes; the NLP workers' memory does not depend on the
              corpus size (bounded chunks; workers are recycled), everything that could grow with
              it — reader, hash lookups, queues, loader state, driver — runs for real. Prints RSS
              every 10,000 articles.
``queries``   every named query in queries/ with realistic parameters against the graph the
              ``memory`` phase left (p50/p95 over ``--repeat`` runs each).

The corpus is replayed from ../shared/corpus/bbc (never copied). Neo4j: NEO4J_URI/NEO4J_USER/
NEO4J_PASSWORD (the phases that write empty the database: use a scratch server).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import pickle
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "bbc"
CACHE = Path(os.environ.get("NEWSKG_BENCH_CACHE", "/tmp/newskg-bench"))
OUTLETS = ("BBC News", "Reuters", "The Guardian", "AP", "Financial Times", "Bloomberg", "The Verge", "TechWire")
CHECKPOINT = 10_000


# ------------------------------------------------------------------------------------------------
# Corpus replay
# ------------------------------------------------------------------------------------------------


def corpus_articles(root: Path, limit: int | None = None) -> list[Any]:
    from kg.articles.model import Article
    from kg.articles.readers import read_articles

    found = [a for a in read_articles([root]) if isinstance(a, Article)]
    return found[:limit] if limit else found


def replica(article: Any, rep: int, index: int) -> Any:
    """Copy ``rep`` of an article: a distinct id, a date and an outlet of its own (replica 0 is
    the article itself, with a date and outlet added)."""
    published = (date(2016, 1, 1) + timedelta(days=(index * 7 + rep * 131) % 3650)).isoformat()
    return dataclasses.replace(
        article,
        id=article.id if rep == 0 else f"{article.id}-r{rep}",
        published=published,
        source=OUTLETS[(index + rep) % len(OUTLETS)],
        content_hash=f"{article.content_hash[:48]}{rep:016x}",
    )


def replay(root: Path, times: int, limit: int | None = None) -> Iterator[Any]:
    """The corpus ``times`` times over, streaming (files are re-read on every pass)."""
    from kg.articles.model import Article
    from kg.articles.readers import read_articles

    for rep in range(times):
        count = 0
        for item in read_articles([root]):
            if isinstance(item, Article):
                if limit and count >= limit:
                    break
                yield replica(item, rep, count)
                count += 1


def rekey(result: Any, article: Any, tail: frozenset[str] = frozenset(), group: int = 0) -> Any:
    """``result`` (extracted from the original article) as if extracted from its replica.

    With ``group`` > 0 the replica also gets a vocabulary of its own where a real corpus would:
    the long-tail entities (``tail``: named in at most two articles of the original corpus) and
    the facts become copies private to the group, while frequent entities stay shared hubs.
    """
    from kg.extract.extractor import ArticleResult

    suffix = article.id[len(result.article.id) :]
    private = tail if group else frozenset()
    tag = f"-g{group}" if group else ""

    def ent(entity_id: str | None) -> str | None:
        return f"{entity_id}{tag}" if entity_id in private else entity_id

    return ArticleResult(
        article=article,
        entities=[dataclasses.replace(e, id=ent(e.id), name=f"{e.name} {group}") if e.id in private else e for e in result.entities],
        mentions=[dataclasses.replace(m, article=article.id, entity=ent(m.entity)) for m in result.mentions],
        claims=[
            dataclasses.replace(
                c, article=article.id, id=c.id + suffix, fact=c.fact + tag, subject=ent(c.subject), object=ent(c.object),
                about=[ent(x) for x in c.about] if c.about else c.about,
            )
            for c in result.claims
        ],
    )


def long_tail(results: dict[str, Any], most: int = 2) -> frozenset[str]:
    """Entities named in at most ``most`` of the articles (the long tail of a news vocabulary)."""
    from collections import Counter

    seen = Counter(entity for r in results.values() for entity in {m.entity for m in r.mentions})
    return frozenset(e for e, n in seen.items() if n <= most)


class MemoExecutor:
    """An executor that returns memoized extraction results (keyed by the original article id)."""

    description = "memoized extraction (replay)"
    workers = 1

    def __init__(self, results: dict[str, Any], tail_groups: int = 0, scale: int = 1) -> None:
        self.results_by_id = results
        self.tail = long_tail(results) if tail_groups else frozenset()
        self.tail_groups, self.scale = tail_groups, scale

    def group(self, article_id: str) -> int:
        """Replica r of ``scale`` belongs to vocabulary group r * tail_groups // scale (0: the original's)."""
        rep = int(article_id.rsplit("-r", 1)[1]) if "-r" in article_id else 0
        return rep * self.tail_groups // self.scale if self.tail_groups else 0

    def results(self, chunks: Any, *, ordered: bool = True) -> Iterator[list[Any]]:
        for chunk in chunks:
            yield [rekey(self.results_by_id[a.id.split("-r")[0]], a, self.tail, self.group(a.id)) for a in chunk]

    def close(self) -> None:
        pass


# ------------------------------------------------------------------------------------------------
# Memory sampling (Linux /proc): a process and all of its descendants
# ------------------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
    except OSError:
        pass
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(pid: int) -> int:
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        total += _rss(p)
        stack.extend(_children(p))
    return total


class Sampler:
    """Peak RSS of a process tree, sampled every ``interval`` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def in_child(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``function(*args)`` in a fresh (spawned) process; return its dict plus the tree's peak RSS."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_child_main, args=(child, function, args))
    process.start()
    with Sampler(process.pid) as sampler:
        while not parent.poll(0.5):
            if not process.is_alive():
                break
        outcome = parent.recv() if parent.poll() else {"error": f"child exited with {process.exitcode}"}
    process.join()
    outcome["peak_rss_mb"] = round(sampler.peak / 2**20)
    if "error" in outcome:
        raise RuntimeError(outcome["error"])
    return outcome


def _child_main(conn: Any, function: Callable[..., dict[str, Any]], args: tuple[Any, ...]) -> None:
    try:
        conn.send(function(*args))
    except BaseException as exc:  # reported to the parent
        import traceback

        conn.send({"error": f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"})


# ------------------------------------------------------------------------------------------------
# Phases (run in child processes)
# ------------------------------------------------------------------------------------------------


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that have been waited for."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def process_cpu_seconds(pid: int | None) -> float:
    """CPU time of another process (the Neo4j server), from /proc; 0 when unknown."""
    if not pid:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _base_model() -> str:
    from kg.extract.pipeline import base_model_name

    return base_model_name()


def _tagger_settings() -> dict[str, Any] | None:
    """The attribution tagger's settings when newskg's config enables it (it is a model of its own)."""
    from kg.extract.pipeline import load_config

    settings = load_config()["components"].get("newskg_attribution_tagger")
    if not settings or not settings.get("enabled"):
        return None
    return {k: v for k, v in settings.items() if k not in ("factory", "before", "after")}


def bare_pipeline(base: str, tagger: dict[str, Any] | None) -> Any:
    """The statistical models newskg runs, without any of newskg's rules: the base model, plus the
    attribution tagger's network (run exactly as in newskg) when ``tagger`` holds its settings."""
    from kg.extract.pipeline import load_base_model

    nlp = load_base_model(base)
    if tagger is not None:
        import kg.extract.attribution_tagger  # noqa: F401  (registers the factory)

        nlp.add_pipe("newskg_attribution_tagger_v1", before="parser", config=tagger)
    return nlp


def _shard_worker(texts: list[str], base: str, tagger: dict[str, Any] | None, batch: int, ready: Any, go: Any, done: Any) -> None:
    nlp = bare_pipeline(base, tagger)
    ready.put(os.getpid())
    go.wait()
    count = sum(1 for _ in nlp.pipe(texts, batch_size=batch))
    done.put(count)


def phase_ceiling(args: dict[str, Any]) -> dict[str, Any]:
    """The bare models (base model, and the attribution tagger unless ``--ceiling-base-only``):
    N independent shards, and nlp.pipe(n_process=N)."""
    texts = [a.text for a in corpus_articles(Path(args["corpus"]), args["articles"])]
    n, batch, base = args["processes"], args["batch_size"], _base_model()
    tagger = None if args.get("base_only") else _tagger_settings()
    context = multiprocessing.get_context("spawn")
    ready, done, go = context.Queue(), context.Queue(), context.Event()
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    workers = [context.Process(target=_shard_worker, args=(texts[i::n], base, tagger, batch, ready, go, done)) for i in range(n)]
    for w in workers:
        w.start()
    for _ in workers:
        ready.get()
    loaded = time.perf_counter()
    go.set()
    count = sum(done.get() for _ in workers)
    finished = time.perf_counter()
    for w in workers:
        w.join()
    shards_cpu = cpu_seconds() - cpu_started
    nlp = bare_pipeline(base, tagger)
    components = list(nlp.pipe_names)
    sample = texts[: args.get("pipe_sample") or len(texts)]
    pipe_started = time.perf_counter()
    piped = sum(1 for _ in nlp.pipe(sample, batch_size=batch, n_process=n))
    pipe_seconds = time.perf_counter() - pipe_started
    return {
        "articles": count,
        "components": components,
        "shards_seconds": round(finished - loaded, 2),
        "shards_load_seconds": round(loaded - started, 2),
        "shards_per_s": round(count / (finished - loaded), 3),
        "shards_per_s_with_load": round(count / (finished - started), 3),
        "shards_cpu_s_per_article": round(shards_cpu / count, 4),
        "nlp_pipe_articles": piped,
        "nlp_pipe_seconds": round(pipe_seconds, 2),
        "nlp_pipe_per_s": round(piped / pipe_seconds, 3),
    }


def phase_extract(args: dict[str, Any]) -> dict[str, Any]:
    """``kg extract -p N -o /dev/null`` in-process (the same code path), and keep the results."""
    from kg.distributed import InlineExecutor, PipelineSpec, ProcessExecutor, chunked
    from kg.extract.output import ExtractionSummary, GraphDocumentWriter

    articles = corpus_articles(Path(args["corpus"]), args["articles"])
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    spec = PipelineSpec(batch_size=args["batch_size"])
    executor = ProcessExecutor(args["processes"], spec) if args["processes"] > 1 else InlineExecutor(spec)
    summary = ExtractionSummary()
    keep: dict[str, Any] = {}
    first: float | None = None
    first_count = 0
    with executor, open(os.devnull, "w") as sink:
        writer = GraphDocumentWriter(sink, model="bench")
        for chunk in executor.results(chunked(iter(articles), args["chunk_size"]), ordered=True):
            if first is None:
                first, first_count = time.perf_counter(), len(chunk)
            for result in chunk:
                writer.write(result)
                summary.add(result)
                if args.get("save"):
                    keep[result.article.id] = result
    finished = time.perf_counter()
    seconds = finished - started
    cpu = cpu_seconds() - cpu_started
    if args.get("save"):
        CACHE.mkdir(parents=True, exist_ok=True)
        with open(CACHE / "results.pickle", "wb") as handle:
            pickle.dump(keep, handle)
    return {
        "articles": summary.articles,
        "seconds": round(seconds, 2),
        "per_s": round(summary.articles / seconds, 3),
        "first_result_after_s": round((first or started) - started, 2),
        # after the first chunk: the workers' start-up (loading the pipeline) left out, as the
        # ceiling's shards leave out loading the bare model
        "steady_per_s": round((summary.articles - first_count) / (finished - first), 3) if first and finished > first else None,
        "cpu_s_per_article": round(cpu / max(1, summary.articles), 4),
        "entities": sum(summary.entities.values()),
        "claims": sum(summary.claims.values()),
    }


def _connect() -> Any:
    from kg.neo4j.connection import open_driver, resolve_settings

    settings = resolve_settings(None, None, None, None)
    return open_driver(settings), settings


def _empty(driver: Any, database: str) -> None:
    from kg.neo4j.admin import empty_database

    empty_database(driver, database)


def phase_ingest(args: dict[str, Any]) -> dict[str, Any]:
    """``kg ingest -p N`` in-process (the same code path) into an emptied database."""
    from kg.distributed import InlineExecutor, PipelineSpec, ProcessExecutor
    from kg.ingest import IngestStats, ingest
    from kg.neo4j.loader import GraphLoader

    driver, settings = _connect()
    _empty(driver, settings.database)
    articles = corpus_articles(Path(args["corpus"]), args["articles"])
    spec = PipelineSpec(batch_size=args["batch_size"])
    executor = ProcessExecutor(args["processes"], spec) if args["processes"] > 1 else InlineExecutor(spec)
    stats = IngestStats()
    server_pid = int(os.environ.get("NEWSKG_BENCH_SERVER_PID", "0") or 0)
    cpu_started, server_started = cpu_seconds(), process_cpu_seconds(server_pid)
    arrivals: list[float] = []

    def seen(_: Any) -> None:
        arrivals.append(time.perf_counter())

    with executor:
        summary = ingest(None, iter(articles), GraphLoader(driver, settings.database), executor=executor, batch_size=args["chunk_size"], stats=stats, on_article=seen)
    driver.close()
    cpu, server_cpu = cpu_seconds() - cpu_started, process_cpu_seconds(server_pid) - server_started
    return {
        "articles": stats.extracted,
        "created": summary.articles_created,
        "cpu_s_per_article": round(cpu / max(1, stats.extracted), 4),
        "server_cpu_s_per_article": round(server_cpu / max(1, stats.extracted), 4) if server_pid else None,
        "seconds": round(stats.seconds, 2),
        "per_s": round(stats.extracted / stats.seconds, 3),
        # after the first chunk (see phase_extract); articles arrive a chunk at a time
        "steady_per_s": round((len(arrivals) - args["chunk_size"]) / (arrivals[-1] - arrivals[args["chunk_size"] - 1]), 3) if len(arrivals) > 2 * args["chunk_size"] else None,
        "facts": summary.facts,
        "loader_busy_seconds": round(stats.loader_busy, 2),
        "load_facts_per_s": round(summary.facts / stats.loader_busy, 1) if stats.loader_busy else None,
        "waiting_for_results_s": round(stats.waiting_for_results, 2),
        "waiting_for_loader_s": round(stats.waiting_for_loader, 2),
    }


def phase_memory(args: dict[str, Any]) -> dict[str, Any]:
    """The ingest pipeline over the corpus replayed ``scale`` times, extraction memoized."""
    from kg.ingest import IngestStats, ingest
    from kg.neo4j.loader import GraphLoader

    with open(CACHE / "results.pickle", "rb") as handle:
        memo = pickle.load(handle)
    driver, settings = _connect()
    if args.get("wipe", True):
        _empty(driver, settings.database)
    checkpoints: list[tuple[int, int]] = []
    seen = 0

    def on_article(_: Any) -> None:
        nonlocal seen
        seen += 1
        if seen % CHECKPOINT == 0:
            rss = _rss(os.getpid())
            checkpoints.append((seen, round(rss / 2**20)))
            print(f"  memory x{args['scale']}: {seen:,} articles, RSS {rss / 2**20:.0f} MB", file=sys.stderr, flush=True)

    stats = IngestStats()
    articles = (a for a in replay(Path(args["corpus"]), args["scale"]) if a.id.split("-r")[0] in memo)
    summary = ingest(None, articles, GraphLoader(driver, settings.database), executor=MemoExecutor(memo, args.get("tail_groups", 0), args["scale"]), batch_size=args["chunk_size"], stats=stats, on_article=on_article)  # type: ignore[arg-type]
    driver.close()
    return {
        "scale": args["scale"],
        "tail_groups": args.get("tail_groups", 0),
        "articles": stats.read,
        "created": summary.articles_created,
        "seconds": round(stats.seconds, 1),
        "facts": summary.facts,
        "load_facts_per_s": round(summary.facts / stats.loader_busy, 1) if stats.loader_busy else None,
        "rss_mb_checkpoints": checkpoints,
    }


def phase_dask(args: dict[str, Any]) -> dict[str, Any]:
    """Extraction on a Dask LocalCluster of ``workers`` workers (1 thread each): start-up, then throughput."""
    from kg.distributed import DaskExecutor, PipelineSpec, chunked

    articles = corpus_articles(Path(args["corpus"]), args["articles"])
    cpu_started = cpu_seconds()
    started = time.perf_counter()
    executor = DaskExecutor(None, PipelineSpec(batch_size=args["batch_size"]), n_workers=args["workers"])
    ready = time.perf_counter()
    count = 0
    with executor:
        for chunk in executor.results(chunked(iter(articles), args["chunk_size"]), ordered=False):
            count += len(chunk)
    seconds = time.perf_counter() - ready
    time.sleep(1)  # let the cluster's processes be reaped, so their CPU time is counted
    cpu = cpu_seconds() - cpu_started
    return {
        "cpu_s": round(cpu, 1),
        "cores_used": round(cpu / (time.perf_counter() - started), 2),
        "workers": args["workers"],
        "articles": count,
        "startup_seconds": round(ready - started, 1),
        "seconds": round(seconds, 2),
        "per_s": round(count / seconds, 3),
    }




def _query_params(driver: Any, database: str) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Realistic parameters, each tagged ``hub`` (the most mentioned entities: tens of thousands of
    articles in a replayed corpus) or ``typical`` (entities ranked ~200th), with real date windows."""

    def ranked(label: str, skip: int, limit: int) -> list[str]:
        rows, _, _ = driver.execute_query(
            f"MATCH (e:{label}) WITH e, COUNT {{ (e)<-[:MENTIONS]-() }} AS n ORDER BY n DESC, e.id SKIP $skip LIMIT $limit RETURN e.name AS name",
            skip=skip, limit=limit, database_=database,
        )
        return [r["name"] for r in rows]

    labels = ("Organization", "Person", "Model", "Place")
    hub = {label: ranked(label, 0, 1) for label in labels}
    typical = {label: ranked(label, 200 if label != "Model" else 20, 2) for label in labels}

    def entities(which: dict[str, list[str]]) -> list[str]:
        return [name for names in which.values() for name in names]

    def tagged(maker: Callable[[str], dict[str, str]], kinds: tuple[str, ...] = labels) -> list[tuple[str, dict[str, str]]]:
        return [("hub", maker(n)) for lab in kinds for n in hub[lab]] + [("typical", maker(n)) for lab in kinds for n in typical[lab]]

    windows = [("2018-01-01", "2018-03-31"), ("2020-06-01", "2020-06-30")]
    return {
        "affiliations": tagged(lambda n: {"org": n}, ("Organization",)) + tagged(lambda n: {"person": n}, ("Person",)),
        "changes-between": [("typical", {"since": s, "until": u}) for s, u in windows],
        "co-mentioned": tagged(lambda n: {"entity": n}),
        "corroborated-claims": [("typical", {}), ("typical", {"type": "SAID"}), ("typical", {"type": "AFFILIATED_WITH", "min_sources": "3"})],
        "entity-timeline": tagged(lambda n: {"entity": n, "since": "2019-01-01", "until": "2019-03-31"}),
        "find-entities": [("typical", {"text": n[:4]}) for n in entities(typical)],
        "models-by-status": [("typical", {}), ("typical", {"status": "released"})],
        "releases-by-organization": tagged(lambda n: {"org": n}, ("Organization",)) + [("typical", {"since": "2019-01-01", "until": "2019-01-31"})],
        "shortest-connection": [("typical", {"entity": a, "other": b}) for a, b in zip(typical["Person"], typical["Organization"], strict=False)]
        + ([("hub", {"entity": hub["Person"][0], "other": hub["Organization"][0]})] if hub["Person"] and hub["Organization"] else []),
        "single-source-claims": [("typical", {"type": "RELEASED"}), ("typical", {"type": "AFFILIATED_WITH"})],
        "statements-about": tagged(lambda n: {"entity": n, "since": "2020-01-01", "until": "2020-12-31"}),
        "statements-by-person": tagged(lambda n: {"person": n, "since": "2020-01-01", "until": "2020-12-31"}, ("Person",)),
    }


def _timed(driver: Any, database: str, cypher_text: str, params: dict[str, Any], timeout: float) -> tuple[float, int]:
    """One read transaction with a server-side timeout and no retries: (milliseconds, rows)."""
    started = time.perf_counter()
    with driver.session(database=database, notifications_min_severity="OFF", default_access_mode="READ") as session:
        with session.begin_transaction(timeout=timeout) as tx:
            rows = len(list(tx.run(cypher_text, params)))
    return (time.perf_counter() - started) * 1000, rows


def _percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"p50_ms": round(statistics.median(ordered), 1), "p95_ms": round(ordered[max(0, -(-len(ordered) * 95 // 100) - 1)], 1)}


def phase_queries(args: dict[str, Any]) -> dict[str, Any]:
    from kg.queries import bind, load_library

    driver, settings = _connect()
    counts, _, _ = driver.execute_query("MATCH (a:Article) RETURN count(a) AS n", database_=settings.database)
    library = load_library()
    params = _query_params(driver, settings.database)
    report: dict[str, Any] = {"graph_articles": counts[0]["n"], "queries": {}}
    for name, query in sorted(library.items()):
        entry: dict[str, Any] = {}
        times: dict[str, list[float]] = {"hub": [], "typical": []}
        rows = 0
        for kind, raw in params.get(name) or [("typical", {})]:
            try:
                values = bind(query, raw)
                _timed(driver, settings.database, query.cypher, values, args["timeout"])  # warm-up
                for _ in range(args["repeat"]):
                    ms, n = _timed(driver, settings.database, query.cypher, values, args["timeout"])
                    times[kind].append(ms)
                    rows = max(rows, n)
            except Exception as exc:  # a timeout or the server's transaction memory limit
                entry.setdefault("failed", []).append(f"{kind} {raw}: {type(exc).__name__}: {getattr(exc, 'message', None) or exc}"[:240])
        for kind, found in times.items():
            if found:
                entry[kind] = {"runs": len(found), **_percentiles(found)}
        entry["max_rows"] = rows
        report["queries"][name] = entry
        print(f"  {name}: {json.dumps(entry)}", file=sys.stderr, flush=True)
    driver.close()
    return report


# ------------------------------------------------------------------------------------------------
# Main
# ------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    from kg.distributed import default_processes

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=None, help="first N articles of the corpus (default: all)")
    parser.add_argument("--processes", "-p", type=int, default=default_processes())
    parser.add_argument("--batch-size", type=int, default=8, help="docs per nlp.pipe batch (bare model and newskg alike)")
    parser.add_argument("--chunk-size", type=int, default=32, help="articles per chunk sent to a worker")
    parser.add_argument("--phases", nargs="+", default=["ceiling", "extract", "ingest"], choices=["ceiling", "extract", "ingest", "memory", "queries", "dask"])
    parser.add_argument("--dask-workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--scales", nargs="+", type=int, default=[1, 10, 100])
    parser.add_argument("--tail-groups", type=int, default=0, help="memory phase: give the long-tail entities and the facts this many private copies across the replicas (a vocabulary that grows with the corpus, Heaps-like, instead of 1x's), e.g. 10 at 45x")
    parser.add_argument("--keep-graph", action="store_true", help="memory phase: load into the graph as it is (replicas already stored unchanged are skipped) instead of emptying it first")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query parameter set")
    parser.add_argument("--query-timeout", type=float, default=20.0, help="server-side timeout per query run (s)")
    parser.add_argument("--ceiling-base-only", action="store_true", help="ceiling without the attribution tagger's network (the base model alone)")
    parser.add_argument("--pipe-sample", type=int, default=500, help="texts for the nlp.pipe(n_process=N) ceiling (it includes worker start-up)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 1
    common = {"corpus": str(args.corpus), "articles": args.articles, "processes": args.processes, "batch_size": args.batch_size, "chunk_size": args.chunk_size}
    report: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "load_avg_at_start": os.getloadavg()}, "settings": {k: v for k, v in common.items() if k != "corpus"}}

    def show(name: str, figures: dict[str, Any]) -> None:
        report[name] = figures
        print(f"{name}: {json.dumps(figures)}", flush=True)

    if "ceiling" in args.phases:
        show("ceiling", in_child(phase_ceiling, {**common, "pipe_sample": args.pipe_sample, "base_only": args.ceiling_base_only}))
    if "extract" in args.phases:
        show("extract", in_child(phase_extract, {**common, "save": args.articles is None}))
    if "ingest" in args.phases:
        show("ingest", in_child(phase_ingest, common))
    for scale in args.scales if "memory" in args.phases else []:
        show(f"memory_x{scale}", in_child(phase_memory, {**common, "scale": scale, "tail_groups": args.tail_groups, "wipe": not args.keep_graph}))
    if "queries" in args.phases:
        show("queries", in_child(phase_queries, {"repeat": args.repeat, "timeout": args.query_timeout}))
    for workers in args.dask_workers if "dask" in args.phases else []:
        show(f"dask_{workers}_workers", in_child(phase_dask, {**common, "workers": workers}))
    if "dask" in args.phases and len(args.dask_workers) > 1:
        rates = {w: report[f"dask_{w}_workers"]["per_s"] for w in args.dask_workers}
        base = min(args.dask_workers)
        print("dask scaling: " + ", ".join(f"{w} workers {r:.2f}/s ({r / rates[base]:.2f}x)" for w, r in rates.items()))

    if "ceiling" in report:
        # like with like: whole runs (start-up included) against the shards with model loading and
        # spaCy's own multi-process pipe (which starts its workers), steady state against the shards
        ceiling = max(report["ceiling"]["shards_per_s_with_load"], report["ceiling"]["nlp_pipe_per_s"])
        steady_ceiling = report["ceiling"]["shards_per_s"]
        report["ceiling_per_s"], report["steady_ceiling_per_s"] = ceiling, steady_ceiling
        for name in ("extract", "ingest"):
            if name in report:
                report[f"{name}_ratio"] = round(report[name]["per_s"] / ceiling, 3)
                print(f"{name}: {report[name]['per_s']:.2f} articles/s = {report[f'{name}_ratio']:.2f} x the bare ceiling ({ceiling:.2f}/s), start-up included")
                if report[name].get("steady_per_s"):
                    report[f"{name}_steady_ratio"] = round(report[name]["steady_per_s"] / steady_ceiling, 3)
                    print(f"{name}: {report[name]['steady_per_s']:.2f} articles/s = {report[f'{name}_steady_ratio']:.2f} x the bare ceiling ({steady_ceiling:.2f}/s), steady state")
    if "extract" in report and "ingest" in report:
        # Without overlap the ingest would take extraction + loading; what it takes beyond
        # extraction is the loading that was NOT hidden behind the NLP.
        # The loader thread overlaps extraction when the producer never waits for it; on a machine
        # whose cores the workers saturate, loading still costs the CPU it uses (client + server).
        extra = report["ingest"]["seconds"] - report["extract"]["seconds"]
        ingest = report["ingest"]
        loading_cpu = ingest["cpu_s_per_article"] + (ingest.get("server_cpu_s_per_article") or 0) - report["extract"]["cpu_s_per_article"]
        print(
            f"loading: loader busy {ingest['loader_busy_seconds']:.1f} s during {ingest['seconds']:.1f} s, producer waited "
            f"{ingest['waiting_for_loader_s']:.1f} s for it; ingest took {extra:+.1f} s more than extract, "
            f"loading CPU (client + server) {loading_cpu * 1000:.0f} ms per article"
        )
    if "ceiling" in report:
        per_article = report["ceiling"]["shards_cpu_s_per_article"]
        for name in ("extract", "ingest"):
            if name in report:
                # robust to other load on the machine: CPU seconds per article, bare model vs newskg
                # (ingest: this process tree plus the Neo4j server when NEWSKG_BENCH_SERVER_PID is set)
                total = report[name]["cpu_s_per_article"] + (report[name].get("server_cpu_s_per_article") or 0)
                report[f"{name}_cpu_ratio"] = round(per_article / total, 3)
                print(f"{name}: {total * 1000:.0f} ms CPU per article vs {per_article * 1000:.0f} ms bare: CPU-efficiency ratio {report[f'{name}_cpu_ratio']:.2f}")
    peaks = {k: v["peak_rss_mb"] for k, v in report.items() if isinstance(v, dict) and "peak_rss_mb" in v}
    if peaks:
        print("peak RSS (MB, process tree): " + ", ".join(f"{k} {v}" for k, v in peaks.items()))
    if "queries" in report:
        for kind in ("typical", "hub"):
            p95s = {name: q[kind]["p95_ms"] for name, q in report["queries"]["queries"].items() if kind in q}
            slow = sorted(name for name, v in p95s.items() if v >= 50)
            print(f"queries on {report['queries']['graph_articles']:,} articles, {kind} parameters: p95 < 50 ms for {len(p95s) - len(slow)} of {len(p95s)}; slower: {', '.join(slow) or 'none'}")
        failed = sorted(name for name, q in report["queries"]["queries"].items() if "failed" in q)
        if failed:
            print(f"queries that failed for some parameters: {', '.join(failed)}")
    report["machine"]["load_avg_at_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
