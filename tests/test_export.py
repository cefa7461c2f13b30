"""``kg export``: every format read back with its own tools (rdflib + SPARQL, networkx, the CSV
rules of ``neo4j-admin database import``), the same graph from Neo4j and from the document, and a
real ``neo4j-admin database import full`` of the CSV into a scratch server.

Fixture: tests/fixtures/analyst/graph.jsonl (see tests/test_queries_e2e.py for what it holds).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import socket
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg.cli import app
from kg.export.document_source import graph_from_document
from kg.export.json_graph import graph_to_data
from kg.export.model import Graph

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

FIXTURES = Path(__file__).parent / "fixtures" / "analyst"
GRAPH = FIXTURES / "graph.jsonl"
runner = CliRunner()

HARBOR_GLM = "Zhipu AI puts GLM-4.5 on the open shelf"
OMR_GLM = "GLM-4.5 lands with permissive weights"
PREFIXES = """
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX nkg: <https://newskg.example/vocab#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def export(tmp_path: Path, name: str, *extra: str) -> Path:
    target = tmp_path / name
    result = runner.invoke(app, ["export", "--from", str(GRAPH), "-o", str(target), *extra])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def graph() -> Graph:
    return graph_from_document(GRAPH)


# -- the intermediate graph -------------------------------------------------------------------


def test_document_source_builds_the_graph_the_loader_would(graph: Graph) -> None:
    assert graph.counts() == {
        "articles": 5,
        "entities": 13,
        "claims": 14,
        "reports": 16,
        "entities:Model": 5,
        "entities:Organization": 5,
        "entities:Person": 3,
    }
    glm = graph.claims["released|org:zhipu-ai|model:glm-4.5|released"]
    assert (glm.source_count, glm.article_count, glm.outlets) == (2, 2, ["Harbor Tech Daily", "Open Model Report"])
    assert (glm.first_published, glm.last_published) == (date(2025, 7, 28), date(2025, 7, 29))
    wan = graph.claims["released|org:alibaba|model:wan-2.2|released"]
    assert (wan.source_count, wan.article_count) == (1, 2)
    assert graph.entities["org:zhipu-ai"].aliases == ["Zhipu"]
    assert graph.mention_counts()["model:glm-4.5"] == 4


def test_scoping_helpers(graph: Graph) -> None:
    assert [e.id for e in graph.find_entities("zhipu")] == ["org:zhipu-ai"]
    assert graph.neighbourhood({"model:glm-4.5"}, 1) == {"model:glm-4.5", "org:zhipu-ai", "person:mara-lindqvist", "person:tomas-berg"}
    sub = graph.restrict({"org:zhipu-ai", "model:glm-4.5"})
    assert set(sub.claims) == {"released|org:zhipu-ai|model:glm-4.5|released"}
    assert {a.title for a in sub.articles.values()} == {HARBOR_GLM, OMR_GLM}
    assert graph.top_entities(2) == {"model:glm-4.5", "org:openai"}


# -- RDF -------------------------------------------------------------------------------------


def test_turtle_parses_and_sparql_finds_who_released_glm_with_its_articles(tmp_path: Path) -> None:
    ttl = export(tmp_path, "graph.ttl")
    g = rdflib.Graph().parse(ttl, format="turtle")
    rows = g.query(
        PREFIXES
        + """
        SELECT ?org ?headline ?published ?outlets WHERE {
          ?claim a nkg:Released ; nkg:status "released" ; nkg:subject ?o ; nkg:object ?m ;
                 nkg:sourceCount ?outlets ; prov:wasDerivedFrom ?article .
          ?m schema:name "GLM-4.5" .
          ?o a schema:Organization ; schema:name ?org .
          ?article a schema:NewsArticle ; schema:headline ?headline ; schema:datePublished ?published .
        } ORDER BY ?published
        """
    )
    found = [(str(r.org), str(r.headline), r.published.toPython(), int(r.outlets)) for r in rows]
    assert found == [
        ("Zhipu AI", HARBOR_GLM, date(2025, 7, 28), 2),
        ("Zhipu AI", OMR_GLM, date(2025, 7, 29), 2),
    ]
    # The shortcut triple, models typed as software, the outlet as publisher.
    ask = g.query(
        PREFIXES
        + """
        ASK {
          ?o schema:name "Zhipu AI" ; nkg:released ?m .
          ?m a schema:SoftwareApplication, nkg:AIModel ; schema:name "GLM-4.5" .
          ?a schema:headline "GLM-4.5 lands with permissive weights" ; schema:publisher/schema:name "Open Model Report" .
        }"""
    )
    assert ask.askAnswer


