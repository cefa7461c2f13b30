"""CSV files for ``neo4j-admin database import full``: the graph exactly as ``kg load`` stores it.

One nodes file per label and one relationships file per type, in a directory, plus
``import.args`` with the matching ``neo4j-admin`` options, so a large graph can be bulk-loaded
into a fresh database much faster than through Bolt::

    cd DIR && neo4j-admin database import full neo4j --overwrite-destination @import.args

Headers use the import tool's typed columns (``published:date``, ``count:int``,
``aliases:string[]``) and five ID spaces (Article, Entity, Claim, Evidence, ClaimCluster) so ids
from different kinds of nodes can never collide. ``kg resolve``'s layer comes along:
``nodes-ClaimCluster.csv`` with ``relationships-IN_CLUSTER.csv`` (claim -> cluster, ``score``)
and ``relationships-ALIAS_OF.csv`` (alias -> canonical entity, ``rule``, ``evidence``,
``articles``). Arrays use ``;`` as delimiter (the tool's default);
a ``;`` inside an array item is written as ``,``. Empty cells mean "no property", as in Neo4j.
After importing, run ``kg schema`` once to create the constraints and indexes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kg.export.model import LINK_TYPES, Graph
from kg.schema import CLAIMS, SAID_SPANS, Relationship as Rel, qualifier_names, stored_entity_types

ARRAY_DELIMITER = ";"
#: Claim type -> node label of the reified claim; the stored entity types; the claim qualifiers
#: (all from the registry, kg/schema.py, as the loader's labels are).
CLAIM_LABELS: dict[str, str] = {str(t): spec.label for t, spec in CLAIMS.items()}
ENTITY_TYPES: tuple[str, ...] = tuple(str(t) for t in stored_entity_types())
QUALIFIERS: tuple[str, ...] = qualifier_names()
SPAN_NAMES: tuple[str, ...] = SAID_SPANS


@dataclass(frozen=True, slots=True)
class CsvFile:
    """One written file and what it holds, for the summary and ``import.args``."""

    path: Path
    kind: str  # "nodes" or "relationships"
    rows: int


def _cell(value: Any, type_name: str) -> str | None:
    if value is None:
        return None
    if type_name.endswith("[]"):
        items = [str(v).replace(ARRAY_DELIMITER, ",") for v in value if v is not None]
        return ARRAY_DELIMITER.join(items) if items else None
    if type_name == "boolean":
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if type_name == "string" and value == "":
        return None
    return str(value)


def _column_type(column: str) -> str:
    """``published:date`` -> ``date``; ``id:ID(Article)`` and ``:LABEL`` -> ``string``."""
    _, _, spec = column.partition(":")
    if not spec or spec.startswith(("ID", "START_ID", "END_ID", "LABEL", "TYPE")):
        return "string"
    return spec


def _write(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], kind: str) -> CsvFile:
    types = [_column_type(c) for c in header]
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v, t) for v, t in zip(row, types, strict=True)])
            count += 1
    return CsvFile(path, kind, count)


def write_import_csv(graph: Graph, directory: Path) -> list[CsvFile]:
    """Write the nodes and relationships files and ``import.args`` into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    files: list[CsvFile] = []

    files.append(
        _write(
            directory / "nodes-Article.csv",
            ["id:ID(Article)", ":LABEL", "title", "published:date", "source", "url", "path", "author", "content_hash", "outlet", "body_hash"],
            (
                [a.id, "Article", a.title, a.published, a.source, a.url, a.path, a.author, a.content_hash, a.outlet_key, a.body_hash]
                for a in sorted(graph.articles.values(), key=lambda a: a.id)
            ),
            "nodes",
        )
    )
    for entity_type in ENTITY_TYPES + tuple(sorted({e.type for e in graph.entities.values()} - set(ENTITY_TYPES))):
        entities = sorted((e for e in graph.entities.values() if e.type == entity_type), key=lambda e: e.id)
        if entities:
            files.append(
                _write(
                    directory / f"nodes-{entity_type}.csv",
                    ["id:ID(Entity)", ":LABEL", "type", "name", "aliases:string[]"],
                    ([e.id, f"Entity;{e.type}", e.type, e.name, e.aliases] for e in entities),
                    "nodes",
                )
            )
    for claim_type, label in CLAIM_LABELS.items():
        claims = sorted((c for c in graph.claims.values() if c.type == claim_type), key=lambda c: c.id)
        if claims:
            files.append(
                _write(
                    directory / f"nodes-{label}.csv",
                    [
                        "id:ID(Claim)", ":LABEL", "type", *QUALIFIERS, "article_count:int", "source_count:int",
                        "outlets:string[]", "syndicated:int", "first_published:date", "last_published:date", "max_confidence:double", "statement",
                    ],  # fmt: skip
                    (
                        [c.id, f"Claim;{label}", c.type, *(getattr(c, q) for q in QUALIFIERS), c.article_count, c.source_count,
                         c.outlets or None, c.syndicated, c.first_published, c.last_published, c.max_confidence, c.statement]  # fmt: skip
                        for c in claims
                    ),
                    "nodes",
                )
            )

    reports = sorted(graph.iter_reports(), key=lambda cr: cr[1].id)
    span_names = SPAN_NAMES  # the spans the loader stores; others are not part of the graph
    files.append(
        _write(
            directory / "nodes-Evidence.csv",
            [
                "id:ID(Evidence)", ":LABEL", "sentence:int", "start:int", "end:int", "confidence:double", "text", "rule",
                "statement", "cue", "source_text", "direct:boolean", "about:string[]",
                *(f"{name}_{edge}:int" for name in span_names for edge in ("start", "end")),
            ],  # fmt: skip
            (
                [r.id, "Evidence", r.sentence, r.start, r.end, r.confidence, r.text, r.rule, r.statement, r.cue, r.source_text,
                 r.direct, r.about or None,
                 *(r.spans.get(name, [None, None])[i] for name in span_names for i in (0, 1))]  # fmt: skip
                for _, r in reports
            ),
            "nodes",
        )
    )

    files.append(
        _write(
            directory / "relationships-MENTIONS.csv",
            [":START_ID(Article)", ":END_ID(Entity)", ":TYPE", "count:int", "spans:int[]", "texts:string[]", "sentences:int[]"],
            (
                [m.article, m.entity, Rel.MENTIONS.value, m.count, m.spans, m.texts, m.sentences]
                for m in sorted(graph.mentions, key=lambda m: (m.article, m.entity))
                if m.article in graph.articles and m.entity in graph.entities
            ),
            "relationships",
        )
    )
    claims = sorted(graph.claims.values(), key=lambda c: c.id)
    for rel_type, pick in (
        (Rel.SUBJECT.value, lambda c: [c.subject] if c.subject else []),
        (Rel.OBJECT.value, lambda c: [c.object] if c.object else []),
        (Rel.ABOUT.value, lambda c: c.about),
    ):
        files.append(
            _write(
                directory / f"relationships-{rel_type}.csv",
                [":START_ID(Claim)", ":END_ID(Entity)", ":TYPE"],
                ([c.id, e, rel_type] for c in claims for e in pick(c) if e in graph.entities),
                "relationships",
            )
        )
    files.append(
        _write(
            directory / "relationships-SUPPORTS.csv",
            [":START_ID(Evidence)", ":END_ID(Claim)", ":TYPE"],
            ([r.id, c.id, Rel.SUPPORTS.value] for c, r in reports),
            "relationships",
        )
    )
    files.append(
        _write(
            directory / "relationships-IN.csv",
            [":START_ID(Evidence)", ":END_ID(Article)", ":TYPE"],
            ([r.id, r.article, Rel.IN.value] for _, r in reports if r.article in graph.articles),
            "relationships",
        )
    )
    for rel_type in LINK_TYPES:
        linked = [c for c in claims if c.type == rel_type and c.subject in graph.entities and c.object in graph.entities]
        files.append(
            _write(
                directory / f"relationships-{rel_type}.csv",
                [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "claim", "sources:int", "articles:int", *QUALIFIERS],
                ([c.subject, c.object, rel_type, c.id, c.source_count, c.article_count, *(getattr(c, q) for q in QUALIFIERS)] for c in linked),
                "relationships",
            )
        )

    clusters = sorted(graph.clusters.values(), key=lambda k: k.id)
    aliases = [a for a in sorted(graph.alias_links, key=lambda a: (a.alias, a.canonical)) if a.alias in graph.entities and a.canonical in graph.entities]
    files += [] if not clusters else [
        _write(
            directory / "nodes-ClaimCluster.csv",
            ["id:ID(ClaimCluster)", ":LABEL", "type", "key", "rule", "statement", "claim_count:int", "article_count:int",
             "source_count:int", "outlets:string[]", "first_published:date", "last_published:date"],
            ([k.id, "ClaimCluster", k.type, k.key, k.rule, k.statement, len(k.members), k.article_count, k.source_count,
              k.outlets or None, k.first_published, k.last_published] for k in clusters),
            "nodes",
        ),  # fmt: skip
        _write(
            directory / "relationships-IN_CLUSTER.csv",
            [":START_ID(Claim)", ":END_ID(ClaimCluster)", ":TYPE", "score:double"],
            ([m, k.id, Rel.IN_CLUSTER.value, k.scores.get(m)] for k in clusters for m in k.members if m in graph.claims),
            "relationships",
        ),
    ]
    files += [] if not aliases else [
        _write(
            directory / "relationships-ALIAS_OF.csv",
            [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "rule", "evidence", "articles:string[]"],
            ([a.alias, a.canonical, Rel.ALIAS_OF.value, a.rule, a.evidence, a.articles or None] for a in aliases),
            "relationships",
        )
    ]

    args = [
        "--array-delimiter=" + ARRAY_DELIMITER,
        "--multiline-fields=true",
        *(f"--{f.kind}={f.path.name}" for f in files),
    ]
    (directory / "import.args").write_text("\n".join(args) + "\n", encoding="utf-8")
    return files


def import_arguments(directory: Path, database: str = "neo4j") -> list[str]:
    """``neo4j-admin`` arguments importing ``directory`` into ``database`` (absolute file paths)."""
    # The database name goes first: --nodes/--relationships take several values and would
    # swallow a trailing positional argument as one more file.
    args = ["database", "import", "full", database, "--overwrite-destination"]
    for line in (directory / "import.args").read_text(encoding="utf-8").splitlines():
        option, _, value = line.partition("=")
        if option in ("--nodes", "--relationships"):
            args.append(f"{option}={(directory / value).resolve()}")
        elif line.strip():
            args.append(line)
    return args
