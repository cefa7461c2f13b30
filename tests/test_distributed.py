"""Extraction executors: bounded streaming, errors, local worker processes, and a Dask LocalCluster
(2 workers, 1 thread each) extracting and ingesting a few fixture articles."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kg.articles.model import Article
from kg.articles.readers import read_articles
from kg.distributed import (
    DaskExecutor,
    ExecutorError,
    InlineExecutor,
    PipelineSpec,
    ProcessExecutor,
    _stream,
    chunked,
    make_executor,
)
from kg.extract.extractor import ArticleResult

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


def examples() -> list[Article]:
    return [a for a in read_articles([EXAMPLES]) if isinstance(a, Article)]


def records(results: list[ArticleResult]) -> list[str]:
    return sorted(repr(record) for result in results for record in result.records())


# -- bounded streaming (no workers) ----------------------------------------------------------


class FakePool:
    """Futures completed by a background thread after a delay, in reverse order of submission."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.in_flight = 0
        self.max_in_flight = 0
        self.submitted = 0
        self.cancelled = 0
        self.fail_on = fail_on
        self.lock = threading.Lock()

    def submit(self, chunk: list[int]) -> Future[list[int]]:
        future: Future[list[int]] = Future()
        number = self.submitted
        self.submitted += 1
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

        def finish() -> None:
            time.sleep(0.01 * (3 - number % 3))  # later chunks finish first
            if future.set_running_or_notify_cancel():
                if number == self.fail_on:
                    future.set_exception(ValueError(f"chunk {number} failed"))
                else:
                    future.set_result([x * 10 for x in chunk])

        threading.Thread(target=finish, daemon=True).start()
        return future

    def wait_first(self, futures: list[Future[list[int]]]) -> Any:
        from concurrent.futures import FIRST_COMPLETED, wait

        return wait(futures, return_when=FIRST_COMPLETED).done

    def result(self, future: Future[list[int]]) -> list[int]:
        with self.lock:
            self.in_flight -= 1
        return future.result()

    def cancel(self, future: Future[list[int]]) -> None:
        self.cancelled += future.cancel()

    def stream(self, chunks: Any, limit: int, ordered: bool) -> Iterator[list[int]]:
        return _stream(self.submit, self.wait_first, chunks, limit, ordered, result_of=self.result, cancel=self.cancel)  # type: ignore[arg-type]


def test_chunked_is_lazy_and_keeps_the_tail() -> None:
    assert list(chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(chunked([], 3)) == []
    endless = chunked(iter(int, 1), 2)  # an infinite stream: only what is asked for is read
    assert next(endless) == [0, 0]


def test_ordered_stream_keeps_input_order_with_a_bounded_window() -> None:
    pool = FakePool()
    pulled = []

    def chunks() -> Iterator[list[int]]:
        for i in range(20):
            pulled.append(i)
            yield [i]

    out = pool.stream(chunks(), 3, ordered=True)
    first = next(out)
    assert first == [0]
    assert len(pulled) <= 4  # the input is read only as far as the window allows
    rest = list(out)
    assert [first, *rest] == [[i * 10] for i in range(20)]
    assert pool.max_in_flight <= 3


def test_unordered_stream_yields_everything_once() -> None:
    pool = FakePool()
    out = list(pool.stream(([i] for i in range(12)), 4, ordered=False))
    assert sorted(x for chunk in out for x in chunk) == [i * 10 for i in range(12)]
    assert pool.max_in_flight <= 4


def test_a_worker_error_is_raised_in_the_caller_and_pending_work_is_cancelled() -> None:
    pool = FakePool(fail_on=2)
    with pytest.raises(ValueError, match="chunk 2 failed"):
        list(pool.stream(([i] for i in range(50)), 4, ordered=True))
    assert pool.submitted < 50  # stopped early


def test_executor_names() -> None:
    assert isinstance(make_executor("local", processes=1), InlineExecutor)
    with make_executor("local", processes=2) as executor:
        assert isinstance(executor, ProcessExecutor) and executor.workers == 2
    for bad in ("spark://x", "dask-local:0", "dask-local:two", ""):
        with pytest.raises(ExecutorError):
            make_executor(bad, processes=1)


def test_local_worker_processes_give_the_same_records_in_order(nlp_results: list[ArticleResult]) -> None:
    articles = examples()
    with ProcessExecutor(2, PipelineSpec(batch_size=2)) as executor:
        chunks = list(executor.results(chunked(articles, 2), ordered=True))
    results = [r for chunk in chunks for r in chunk]
    assert [r.article.id for r in results] == [a.id for a in articles]
    assert records(results) == records(nlp_results)


def test_a_worker_that_cannot_load_the_pipeline_says_why() -> None:
    from kg.extract.pipeline import PipelineError

    with ProcessExecutor(1, PipelineSpec(model="no_such_spacy_model")) as executor, pytest.raises(PipelineError, match="no_such_spacy_model"):
        list(executor.results(chunked(examples(), 2)))


@pytest.fixture(scope="module")
def nlp_results() -> list[ArticleResult]:
    return [r for chunk in InlineExecutor(PipelineSpec()).results(chunked(examples(), 8)) for r in chunk]


# -- Dask ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[DaskExecutor]:
    pytest.importorskip("distributed")
    executor = DaskExecutor(None, PipelineSpec(batch_size=2), n_workers=2)
    try:
        yield executor
    finally:
        executor.close()


def test_dask_local_cluster_extracts_like_this_process(dask_executor: DaskExecutor, nlp_results: list[ArticleResult]) -> None:
    assert dask_executor.workers == 2
    chunks = list(dask_executor.results(chunked(examples(), 1), ordered=False))
    assert len(chunks) == len(examples())
    assert records([r for chunk in chunks for r in chunk]) == records(nlp_results)
    # every worker loaded the pipeline once, at start (the worker plugin), not per task
    loaded = dask_executor.client.run(lambda: len(__import__("kg.distributed.worker", fromlist=["_PIPELINES"])._PIPELINES))
    assert sorted(loaded.values()) == [1, 1]


def test_dask_ingest_into_neo4j(dask_executor: DaskExecutor, clean_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    from kg.ingest import IngestStats, ingest
    from kg.neo4j.loader import GraphLoader

    stats = IngestStats()
    summary = ingest(None, examples(), GraphLoader(clean_db, neo4j_settings.database), executor=dask_executor, batch_size=1, stats=stats)
    assert summary.articles_created == len(examples()) and stats.extracted == len(examples())
    rows, _, _ = clean_db.execute_query(
        "MATCH (:Organization {name: 'Zhipu AI'})<-[:SUBJECT]-(c:Claim:Released)-[:OBJECT]->(:Model {id: 'model:glm-4.5'}) RETURN c.article_count AS n",
        database_=neo4j_settings.database,
    )
    assert rows and rows[0]["n"] == 2
    again = IngestStats()
    ingest(None, examples(), GraphLoader(clean_db, neo4j_settings.database), executor=dask_executor, stats=again)
    assert again.extracted == 0 and again.skipped_unchanged == len(examples())


def test_unreachable_dask_scheduler_is_one_clear_error() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(ExecutorError, match="127.0.0.1:1"):
        DaskExecutor("tcp://127.0.0.1:1", timeout=2)