def test_rdf_reports_carry_evidence_and_provenance(tmp_path: Path) -> None:
    g = rdflib.Graph().parse(export(tmp_path, "graph.ttl"), format="turtle")
    rows = g.query(
        PREFIXES
        + """
        SELECT ?statement ?direct ?evidence ?headline WHERE {
          ?claim a nkg:Said ; nkg:subject/schema:name "Mara Lindqvist" ; nkg:about/schema:name "GLM-4.5" ; nkg:report ?r .
          ?r nkg:statement ?statement ; nkg:directQuote ?direct ; nkg:evidence ?evidence ; prov:wasDerivedFrom ?a ; nkg:supports ?claim .
          ?a schema:headline ?headline .
        }"""
    )
    assert [(str(r.statement), r.direct.toPython(), str(r.evidence), str(r.headline)) for r in rows] == [
        ("GLM-4.5 should feel at home inside coding tools", True, '"GLM-4.5 should feel at home inside coding tools," Lindqvist said.', HARBOR_GLM)
    ]
    affiliation = g.query(PREFIXES + 'SELECT ?org WHERE { ?p schema:name "Tomas Berg" ; schema:affiliation/schema:name ?org }')
    assert [str(r.org) for r in affiliation] == ["Fjord Insights"]
    labels = {str(o) for o in g.objects(None, rdflib.RDFS.label)}
    assert "OpenAI plans to release GPT-5" in labels


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_jsonld_and_ntriples_hold_the_same_triples(tmp_path: Path) -> None:
    turtle = rdflib.Graph().parse(export(tmp_path, "graph.ttl"), format="turtle")
    jsonld_path = export(tmp_path, "graph.jsonld")
    jsonld = rdflib.Graph().parse(jsonld_path, format="json-ld")
    nt_path = export(tmp_path, "graph.nt")
    nt = rdflib.Graph().parse(nt_path, format="nt")
    assert len(turtle) > 300
    assert isomorphic(turtle, jsonld) and isomorphic(turtle, nt)
    assert json.loads(jsonld_path.read_text(encoding="utf-8"))["@context"]["prov"] == "http://www.w3.org/ns/prov#"
    # Stable IRIs: the same graph gives the same file, byte for byte.
    again = export(tmp_path, "again.nt")
    assert again.read_bytes() == nt_path.read_bytes()
    assert "<https://newskg.example/id/org/zhipu-ai>" in nt_path.read_text(encoding="utf-8")


def test_base_iri_is_configurable_and_checked(tmp_path: Path) -> None:
    nt = export(tmp_path, "graph.nt", "--base-iri", "https://kg.example.org/news")
    text = nt.read_text(encoding="utf-8")
    assert "<https://kg.example.org/news/model/glm-4.5>" in text and "newskg.example/id/" not in text
    result = runner.invoke(app, ["export", "--from", str(GRAPH), "-o", str(tmp_path / "x.ttl"), "--base-iri", "not an iri"])
    assert result.exit_code == 2 and "base IRI" in result.stderr


# -- GraphML ---------------------------------------------------------------------------------


