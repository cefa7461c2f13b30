"""Records in, batches out: a graph document read in order, validated and grouped by article.

An ``article`` line opens a group; ``mention`` and ``claim`` lines join the group named by their
``article`` field; ``entity`` lines are upserts (into the :class:`EntityRegistry`) that must
precede their first reference. A batch closes at ``batch_size`` articles or ``max_rows`` mention
and claim records; an article is never split. Nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from kg.articles.dates import published_date
from kg.document import (
    ArticleRecord,
    ClaimRecord,
    DocumentError,
    EntityRecord,
    Header,
    MentionRecord,
    Record,
    read_records,
)
from kg.neo4j.entity_registry import EntityRegistry
from kg.neo4j.summary import LoadSummary, Problem
from kg.neo4j.validation import MAX_INDEXED_CHARS, body_key, claim_problem, entity_problem, is_text, mention_problem

#: Articles per write transaction. Measured with bench/load_bench.py (see docs/schema.md).
DEFAULT_BATCH_SIZE = 200
#: A batch is also closed once it holds this many mention + claim records, so that a few huge
#: articles do not make one huge transaction (an article itself is never split).
DEFAULT_MAX_ROWS = 20_000

Located = tuple[int, "Record | DocumentError"]


class _NumberedLines:
    """Feeds lines to :func:`kg.document.read_records` while remembering the current line number.

    ``read_records`` pulls exactly one line before yielding each record, so after a record comes
    out, :attr:`line_no` is its line. Bytes that are not UTF-8 become a line the parser rejects,
    and are reported as such instead of stopping the read.
    """

    def __init__(self, lines: Iterable[str | bytes]) -> None:
        self._lines = lines
        self.line_no = 0
        self.undecodable: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        for line_no, line in enumerate(self._lines, start=1):
            self.line_no = line_no
            if isinstance(line, bytes):
                try:
                    line = line.decode("utf-8")
                except UnicodeDecodeError:
                    self.undecodable.add(line_no)
                    line = "\x00"
            yield line


def iter_document(lines: Iterable[str | bytes]) -> Iterator[Located]:
    """Parse document lines into ``(line number, record or DocumentError)`` pairs, lazily."""
    numbered = _NumberedLines(lines)
    for item in read_records(numbered):
        if isinstance(item, DocumentError):
            if item.line_no in numbered.undecodable:
                item = DocumentError(item.line_no, "not valid UTF-8")
            yield item.line_no, item
        else:
            yield numbered.line_no, item


@dataclass(slots=True)
class ArticleGroup:
    """An article with the mention and claim records that belong to it."""

    article: ArticleRecord
    line: int
    published: date | None
    mentions: list[MentionRecord] = field(default_factory=list)
    claims: list[ClaimRecord] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.mentions) + len(self.claims)


@dataclass(slots=True)
class Batch:
    """Article groups to be written in one transaction."""

    groups: list[ArticleGroup]

    @property
    def article_ids(self) -> list[str]:
        return [group.article.id for group in self.groups]


def check_limits(batch_size: int, max_rows: int) -> None:
    """Refuse a batch size or row limit below 1 (ValueError)."""
    if batch_size < 1 or max_rows < 1:
        raise ValueError("batch_size and max_rows must be positive")


class Batcher:
    """Validates records in document order and yields batches of article groups.

    Everything that cannot be loaded as given is reported through ``summary`` (and the optional
    ``on_problem`` callback) with its line, then skipped; the rest goes on.
    """

    def __init__(
        self,
        registry: EntityRegistry,
        summary: LoadSummary,
        *,
        source: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        max_rows: int = DEFAULT_MAX_ROWS,
        on_problem: Callable[[Problem], None] | None = None,
    ) -> None:
        check_limits(batch_size, max_rows)
        self.registry = registry
        self.summary = summary
        self.source = source
        self.batch_size = batch_size
        self.max_rows = max_rows
        self.on_problem = on_problem
        self._open: dict[str, ArticleGroup] = {}
        self._rows = 0
        self._article_lines: dict[str, int] = {}
        self._rejected_articles: set[str] = set()
        self._article_hashes: dict[str, object] = {}
        self._article_bodies: dict[str, object] = {}
        self._copy: str | None = None  # the article id of the repeated copy being read, if any
        self._claim_lines: dict[str, int] = {}

    # -- reporting -------------------------------------------------------------------------------

    def _report(self, line: int | None, reason: str, counter: str) -> None:
        setattr(self.summary, counter, getattr(self.summary, counter) + 1)
        problem = Problem(self.source, line, reason)
        self.summary.note(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def _skip(self, line: int, reason: str) -> None:
        self._report(line, reason, "skipped")

    # -- grouping --------------------------------------------------------------------------------

    def batches(self, items: Iterable[Located]) -> Iterator[Batch]:
        """Consume located records; yield a batch whenever one is full, and the rest at the end."""
        for line, item in items:
            if isinstance(item, DocumentError):
                self._report(line, item.reason, "malformed")
                continue
            self.summary.records += 1
            if isinstance(item, Header):
                continue
            if isinstance(item, ArticleRecord):
                if self._open and (len(self._open) >= self.batch_size or self._rows >= self.max_rows):
                    yield self._close()
                self._add_article(line, item)
                continue
            self.summary.facts += 1
            if isinstance(item, EntityRecord):
                self._add_entity(line, item)
            elif isinstance(item, MentionRecord):
                self._add_mention(line, item)
            elif isinstance(item, ClaimRecord):
                self._add_claim(line, item)
        if self._open:
            yield self._close()

    def _close(self) -> Batch:
        batch = Batch(list(self._open.values()))
        self._open = {}
        self._rows = 0
        return batch

    def _add_article(self, line: int, record: ArticleRecord) -> None:
        if not is_text(record.id):
            self._skip(line, "article has no id")
            return
        if len(record.id) > MAX_INDEXED_CHARS:
            self._skip(line, f"article id of {len(record.id):,} characters is over the limit of {MAX_INDEXED_CHARS:,}")
            self._rejected_articles.add(record.id)
            return
        earlier = self._article_lines.get(record.id)
        if earlier is not None and record.id not in self._rejected_articles and (
            self._article_hashes.get(record.id) == record.content_hash or self._article_bodies.get(record.id) == body_key(record)
        ):
            # The same article given twice (two files with one story, perhaps with other paragraph
            # breaks): not a problem, one copy is enough.
            self.summary.duplicate_inputs += 1
            self._copy = record.id
            return
        self._copy = None
        if earlier is not None:
            self._skip(line, f"article {record.id!r} appears again with different content (first at line {earlier}); this copy is ignored")
            # Later records naming this id belong to the ignored copy: drop them too.
            self._rejected_articles.add(record.id)
            return
        self._article_lines[record.id] = line
        self._article_hashes[record.id] = record.content_hash
        self._article_bodies[record.id] = body_key(record)
        if not is_text(record.content_hash):
            self._skip(line, f"article {record.id!r} has no content_hash")
            self._rejected_articles.add(record.id)
            return
        published: date | None = None
        if record.published is not None and record.published != "":
            try:
                published = published_date(record.published)
            except ValueError as exc:
                self._report(line, f"article {record.id!r}: {exc}; stored without a date", "warnings")
        self._open[record.id] = ArticleGroup(record, line, published)

    def _add_entity(self, line: int, record: EntityRecord) -> None:
        if not is_text(record.id):
            self._skip(line, "entity has no id")
            return
        reason = entity_problem(record)
        if reason is not None:
            if record.id not in self.registry:
                self.registry.rejected.setdefault(record.id, line)
            self._skip(line, reason)
            return
        self.registry.declare(record)

    def _group_for(self, line: int, kind: str, article_id: object) -> ArticleGroup | None:
        """The open group a mention or claim joins, or None (reported) if there is none."""
        if article_id in self._rejected_articles:
            self.summary.skipped += 1  # already reported with the article itself
            return None
        group = self._open.get(article_id) if isinstance(article_id, str) else None
        if group is not None:
            return group
        if article_id in self._article_lines:
            self._skip(
                line,
                f"{kind} for article {article_id!r} comes after that article's batch was written; "
                "a document must list an article's mentions and claims before the next batch",
            )
        else:
            self._skip(line, f"{kind} refers to unknown article {article_id!r}")
        return None

    def _unknown_entity(self, entity_id: object) -> str | None:
        """Why ``entity_id`` cannot be referenced, or None if it can."""
        if entity_id in self.registry:
            return None
        rejected = self.registry.rejected.get(entity_id) if isinstance(entity_id, str) else None
        if rejected is not None:
            return f"entity {entity_id!r} was rejected at line {rejected}"
        return f"unknown entity {entity_id!r} (entities must be declared before they are referenced)"

    def _add_mention(self, line: int, record: MentionRecord) -> None:
        if record.article == self._copy:
            return  # a repeated copy's records: its first copy has them
        problem = mention_problem(record)
        if problem is not None:
            self._skip(line, problem)
            return
        unknown = self._unknown_entity(record.entity)
        if unknown is not None:
            self._skip(line, f"mention references {unknown}")
            return
        group = self._group_for(line, "mention", record.article)
        if group is not None:
            group.mentions.append(record)
            self._rows += 1

    def _claim_problem(self, record: ClaimRecord) -> str | None:
        if not is_text(record.id):
            return "claim has no id"
        if record.id in self._claim_lines:
            return f"claim id {record.id!r} appears again (first at line {self._claim_lines[record.id]})"
        problem = claim_problem(record)
        if problem is not None:
            return problem
        for role, entity_id in (("subject", record.subject), ("object", record.object)):
            if entity_id is not None:
                unknown = self._unknown_entity(entity_id)
                if unknown is not None:
                    return f"claim {record.id!r} {role} is {unknown}"
        for entity_id in record.about or ():
            unknown = self._unknown_entity(entity_id)
            if unknown is not None:
                return f"claim {record.id!r} is about {unknown}"
        return None

    def _add_claim(self, line: int, record: ClaimRecord) -> None:
        if record.article == self._copy:
            return  # a repeated copy's records: its first copy has them
        problem = self._claim_problem(record)
        if problem is not None:
            self._skip(line, problem)
            return
        group = self._group_for(line, "claim", record.article)
        if group is not None:
            self._claim_lines[record.id] = line
            group.claims.append(record)
            self._rows += 1
