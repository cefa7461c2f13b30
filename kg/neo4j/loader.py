"""Load graph documents into Neo4j: streaming, batched, idempotent and resumable.

Records are read in document order and grouped by article; groups are written in batches, each
batch in ONE managed write transaction that also stores every article's ``content_hash``. So a
load that dies midway has committed whole articles only, and running it again skips those
(unchanged hash) and writes exactly the rest.

The layers, the first three testable without a database:

* :mod:`kg.neo4j.validation` and :mod:`kg.neo4j.batching`: records checked and grouped into
  batches (:class:`~kg.neo4j.batching.Batcher`), entities merged in an
  :class:`~kg.neo4j.entity_registry.EntityRegistry`;
* :mod:`kg.neo4j.rows`: a batch turned into query parameters;
* :mod:`kg.neo4j.transactions` (with :mod:`kg.neo4j.upkeep`): the statements of
  :mod:`kg.neo4j.cypher` run for each batch;
* :class:`GraphLoader` (here): sessions, retries, splitting, the running :class:`LoadSummary`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kg.document import DocumentError, Record
from kg.neo4j.batching import DEFAULT_BATCH_SIZE, DEFAULT_MAX_ROWS, ArticleGroup, Batcher, Located, check_limits, iter_document
from kg.neo4j.entity_registry import EntityRegistry, unique
from kg.neo4j.schema import SchemaReport, ensure_schema
from kg.neo4j.session import quiet_session
from kg.neo4j.summary import LoadSummary, Problem
from kg.neo4j.transactions import Outcome, TransactionTooLarge, forget_batch, write_batch, write_batch_bounded

if TYPE_CHECKING:
    from neo4j import Driver, Session

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_MAX_ROWS", "GraphLoader", "LoadSummary", "Problem"]



class GraphLoader:
    """Writes graph documents into one Neo4j database; see the module docstring for the rules.

    ``on_problem`` is called for each problem as it is found (the CLI prints it); ``on_batch``
    after each committed batch with the running summary (the CLI's progress display).
    """

    def __init__(
        self,
        driver: Driver,
        database: str = "neo4j",
        batch_size: int = DEFAULT_BATCH_SIZE,
        *,
        max_rows: int = DEFAULT_MAX_ROWS,
        on_problem: Callable[[Problem], None] | None = None,
        on_batch: Callable[[LoadSummary], None] | None = None,
    ) -> None:
        check_limits(batch_size, max_rows)
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.max_rows = max_rows
        self.on_problem = on_problem
        self.on_batch = on_batch
        self._schema_ready = False

    def ensure_schema(self) -> SchemaReport:
        """Create the constraints and indexes the loader relies on (idempotent)."""
        report = ensure_schema(self.driver, self.database)
        self._schema_ready = True
        return report

    def load(self, records: Iterable[Record | DocumentError], source: str = "<records>") -> LoadSummary:
        """Load one graph document given as records, streaming (e.g. straight from extraction).

        Problems are located by record number (1-based); use :meth:`load_lines` for line numbers.
        """
        return self._load(enumerate(records, start=1), source)

    def load_lines(self, lines: Iterable[str | bytes], source: str = "<stdin>") -> LoadSummary:
        """Load one graph document given as JSON Lines text (or bytes), streaming."""
        return self._load(iter_document(lines), source)

    def _load(self, items: Iterable[Located], source: str) -> LoadSummary:
        started = time.perf_counter()
        if not self._schema_ready:
            self.ensure_schema()
        summary = LoadSummary()
        registry = EntityRegistry()
        batcher = Batcher(
            registry,
            summary,
            source=source,
            batch_size=self.batch_size,
            max_rows=self.max_rows,
            on_problem=self.on_problem,
        )
        with self._session() as session:
            for batch in batcher.batches(items):
                self._write_groups(session, batch.groups, registry, summary, batcher)
            # Entity lines after the last article (or in a document without articles) may still
            # carry new aliases for entities stored earlier.
            if registry.dirty:
                outcome = session.execute_write(write_batch, [], registry)
                registry.committed(outcome.referenced, outcome.refreshed)
                summary.merge(outcome.summary)
        summary.seconds = time.perf_counter() - started
        return summary

    def _write_groups(self, session: Session, groups: list[ArticleGroup], registry: EntityRegistry, summary: LoadSummary, batcher: Batcher) -> None:
        """Write one batch; a batch the server refuses for lack of transaction memory is split in
        halves and each written on its own (recursively); a single article still refused is
        reported and skipped, and the load goes on."""
        try:
            outcome = session.execute_write(write_batch_bounded, groups, registry)
        except TransactionTooLarge as exc:
            if len(groups) > 1:
                half = len(groups) // 2
                self._write_groups(session, groups[:half], registry, summary, batcher)
                self._write_groups(session, groups[half:], registry, summary, batcher)
                return
            batcher._report(groups[0].line, f"article {groups[0].article.id!r} is too large for one transaction on this server ({exc}); not stored", "skipped")
            return
        registry.committed(outcome.referenced, outcome.refreshed)
        self._committed(summary, outcome)

    def forget(self, article_ids: Iterable[str]) -> LoadSummary:
        """Remove articles and whatever only they supported (claims, entities, derived links)."""
        started = time.perf_counter()
        if not self._schema_ready:
            self.ensure_schema()
        summary = LoadSummary()
        ids = unique(article_ids)
        with self._session() as session:
            for start in range(0, len(ids), self.batch_size):
                outcome = session.execute_write(forget_batch, ids[start : start + self.batch_size])
                self._committed(summary, outcome)
        summary.seconds = time.perf_counter() - started
        return summary

    def _session(self) -> Session:
        return quiet_session(self.driver, self.database)

    def _committed(self, summary: LoadSummary, outcome: Outcome) -> None:
        summary.merge(outcome.summary)
        summary.batches += 1
        if self.on_batch is not None:
            self.on_batch(summary)