def test_graphml_reads_back_with_typed_nodes_and_edges(tmp_path: Path) -> None:
    g = nx.read_graphml(export(tmp_path, "graph.graphml"), force_multigraph=True)
    assert g.is_directed() and g.is_multigraph()
    types = nx.get_node_attributes(g, "type")
    assert sum(1 for t in types.values() if t == "Article") == 5
    assert {t for t in types.values()} == {"Article", "Organization", "Person", "Model"}
    assert g.nodes["model:glm-4.5"]["label"] == "GLM-4.5" and g.nodes["model:glm-4.5"]["mentions"] == 4
    assert g.nodes["org:zhipu-ai"]["aliases"] == "Zhipu"
    released = [d for _, _, d in g.edges("org:zhipu-ai", data=True) if d["type"] == "RELEASED"]
    assert len(released) == 1
    edge = released[0]
    assert (edge["status"], edge["sources"], edge["articles"], edge["first_published"]) == ("released", 2, 2, "2025-07-28")
    assert edge["article_titles"] == f"{HARBOR_GLM}; {OMR_GLM}"
    edge_types = {d["type"] for _, _, d in g.edges(data=True)}
    assert edge_types == {"MENTIONS", "RELEASED", "DEVELOPS", "AFFILIATED_WITH", "SAID_ABOUT"}
    said = [(u, v) for u, v, d in g.edges(data=True) if d["type"] == "SAID_ABOUT"]
    assert sorted(said) == [("person:mara-lindqvist", "model:glm-4.5"), ("person:tomas-berg", "model:glm-4.5"), ("person:tomas-berg", "model:gpt-5")]


# -- JSON ------------------------------------------------------------------------------------


def test_json_nodes_links_and_claims_with_evidence(tmp_path: Path) -> None:
    data = json.loads(export(tmp_path, "graph.json").read_text(encoding="utf-8"))
    assert data["format"] == "newskg-graph-json" and data["version"] == 1
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) == 13
    assert all(link["source"] in ids and link["target"] in ids for link in data["links"])
    article_ids = {a["id"] for a in data["articles"]}
    claims = {c["id"]: c for c in data["claims"]}
    for claim in claims.values():
        assert claim["reports"] and all(r["article"] in article_ids for r in claim["reports"])
    glm = claims["released|org:zhipu-ai|model:glm-4.5|released"]
    assert glm["summary"] == "Zhipu AI released GLM-4.5" and glm["source_count"] == 2
    assert [r["text"] for r in glm["reports"]][0] == "Zhipu AI released GLM-4.5, a mixture-of-experts model with open weights."
    link = next(link for link in data["links"] if link["claim"] == glm["id"])
    assert (link["source"], link["target"], link["label"], link["weight"]) == ("org:zhipu-ai", "model:glm-4.5", "released", 2)
    planned = next(link for link in data["links"] if link["target"] == "model:gpt-5" and link["type"] == "RELEASED")
    assert planned["label"] == "plans to release"
    co = json.loads(export(tmp_path, "co.json", "--co-mentions").read_text(encoding="utf-8"))
    assert any(link["type"] == "CO_MENTIONED" for link in co["links"])


# -- neo4j-admin CSV -------------------------------------------------------------------------

_CHECKS = {
    "int": int,
    "double": float,
    "date": date.fromisoformat,
    "boolean": lambda v: {"true": True, "false": False}[v],
}


