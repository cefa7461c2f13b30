"""Extraction executors: where the NLP runs (this process, local worker processes, a Dask cluster).

Every executor takes a stream of article chunks and gives back a stream of result chunks, with a
bounded number of chunks in flight, so memory stays flat whatever the corpus size:

* :class:`InlineExecutor` — in the calling process (``--processes 1``);
* :class:`ProcessExecutor` — N local worker processes (``--processes N``, the default: the
  machine's cores); each loads the pipeline once; articles go in, graph records come out;
* :class:`DaskExecutor` — the workers of a Dask distributed cluster (``--executor
  dask://HOST:PORT``), or a ``LocalCluster`` it starts (``--executor dask-local:N``). A worker
  plugin loads the pipeline once per worker; results stream back as they complete.

``make_executor("local" | "dask://HOST:PORT" | "dask-local[:N]", ...)`` parses the CLI's
``--executor`` value. Dask is imported only when a Dask executor is asked for.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import TYPE_CHECKING, Any

from kg.distributed.worker import PipelineSpec, extract_chunk, init_local_worker, pipeline_for

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.articles.model import Article
    from kg.extract.extractor import ArticleResult

__all__ = [
    "DaskExecutor",
    "ExecutorError",
    "ExtractionExecutor",
    "InlineExecutor",
    "PipelineSpec",
    "ProcessExecutor",
    "DEFAULT_CHUNK_SIZE",
    "chunked",
    "default_processes",
    "make_executor",
]

#: Chunks in flight per worker: one being worked on, one queued so the worker never waits.
IN_FLIGHT_PER_WORKER = 2
#: Articles per chunk sent to a worker (a task); the worker pipes them in ``PipelineSpec.batch_size`` batches.
DEFAULT_CHUNK_SIZE = 32
#: A local worker process is replaced after this many chunks, so that spaCy's string store (which
#: grows with every new word it sees) cannot grow without bound over a very long run.
MAX_CHUNKS_PER_WORKER = 2_000


class ExecutorError(RuntimeError):
    """An executor cannot be created or used (bad ``--executor`` value, Dask missing or unreachable)."""


def default_processes() -> int:
    """The machine's cores (those this process may run on), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of ``size`` consecutive items (the last may be shorter), lazily."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ExtractionExecutor:
    """Turns chunks of articles into chunks of results; use as a context manager."""

    description = "executor"
    workers = 1

    def results(self, chunks: Iterable[list[Article]], *, ordered: bool = True) -> Iterator[list[ArticleResult]]:
        raise NotImplementedError

    def close(self) -> None:
        """Release workers; pending work is cancelled."""

    def __enter__(self) -> ExtractionExecutor:
        return self

    def __exit__(self, exc_type: object = None, *exc: object) -> None:
        if exc_type is not None:
            self.abort()
        else:
            self.close()

    def abort(self) -> None:
        """Stop now (an error or Ctrl-C in the caller): by default the same as :meth:`close`."""
        self.close()


class InlineExecutor(ExtractionExecutor):
    """Extraction in the calling process (no worker processes)."""

    def __init__(self, spec: PipelineSpec | None = None, nlp: Language | None = None) -> None:
        self.spec = spec or PipelineSpec()
        self._nlp = nlp
        self.description = "in-process"

    def results(self, chunks: Iterable[list[Article]], *, ordered: bool = True) -> Iterator[list[ArticleResult]]:
        from kg.extract.extractor import extract_articles

        nlp = self._nlp or pipeline_for(self.spec)
        for chunk in chunks:
            yield list(extract_articles(nlp, chunk, batch_size=max(1, min(self.spec.batch_size, len(chunk)))))


def _stream(
    submit: Callable[[list[Article]], Any],
    wait_first: Callable[[list[Any]], Iterable[Any]],
    chunks: Iterable[list[Article]],
    max_in_flight: int,
    ordered: bool,
    *,
    result_of: Callable[[Any], list[ArticleResult]] = lambda future: future.result(),
    cancel: Callable[[Any], None] = lambda future: future.cancel(),
) -> Iterator[list[ArticleResult]]:
    """Submit chunks keeping at most ``max_in_flight`` submitted-but-not-yielded; yield results.

    ``submit`` returns a future (concurrent.futures or Dask: both have ``result()`` and
    ``cancel()``, the defaults of ``result_of`` and ``cancel``); ``wait_first`` returns the
    futures of a list that are done, waiting until there is one.

    ``ordered`` yields in submission order (a small reorder buffer, counted in the bound);
    otherwise as they complete. A worker's exception is raised here, in the caller; the work
    still pending is then cancelled.
    """
    pending: dict[Any, int] = {}
    finished: dict[int, list[ArticleResult]] = {}
    source = iter(chunks)
    submitted = yielded = 0
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) + len(finished) < max_in_flight:
                chunk = next(source, None)
                if chunk is None:
                    exhausted = True
                    break
                pending[submit(chunk)] = submitted
                submitted += 1
            if not pending and not finished:
                return
            if pending:
                for future in wait_first(list(pending)):
                    number = pending.pop(future)
                    result = result_of(future)
                    if ordered:
                        finished[number] = result
                    else:
                        yielded += 1
                        yield result
            while yielded in finished:
                chunk_results = finished.pop(yielded)
                yielded += 1
                yield chunk_results
    finally:
        for future in pending:
            cancel(future)


