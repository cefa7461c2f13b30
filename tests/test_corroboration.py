"""Corroboration an analyst can cite: outlets normalized, unknown origin counted once, syndicated
copies counted once and marked, contentless statements kept out; the loader, the in-memory model
(exports, viz, stats) and the `corroborated-claims` query agree."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kg import outlets
from kg.export.document_source import graph_from_document
from kg.neo4j.loader import GraphLoader
from kg.queries import load_library, run_named

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("source", "url", "expected"),
    [
        ("Example Wire", None, "Example Wire"),
        ("  Example   Wire. ", "https://other.example/x", "Example Wire"),
        (None, "https://www.bbc.co.uk/news/technology-1", "bbc.co.uk"),
        (None, "http://news.bbc.co.uk/2/hi/x.stm", "bbc.co.uk"),
        ("", "https://techcrunch.com:443/2025/08/01/x", "techcrunch.com"),
        (None, "www.reuters.com/world", "reuters.com"),
        (None, "http://127.0.0.1/x", None),
        (None, "not a url", None),
        (None, None, None),
        ("   ", None, None),
    ],
)
def test_outlet_name(source: str | None, url: str | None, expected: str | None) -> None:
    assert outlets.outlet_name(source, url) == expected


def test_outlet_names_compare_ignoring_case() -> None:
    assert outlets.outlet_key("BBC News") == outlets.outlet_key("bbc news") == "bbc news"
    assert outlets.outlet_key(None) == outlets.outlet_key("") == ""
    assert outlets.display_outlets(["bbc News", "BBC News", None, "Reuters"]) == ["BBC News", "Reuters"]


def test_body_hash_ignores_layout_not_words() -> None:
    assert outlets.body_hash("Zhipu AI  released\nGLM-4.5.") == outlets.body_hash("zhipu ai released GLM-4.5.")
    assert outlets.body_hash("Zhipu AI released GLM-4.5.") != outlets.body_hash("Zhipu AI released GLM-4.6.")
    assert outlets.body_hash("  ") is None


def test_independent_keys_count_a_copy_for_the_earliest_outlet() -> None:
    keys = outlets.independent_keys(
        [
            ("b", "Wire Two", "h1", "2025-08-02"),
            ("a", "Wire One", "h1", "2025-08-01"),
            ("c", None, "h2", None),
            ("d", "Wire Three", None, "2025-08-03"),
        ]
    )
    assert keys == {"a": "Wire One", "b": "Wire One", "c": "", "d": "Wire Three"}


@pytest.mark.parametrize(
    ("statement", "content"),
    [
        ("It", False),
        ("which", False),
        ("he", False),
        (" It. ", False),
        ("that is so", False),
        ("Great", False),
        ("", False),
        (None, False),
        ("it's", False),
        ("to comment", False),  # "declined to comment"
        ("by 2006", False),
        ("it is what it is", False),
        ("GPT-5 ships", True),
        ("it is what it is, and that is that, as it was", True),  # over 40 characters: not checked
        ("GLM-4.5 ships next week", True),
        ("the model is open", True),
        ("We will ship it", True),
    ],
)
def test_has_content_clause(statement: str | None, content: bool) -> None:
    assert outlets.has_content_clause(statement) is content


@pytest.mark.parametrize("query", ["corroborated-claims", "contradictions"])
def test_the_queries_filter_statements_with_the_same_rule(query: str) -> None:
    """The literal in the Cypher file is CONTENTLESS_STATEMENT (doubled backslashes in Cypher)."""
    text = (REPO / "queries" / f"{query}.cypher").read_text(encoding="utf-8")
    [literal] = re.findall(r"=~ '([^']+)'", text)
    assert literal.replace("\\\\", "\\") == outlets.CONTENTLESS_STATEMENT
    assert f") > {outlets.CONTENTLESS_MAX_CHARS} OR NOT " in text


# -- a graph document written for these tests --------------------------------------------------

RELEASE = "RELEASED|org:acme|model:rocket-1|released"
PLAN = "RELEASED|org:acme|model:rocket-2|planned"
QUOTE = "SAID|person:ada-vale|-|q1"
JUNK = "SAID|-|-|junk"

#: id, source, url, published, body, facts
ARTICLES: list[tuple[str, str | None, str | None, str, str, list[str]]] = [
    ("a-wire", "Wire One", "https://wireone.example/a", "2025-08-01", "Acme released Rocket-1 today. It was fast.", [RELEASE, QUOTE, JUNK]),
    # the same body run by another outlet a day later: a syndicated copy
    ("b-copy", "Daily Two", "https://dailytwo.example/b", "2025-08-02", "Acme  released Rocket-1 today.\nIt was fast.", [RELEASE, QUOTE, JUNK]),
    # the same outlet spelled differently
    ("c-wire", "wire one ", None, "2025-08-03", "Acme's Rocket-1 is out. Acme plans Rocket-2.", [RELEASE, PLAN]),
    # two articles of unknown origin: one unknown outlet
    ("d-anon", None, None, "2025-08-04", "Rocket-1 was released by Acme. Rocket-2 is planned.", [RELEASE, PLAN, JUNK]),
    ("e-anon", None, "file:///tmp/e.txt", "2025-08-05", "Acme plans to release Rocket-2, it said.", [PLAN, JUNK]),
]


def _document(order: list[int]) -> str:
    lines: list[dict[str, Any]] = [{"format": "newskg-graph", "version": 1, "generator": "tests", "model": None, "kind": "header"}]
    lines += [
        {"id": "org:acme", "type": "Organization", "name": "Acme", "aliases": ["Acme"], "attributes": {}, "kind": "entity"},
        {"id": "model:rocket-1", "type": "Model", "name": "Rocket-1", "aliases": [], "attributes": {}, "kind": "entity"},
        {"id": "model:rocket-2", "type": "Model", "name": "Rocket-2", "aliases": [], "attributes": {}, "kind": "entity"},
        {"id": "person:ada-vale", "type": "Person", "name": "Ada Vale", "aliases": [], "attributes": {}, "kind": "entity"},
    ]
    for index in order:
        aid, source, url, published, body, facts = ARTICLES[index]
        lines.append(
            {"id": aid, "title": f"Story {aid}", "published": published, "source": source, "url": url, "path": None,
             "content_hash": f"hash-{aid}", "text": body, "author": None, "kind": "article"}
        )  # fmt: skip
        for n, fact in enumerate(facts):
            kind, subject, obj, qualifier = fact.split("|")
            claim: dict[str, Any] = {
                "id": f"{aid}#c{n}", "fact": fact, "type": kind, "subject": None if subject == "-" else subject,
                "object": None if obj == "-" else obj, "article": aid, "sentence": 0, "start": 0, "end": 5,
                "confidence": 0.9, "evidence": body[:20], "kind": "claim",
            }  # fmt: skip
            if kind == "RELEASED":
                claim["status"] = qualifier
            else:
                claim.update(statement="Rocket-1 beats every rival" if fact == QUOTE else "It", cue="said", source_text="she", direct=False, about=[])
            lines.append(claim)
    return "\n".join(json.dumps(line) for line in lines) + "\n"


#: fact -> (independent outlets, articles, syndicated copies, known outlets)
EXPECTED = {
    RELEASE: (2, 4, 1, ["Wire One"]),  # Wire One (+ its copy in Daily Two, + "wire one") and the unknown outlet
    PLAN: (2, 3, 0, ["wire one"]),  # only the lower-case spelling reports it
    QUOTE: (1, 2, 1, ["Wire One"]),  # the original and its copy: one report
    JUNK: (2, 4, 1, ["Wire One"]),
}


def test_the_model_counts_like_the_loader(tmp_path: Path) -> None:
    path = tmp_path / "g.jsonl"
    path.write_text(_document([0, 1, 2, 3, 4]), encoding="utf-8")
    graph = graph_from_document(path)
    found = {c.id: (c.source_count, c.article_count, c.syndicated, c.outlets) for c in graph.claims.values()}
    assert found == EXPECTED


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 3, 0, 4, 2]], ids=["in-order", "reversed", "copy-first"])
def test_loader_counts_independent_outlets_in_any_load_order(clean_db: Driver, neo4j_settings: Neo4jSettings, order: list[int]) -> None:
    database = neo4j_settings.database
    loader = GraphLoader(clean_db, database, batch_size=1)  # one article per transaction: incremental counting
    loader.load_lines(_document(order).splitlines())
    rows = clean_db.execute_query(
        "MATCH (c:Claim) RETURN c.id AS id, c.source_count AS s, c.article_count AS a, c.syndicated AS y, c.outlets AS o",
        database_=database,
    ).records
    assert {r["id"]: (r["s"], r["a"], r["y"], r["o"]) for r in rows} == EXPECTED


def test_corroborated_claims_lists_outlets_and_leaves_junk_out(clean_db: Driver, neo4j_settings: Neo4jSettings) -> None:
    GraphLoader(clean_db, neo4j_settings.database).load_lines(_document([0, 1, 2, 3, 4]).splitlines())
    query = load_library()["corroborated-claims"]
    rows = run_named(clean_db, neo4j_settings.database, query, {"min_sources": "1"}).records()
    # the speakerless "It" is reported by two outlets but never listed; the quote is listed at min 1
    assert [(r["type"], r["object"], r["detail"], r["outlets"]) for r in rows] == [
        ("RELEASED", "Rocket-1", "released", 2),
        ("RELEASED", "Rocket-2", "planned", 2),
        ("SAID", None, "Rocket-1 beats every rival", 1),
    ]
    release = rows[0]
    assert release["by_outlet"] == ["Wire One (2025-08-01, 3 articles, 1 syndicated)", "unknown outlet (2025-08-04, 1 article)"]
    assert [(s["source"], s["syndicated"]) for s in release["sources"]] == [
        ("Wire One", False), ("Daily Two", True), ("wire one ", False), (None, False),
    ]  # fmt: skip
    two = run_named(clean_db, neo4j_settings.database, query, {"min_sources": "2"}).records()
    assert [r["object"] for r in two] == ["Rocket-1", "Rocket-2"]


def test_a_graph_loaded_before_outlets_were_normalized_is_upgraded_by_the_next_load(
    clean_db: Driver, neo4j_settings: Neo4jSettings
) -> None:
    database = neo4j_settings.database
    lines = _document([0, 1, 2, 3, 4]).splitlines()
    GraphLoader(clean_db, database).load_lines(lines)
    # what an older newskg stored: no outlet, no body hash, articles without a source counted apart
    clean_db.execute_query("MATCH (a:Article) REMOVE a.outlet, a.body_hash, a.outlet_rule", database_=database)
    clean_db.execute_query("MATCH (c:Claim) SET c.source_count = 5, c.outlets = [], c.syndicated = null", database_=database)
    summary = GraphLoader(clean_db, database).load_lines(lines)
    assert summary.articles_updated == len(ARTICLES)
    rows = clean_db.execute_query(
        "MATCH (c:Claim) RETURN c.id AS id, c.source_count AS s, c.article_count AS a, c.syndicated AS y, c.outlets AS o", database_=database
    ).records
    assert {r["id"]: (r["s"], r["a"], r["y"], r["o"]) for r in rows} == EXPECTED
    assert GraphLoader(clean_db, database).load_lines(lines).articles_unchanged == len(ARTICLES)  # and then it settles