def read_import_dir(directory: Path) -> tuple[dict[str, set[str]], list[dict[str, Any]]]:
    """Validate every file like the import tool would; return ids per ID space and relationships."""
    spaces: dict[str, set[str]] = {}
    relationships: list[dict[str, Any]] = []
    args = (directory / "import.args").read_text(encoding="utf-8").split()
    listed = [a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))]
    assert sorted(listed) == sorted(p.name for p in directory.glob("*.csv"))
    for name in listed:
        with open(directory / name, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        assert len(set(header)) == len(header), name
        for row in body:
            assert len(row) == len(header), (name, row)
            for column, value in zip(header, row, strict=True):
                _, _, spec = column.partition(":")
                kind = spec.removesuffix("[]")
                if value and kind in _CHECKS:
                    for item in value.split(";") if spec.endswith("[]") else [value]:
                        _CHECKS[kind](item)
        if name.startswith("nodes-"):
            id_column = next(c for c in header if ":ID(" in c)
            space = id_column.split("(")[1].rstrip(")")
            assert ":LABEL" in header, name
            ids = [row[header.index(id_column)] for row in body]
            assert len(set(ids)) == len(ids) and all(ids), name
            assert spaces.setdefault(space, set()).isdisjoint(ids), f"duplicate ids in space {space}"
            spaces[space].update(ids)
        else:
            assert name.startswith("relationships-")
            start = next(c for c in header if c.startswith(":START_ID("))
            end = next(c for c in header if c.startswith(":END_ID("))
            assert ":TYPE" in header
            for row in body:
                relationships.append(
                    {
                        "type": row[header.index(":TYPE")],
                        "start": (start[len(":START_ID(") : -1], row[header.index(start)]),
                        "end": (end[len(":END_ID(") : -1], row[header.index(end)]),
                    }
                )
    return spaces, relationships


def test_csv_import_directory_headers_and_references(tmp_path: Path, graph: Graph) -> None:
    directory = export(tmp_path, "import", "--format", "csv")
    header = (directory / "nodes-Article.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "id:ID(Article),:LABEL,title,published:date,source,url,path,author,content_hash,outlet,body_hash"
    assert (directory / "nodes-Organization.csv").read_text(encoding="utf-8").splitlines()[0] == "id:ID(Entity),:LABEL,type,name,aliases:string[]"
    assert "Claim;Released" in (directory / "nodes-Released.csv").read_text(encoding="utf-8")
    spaces, relationships = read_import_dir(directory)
    assert {k: len(v) for k, v in spaces.items()} == {"Article": 5, "Entity": 13, "Claim": 14, "Evidence": 16}
    for rel in relationships:
        for space, node_id in (rel["start"], rel["end"]):
            assert node_id in spaces[space], (rel, "dangling reference")
    counts: dict[str, int] = {}
    for rel in relationships:
        counts[rel["type"]] = counts.get(rel["type"], 0) + 1
    assert counts == {
        "MENTIONS": len(graph.mentions),
        "SUBJECT": 14,
        "OBJECT": 8,
        "ABOUT": 3,
        "SUPPORTS": 16,
        "IN": 16,
        "RELEASED": 4,
        "DEVELOPS": 1,
        "AFFILIATED_WITH": 3,
    }


def test_export_errors_are_one_line(tmp_path: Path) -> None:
    for args, code, message in (
        (["export", "--from", str(GRAPH), "-o", str(tmp_path / "graph.xyz")], 2, "cannot tell the format"),
        (["export", "--from", str(GRAPH), "-o", str(tmp_path / "g"), "-f", "pdf"], 2, "unknown --format"),
        (["export", "--from", str(GRAPH), "-o", "-", "-f", "csv"], 2, "directory"),
        (["export", "--from", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "g.ttl")], 1, "no such file"),
        (["export", "--from", str(GRAPH), "-o", str(tmp_path), "-f", "ttl"], 2, "is a directory"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == code, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)


def test_export_to_stdout(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "--from", str(GRAPH), "-o", "-", "-f", "nt"])
    assert result.exit_code == 0, result.output
    assert len(rdflib.Graph().parse(data=result.stdout, format="nt")) > 300


def test_malformed_document_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jsonl"
    lines = GRAPH.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "{not json")
    lines.append('{"kind": "mention", "entity": "org:nobody", "article": "a-x", "start": 0, "end": 1, "text": "x", "sentence": 0}')
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["export", "--from", str(broken), "-o", str(tmp_path / "g.json")])
    assert result.exit_code == 0, result.output
    assert "line 4: not valid JSON" in result.stderr and "org:nobody" in result.stderr
    assert len(json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["nodes"]) == 13


# -- from Neo4j ------------------------------------------------------------------------------


