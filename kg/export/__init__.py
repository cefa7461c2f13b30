"""Exports of the graph: RDF (Turtle, JSON-LD, N-Triples), GraphML, neo4j-admin CSV and JSON.

Every format is written from one in-memory :class:`~kg.export.model.Graph`, read either from
Neo4j (:func:`~kg.export.neo4j_source.graph_from_neo4j`) or from a graph document
(:func:`~kg.export.document_source.graph_from_document`), so each format is implemented once.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.export.model import Graph

#: format name -> what it is (for --help and docs).
FORMATS: dict[str, str] = {
    "ttl": "RDF Turtle (schema.org + PROV-O + nkg: vocabulary)",
    "jsonld": "RDF JSON-LD, same triples",
    "nt": "RDF N-Triples, same triples, sorted",
    "graphml": "GraphML for Gephi / yEd / Cytoscape (typed nodes and edges)",
    "csv": "a directory of neo4j-admin import CSV files (one per label / relationship type)",
    "json": "nodes + links + claims with evidence, for web tools (the viz page's data)",
}
#: file suffix -> format, to guess --format from -o.
SUFFIXES: dict[str, str] = {
    ".ttl": "ttl",
    ".jsonld": "jsonld",
    ".nt": "nt",
    ".graphml": "graphml",
    ".json": "json",
}


class ExportError(RuntimeError):
    """The export cannot be written (bad format, path or base IRI); one line for the user."""


def guess_format(output: str) -> str | None:
    """The format implied by an output path's suffix (``.ttl`` -> ``ttl``), if any."""
    return SUFFIXES.get(Path(output).suffix.lower())


def write(graph: Graph, fmt: str, output: str, *, base_iri: str | None = None, co_mentions: bool = False) -> str:
    """Write ``graph`` as ``fmt`` to ``output`` (``-`` = stdout, except csv and graphml); return a summary line."""
    from kg.export import csv_import, graphml, json_graph, rdf

    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    if output == "-" and fmt == "csv":
        raise ExportError("csv writes a directory of files: give -o DIRECTORY")
    target = Path(output)
    try:
        if fmt == "csv":
            if target.exists() and not target.is_dir():
                raise ExportError(f"{output} exists and is not a directory")
            files = csv_import.write_import_csv(graph, target)
            nodes = sum(f.rows for f in files if f.kind == "nodes")
            rels = sum(f.rows for f in files if f.kind == "relationships")
            return f"{len(files)} files ({nodes} nodes, {rels} relationships) and import.args in {output}"
        if fmt == "graphml":
            if output == "-":
                graphml.write_graphml(graph, sys.stdout.buffer, co_mentions=co_mentions)
            else:
                with open(target, "wb") as handle:
                    graphml.write_graphml(graph, handle, co_mentions=co_mentions)
            return f"GraphML with {len(graph.entities)} entities and {len(graph.articles)} articles in {output}"
        if fmt == "json":
            import io

            buffer = io.StringIO()
            json_graph.write_json(graph, buffer, co_mentions=co_mentions)
            text = buffer.getvalue()
        else:
            try:
                text = rdf.serialize(graph, fmt, base_iri or rdf.DEFAULT_BASE_IRI)
            except rdf.BaseIriError as exc:
                raise ExportError(str(exc)) from None
        if output == "-":
            sys.stdout.write(text)
        else:
            target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot write {output}: {exc.strerror or exc}") from None
    counts = graph.counts()
    return f"{fmt}: {counts['entities']} entities, {counts['claims']} claims, {counts['articles']} articles in {output}"
