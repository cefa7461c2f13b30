"""What a graph-document record must be to be loaded: the checks that need nothing but the record.

Each ``*_problem`` function returns why a record cannot be loaded as given (the message the load
reports with its line), or None. Checks that depend on what came before (repeated ids, unknown
articles or entities) are :class:`kg.neo4j.batching.Batcher`'s.
"""

from __future__ import annotations

from kg.document import CLAIM_TYPES, ENTITY_TYPES, ArticleRecord, ClaimRecord, EntityRecord, MentionRecord
from kg.outlets import body_hash

#: Longest id or name stored in an indexed property: Neo4j refuses index entries over about
#: 8 KB ("Property value is too large to index"); newskg's own ids are far shorter
#: (kg.extract.naming.MAX_KEY_CHARS), so a longer one is a record problem, reported and skipped.
MAX_INDEXED_CHARS = 1_000


def body_key(record: ArticleRecord) -> str | None:
    """The record's body hash (computed from its text when the document does not carry one)."""
    if is_text(record.body_hash):
        return record.body_hash
    return body_hash(record.text) if isinstance(record.text, str) else None


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def entity_problem(record: EntityRecord) -> str | None:
    """Why an entity declaration (with an id) cannot be stored, or None."""
    if record.type not in ENTITY_TYPES:
        return f"entity {record.id!r} has unknown type {record.type!r} (expected one of {', '.join(ENTITY_TYPES)})"
    if len(record.id) > MAX_INDEXED_CHARS:
        return f"entity id of {len(record.id):,} characters ({record.id[:40]!r}...) is over the limit of {MAX_INDEXED_CHARS:,}"
    if not is_text(record.name):
        return f"entity {record.id!r} has no name"
    if len(record.name) > MAX_INDEXED_CHARS:
        return f"entity {record.id!r} has a name of {len(record.name):,} characters, over the limit of {MAX_INDEXED_CHARS:,}"
    if not isinstance(record.aliases, list) or not all(isinstance(a, str) for a in record.aliases):
        return f"entity {record.id!r}: aliases must be a list of strings"
    return None


def mention_problem(record: MentionRecord) -> str | None:
    """Why a mention's own fields are unusable (offsets, text), or None."""
    if not (is_int(record.start) and is_int(record.end) and is_int(record.sentence)):
        return "mention start, end and sentence must be integers"
    if not isinstance(record.text, str):
        return "mention text must be a string"
    return None


def claim_problem(record: ClaimRecord) -> str | None:
    """Why a claim's own fields (a claim with an id) are unusable: fact key, type, offsets,
    confidence, evidence, ``about`` and ``spans``; or None."""
    if not is_text(record.fact):
        return f"claim {record.id!r} has no fact key"
    if record.type not in CLAIM_TYPES:
        return f"claim {record.id!r} has unknown type {record.type!r} (expected one of {', '.join(CLAIM_TYPES)})"
    if not (is_int(record.start) and is_int(record.end) and is_int(record.sentence)):
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
            isinstance(span, list) and len(span) == 2 and all(is_int(v) for v in span)
            for span in record.spans.values()
        )
    ):
        return f"claim {record.id!r}: spans must map names to [start, end] offsets"
    return None
