"""What runs inside an extraction worker (a local process or a Dask worker).

A worker loads the spaCy pipeline once (per process, per pipeline spec) and then turns chunks
of :class:`~kg.articles.model.Article` into :class:`~kg.extract.extractor.ArticleResult` lists. Both
directions are plain picklable data (articles in, records out), far smaller than serialized
spaCy ``Doc`` objects, so the parent does no NLP and no record building.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.articles.model import Article
    from kg.extract.extractor import ArticleResult


@dataclass(frozen=True, slots=True)
class PipelineSpec:
    """How a worker builds its pipeline: the base model (None: the config's) and the config file."""

    model: str | None = None
    config_path: str | None = None
    #: docs per ``nlp.pipe`` batch: spaCy's memory grows with the tokens of a batch (about 60 MB
    #: per 8 news articles) while its speed does not improve beyond a few docs (bench/pipeline_bench.py)
    batch_size: int = 8

    def load(self) -> Language:
        from kg.extract.pipeline import load_pipeline

        return load_pipeline(self.model, Path(self.config_path) if self.config_path else None)


_PIPELINES: dict[PipelineSpec, Language] = {}
_LOCK = threading.Lock()


def pipeline_for(spec: PipelineSpec) -> Language:
    """The worker's pipeline for ``spec``, loaded on first use and kept for the process's life."""
    with _LOCK:
        nlp = _PIPELINES.get(spec)
        if nlp is None:
            nlp = _PIPELINES[spec] = spec.load()
        return nlp


def extract_chunk(spec: PipelineSpec, articles: list[Article]) -> list[ArticleResult]:
    """Extract one chunk of articles with the worker's pipeline (the task every executor runs).

    The lock makes a multi-threaded worker run one chunk at a time: spaCy pipelines are not
    documented as thread-safe, and the work is CPU-bound Python anyway (use 1 thread per worker).
    """
    from kg.extract.extractor import extract_articles

    nlp = pipeline_for(spec)
    with _LOCK:
        return list(extract_articles(nlp, articles, batch_size=max(1, min(spec.batch_size, len(articles)))))


def warm_up(spec: PipelineSpec) -> bool:
    """Load the pipeline now (so the first chunk does not pay for it); True when done."""
    pipeline_for(spec)
    return True


#: How often a local worker checks that the process that started it is still alive (seconds).
PARENT_CHECK_SECONDS = 0.5


def init_local_worker(parent_pid: int) -> None:
    """Initializer of a local worker process: leave Ctrl-C to the parent (which stops the pool),
    and exit as soon as the parent is gone, whatever killed it (``kill -9`` included): a worker
    blocked on its task queue would otherwise wait forever, and keep the resource tracker alive."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            time.sleep(PARENT_CHECK_SECONDS)

    threading.Thread(target=watch, name="newskg-parent-watch", daemon=True).start()
