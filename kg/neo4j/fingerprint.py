"""A fingerprint of a whole graph: nodes, relationships and their properties, order-free.

Two graphs with the same fingerprint hold the same nodes (labels and properties) and the same
relationships (type, properties, and the nodes at both ends named by their ``id``, or ``name`` for
nodes without one). ``loaded_at`` (the time of the write) is left out, and so are internal node
and element ids; everything else counts, so a doubled relationship changes the fingerprint.
Used by ``bench/daily_bench.py`` and the tests to prove that a re-run or two concurrent runs end
in the same graph as one clean run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg.neo4j.admin_cypher import FINGERPRINT_NODES, FINGERPRINT_RELATIONSHIPS

if TYPE_CHECKING:
    from neo4j import Driver

#: Properties that record when something was written, not what: not part of the fingerprint.
IGNORED_PROPERTIES = frozenset({"loaded_at"})

@dataclass(frozen=True, slots=True)
class Fingerprint:
    nodes: int
    relationships: int
    digest: str

    def __str__(self) -> str:
        return f"{self.nodes} nodes, {self.relationships} relationships, sha256 {self.digest[:16]}"


def _value(value: Any) -> Any:
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)  # dates and times


def _canonical(props: dict[str, Any]) -> str:
    kept = {k: _value(v) for k, v in props.items() if k not in IGNORED_PROPERTIES}
    return json.dumps(kept, sort_keys=True, ensure_ascii=False)


def graph_fingerprint(driver: Driver, database: str) -> Fingerprint:
    """The fingerprint of everything in ``database`` (see the module docstring)."""
    with driver.session(database=database) as session:
        nodes = sorted(json.dumps([sorted(r["labels"]), _canonical(r["props"])]) for r in session.run(FINGERPRINT_NODES))
        rels = sorted(
            json.dumps([r["type"], str(r["start"]), str(r["end"]), _canonical(r["props"])]) for r in session.run(FINGERPRINT_RELATIONSHIPS)
        )
    digest = hashlib.sha256()
    for line in (*nodes, "--", *rels):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return Fingerprint(len(nodes), len(rels), digest.hexdigest())