class ProcessExecutor(ExtractionExecutor):
    """N local worker processes (spawned, so no parent threads or sockets are inherited)."""

    def __init__(self, processes: int, spec: PipelineSpec | None = None, *, max_in_flight: int | None = None) -> None:
        if processes < 1:
            raise ExecutorError("--processes must be at least 1")
        self.spec = spec or PipelineSpec()
        self.workers = processes
        self.max_in_flight = max_in_flight or IN_FLIGHT_PER_WORKER * processes
        self.description = f"{processes} local worker processes"
        self._pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("spawn"),
            max_tasks_per_child=MAX_CHUNKS_PER_WORKER,
            initializer=init_local_worker,
            initargs=(os.getpid(),),
        )

    def results(self, chunks: Iterable[list[Article]], *, ordered: bool = True) -> Iterator[list[ArticleResult]]:
        def wait_first(futures: list[Future[list[ArticleResult]]]) -> Iterable[Future[list[ArticleResult]]]:
            return wait(futures, return_when=FIRST_COMPLETED).done

        return _stream(lambda chunk: self._pool.submit(extract_chunk, self.spec, chunk), wait_first, chunks, self.max_in_flight, ordered)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def abort(self) -> None:
        """Terminate the workers instead of waiting for the chunks they are on."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(ExtractionExecutor):
    """Extraction on a Dask distributed cluster: an existing scheduler, or a LocalCluster.

    Workers need newskg (and its spaCy model) installed; a worker plugin loads the pipeline
    once on every worker, including workers that join later. Use one thread per worker
    (``dask worker --nthreads 1``; add processes, not threads: the work holds the GIL).
    """

    def __init__(
        self,
        address: str | None = None,
        spec: PipelineSpec | None = None,
        *,
        n_workers: int | None = None,
        max_in_flight: int | None = None,
        timeout: float = 30.0,
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - depends on the installation
            raise ExecutorError("the Dask executor needs Dask: pip install 'dask[distributed]'") from None
        self.spec = spec or PipelineSpec()
        self._cluster = None
        try:
            if address is None:
                self._cluster = LocalCluster(
                    n_workers=n_workers or default_processes(), threads_per_worker=1, processes=True, dashboard_address=None
                )
                self.client = Client(self._cluster, timeout=timeout)
            else:
                self.client = Client(address, timeout=timeout)
        except (OSError, TimeoutError) as exc:
            if self._cluster is not None:
                self._cluster.close()
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        try:
            self.client.register_plugin(PipelinePlugin(self.spec), name=PipelinePlugin.name)
        except Exception as exc:
            self.close()
            raise ExecutorError(f"Dask workers cannot load the pipeline: {exc}") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.workers = threads
        self.max_in_flight = max_in_flight or IN_FLIGHT_PER_WORKER * threads
        where = "a local Dask cluster" if address is None else f"Dask at {address}"
        self.description = f"{where} ({threads} worker threads)"

    def results(self, chunks: Iterable[list[Article]], *, ordered: bool = False) -> Iterator[list[ArticleResult]]:
        from distributed import wait as dask_wait

        def wait_first(futures: list[Any]) -> Iterable[Any]:
            return dask_wait(futures, return_when="FIRST_COMPLETED").done

        return _stream(lambda chunk: self.client.submit(extract_chunk, self.spec, chunk, pure=False), wait_first, chunks, self.max_in_flight, ordered)

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def _plugin_base() -> type:
    try:
        from distributed.diagnostics.plugin import WorkerPlugin
    except ImportError:  # pragma: no cover
        return object
    return WorkerPlugin


class PipelinePlugin(_plugin_base()):  # type: ignore[misc]
    """Dask worker plugin: load newskg's pipeline once when a worker starts (or joins)."""

    name = "newskg-pipeline"

    def __init__(self, spec: PipelineSpec) -> None:
        self.spec = spec

    def setup(self, worker: object) -> None:
        pipeline_for(self.spec)


def make_executor(
    name: str = "local",
    *,
    processes: int | None = None,
    spec: PipelineSpec | None = None,
    nlp: Language | None = None,
) -> ExtractionExecutor:
    """The executor for an ``--executor`` value: ``local``, ``dask://HOST:PORT``, ``dask-local[:N]``.

    ``local`` runs in this process when ``processes`` is 1 (reusing ``nlp`` if given), else in
    that many worker processes (default: the machine's cores).
    """
    spec = spec or PipelineSpec()
    value = name.strip()
    if value == "local":
        n = processes or default_processes()
        return InlineExecutor(spec, nlp) if n == 1 else ProcessExecutor(n, spec)
    if value.startswith("dask-local"):
        rest = value[len("dask-local") :]
        if rest and not (rest.startswith(":") and rest[1:].isdigit() and int(rest[1:]) > 0):
            raise ExecutorError(f"bad --executor {name!r}: use dask-local or dask-local:N (N workers)")
        return DaskExecutor(None, spec, n_workers=int(rest[1:]) if rest else processes)
    if value.startswith(("dask://", "tcp://", "tls://")):
        address = value.removeprefix("dask://")
        if "://" not in address:
            address = "tcp://" + address
        return DaskExecutor(address, spec)
    raise ExecutorError(f"unknown --executor {name!r}: use local, dask://HOST:PORT or dask-local[:N]")
