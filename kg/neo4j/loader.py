"""Load graph documents into Neo4j: streaming, batched, idempotent and resumable.

The loader reads records in document order and groups them by article (an ``article`` line opens
a group; ``mention`` and ``claim`` lines join the group named by their ``article`` field; ``entity``
lines are upserts that must precede their first reference). Groups are written in batches, each
batch in ONE managed write transaction that also stores every article's ``content_hash``. So a
load that dies midway has committed whole articles only, and running it again skips those
(unchanged hash) and writes exactly the rest.

The module has three layers, so that the first two are testable without a database:

* :class:`Batcher` validates records and groups them into batches (:class:`Batch`);
* :func:`build_rows` and :func:`entity_rows` turn a batch into query parameters;
* :class:`GraphLoader` runs the statements of :mod:`kg.neo4j.cypher` for each batch.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from kg.articles.dates import published_date
from kg.document import (
    CLAIM_TYPES,
    ENTITY_TYPES,
    ArticleRecord,
    ClaimRecord,
    DocumentError,
    EntityRecord,
    Header,
    MentionRecord,
    Record,
    read_records,
)
from kg.neo4j import cypher
from kg.neo4j.schema import SchemaReport, ensure_schema
from kg.outlets import body_hash, outlet_name

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction, Result, Session, SummaryCounters

#: Articles per write transaction. Measured with bench/load_bench.py (see docs/schema.md).
DEFAULT_BATCH_SIZE = 200
#: Longest id or name stored in an indexed property: Neo4j refuses index entries over about
#: 8 KB ("Property value is too large to index"); newskg's own ids are far shorter
#: (kg.extract.naming.MAX_KEY_CHARS), so a longer one is a record problem, reported and skipped.
MAX_INDEXED_CHARS = 1_000
#: A batch is also closed once it holds this many mention + claim records, so that a few huge
#: articles do not make one huge transaction (an article itself is never split).
DEFAULT_MAX_ROWS = 20_000
#: Problems kept in a summary for display; all of them are counted.
MAX_KEPT_PROBLEMS = 1_000

Located = tuple[int, "Record | DocumentError"]


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the input that was not loaded as given, located as ``source:line``."""

    source: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class LoadSummary:
    """What a load or forget did. Counts of graph changes come from Neo4j's own counters."""

    articles_created: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_forgotten: int = 0
    articles_not_found: int = 0
    entities_created: int = 0
    entities_removed: int = 0
    claims_created: int = 0
    claims_removed: int = 0
    evidence_created: int = 0
    evidence_removed: int = 0
    mentions_created: int = 0
    mentions_removed: int = 0
    #: DUPLICATE_OF links made between articles that share a body hash (copies, syndication)
    duplicates_linked: int = 0
    #: articles given again in the same input (same id and content): skipped, not a problem
    duplicate_inputs: int = 0
    records: int = 0
    facts: int = 0
    malformed: int = 0
    skipped: int = 0
    warnings: int = 0
    batches: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def problem_count(self) -> int:
        """Malformed lines + skipped records + warnings (values stored differently than given)."""
        return self.malformed + self.skipped + self.warnings

    @property
    def articles_seen(self) -> int:
        return self.articles_created + self.articles_updated + self.articles_unchanged

    def note(self, problem: Problem) -> None:
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)

    def merge(self, other: LoadSummary) -> None:
        """Add ``other``'s counts (and kept problems) into this summary."""
        for f in fields(self):
            if f.name == "problems":
                for problem in other.problems:
                    self.note(problem)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


# ------------------------------------------------------------------------------------------------
# Reading a document with line numbers
# ------------------------------------------------------------------------------------------------


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


# ------------------------------------------------------------------------------------------------
# Grouping and validation (no database)
# ------------------------------------------------------------------------------------------------


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


