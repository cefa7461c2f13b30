"""Exports carry ``kg resolve``'s layer: alias links and claim clusters, read back from every format.

The layer is written by hand here, with the properties ``kg resolve`` gives it (docs/resolution.md),
on the analyst fixture (tests/fixtures/analyst): the plumbing is under test, not the resolver.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app
from kg.export.neo4j_source import graph_from_neo4j
from kg.neo4j.loader import GraphLoader

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

GRAPH = Path(__file__).parent / "fixtures" / "analyst" / "graph.jsonl"
runner = CliRunner()

ALIAS = ("org:alibaba", "org:meta")  # not true, just plumbing
MEMBERS = ["said|person:tomas-berg|040c43e53fba6a42", "said|person:tomas-berg|6c774c5e2ef03a25"]
CLUSTER = "said-cluster:test"

LAYER = """
MATCH (s:Entity {id: $alias}), (t:Entity {id: $canonical})
CREATE (s)-[:ALIAS_OF {rule: 'acronym', evidence: 'Alibaba (Meta)', articles: ['a1', 'a2'], open_world: false}]->(t)
CREATE (k:ClaimCluster {id: $cluster, type: 'SAID', key: 'said|person:tomas-berg', rule: 'paraphrase'})
WITH k
UNWIND $members AS member
MATCH (c:Claim {id: member})
CREATE (c)-[:IN_CLUSTER {score: 0.75}]->(k)
"""


@pytest.fixture
def resolved(clean_db: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> Driver:
    GraphLoader(clean_db, neo4j_settings.database).load_lines(GRAPH.read_bytes().splitlines(), str(GRAPH))
    clean_db.execute_query(LAYER, alias=ALIAS[0], canonical=ALIAS[1], cluster=CLUSTER, members=MEMBERS, database_=neo4j_settings.database)
    for key, value in (("NEO4J_URI", neo4j_settings.uri), ("NEO4J_USER", neo4j_settings.user), ("NEO4J_PASSWORD", neo4j_settings.password), ("NEO4J_DATABASE", neo4j_settings.database)):
        monkeypatch.setenv(key, value)
    return clean_db


def export(tmp_path: Path, name: str, *extra: str) -> Path:
    target = tmp_path / name
    result = runner.invoke(app, ["export", "-o", str(target), *extra])
    assert result.exit_code == 0, result.output
    return target


def test_the_model_reads_the_layer(resolved: Driver, neo4j_settings: Neo4jSettings) -> None:
    graph = graph_from_neo4j(resolved, neo4j_settings.database)
    [link] = graph.alias_links
    assert (link.alias, link.canonical, link.rule, link.articles) == (*ALIAS, "acronym", ["a1", "a2"])
    cluster = graph.clusters[CLUSTER]
    assert (cluster.members, cluster.type, cluster.scores) == (MEMBERS, "SAID", dict.fromkeys(MEMBERS, 0.75))
    # counted like the loader counts clusters
    [row] = resolved.execute_query(
        "MATCH (k:ClaimCluster)<-[:IN_CLUSTER]-(:Claim)<-[:SUPPORTS]-(:Evidence)-[:IN]->(a:Article) RETURN count(DISTINCT a) AS n",
        database_=neo4j_settings.database,
    ).records
    assert cluster.article_count == row["n"] == 2 and cluster.source_count == 2


@pytest.mark.parametrize("fmt", ["ttl", "jsonld", "nt"])
def test_rdf_round_trip(resolved: Driver, tmp_path: Path, fmt: str) -> None:
    g = rdflib.Graph().parse(export(tmp_path, f"g.{fmt}", "--format", fmt), format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[fmt])
    rows = g.query("""
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX schema: <https://schema.org/>
        SELECT ?a ?c ?label WHERE { ?x owl:sameAs ?y . ?x schema:identifier ?a . ?y schema:identifier ?c . ?y skos:altLabel ?label }
    """)
    assert [(str(r.a), str(r.c), str(r.label)) for r in rows] == [(*ALIAS, "Alibaba")]
    members = g.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX nkg: <https://newskg.example/vocab#>
        PREFIX schema: <https://schema.org/>
        SELECT ?id ?fact ?rule WHERE { ?k a nkg:ClaimCluster, prov:Collection ; schema:identifier ?id ; nkg:rule ?rule ;
                                        prov:hadMember ?c . ?c nkg:factKey ?fact }
    """)
    assert sorted((str(r.id), str(r.fact), str(r.rule)) for r in members) == [(CLUSTER, m, "paraphrase") for m in MEMBERS]
    resolution = g.query("""
        PREFIX nkg: <https://newskg.example/vocab#>
        SELECT ?rule WHERE { ?r a nkg:AliasResolution ; nkg:rule ?rule }
    """)
    assert [str(r.rule) for r in resolution] == ["acronym"]


