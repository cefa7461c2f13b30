"""Extract and load in one streaming pass, with loading overlapped with extraction.

Extraction (CPU-bound spaCy work) runs in the calling thread; a loader thread writes to Neo4j
from a bounded queue, so memory stays flat and the database round-trips hide behind the NLP.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator

from spacy.language import Language

from kg.articles import Article
from kg.document import Record
from kg.extract.extractor import ArticleResult, extract_articles
from kg.neo4j.loader import GraphLoader, LoadSummary

_DONE = object()


def ingest(
    nlp: Language,
    articles: Iterable[Article],
    loader: GraphLoader,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    queue_size: int = 256,
    on_article: Callable[[ArticleResult], None] | None = None,
) -> LoadSummary:
    """Extract ``articles`` and load their records; returns the loader's summary."""
    pending: queue.Queue[object] = queue.Queue(maxsize=queue_size)
    outcome: dict[str, object] = {}

    def records() -> Iterator[Record]:
        while True:
            item = pending.get()
            if item is _DONE:
                return
            yield from item  # type: ignore[misc]

    def run_loader() -> None:
        try:
            outcome["summary"] = loader.load(records(), "<ingest>")
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc
            while pending.get() is not _DONE:  # unblock the producer
                pass

    thread = threading.Thread(target=run_loader, name="newskg-loader", daemon=True)
    thread.start()
    try:
        for result in extract_articles(nlp, articles, batch_size=batch_size, n_process=n_process):
            if "error" in outcome:
                break
            pending.put(list(result.records()))
            if on_article is not None:
                on_article(result)
    finally:
        pending.put(_DONE)
        thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["summary"]  # type: ignore[return-value]
