"""Build the export :class:`~kg.export.model.Graph` straight from a graph document (no database).

Follows the loader's reading of the contract (docs/graph-document.md): entity lines are upserts
whose aliases accumulate, mentions are aggregated per (article, entity), claim lines are reports
grouped into one claim per ``fact`` key. Records the loader would skip (unknown article or entity,
malformed line) are skipped here too and reported through ``on_problem``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.articles.dates import published_date
from kg.document import ArticleRecord, ClaimRecord, DocumentError, EntityRecord, MentionRecord, read_records
from kg.export.model import Article, Claim, Entity, Graph, Mention, Report
from kg.outlets import body_hash, outlet_name
from kg.schema import qualifier_names


class SourceError(RuntimeError):
    """The graph cannot be read at all (missing file, database error); one line for the user."""


def _published(value: object) -> object:
    if value in (None, ""):
        return None
    try:
        return published_date(value)
    except ValueError:
        return None


def graph_from_records(
    records: Iterable[object], *, on_problem: Callable[[str], None] | None = None
) -> Graph:
    """Fold document records into a settled :class:`Graph`."""
    graph = Graph()
    mentions: dict[tuple[str, str], Mention] = {}

    def problem(message: str) -> None:
        if on_problem is not None:
            on_problem(message)

    for index, record in enumerate(records, start=1):
        if isinstance(record, DocumentError):
            problem(str(record))
        elif isinstance(record, ArticleRecord):
            graph.articles[record.id] = Article(
                id=record.id,
                title=record.title,
                published=_published(record.published),  # type: ignore[arg-type]
                source=record.source,
                url=record.url,
                author=record.author,
                path=record.path,
                content_hash=record.content_hash,
                outlet=outlet_name(record.source, record.url),
                body_hash=body_hash(record.text if isinstance(record.text, str) else None),
            )
        elif isinstance(record, EntityRecord):
            known = graph.entities.get(record.id)
            aliases = list(known.aliases) if known else []
            aliases += [a for a in record.aliases or [] if isinstance(a, str) and a not in aliases]
            graph.entities[record.id] = Entity(record.id, record.type, record.name, aliases, dict(record.attributes or {}))
        elif isinstance(record, MentionRecord):
            if record.article not in graph.articles or record.entity not in graph.entities:
                problem(f"record {index}: mention of {record.entity!r} in {record.article!r} refers to an unknown article or entity")
                continue
            key = (record.article, record.entity)
            mention = mentions.get(key)
            if mention is None:
                mention = mentions[key] = Mention(record.article, record.entity, 0)
                graph.mentions.append(mention)
            mention.count += 1
            mention.spans += [record.start, record.end]
            mention.texts.append(record.text)
            mention.sentences.append(record.sentence)
        elif isinstance(record, ClaimRecord):
            if record.article not in graph.articles:
                problem(f"record {index}: claim {record.id!r} refers to unknown article {record.article!r}")
                continue
            missing = [e for e in (record.subject, record.object) if e is not None and e not in graph.entities]
            if missing:
                problem(f"record {index}: claim {record.id!r} refers to unknown entity {missing[0]!r}")
                continue
            claim = graph.claims.get(record.fact)
            if claim is None:
                claim = graph.claims[record.fact] = Claim(
                    record.fact, record.type, record.subject, record.object, **{q: getattr(record, q) for q in qualifier_names()}
                )
            claim.reports.append(
                Report(
                    id=record.id,
                    article=record.article,
                    sentence=record.sentence,
                    start=record.start,
                    end=record.end,
                    confidence=float(record.confidence),
                    text=record.evidence,
                    rule=record.rule,
                    statement=record.statement,
                    cue=record.cue,
                    source_text=record.source_text,
                    direct=record.direct,
                    about=[a for a in record.about or [] if a in graph.entities],
                    spans={k: list(v) for k, v in (record.spans or {}).items()},
                )
            )
    # Mention spans are stored ordered by offset, as the loader does.
    for mention in graph.mentions:
        order = sorted(range(mention.count), key=lambda i: (mention.spans[2 * i], mention.spans[2 * i + 1]))
        mention.spans = [mention.spans[2 * i + k] for i in order for k in (0, 1)]
        mention.texts = [mention.texts[i] for i in order]
        mention.sentences = [mention.sentences[i] for i in order]
    return graph.settle()


def count_records(path: Path | str) -> int | None:
    """The records (non-blank lines) of a graph document file, counted without parsing them;
    None for stdin or a file that cannot be read (reading it will say why)."""
    if str(path) == "-":
        return None
    try:
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None


def _ticking(records: Iterable[object], tick: Callable[[], None] | None) -> Iterator[object]:
    for record in records:
        if tick is not None:
            tick()
        yield record


def graph_from_document(path: Path | str, *, on_problem: Callable[[str], None] | None = None, tick: Callable[[], None] | None = None) -> Graph:
    """Read a graph document file (``-`` for stdin) into a :class:`Graph`; ``tick`` is called once
    per record read (for progress)."""
    import sys

    if str(path) == "-":
        return graph_from_records(_ticking(read_records(sys.stdin), tick), on_problem=on_problem)
    try:
        with open(path, encoding="utf-8") as handle:
            return graph_from_records(_ticking(read_records(handle), tick), on_problem=on_problem)
    except FileNotFoundError:
        raise SourceError(f"cannot read {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read {path}: {exc}") from None
