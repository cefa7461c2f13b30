"""``kg stats``: speakers, centrality (PageRank checked against networkx's reference
implementation), communities, the PNG chart, and the same numbers from Neo4j as from the document."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export.document_source import graph_from_document
from kg.export.model import Graph
from kg.stats import Canvas, bar_chart, centrality, communities, compute, entity_graph, pagerank, speakers

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

GRAPH = Path(__file__).parent / "fixtures" / "analyst" / "graph.jsonl"
runner = CliRunner()


def test_pagerank_matches_networkx_reference() -> None:
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    g = nx.karate_club_graph()
    for u, v in g.edges:
        g.edges[u, v]["weight"] = (u + v) % 5 + 1
    g.add_node("isolated")
    ours = pagerank(g)
    reference = _pagerank_python(g, weight="weight", tol=1e-12, max_iter=1000)
    assert sum(ours.values()) == pytest.approx(1.0)
    for node, value in reference.items():
        assert ours[node] == pytest.approx(value, abs=1e-6)
    assert pagerank(nx.Graph()) == {}


def test_speakers_centrality_and_communities_on_the_fixture() -> None:
    graph = graph_from_document(GRAPH)
    cited = speakers(graph)
    assert [(s.name, s.statements, s.direct_quotes, s.articles, s.outlets) for s in cited] == [
        ("Dana Whitfield", 2, 1, 2, 2),
        ("Mara Lindqvist", 2, 1, 1, 1),
        ("Tomas Berg", 2, 0, 2, 2),
    ]
    g = entity_graph(graph)
    assert g.number_of_nodes() == 13
    assert g.edges["org:zhipu-ai", "model:glm-4.5"]["facts"] == 1
    assert g.edges["org:zhipu-ai", "model:glm-4.5"]["weight"] == 2 + 2  # 2 outlets + 2 shared articles
    orgs = centrality(graph, g)
    assert [o.name for o in orgs][:3] == ["Zhipu AI", "OpenAI", "Alibaba"]
    assert all(o.type == "Organization" for o in orgs) and len(orgs) == 5
    zhipu = orgs[0]
    assert (zhipu.degree, zhipu.fact_links, zhipu.mentions) == (6, 2, 3)
    groups = communities(graph, g)
    assert sum(c.size for c in groups) == 13
    members = [set(c.members) for c in groups]
    assert {"OpenAI", "GPT-5", "gpt-oss-120b", "Dana Whitfield"} <= next(m for m in members if "OpenAI" in m)
    assert {"Zhipu AI", "GLM-4.5", "Mara Lindqvist"} <= next(m for m in members if "Zhipu AI" in m)


def read_png(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks[kind] = chunks.get(kind, b"") + body
        pos += 12 + length
    width, height, depth, color, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, color) == (8, 2) and b"IEND" in chunks
    raw = zlib.decompress(chunks[b"IDAT"])
    assert len(raw) == height * (1 + 3 * width)
    return width, height, raw


def test_canvas_writes_a_valid_png_with_bars_and_text() -> None:
    canvas = Canvas(40, 20)
    canvas.rect(0, 0, 10, 10, (255, 0, 0))
    canvas.text(12, 2, "Ab1", scale=1)
    width, height, raw = read_png(canvas.png())
    assert (width, height) == (40, 20)
    assert raw[1:4] == b"\xff\x00\x00"  # first pixel of the red square (after the row filter byte)
    png = bar_chart([("Title", [("Zhipu AI", 0.1, "0.100"), ("OpenAI", 0.05, "0.050")])])
    width, height, raw = read_png(png)
    assert width == 880 and height > 100
    blue = bytes((47, 111, 222))
    assert raw.count(blue) > 1000


def test_kg_stats_from_a_document_table_json_and_png(tmp_path: Path) -> None:
    chart = tmp_path / "chart.png"
    result = runner.invoke(app, ["stats", "--from", str(GRAPH), "--png", str(chart)])
    assert result.exit_code == 0, result.output
    for text in ("Most cited speakers", "Dana Whitfield", "Most central organizations", "Zhipu AI", "Communities"):
        assert text in result.stdout
    read_png(chart.read_bytes())
    result = runner.invoke(app, ["stats", "--from", str(GRAPH), "--format", "json", "--top", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["counts"]["entities"] == 13 and len(data["speakers"]) == 2 and len(data["organizations"]) == 2
    assert data["organizations"][0]["name"] == "Zhipu AI"
    bad = runner.invoke(app, ["stats", "--from", str(GRAPH), "--format", "xml"])
    assert bad.exit_code == 2 and "unknown --format" in bad.stderr
    unwritable = runner.invoke(app, ["stats", "--from", str(GRAPH), "--png", str(tmp_path / "missing" / "c.png")])
    assert unwritable.exit_code == 1 and len(unwritable.stderr.strip().splitlines()) == 1


def test_kg_stats_from_neo4j_equals_from_the_document(clean_db: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.neo4j.loader import GraphLoader

    GraphLoader(clean_db, neo4j_settings.database).load_lines(GRAPH.read_bytes().splitlines(), str(GRAPH))
    for key, value in (("NEO4J_URI", neo4j_settings.uri), ("NEO4J_USER", neo4j_settings.user), ("NEO4J_PASSWORD", neo4j_settings.password), ("NEO4J_DATABASE", neo4j_settings.database)):
        monkeypatch.setenv(key, value)
    from_db = runner.invoke(app, ["stats", "--format", "json"])
    assert from_db.exit_code == 0, from_db.output
    assert json.loads(from_db.stdout) == compute(graph_from_document(GRAPH)).to_dict()


def _outlet_graph() -> Graph:
    """Three BBC stories naming "BBC News" in their boilerplate; two other outlets report on The Daily
    Byte (a newsroom that is news), one of them also its own story; a big community of 12 entities."""
    from kg.export.model import Article, Entity, Mention

    g = Graph()
    people = [Entity(f"person:p{i}", "Person", f"Person {i:02d}") for i in range(12)]
    for e in [Entity("org:bbc-news", "Organization", "BBC News"), Entity("org:daily-byte", "Organization", "The Daily Byte"), *people]:
        g.entities[e.id] = e
    sources = [("b1", "BBC News", None), ("b2", None, "https://www.bbc.co.uk/news/x"), ("b3", "bbc news", None),
               ("d1", "The Daily Byte", None), ("w1", "Wire", None), ("w2", "Other", None)]  # fmt: skip
    for aid, source, url in sources:
        g.articles[aid] = Article(aid, title=aid, source=source, url=url)
    mentions = {"b1": ["org:bbc-news", "person:p0", "person:p1"], "b2": ["org:bbc-news", "person:p2"], "b3": ["org:bbc-news"],
                "d1": ["org:daily-byte"], "w1": ["org:daily-byte"] + [p.id for p in people], "w2": ["org:daily-byte"]}  # fmt: skip
    for aid, ids in mentions.items():
        g.mentions += [Mention(aid, e, 1) for e in ids]
    return g.settle()


def test_outlet_boilerplate_is_left_out_of_the_stats() -> None:
    from kg.stats import outlet_boilerplate

    graph = _outlet_graph()
    assert set(outlet_boilerplate(graph)) == {"org:bbc-news"}
    stats = compute(graph)
    assert [item["name"] for item in stats.left_out] == ["BBC News"]
    assert "BBC News" not in [o.name for o in stats.organizations]
    assert "The Daily Byte" in [o.name for o in stats.organizations]
    assert all("BBC News" not in c.members for c in stats.communities)
    assert stats.counts["entities"] == 14  # the summary line still counts every entity


def test_communities_are_summarized_by_their_most_connected_members() -> None:
    from kg.stats import COMMUNITY_MEMBERS_SHOWN

    [big, *_] = communities(_outlet_graph())
    assert big.size > COMMUNITY_MEMBERS_SHOWN and len(big.top_members) == len(big.members) == COMMUNITY_MEMBERS_SHOWN
    assert big.top_members[0].name == "The Daily Byte" and big.top_members[0].degree == 12
    degrees = [m.degree for m in big.top_members]
    assert degrees == sorted(degrees, reverse=True)
    result = runner.invoke(app, ["stats", "--from", str(GRAPH), "--top", "2"])
    assert result.exit_code == 0 and "Communities: the 2 largest" in result.stdout


@pytest.mark.parametrize(
    ("name", "kind", "articles", "left_out"),
    [
        ("BBC News", None, 10, True),  # a name ending in News, in every article
        ("Wire Online", None, 10, True),
        ("Reuters", "media", 10, True),  # the gazetteer's media kind
        ("Reuters", None, 10, False),  # not known as an outlet
        ("BBC News", None, 2, False),  # named in too few articles to be boilerplate
        ("Acme News", None, 10, True),
    ],
)
def test_outlet_boilerplate_without_metadata(name: str, kind: str | None, articles: int, left_out: bool) -> None:
    from kg.export.model import Article, Entity, Mention
    from kg.stats import outlet_boilerplate

    g = Graph()
    g.entities["org:x"] = Entity("org:x", "Organization", name, [], {"kind": kind} if kind else {})
    for i in range(10):
        g.articles[f"a{i}"] = Article(f"a{i}", title=f"t{i}")  # no source, no URL
    g.mentions += [Mention(f"a{i}", "org:x", 1) for i in range(articles)]
    assert ("org:x" in outlet_boilerplate(g.settle())) is left_out