class EntityRegistry:
    """Entities declared so far in one document, merged, and what the database already has of them.

    ``written``: entities this load has committed with a referencing article (they exist).
    ``dirty``: entities whose declaration changed since the database last saw them.
    Both are only updated after a commit (:meth:`committed`), so a retried transaction sees the
    same state.
    """

    def __init__(self) -> None:
        self.records: dict[str, EntityRecord] = {}
        self.rejected: dict[str, int] = {}
        self.written: set[str] = set()
        self.dirty: set[str] = set()

    def declare(self, record: EntityRecord) -> None:
        """Add or merge a declaration: aliases (and attribute ``merges``) are unioned in order,
        name, type and the other attributes are the latest."""
        known = self.records.get(record.id)
        attributes = _stored_attributes(record.attributes)
        if known is None:
            self.records[record.id] = EntityRecord(
                id=record.id, type=record.type, name=record.name, aliases=sorted(set(record.aliases)), attributes=attributes
            )
            self.dirty.add(record.id)
            return
        name = min(known.name, record.name, key=name_rank)  # by rule, not by order (as the database does)
        spellings = [known.name, record.name] if known.name != record.name else []
        aliases = sorted({*known.aliases, *record.aliases, *spellings})
        attributes = _merge_attributes(known.attributes, attributes)
        if (known.type, known.name, known.aliases, known.attributes) != (record.type, name, aliases, attributes):
            known.type, known.name, known.aliases, known.attributes = record.type, name, aliases, attributes
            self.dirty.add(record.id)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.records

    def committed(self, referenced: Iterable[str], refreshed: Iterable[str]) -> None:
        """Record that a batch committed: ``referenced`` now exist, ``refreshed`` were updated."""
        for entity_id in referenced:
            self.written.add(entity_id)
            self.dirty.discard(entity_id)
        for entity_id in refreshed:
            self.dirty.discard(entity_id)


def name_rank(name: str) -> str:
    """The display-name rule (the same as ``cypher.UPSERT_ENTITIES``): the spelling with the most
    capital letters wins, then the one with the fewest spaces, then the smallest in code-point order."""
    return f"{999 - sum(1 for c in name if c != c.lower()):03d}{name.count(' '):03d}{name}"


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


#: Entity attributes stored as node properties (docs/graph-document.md); others are ignored.
STORED_ATTRIBUTES: tuple[str, ...] = ("family", "known_developer", "kind", "product_of")


def _stored_attributes(attributes: object) -> dict[str, Any]:
    """The attributes the graph keeps: scalar strings by name, ``merges`` as JSON strings."""
    if not isinstance(attributes, dict):
        return {}
    kept: dict[str, Any] = {k: attributes[k] for k in STORED_ATTRIBUTES if isinstance(attributes.get(k), str)}
    merges = attributes.get("merges")
    if isinstance(merges, list) and merges:
        kept["merges"] = _unique(json.dumps(m, ensure_ascii=False, sort_keys=True) for m in merges if isinstance(m, dict))
    return kept