@pytest.fixture
def loaded(clean_db: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> Driver:
    from kg.neo4j.loader import GraphLoader

    GraphLoader(clean_db, neo4j_settings.database).load_lines(GRAPH.read_bytes().splitlines(), str(GRAPH))
    for key, value in (("NEO4J_URI", neo4j_settings.uri), ("NEO4J_USER", neo4j_settings.user), ("NEO4J_PASSWORD", neo4j_settings.password), ("NEO4J_DATABASE", neo4j_settings.database)):
        monkeypatch.setenv(key, value)
    return clean_db


def test_neo4j_and_document_give_the_same_export(loaded: Driver, neo4j_settings: Neo4jSettings, graph: Graph, tmp_path: Path) -> None:
    from kg.export.neo4j_source import graph_from_neo4j

    from_db = graph_from_neo4j(loaded, neo4j_settings.database)
    assert graph_to_data(from_db, co_mentions=True) == graph_to_data(graph, co_mentions=True)
    # And through the CLI, without --from, byte for byte the same N-Triples.
    result = runner.invoke(app, ["export", "-o", str(tmp_path / "db.nt")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "db.nt").read_bytes() == export(tmp_path, "doc.nt").read_bytes()
    # Progress from the database: the rows read (no total), counted as graph_from_neo4j reads them.
    rows_read: list[None] = []
    graph_from_neo4j(loaded, neo4j_settings.database, tick=lambda: rows_read.append(None))
    assert len(rows_read) > len(from_db.entities) + len(from_db.articles)
    assert re.search(rf"^kg export: {len(rows_read)} records read, [\d.]+/s, \d+ s elapsed$", result.stderr, re.MULTILINE), result.stderr
    # Counts reported by the database match the claims read back.
    rows = loaded.execute_query(
        "MATCH (c:Claim) RETURN c.id AS id, c.source_count AS s, c.article_count AS a, c.outlets AS o", database_=neo4j_settings.database
    ).records
    for row in rows:
        claim = from_db.claims[row["id"]]
        assert (claim.source_count, claim.article_count, claim.outlets) == (row["s"], row["a"], row["o"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _labels_and_types(driver: Driver, database: str) -> dict[str, int]:
    labels = driver.execute_query("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n", database_=database).records
    rels = driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n", database_=database).records
    return {r["l"]: r["n"] for r in labels} | {f":{r['t']}": r["n"] for r in rels}


@pytest.mark.slow
def test_csv_really_imports_with_neo4j_admin(
    loaded: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """neo4j-admin database import full into a fresh scratch instance: same graph, same answers."""
    from kg.export.csv_import import import_arguments
    from kg.neo4j import provision, server
    from kg.neo4j.connection import open_driver
    from kg.queries import load_library, run_named

    if not provision.is_provisioned():
        if os.environ.get("CI"):
            server.provision()
        else:
            pytest.skip("the managed Neo4j jars are not provisioned (kg neo4j start provisions them)")
    directory = export(tmp_path, "import", "--format", "csv")
    instance = f"csv-import-{os.getpid()}"  # parallel sessions must not share the scratch server
    monkeypatch.setenv("NEWSKG_NEO4J_CDS", "0")  # a one-off server: no class-data archive to write
    path = server.instance_dir(instance)
    server.stop(instance)
    shutil.rmtree(path, ignore_errors=True)
    try:
        # A conf is all neo4j-admin needs; the first start then sets the password and serves the
        # imported store as the default database.
        for sub in ("conf", "data", "logs", "run", "import", "plugins"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        bolt, http = _free_port(), _free_port()
        conf = server.render_conf(lib_dir=server.provision() / "lib", instance_path=path, bolt_port=bolt, http_port=http)
        (path / "conf" / "neo4j.conf").write_text(conf, encoding="utf-8")
        result = server.run_admin(import_arguments(directory), instance, timeout=600)
        assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
        assert "IMPORT DONE" in result.stdout
        info = server.start(instance, bolt, http)
        driver = open_driver(info.settings())
        try:
            expected = _labels_and_types(loaded, neo4j_settings.database)
            assert _labels_and_types(driver, "neo4j") == expected
            # named queries need the indexes: without them, kg query says to run kg schema
            from kg.neo4j.schema import ensure_schema

            missing = runner.invoke(app, ["query", "co-mentioned", "-p", "entity=OpenAI", "--uri", info.settings().uri, "--password", info.settings().password])
            assert missing.exit_code == 1 and "run `kg schema` once" in missing.output, missing.output
            ensure_schema(driver, "neo4j")  # what docs/export.md says to run after an import
            library = load_library()
            for name, params in (("corroborated-claims", {"min_sources": "1"}), ("statements-by-person", {"person": "Dana Whitfield"}), ("affiliations", {})):
                imported = run_named(driver, "neo4j", library[name], params)
                original = run_named(loaded, neo4j_settings.database, library[name], params)
                assert imported.records() == original.records() and imported.rows, name
        finally:
            driver.close()
    finally:
        server.stop(instance)
        shutil.rmtree(path, ignore_errors=True)