def test_graphml_round_trip(resolved: Driver, tmp_path: Path) -> None:
    g = nx.read_graphml(export(tmp_path, "g.graphml"))
    aliases = [(s, t, d["rule"]) for s, t, d in g.edges(data=True) if d["type"] == "ALIAS_OF"]
    assert aliases == [(*ALIAS, "acronym")]
    node = g.nodes[f"cluster:{CLUSTER}"]
    assert (node["kind"], node["type"], node["members"].split("; ")) == ("cluster", "ClaimCluster", MEMBERS)
    assert {t for _, t, d in g.out_edges(f"cluster:{CLUSTER}", data=True) if d["type"] == "IN_CLUSTER"} == {"person:tomas-berg"}
    clustered = {d["claim"] for _, _, d in g.edges(data=True) if d.get("cluster") == CLUSTER}
    assert clustered == set(MEMBERS)


def test_json_round_trip(resolved: Driver, tmp_path: Path) -> None:
    data = json.loads(export(tmp_path, "g.json").read_text(encoding="utf-8"))
    assert [(l["source"], l["target"], l["rule"], l["label"]) for l in data["links"] if l["type"] == "ALIAS_OF"] == [(*ALIAS, "acronym", "alias of")]
    [cluster] = data["clusters"]
    assert (cluster["id"], cluster["members"], cluster["source_count"]) == (CLUSTER, MEMBERS, 2)
    assert sorted(c["id"] for c in data["claims"] if c["cluster"] == CLUSTER) == MEMBERS


def test_csv_round_trip(resolved: Driver, tmp_path: Path) -> None:
    directory = export(tmp_path, "import", "--format", "csv")
    args = (directory / "import.args").read_text(encoding="utf-8")
    assert "--nodes=nodes-ClaimCluster.csv" in args and "--relationships=relationships-ALIAS_OF.csv" in args

    def rows(name: str) -> list[dict[str, str]]:
        with open(directory / name, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    assert [(r[":START_ID(Entity)"], r[":END_ID(Entity)"], r["rule"], r["articles:string[]"]) for r in rows("relationships-ALIAS_OF.csv")] == [
        (*ALIAS, "acronym", "a1;a2")
    ]
    assert [(r[":START_ID(Claim)"], r[":END_ID(ClaimCluster)"], r["score:double"]) for r in rows("relationships-IN_CLUSTER.csv")] == [
        (m, CLUSTER, "0.75") for m in MEMBERS
    ]
    [node] = rows("nodes-ClaimCluster.csv")
    assert (node["id:ID(ClaimCluster)"], node[":LABEL"], node["claim_count:int"], node["source_count:int"]) == (CLUSTER, "ClaimCluster", "2", "2")


def test_co_mentioned_gives_one_row_per_entity_with_its_id(resolved: Driver, neo4j_settings: Neo4jSettings) -> None:
    """After `kg resolve`, an alias node counts as its canonical entity: Alibaba's article counts for Meta."""
    from kg.queries import load_library, run_named

    query = load_library()["co-mentioned"]
    rows = run_named(resolved, neo4j_settings.database, query, {"entity": "GLM-4.5", "type": "Organization"}).records()
    assert [(r["co_mentioned"], r["id"], r["entity_id"], r["articles"]) for r in rows] == [
        ("Zhipu AI", "org:zhipu-ai", "model:glm-4.5", 2),
        ("Fjord Insights", "org:fjord-insights", "model:glm-4.5", 1),
        ("Meta", "org:meta", "model:glm-4.5", 1),
    ]
    around_meta = run_named(resolved, neo4j_settings.database, query, {"entity": "Meta"}).records()
    assert "Alibaba" not in [r["co_mentioned"] for r in around_meta]
    assert len({r["id"] for r in around_meta}) == len(around_meta)
