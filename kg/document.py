"""The graph document: newskg's public JSON Lines contract between extraction and loading.

One JSON object a line, each with a ``kind``. The first line is a ``header`` naming the format
and its version. Records are plain dataclasses so that writers and readers share one definition;
``docs/graph-document.md`` documents every field.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any, Literal

from kg.schema import CLAIMS, ClaimType, EntityType, ReleaseStatus, qualifier_names, stored_entity_types

FORMAT_NAME = "newskg-graph"
FORMAT_VERSION = 1

#: The entity and claim types a document may hold (kg/schema.py; the loader rejects others).
ENTITY_TYPES: tuple[str, ...] = tuple(str(t) for t in stored_entity_types())
CLAIM_TYPES: tuple[str, ...] = tuple(str(t) for t in CLAIMS)


@dataclass(slots=True)
class Header:
    format: str = FORMAT_NAME
    version: int = FORMAT_VERSION
    generator: str = "newskg"
    model: str | None = None
    kind: Literal["header"] = "header"


@dataclass(slots=True)
class ArticleRecord:
    """An article. Character offsets elsewhere index into ``text`` as stored here."""

    id: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    path: str | None
    content_hash: str
    text: str
    author: str | None = None
    #: near-duplicate key of the body (:func:`kg.outlets.body_hash`); articles sharing it are
    #: linked ``DUPLICATE_OF``. Optional: computed from ``text`` by the loader when absent.
    body_hash: str | None = None
    kind: Literal["article"] = "article"


# Typed with the registry's enums (kg/schema.py). A StrEnum member is its string, so writers may
# pass either and the JSON is the same; records read back hold the plain strings (an unknown type
# stays as written, for the loader to report).


@dataclass(slots=True)
class EntityRecord:
    id: str
    type: EntityType
    name: str
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    kind: Literal["entity"] = "entity"


@dataclass(slots=True)
class MentionRecord:
    entity: str
    article: str
    start: int
    end: int
    text: str
    sentence: int
    confidence: float | None = None
    """How sure extraction is of this mention's type (the recognizer's beam probability or a rule's fixed confidence)."""
    kind: Literal["mention"] = "mention"


@dataclass(slots=True)
class ClaimRecord:
    """One report of a fact in one article.

    ``id`` is unique to this report; ``fact`` is the key shared by every report of the same fact
    (same type, subject, object and qualifier), which the loader turns into one node with
    several sources.
    """

    id: str
    fact: str
    type: ClaimType
    subject: str | None
    object: str | None
    article: str
    sentence: int
    start: int
    end: int
    confidence: float
    evidence: str
    rule: str | None = None
    # qualifiers (kg/schema.py): RELEASED's status, AFFILIATED_WITH's role
    status: ReleaseStatus | None = None
    role: str | None = None
    # SAID's report fields (kg/schema.py SAID_FIELDS)
    statement: str | None = None
    cue: str | None = None
    source_text: str | None = None
    direct: bool | None = None
    spans: dict[str, list[int]] | None = None
    about: list[str] | None = None
    kind: Literal["claim"] = "claim"


_OPTIONAL_CLAIM_FIELDS = frozenset({"rule", *qualifier_names(), *(f for spec in CLAIMS.values() for f in spec.report_fields)})

Record = Header | ArticleRecord | EntityRecord | MentionRecord | ClaimRecord
_KINDS: dict[str, type] = {
    "header": Header,
    "article": ArticleRecord,
    "entity": EntityRecord,
    "mention": MentionRecord,
    "claim": ClaimRecord,
}


class DocumentError(ValueError):
    """A graph document line that cannot be understood; carries its line number."""

    def __init__(self, line_no: int, reason: str) -> None:
        super().__init__(f"line {line_no}: {reason}")
        self.line_no = line_no
        self.reason = reason


def to_json(record: Record) -> str:
    data = asdict(record)
    if isinstance(record, ClaimRecord):
        # Keep claim lines compact: type-specific fields only where they apply
        # (subject and object always appear, null when unknown).
        data = {k: v for k, v in data.items() if v is not None or k not in _OPTIONAL_CLAIM_FIELDS}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_records(records: Iterable[Record], out: IO[str]) -> int:
    """Write records as JSON Lines; returns how many were written."""
    count = 0
    for record in records:
        out.write(to_json(record))
        out.write("\n")
        count += 1
    return count


def parse_line(line: str, line_no: int) -> Record:
    """Parse one JSON line into its record type, or raise :class:`DocumentError`."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DocumentError(line_no, f"not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise DocumentError(line_no, "not a JSON object")
    kind = data.get("kind")
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise DocumentError(line_no, f"unknown kind {kind!r}")
    if cls is Header and data.get("format") != FORMAT_NAME:
        raise DocumentError(line_no, f"not a {FORMAT_NAME} document (format={data.get('format')!r})")
    if cls is Header and isinstance(data.get("version"), int) and data["version"] > FORMAT_VERSION:
        raise DocumentError(line_no, f"format version {data['version']} is newer than this newskg reads ({FORMAT_VERSION})")
    known = set(cls.__dataclass_fields__)
    try:
        return cls(**{k: v for k, v in data.items() if k in known})
    except TypeError as exc:
        raise DocumentError(line_no, f"{kind} record is missing fields ({exc})") from None


def read_records(lines: Iterable[str]) -> Iterator[Record | DocumentError]:
    """Yield records, and a :class:`DocumentError` in place of each malformed line.

    Errors are yielded rather than raised so that one bad line does not stop a load.
    """
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield parse_line(line, line_no)
        except DocumentError as exc:
            yield exc
