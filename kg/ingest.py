"""Extract and load in one streaming pass: skip unchanged articles, extract in parallel, load overlapped.

The stages, all streaming with bounded buffers (memory does not grow with the corpus):

1. **read** — the caller's article iterator (files are read one at a time);
2. **skip** — articles already stored with the same ``content_hash`` are dropped *before*
   extraction: ids are looked up in Neo4j ``lookup_batch`` at a time, one ``UNWIND`` query per
   batch, so a daily re-run over a folder costs only its new and changed articles;
3. **extract** — chunks of ``batch_size`` articles go to an executor
   (:mod:`kg.distributed`: this process, local worker processes or a Dask cluster) with a
   bounded number of chunks in flight;
4. **load** — a loader thread writes the results to Neo4j from a bounded queue while
   extraction goes on (:class:`~kg.neo4j.loader.GraphLoader`, one transaction per loader batch).
   It starts a fresh load every ``segment_articles`` articles, so the loader's per-load
   bookkeeping (ids seen, entities declared) stays bounded too; entity aliases are unioned in
   the database, so nothing is lost between segments.

Errors: an extraction error (a worker's exception, a broken pool) stops reading, lets the
loader commit what was already extracted (whole articles only), and is raised; a database
error in the loader stops extraction and is raised. Either way the caller sees the original
exception, and a re-run resumes (committed articles are skipped as unchanged).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.distributed import DEFAULT_CHUNK_SIZE, ExtractionExecutor, InlineExecutor, PipelineSpec, chunked
from kg.neo4j.loader import GraphLoader
from kg.neo4j.session import article_hashes, quiet_session
from kg.neo4j.summary import LoadSummary

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.articles.model import Article
    from kg.document import Record
    from kg.extract.extractor import ArticleResult

#: Articles per chunk sent to an extraction worker (its ``nlp.pipe`` batches are smaller, see
#: :class:`kg.distributed.PipelineSpec`).
DEFAULT_BATCH_SIZE = DEFAULT_CHUNK_SIZE
#: Ids per content-hash lookup query.
DEFAULT_LOOKUP_BATCH = 1_000
#: Result chunks waiting for the loader (each ``batch_size`` articles).
DEFAULT_QUEUE_CHUNKS = 8
#: Articles per loader run; the loader's bookkeeping is dropped between runs.
DEFAULT_SEGMENT_ARTICLES = 5_000

_DONE = object()


@dataclass(slots=True)
class IngestStats:
    """What the pipeline did besides loading: counts, and where the time went."""

    read: int = 0
    skipped_unchanged: int = 0
    extracted: int = 0
    lookups: int = 0
    seconds: float = 0.0
    #: time the producer waited for extraction results (the NLP is the bottleneck when ~seconds)
    waiting_for_results: float = 0.0
    #: time the producer was blocked because the loader's queue was full (the database is slower)
    waiting_for_loader: float = 0.0
    #: time the loader thread spent loading (not waiting for results)
    loader_busy: float = 0.0
    executor: str = ""
    segments: int = 0

    def describe(self) -> str:
        return (
            f"read {self.read}, skipped {self.skipped_unchanged} unchanged before extraction, extracted {self.extracted} "
            f"({self.executor}); {self.seconds:.1f} s, loader busy {self.loader_busy:.1f} s, "
            f"waited {self.waiting_for_results:.1f} s for extraction and {self.waiting_for_loader:.1f} s for the loader"
        )


@dataclass(slots=True)
class IngestResult:
    summary: LoadSummary
    stats: IngestStats = field(default_factory=IngestStats)


def stored_hashes(loader: GraphLoader, ids: list[str]) -> dict[str, str]:
    """``{article id: content_hash}`` of those of ``ids`` already in the database (one query)."""
    if not ids:
        return {}

    # notifications off: on an empty graph the server warns that `content_hash` does not exist yet
    with quiet_session(loader.driver, loader.database) as session:
        return session.execute_read(article_hashes, ids)


def skip_unchanged(articles: Iterable[Article], loader: GraphLoader, stats: IngestStats, *, lookup_batch: int = DEFAULT_LOOKUP_BATCH) -> Iterator[Article]:
    """The articles that are new or changed: unchanged ones (same id and content hash in the
    database) are counted in ``stats.skipped_unchanged`` and dropped, ``lookup_batch`` ids per query."""
    for batch in chunked(articles, lookup_batch):
        stats.read += len(batch)
        stored = stored_hashes(loader, list(dict.fromkeys(a.id for a in batch)))
        stats.lookups += 1
        for article in batch:
            if stored.get(article.id) == article.content_hash:
                stats.skipped_unchanged += 1
            else:
                yield article


def _counted(articles: Iterable[Article], stats: IngestStats) -> Iterator[Article]:
    for article in articles:
        stats.read += 1
        yield article


def ingest(
    nlp: Language | None,
    articles: Iterable[Article],
    loader: GraphLoader,
    *,
    executor: ExtractionExecutor | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    queue_size: int = DEFAULT_QUEUE_CHUNKS,
    skip_unchanged_articles: bool = True,
    lookup_batch: int = DEFAULT_LOOKUP_BATCH,
    segment_articles: int = DEFAULT_SEGMENT_ARTICLES,
    on_article: Callable[[ArticleResult], None] | None = None,
    stats: IngestStats | None = None,
) -> LoadSummary:
    """Extract ``articles`` and load their records; returns the loader's summary.

    Extraction runs on ``executor`` when given (the caller closes it), else in this process with
    ``nlp`` (``n_process`` > 1: that many local worker processes, which load the configured
    pipeline themselves). ``batch_size`` is the articles per chunk handed to the executor.
    Articles skipped as unchanged count as
    ``articles_unchanged`` in the summary; ``stats`` (optional) receives the pipeline's figures.
    """
    stats = stats if stats is not None else IngestStats()
    started = time.perf_counter()
    own_executor = None
    if executor is None:
        if n_process > 1:
            from kg.distributed import ProcessExecutor

            executor = own_executor = ProcessExecutor(n_process, PipelineSpec())
        else:
            if nlp is None:
                raise ValueError("ingest needs an nlp pipeline or an executor")
            executor = InlineExecutor(PipelineSpec(), nlp)
    stats.executor = executor.description
    try:
        summary = _run(articles, loader, executor, stats, batch_size, queue_size, skip_unchanged_articles, lookup_batch, segment_articles, on_article)
    finally:
        if own_executor is not None:
            own_executor.close()
        stats.seconds = time.perf_counter() - started
    summary.articles_unchanged += stats.skipped_unchanged
    return summary


def _run(
    articles: Iterable[Article],
    loader: GraphLoader,
    executor: ExtractionExecutor,
    stats: IngestStats,
    batch_size: int,
    queue_size: int,
    skip: bool,
    lookup_batch: int,
    segment_articles: int,
    on_article: Callable[[ArticleResult], None] | None,
) -> LoadSummary:
    if not getattr(loader, "_schema_ready", False):  # before the first lookup, so it uses the id index
        loader.ensure_schema()
    pending: queue.Queue[object] = queue.Queue(maxsize=max(1, queue_size))
    outcome: dict[str, object] = {}
    stop = threading.Event()
    total = LoadSummary()

    def segment() -> Iterator[Record]:
        """Records of up to ``segment_articles`` articles (whole result chunks); sets ``done``."""
        count = 0
        while count < segment_articles:
            waited = time.perf_counter()
            item = pending.get()
            busy_since = time.perf_counter()
            outcome["idle"] = outcome.get("idle", 0.0) + (busy_since - waited)  # type: ignore[operator]
            if item is _DONE:
                outcome["done"] = True
                return
            for result in item:  # type: ignore[attr-defined]
                count += 1
                yield from result.records()

    def run_loader() -> None:
        loader_started = time.perf_counter()
        try:
            while "done" not in outcome:
                part = loader.load(segment(), "<ingest>")
                stats.segments += 1
                total.merge(part)
        except BaseException as exc:  # handed to the producer's thread
            outcome["error"] = exc
            stop.set()
            while "done" not in outcome and pending.get() is not _DONE:  # unblock the producer
                pass
        finally:
            stats.loader_busy = time.perf_counter() - loader_started - outcome.get("idle", 0.0)  # type: ignore[operator]

    thread = threading.Thread(target=run_loader, name="newskg-loader", daemon=True)
    thread.start()
    try:
        source = skip_unchanged(articles, loader, stats, lookup_batch=lookup_batch) if skip else _counted(articles, stats)
        results = executor.results(chunked(source, batch_size), ordered=False)
        try:
            while not stop.is_set():
                waited = time.perf_counter()
                chunk = next(results, None)
                stats.waiting_for_results += time.perf_counter() - waited
                if chunk is None:
                    break
                stats.extracted += len(chunk)
                waited = time.perf_counter()
                while not stop.is_set():
                    try:
                        pending.put(chunk, timeout=0.5)
                        break
                    except queue.Full:
                        continue
                stats.waiting_for_loader += time.perf_counter() - waited
                if on_article is not None:
                    for result in chunk:
                        on_article(result)
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # cancels the chunks still in flight
    finally:
        while thread.is_alive():
            try:
                pending.put(_DONE, timeout=0.5)
                break
            except queue.Full:
                continue
        thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return total
