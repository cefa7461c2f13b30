"""The entities of one load: declarations merged by id, and what the database already has of them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from kg.document import EntityRecord


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
        attributes = stored_attributes(record.attributes)
        if known is None:
            self.records[record.id] = EntityRecord(
                id=record.id, type=record.type, name=record.name, aliases=sorted(set(record.aliases)), attributes=attributes
            )
            self.dirty.add(record.id)
            return
        name = min(known.name, record.name, key=name_rank)  # by rule, not by order (as the database does)
        spellings = [known.name, record.name] if known.name != record.name else []
        aliases = sorted({*known.aliases, *record.aliases, *spellings})
        attributes = merge_attributes(known.attributes, attributes)
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


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


#: Entity attributes stored as node properties (docs/graph-document.md); others are ignored.
STORED_ATTRIBUTES: tuple[str, ...] = ("family", "known_developer", "kind", "product_of")


def stored_attributes(attributes: object) -> dict[str, Any]:
    """The attributes the graph keeps: scalar strings by name, ``merges`` as JSON strings."""
    if not isinstance(attributes, dict):
        return {}
    kept: dict[str, Any] = {k: attributes[k] for k in STORED_ATTRIBUTES if isinstance(attributes.get(k), str)}
    merges = attributes.get("merges")
    if isinstance(merges, list) and merges:
        kept["merges"] = unique(json.dumps(m, ensure_ascii=False, sort_keys=True) for m in merges if isinstance(m, dict))
    return kept


def merge_attributes(known: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = {**known, **new}
    if "merges" in known or "merges" in new:
        merged["merges"] = sorted({*known.get("merges", []), *new.get("merges", [])})
    return merged