def _merge_attributes(known: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = {**known, **new}
    if "merges" in known or "merges" in new:
        merged["merges"] = sorted({*known.get("merges", []), *new.get("merges", [])})
    return merged


def _body_key(record: ArticleRecord) -> str | None:
    """The record's body hash (computed from its text when the document does not carry one)."""
    if _is_text(record.body_hash):
        return record.body_hash
    return body_hash(record.text) if isinstance(record.text, str) else None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


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
        if batch_size < 1 or max_rows < 1:
            raise ValueError("batch_size and max_rows must be positive")
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
        if not _is_text(record.id):
            self._skip(line, "article has no id")
            return
        if len(record.id) > MAX_INDEXED_CHARS:
            self._skip(line, f"article id of {len(record.id):,} characters is over the limit of {MAX_INDEXED_CHARS:,}")
            self._rejected_articles.add(record.id)
            return
        earlier = self._article_lines.get(record.id)
        if earlier is not None and record.id not in self._rejected_articles and (
            self._article_hashes.get(record.id) == record.content_hash or self._article_bodies.get(record.id) == _body_key(record)
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
        self._article_bodies[record.id] = _body_key(record)
        if not _is_text(record.content_hash):
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
        if not _is_text(record.id):
            self._skip(line, "entity has no id")
            return
        reason = None
        if record.type not in ENTITY_TYPES:
            reason = f"entity {record.id!r} has unknown type {record.type!r} (expected one of {', '.join(ENTITY_TYPES)})"
        elif len(record.id) > MAX_INDEXED_CHARS:
            reason = f"entity id of {len(record.id):,} characters ({record.id[:40]!r}...) is over the limit of {MAX_INDEXED_CHARS:,}"
        elif not _is_text(record.name):
            reason = f"entity {record.id!r} has no name"
        elif len(record.name) > MAX_INDEXED_CHARS:
            reason = f"entity {record.id!r} has a name of {len(record.name):,} characters, over the limit of {MAX_INDEXED_CHARS:,}"
        elif not isinstance(record.aliases, list) or not all(isinstance(a, str) for a in record.aliases):
            reason = f"entity {record.id!r}: aliases must be a list of strings"
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
        if not (_is_int(record.start) and _is_int(record.end) and _is_int(record.sentence)):
            self._skip(line, "mention start, end and sentence must be integers")
            return
        if not isinstance(record.text, str):
            self._skip(line, "mention text must be a string")
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
        if not _is_text(record.id):
            return "claim has no id"
        if record.id in self._claim_lines:
            return f"claim id {record.id!r} appears again (first at line {self._claim_lines[record.id]})"
        if not _is_text(record.fact):
            return f"claim {record.id!r} has no fact key"
        if record.type not in CLAIM_TYPES:
            return f"claim {record.id!r} has unknown type {record.type!r} (expected one of {', '.join(CLAIM_TYPES)})"
        if not (_is_int(record.start) and _is_int(record.end) and _is_int(record.sentence)):
            return f"claim {record.id!r}: start, end and sentence must be integers"
        if not isinstance(record.confidence, int | float) or isinstance(record.confidence, bool):
            return f"claim {record.id!r}: confidence must be a number"
        if not isinstance(record.evidence, str):
            return f"claim {record.id!r}: evidence must be a string"
        if record.about is not None and not (
            isinstance(record.about, list) and all(isinstance(a, str) for a in record.about)
        ):
            return f"claim {record.id!r}: about must be a list of entity ids"
        if record.spans is not None and not (
            isinstance(record.spans, dict)
            and all(
                isinstance(span, list) and len(span) == 2 and all(_is_int(v) for v in span)
                for span in record.spans.values()
            )
        ):
            return f"claim {record.id!r}: spans must map names to [start, end] offsets"
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


# ------------------------------------------------------------------------------------------------
# Query parameters (no database)
# ------------------------------------------------------------------------------------------------


def _compact(row: dict[str, Any]) -> dict[str, Any]:
    """Leave out nulls: Cypher reads a missing key as null, and every value costs encoding time."""
    return {k: v for k, v in row.items() if v is not None}


@dataclass(slots=True)
class BatchRows:
    """The parameters of the write statements for a set of article groups (new or changed)."""

    article_ids: list[str] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    #: per article: {article, mentions: [...]}
    mentions: list[dict[str, Any]] = field(default_factory=list)
    #: claim type -> one row per fact
    claims: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: SAID facts whose reports name entities: {id, about: [...]}
    about: list[dict[str, Any]] = field(default_factory=list)
    #: per article: {article, reports: [...]}
    evidence: list[dict[str, Any]] = field(default_factory=list)
    evidence_ids: list[str] = field(default_factory=list)
    #: entities the mentions and claims point at
    referenced: set[str] = field(default_factory=set)


def article_row(group: ArticleGroup) -> dict[str, Any]:
    """Stored article properties. The text itself stays in the document (offsets point into it)."""
    a = group.article
    return _compact(
        {
            "id": a.id,
            "title": a.title,
            "published": group.published,
            "source": a.source,
            "url": a.url,
            "path": a.path,
            "author": a.author,
            "content_hash": a.content_hash,
            "outlet": outlet_name(a.source, a.url),
            "body_hash": a.body_hash if _is_text(a.body_hash) else body_hash(a.text if isinstance(a.text, str) else None),
        }
    )


def mention_rows(group: ArticleGroup) -> list[dict[str, Any]]:
    """One row per entity mentioned in the article: occurrences in offset order, spans flattened."""
    by_entity: dict[str, list[MentionRecord]] = {}
    for mention in group.mentions:
        by_entity.setdefault(mention.entity, []).append(mention)
    rows = []
    for entity_id, mentions in by_entity.items():
        mentions.sort(key=lambda m: (m.start, m.end))
        rows.append(
            {
                "entity": entity_id,
                "spans": [offset for m in mentions for offset in (m.start, m.end)],
                "texts": [m.text for m in mentions],
                "sentences": [m.sentence for m in mentions],
            }
        )
    return rows


def evidence_row(claim: ClaimRecord) -> dict[str, Any]:
    """One report of a fact: where it was found, which rule found it and, for quotes, what was said."""
    row: dict[str, Any] = {
        "id": claim.id,
        "claim": claim.fact,
        "sentence": claim.sentence,
        "start": claim.start,
        "end": claim.end,
        "confidence": float(claim.confidence),
        "text": claim.evidence,
        "rule": getattr(claim, "rule", None),
        "statement": claim.statement,
        "cue": claim.cue,
        "source_text": claim.source_text,
        "direct": claim.direct,
        "about": _unique(claim.about) if claim.about else None,
    }
    spans = claim.spans or {}
    for name in cypher.SPAN_NAMES:  # other span names are not part of the model: ignored
        span = spans.get(name)
        if span is not None:
            row[f"{name}_start"], row[f"{name}_end"] = span
    return _compact(row)


def claim_row(claim: ClaimRecord) -> dict[str, Any]:
    """The fact a report is about: its key, qualifiers and the entities it links."""
    return _compact(
        {
            "id": claim.fact,
            "status": claim.status,
            "role": claim.role,
            "subject": claim.subject,
            "object": claim.object,
        }
    )


def build_rows(groups: Iterable[ArticleGroup]) -> BatchRows:
    """Parameters for writing ``groups`` (articles that are new or changed). Pure."""
    rows = BatchRows()
    facts: dict[str, dict[str, Any]] = {}
    about: dict[str, list[str]] = {}
    for group in groups:
        article_id = group.article.id
        rows.article_ids.append(article_id)
        rows.articles.append(article_row(group))
        mentions = mention_rows(group)
        if mentions:
            rows.mentions.append({"article": article_id, "mentions": mentions})
            rows.referenced.update(m["entity"] for m in mentions)
        reports = []
        for claim in group.claims:
            if claim.fact not in facts:
                facts[claim.fact] = claim_row(claim)
                rows.claims.setdefault(claim.type, []).append(facts[claim.fact])
            if claim.about:  # a fact is about everything any of its reports names
                about[claim.fact] = _unique([*about.get(claim.fact, ()), *claim.about])
            rows.referenced.update(e for e in (claim.subject, claim.object, *(claim.about or ())) if e is not None)
            reports.append(evidence_row(claim))
            rows.evidence_ids.append(claim.id)
        if reports:
            rows.evidence.append({"article": article_id, "reports": reports})
    rows.about = [{"id": fact, "about": entity_ids} for fact, entity_ids in about.items()]
    return rows


@dataclass(slots=True)
class EntityRows:
    """Entity parameters for a batch: full upserts, and refreshes of entities only declared."""

    upserts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    updates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    refreshed: set[str] = field(default_factory=set)


def _entity_row(record: EntityRecord) -> dict[str, Any]:
    return {"id": record.id, "name": record.name, "aliases": record.aliases} if record.aliases else {"id": record.id, "name": record.name}


def attribute_rows(rows: EntityRows, registry: EntityRegistry) -> list[dict[str, Any]]:
    """Attribute properties of the entities a batch writes or refreshes (only those that have any)."""
    ids = sorted({row["id"] for batch in (*rows.upserts.values(), *rows.updates.values()) for row in batch})
    return [{"id": entity_id, **registry.records[entity_id].attributes} for entity_id in ids if registry.records[entity_id].attributes]


def entity_rows(referenced: set[str], registry: EntityRegistry, missing: set[str]) -> EntityRows:
    """Which entities to write in full and which to refresh if present. Pure.

    A referenced entity is written in full unless this load already wrote it, it has not changed
    since and it still exists (``missing`` lists the ones that vanished). Declared entities that
    no written article references are refreshed only if they exist, so a document never creates
    an entity that nothing points to.
    """
    out = EntityRows()
    for entity_id in sorted(referenced):
        if entity_id in registry.dirty or entity_id not in registry.written or entity_id in missing:
            record = registry.records[entity_id]
            out.upserts.setdefault(record.type, []).append(_entity_row(record))
    for entity_id in sorted(registry.dirty - referenced):
        record = registry.records[entity_id]
        out.updates.setdefault(record.type, []).append(_entity_row(record))
        out.refreshed.add(entity_id)
    return out


# ------------------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Outcome:
    """Result of one transaction function; applied to the summary only after commit."""

    summary: LoadSummary = field(default_factory=LoadSummary)
    referenced: set[str] = field(default_factory=set)
    refreshed: set[str] = field(default_factory=set)


def _run(tx: ManagedTransaction, statement: str, **params: Any) -> SummaryCounters:
    return tx.run(statement, **params).consume().counters


def _run_collect(tx: ManagedTransaction, statement: str, key: str, **params: Any) -> tuple[set[str], SummaryCounters]:
    """Run a statement whose rows each carry a value or a list under ``key``; return their union."""
    result: Result = tx.run(statement, **params)
    values: set[str] = set()
    for record in result:
        value = record[key]
        if isinstance(value, list):
            values.update(v for v in value if v is not None)
        elif value is not None:
            values.add(value)
    return values, result.consume().counters


def _remove_articles_contribution(tx: ManagedTransaction, article_ids: list[str], out: LoadSummary) -> tuple[set[str], set[str]]:
    """Delete the evidence and mentions of ``article_ids``; return (claims hit, entities hit)."""
    claims, counters = _run_collect(tx, cypher.DELETE_ARTICLE_EVIDENCE, "claims", ids=article_ids)
    out.evidence_removed += counters.nodes_deleted
    entities, counters = _run_collect(tx, cypher.DELETE_ARTICLE_MENTIONS, "entities", ids=article_ids)
    out.mentions_removed += counters.relationships_deleted
    return claims, entities


def _resolution_before(tx: ManagedTransaction, *, removed: list[str], mentioned: list[str], lost: list[str], written: list[str]) -> set[str] | None:
    """Keep ``kg resolve``'s layer correct, part 1 (before claims are deleted): drop alias links
    whose evidence goes away (and clusters that used them); return the clusters to recount, or
    None when the graph has no resolution layer (the usual case during bulk loads: one count-store
    lookup)."""
    layer = tx.run(cypher.READ_RESOLUTION_LAYER).single()
    if layer is None or not (layer["links"] or layer["clusters"] or layer["families"]):
        return None
    dropped: set[str] = set()
    if layer["links"] and removed:
        dropped |= _run_collect(tx, cypher.DROP_ALIAS_LINKS_OF_ARTICLES, "entities", ids=removed)[0]
    if layer["links"] and mentioned:
        dropped |= _run_collect(tx, cypher.DROP_OPEN_ALIAS_LINKS_OF_ENTITIES, "entities", ids=mentioned)[0]
    if not layer["clusters"]:
        return set()
    if dropped:
        _run(tx, cypher.DISSOLVE_CLUSTERS_VIA, ids=sorted(dropped))
    return _run_collect(tx, cypher.CLUSTERS_OF_CLAIMS, "clusters", ids=lost, articles=written)[0]


def _resolution_after(tx: ManagedTransaction, clusters: set[str] | None, entities_removed: bool) -> None:
    """Part 2 (after claims and orphans are settled): recount clusters, drop empty ones and families."""
    if clusters:
        ids = sorted(clusters)
        _run(tx, cypher.DISSOLVE_SMALL_CLUSTERS, ids=ids)
        _run(tx, cypher.RECOUNT_CLUSTERS, ids=ids)
    if clusters is not None and entities_removed:
        _run(tx, cypher.DELETE_EMPTY_FAMILIES)


def _settle(
    tx: ManagedTransaction,
    *,
    lost: set[str],
    written: list[str],
    candidates: set[str],
    out: LoadSummary,
    removed: list[str] | None = None,
    mentioned: list[str] | None = None,
) -> None:
    """Bring claims and entities back to a consistent state after reports were added or removed.

    ``lost``: claims that lost reports (ABOUT links pruned, deleted if unsupported, else
    recounted in full); ``written``: articles written in this batch (their claims' counts grow);
    ``candidates``: entities that may have become orphans; ``removed``: articles replaced or
    forgotten and ``mentioned``: surname-only people the written articles name (both for the
    resolution layer).
    """
    ids = sorted(lost)
    clusters = _resolution_before(tx, removed=removed or [], mentioned=mentioned or [], lost=ids, written=written)
    removed_entities = 0
    if ids:
        pruned, _ = _run_collect(tx, cypher.PRUNE_CLAIM_ABOUT, "entities", ids=ids)
        candidates |= pruned
        freed, counters = _run_collect(tx, cypher.DELETE_UNSUPPORTED_CLAIMS, "entities", ids=ids)
        candidates |= freed
        out.claims_removed += counters.nodes_deleted
    if written:  # a syndicated copy changes which reports are independent: recount in full
        copies = _run_collect(tx, cypher.CLAIMS_OF_COPIES, "claims", articles=written)[0]
        ids = sorted(set(ids) | copies)
    if ids or written:
        _run(tx, cypher.RECOUNT_CLAIMS, ids=ids, articles=written)
    if written:
        _run(tx, cypher.ADD_TO_CLAIM_COUNTS, articles=written, exclude=ids)
    if candidates:
        counters = _run(tx, cypher.DELETE_ORPHAN_ENTITIES, ids=sorted(candidates))
        out.entities_removed += counters.nodes_deleted
        removed_entities = counters.nodes_deleted
    _resolution_after(tx, clusters, removed_entities > 0)


def _write_batch(tx: ManagedTransaction, groups: list[ArticleGroup], registry: EntityRegistry) -> _Outcome:
    """Transaction function for one batch. Pure with respect to Python state (it may be retried)."""
    outcome = _Outcome()
    out = outcome.summary
    ids = [group.article.id for group in groups]
    _run(tx, cypher.TAKE_WRITE_LOCK)  # concurrent loads: one write transaction at a time
    stored = {r["id"]: r["content_hash"] for r in tx.run(cypher.READ_ARTICLE_HASHES, ids=ids)} if ids else {}
    to_write = [g for g in groups if stored.get(g.article.id) != g.article.content_hash]
    changed = [g.article.id for g in to_write if g.article.id in stored]
    out.articles_unchanged = len(groups) - len(to_write)
    out.articles_updated = len(changed)
    out.articles_created = len(to_write) - len(changed)

    rows = build_rows(to_write)
    check = sorted(e for e in rows.referenced if e in registry.written and e not in registry.dirty)
    existing = _run_collect(tx, cypher.READ_EXISTING_ENTITIES, "id", ids=check)[0] if check else set()
    entities = entity_rows(rows.referenced, registry, missing=set(check) - existing)
    outcome.referenced, outcome.refreshed = rows.referenced, entities.refreshed

    lost: set[str] = set()
    candidates: set[str] = set()
    hashes = {row["body_hash"] for row in rows.articles}
    if changed:
        hashes |= _body_hashes(tx, changed)
        lost, candidates = _remove_articles_contribution(tx, changed, out)
    if rows.evidence_ids:
        claims, counters = _run_collect(tx, cypher.DELETE_EVIDENCE_BY_ID, "claims", ids=rows.evidence_ids)
        lost |= claims
        out.evidence_removed += counters.nodes_deleted

    for entity_type, entity_batch in entities.upserts.items():
        out.entities_created += _run(tx, cypher.UPSERT_ENTITIES[entity_type], rows=entity_batch).nodes_created
    for entity_type, entity_batch in entities.updates.items():
        _run(tx, cypher.UPDATE_ENTITIES[entity_type], rows=entity_batch)
    attributes = attribute_rows(entities, registry)
    if attributes:
        _run(tx, cypher.SET_ENTITY_ATTRIBUTES, rows=attributes)
    if rows.articles:
        _run(tx, cypher.UPSERT_ARTICLES, rows=rows.articles)
        out.duplicates_linked += _link_duplicates(tx, hashes)
    if rows.mentions:
        out.mentions_created += _run(tx, cypher.CREATE_MENTIONS, rows=rows.mentions).relationships_created
    for claim_type, claim_batch in rows.claims.items():
        out.claims_created += _run(tx, cypher.MERGE_CLAIMS[claim_type], rows=claim_batch).nodes_created
    if rows.about:
        _run(tx, cypher.LINK_CLAIM_ABOUT, rows=rows.about)
    if rows.evidence:
        out.evidence_created += _run(tx, cypher.CREATE_EVIDENCE, rows=rows.evidence).nodes_created

    mentioned = sorted(e for e in rows.referenced if _surname_only_person(registry.records.get(e)))
    _settle(tx, lost=lost, written=rows.article_ids, candidates=candidates - rows.referenced, out=out, removed=changed, mentioned=mentioned)
    _run(tx, cypher.RELEASE_WRITE_LOCK)
    return outcome


def _body_hashes(tx: ManagedTransaction, article_ids: list[str]) -> set[str]:
    record = tx.run(cypher.READ_BODY_HASHES, ids=article_ids).single()
    return set(record["hashes"]) if record is not None else set()


def _link_duplicates(tx: ManagedTransaction, hashes: set[str]) -> int:
    """Re-link the copies of each body hash (see ``cypher.LINK_DUPLICATES``); returns links made."""
    if not hashes:
        return 0
    ordered = sorted(hashes)
    _run(tx, cypher.UNLINK_DUPLICATES, hashes=ordered)
    return _run(tx, cypher.LINK_DUPLICATES, hashes=ordered).relationships_created


class TransactionTooLarge(Exception):
    """The server refused a write transaction for lack of memory (not retried as is: split it)."""


#: Neo4j status codes of a transaction that ran out of its memory allowance
#: (``dbms.memory.transaction.total.max``, ``db.memory.transaction.max``) or of the heap.
_OUT_OF_MEMORY_CODES = frozenset({
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
    "Neo.TransientError.General.OutOfMemoryError",
})


def is_out_of_memory(error: BaseException) -> bool:
    code = getattr(error, "code", None) or ""
    return code in _OUT_OF_MEMORY_CODES or (code.startswith("Neo.TransientError.") and "memory" in str(error).lower())


def _write_batch_bounded(tx: ManagedTransaction, groups: list[ArticleGroup], registry: EntityRegistry) -> _Outcome:
    """:func:`_write_batch`, with an out-of-memory refusal turned into :class:`TransactionTooLarge`
    so that the driver does not retry the same batch for 30 s (it retries transient errors)."""
    from neo4j.exceptions import Neo4jError

    try:
        return _write_batch(tx, groups, registry)
    except Neo4jError as exc:
        if is_out_of_memory(exc):
            raise TransactionTooLarge(" ".join(str(getattr(exc, "message", None) or exc).split())[:200]) from None
        raise


def _surname_only_person(record: EntityRecord | None) -> bool:
    return record is not None and record.type == "Person" and len(record.name.split()) == 1


def _forget_batch(tx: ManagedTransaction, article_ids: list[str]) -> _Outcome:
    """Transaction function removing articles and everything only they supported."""
    outcome = _Outcome()
    out = outcome.summary
    _run(tx, cypher.TAKE_WRITE_LOCK)
    found = [r["id"] for r in tx.run(cypher.READ_ARTICLE_HASHES, ids=article_ids)]
    out.articles_not_found = len(article_ids) - len(found)
    if not found:
        _run(tx, cypher.RELEASE_WRITE_LOCK)
        return outcome
    hashes = _body_hashes(tx, found)
    lost, candidates = _remove_articles_contribution(tx, found, out)
    out.articles_forgotten = _run(tx, cypher.DELETE_ARTICLES, ids=found).nodes_deleted
    _link_duplicates(tx, hashes)
    _settle(tx, lost=lost, written=[], candidates=candidates, out=out, removed=found)
    _run(tx, cypher.RELEASE_WRITE_LOCK)
    return outcome


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
        if batch_size < 1 or max_rows < 1:
            raise ValueError("batch_size and max_rows must be positive")
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
                outcome = session.execute_write(_write_batch, [], registry)
                registry.committed(outcome.referenced, outcome.refreshed)
                summary.merge(outcome.summary)
        summary.seconds = time.perf_counter() - started
        return summary

    def _write_groups(self, session: Session, groups: list[ArticleGroup], registry: EntityRegistry, summary: LoadSummary, batcher: Batcher) -> None:
        """Write one batch; a batch the server refuses for lack of transaction memory is split in
        halves and each written on its own (recursively); a single article still refused is
        reported and skipped, and the load goes on."""
        try:
            outcome = session.execute_write(_write_batch_bounded, groups, registry)
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
        ids = _unique(article_ids)
        with self._session() as session:
            for start in range(0, len(ids), self.batch_size):
                outcome = session.execute_write(_forget_batch, ids[start : start + self.batch_size])
                self._committed(summary, outcome)
        summary.seconds = time.perf_counter() - started
        return summary

    def _session(self) -> Session:
        # Server notifications (e.g. "property key does not exist" on an empty graph) are noise
        # for fixed statements; without this the driver logs each one as a warning.
        return self.driver.session(database=self.database, notifications_min_severity="OFF")

    def _committed(self, summary: LoadSummary, outcome: _Outcome) -> None:
        summary.merge(outcome.summary)
        summary.batches += 1
        if self.on_batch is not None:
            self.on_batch(summary)
