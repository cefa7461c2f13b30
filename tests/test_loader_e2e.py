"""End-to-end tests of the graph loader against a real Neo4j server (fixtures from tests/conftest.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest

from kg.neo4j import cypher
from kg.neo4j.loader import GraphLoader, LoadSummary
from kg.neo4j.schema import SCHEMA, ensure_schema

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "graph"
NEWS = FIXTURES / "news.jsonl"
NEWS_CHANGED = FIXTURES / "news_changed.jsonl"
NEWS_MALFORMED = FIXTURES / "news_malformed.jsonl"

ART1 = "techwire-2024-07-23-llama"
ART2 = "dailybyte-2024-07-24-mistral"
ART3 = "techwire-2024-07-25-deepmind"
ART4 = "blog-2024-07-26-large2"
META_RELEASED_LLAMA = "RELEASED|org:meta|model:llama-3.1|released"
MISTRAL_RELEASED_LARGE2 = "RELEASED|org:mistral-ai|model:mistral-large-2|released"


# -- helpers ---------------------------------------------------------------------------------------


@pytest.fixture
def database(neo4j_settings: Neo4jSettings) -> str:
    return neo4j_settings.database


@pytest.fixture
def loader(clean_db: Driver, database: str) -> GraphLoader:
    """A loader on an empty database; small batches so that fixtures span several transactions."""
    return GraphLoader(clean_db, database, batch_size=2)


def q(driver: Driver, database: str, statement: str, **params: Any) -> list[dict[str, Any]]:
    return [r.data() for r in driver.execute_query(statement, params, database_=database).records]


def load_file(loader: GraphLoader, path: Path) -> LoadSummary:
    with open(path, "rb") as f:
        return loader.load_lines(f, path.name)


def counts(driver: Driver, database: str) -> dict[str, int]:
    """Nodes per label and relationships per type."""
    nodes = q(driver, database, "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")
    rels = q(driver, database, "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
    return {row["label"]: row["n"] for row in nodes} | {f"-[{row['type']}]->": row["n"] for row in rels}


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def dump(driver: Driver, database: str, *, with_loaded_at: bool = True) -> list[str]:
    """A canonical, order-independent picture of the whole graph: every node and relationship."""
    lines = []
    for row in q(driver, database, "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"):
        props = {k: _plain(v) for k, v in row["props"].items() if with_loaded_at or k != "loaded_at"}
        lines.append(json.dumps(["node", sorted(row["labels"]), props], sort_keys=True))
    for row in q(driver, database, "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props"):
        props = {k: _plain(v) for k, v in row["props"].items()}
        lines.append(json.dumps(["rel", row["type"], row["a"], row["b"], props], sort_keys=True))
    return sorted(lines)


def kg(*args: str, settings: Neo4jSettings, password: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from kg.cli import app; app()", *args],
        capture_output=True, text=True, cwd=REPO, timeout=600, env=cli_env(settings, password),
    )


def cli_env(settings: Neo4jSettings, password: str | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password if password is None else password,
        "NEO4J_DATABASE": settings.database,
    }


def bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("load_bench", REPO / "bench" / "load_bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- loading -----------------------------------------------------------------------------------------


def test_load_builds_the_graph(loader: GraphLoader, clean_db: Driver, database: str) -> None:
    summary = load_file(loader, NEWS)
    assert (summary.articles_created, summary.articles_updated, summary.articles_unchanged) == (4, 0, 0)
    assert (summary.entities_created, summary.claims_created, summary.evidence_created) == (9, 7, 10)
    assert summary.batches == 2 and summary.problem_count == 0
    assert counts(clean_db, database) == {
        "Article": 4, "Entity": 9, "Organization": 3, "Model": 3, "Person": 2, "Place": 1,
        "Claim": 7, "Released": 2, "Develops": 1, "Said": 2, "Affiliation": 2, "Evidence": 10,
        "-[MENTIONS]->": 15, "-[SUPPORTS]->": 10, "-[IN]->": 10, "-[SUBJECT]->": 7, "-[OBJECT]->": 5,
        "-[ABOUT]->": 2, "-[RELEASED]->": 2, "-[DEVELOPS]->": 1, "-[AFFILIATED_WITH]->": 2,
    }

    # A fact reported by three articles from two outlets, with all its sources in one query.
    [fact] = q(clean_db, database, """
        MATCH (org:Organization)<-[:SUBJECT]-(c:Released)-[:OBJECT]->(m:Model {name: 'Llama 3.1'})
        MATCH (c)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
        WITH org, m, c, a, ev ORDER BY a.published
        RETURN org.name AS org, c.id AS id, c.status AS status, c.source_count AS sources,
               c.article_count AS articles, toString(c.first_published) AS first, toString(c.last_published) AS last,
               collect(a.source) AS outlets, collect(ev.text)[0] AS first_evidence
    """)
    assert fact == {
        "org": "Meta", "id": META_RELEASED_LLAMA, "status": "released", "sources": 2, "articles": 3,
        "first": "2024-07-23", "last": "2024-07-25", "outlets": ["TechWire", "The Daily Byte", "TechWire"],
        "first_evidence": "Meta released Llama 3.1 on Tuesday, making its largest open-weights model available to download.",
    }
    # An article without a source counts as an outlet of its own.
    [large2] = q(clean_db, database, "MATCH (c:Claim {id: $id}) RETURN c.source_count AS s, c.article_count AS a, c.outlets AS o", id=MISTRAL_RELEASED_LARGE2)
    assert large2 == {"s": 2, "a": 2, "o": ["The Daily Byte", "news.example"]}
    assert q(clean_db, database, "MATCH (c:Claim {id: $id}) RETURN c.outlets AS o", id=META_RELEASED_LLAMA) == [{"o": ["TechWire", "The Daily Byte"]}]
    # The derived relationship mirrors the claim.
    assert q(clean_db, database, """
        MATCH (:Organization {name: 'Meta'})-[r:RELEASED]->(m:Model) RETURN m.name AS model, r.claim AS claim, r.sources AS sources, r.status AS status
    """) == [{"model": "Llama 3.1", "claim": META_RELEASED_LLAMA, "sources": 2, "status": "released"}]

    # Aliases are unioned across the entity's declarations (Meta Platforms came with article 2).
    [meta] = q(clean_db, database, "MATCH (e:Entity {id: 'org:meta'}) RETURN labels(e) AS labels, e.name AS name, e.aliases AS aliases, e.type AS type")
    assert sorted(meta["labels"]) == ["Entity", "Organization"]
    assert (meta["name"], meta["aliases"], meta["type"]) == ("Meta", ["Meta", "Meta Platforms"], "Organization")

    # One MENTIONS per (article, entity), with every occurrence.
    [mention] = q(clean_db, database, "MATCH (:Article {id: $a})-[m:MENTIONS]->(:Entity {id: 'org:meta'}) RETURN properties(m) AS m", a=ART1)
    assert mention["m"] == {"count": 2, "spans": [0, 4, 131, 135], "texts": ["Meta", "Meta"], "sentences": [0, 1]}

    # A quote: speaker, statement, what it is about, and where its parts are in the text.
    [quote] = q(clean_db, database, """
        MATCH (p:Person {name: 'Priya Raman'})<-[:SUBJECT]-(c:Said)-[:ABOUT]->(topic:Entity)
        MATCH (c)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
        RETURN c.statement AS statement, topic.name AS about, a.id AS article, ev.direct AS direct,
               ev.cue AS cue, [ev.cue_start, ev.cue_end, ev.source_start, ev.source_end] AS spans, ev.content_start AS content_start
    """)
    assert quote == {
        "statement": "We want Llama 3.1 to be the default starting point for open research",
        "about": "Llama 3.1", "article": ART1, "direct": True, "cue": "said", "spans": [288, 292, 282, 287], "content_start": 211,
    }
    # Publication dates are Neo4j dates (a date-time in the document keeps its date).
    assert q(clean_db, database, "MATCH (a:Article {id: $id}) RETURN a.published = date('2024-07-24') AS ok, a.source AS source", id=ART2) == [
        {"ok": True, "source": "The Daily Byte"}
    ]
    assert q(clean_db, database, "MATCH (a:Article) WHERE a.source IS NULL RETURN a.id AS id") == [{"id": ART4}]


def test_aliases_union_across_batches(clean_db: Driver, database: str) -> None:
    GraphLoader(clean_db, database, batch_size=1).load_lines(NEWS.read_text().splitlines())
    assert q(clean_db, database, "MATCH (e:Entity {id: 'org:meta'}) RETURN e.aliases AS a") == [{"a": ["Meta", "Meta Platforms"]}]
    # A later document that only re-declares the entity (its articles unchanged) still adds aliases,
    # and never creates entities that no article refers to.
    extra = [
        json.dumps({"kind": "entity", "id": "org:meta", "type": "Organization", "name": "Meta", "aliases": ["Meta AI"]}),
        json.dumps({"kind": "entity", "id": "org:nobody", "type": "Organization", "name": "Nobody", "aliases": []}),
    ]
    GraphLoader(clean_db, database).load_lines(extra)
    assert q(clean_db, database, "MATCH (e:Entity {id: 'org:meta'}) RETURN e.aliases AS a") == [{"a": ["Meta", "Meta AI", "Meta Platforms"]}]  # sorted
    assert q(clean_db, database, "MATCH (e:Entity {id: 'org:nobody'}) RETURN count(e) AS n") == [{"n": 0}]


def _one_entity_doc(article_id: str, entity_id: str, entity_type: str, name: str) -> list[str]:
    """An article whose text starts with ``name``, mentioning one entity spelled so."""
    return [
        json.dumps({"kind": "article", "id": article_id, "title": article_id, "published": None, "source": None, "url": None, "path": None, "content_hash": article_id, "text": f"{name} is news."}),
        json.dumps({"kind": "entity", "id": entity_id, "type": entity_type, "name": name, "aliases": []}),
        json.dumps({"kind": "mention", "entity": entity_id, "article": article_id, "start": 0, "end": len(name), "text": name, "sentence": 0}),
    ]


@pytest.mark.parametrize("split", [True, False], ids=["two-loads", "one-load"])
@pytest.mark.parametrize("order", [0, 1])
def test_display_name_is_chosen_by_rule_not_by_order(clean_db: Driver, database: str, order: int, split: bool) -> None:
    """"Labour Party" and "Labour party" are one entity; the name with more capitals wins whichever
    article comes last, in one load or two, and both spellings are aliases."""

    parts = [_one_entity_doc(f"a{i}", "org:labour-party", "Organization", name) for i, name in enumerate(("Labour party", "Labour Party"), 1)]
    if order:
        parts.reverse()
    loads = parts if split else [parts[0] + parts[1]]
    for lines in loads:
        GraphLoader(clean_db, database, batch_size=1).load_lines(lines)
    assert q(clean_db, database, "MATCH (e:Entity {id: 'org:labour-party'}) RETURN e.name AS name, e.aliases AS aliases") == [
        {"name": "Labour Party", "aliases": ["Labour Party", "Labour party"]}
    ]


@pytest.mark.parametrize("order", [0, 1])
def test_a_model_name_does_not_flip_to_its_spaced_spelling(clean_db: Driver, database: str, order: int) -> None:
    """"GLM-4.5" and "GLM 4.5" are one model; the joined spelling is the name whichever article comes
    last, so the name does not change when later articles write it with a space."""

    parts = [_one_entity_doc(f"a{i}", "model:glm-4.5", "Model", name) for i, name in enumerate(("GLM-4.5", "GLM 4.5"))]
    if order:
        parts.reverse()
    for lines in parts:
        GraphLoader(clean_db, database, batch_size=1).load_lines(lines)
    assert q(clean_db, database, "MATCH (e:Entity {id: 'model:glm-4.5'}) RETURN e.name AS name") == [{"name": "GLM-4.5"}]


def test_loading_twice_changes_nothing(loader: GraphLoader, clean_db: Driver, database: str) -> None:
    load_file(loader, NEWS)
    before, before_counts = dump(clean_db, database), counts(clean_db, database)
    again = load_file(loader, NEWS)
    assert (again.articles_created, again.articles_updated, again.articles_unchanged) == (0, 0, 4)
    assert (again.entities_created, again.claims_created, again.evidence_created, again.claims_removed) == (0, 0, 0, 0)
    assert counts(clean_db, database) == before_counts
    assert dump(clean_db, database) == before  # loaded_at included: unchanged articles are not rewritten


def test_changed_article_replaces_its_contribution(loader: GraphLoader, clean_db: Driver, database: str) -> None:
    load_file(loader, NEWS)
    original = dump(clean_db, database, with_loaded_at=False)
    before = counts(clean_db, database)

    summary = load_file(loader, NEWS_CHANGED)
    assert (summary.articles_created, summary.articles_updated, summary.articles_unchanged) == (0, 1, 0)
    assert summary.claims_removed == 2 and summary.entities_removed == 1  # Tomas Lindqvist's quote and job; Tomas
    after = counts(clean_db, database)
    assert after["Evidence"] == before["Evidence"] - 2
    assert after["Claim"] == before["Claim"] - 2 and after["Said"] == 1 and after["Affiliation"] == 1
    assert after["-[AFFILIATED_WITH]->"] == 1 and after["-[MENTIONS]->"] == before["-[MENTIONS]->"] - 1
    assert q(clean_db, database, "MATCH (e:Entity {id: 'person:tomas-lindqvist'}) RETURN count(e) AS n") == [{"n": 0}]
    assert q(clean_db, database, "MATCH (ev:Evidence) WHERE ev.id STARTS WITH $a RETURN ev.id AS id ORDER BY id", a=ART2) == [
        {"id": f"{ART2}#c1"}, {"id": f"{ART2}#c2"}
    ]
    # No duplicates: one node per id, one report per claim line.
    assert q(clean_db, database, "MATCH (ev:Evidence) WITH ev.id AS id, count(*) AS n WHERE n > 1 RETURN id") == []
    assert q(clean_db, database, "MATCH (c:Claim {id: $id}) RETURN c.article_count AS a, c.source_count AS s", id=MISTRAL_RELEASED_LARGE2) == [{"a": 2, "s": 2}]
    # Entities still mentioned elsewhere survive (Mistral AI is in the changed article and article 4).
    assert q(clean_db, database, "MATCH (e:Entity {id: 'org:mistral-ai'}) RETURN count(e) AS n") == [{"n": 1}]

    assert q(clean_db, database, STALE_CLAIMS) == []
    # Loading the original again restores exactly the original graph.
    restored = load_file(loader, NEWS)
    assert (restored.articles_updated, restored.articles_unchanged) == (1, 3)
    assert dump(clean_db, database, with_loaded_at=False) == original


def test_forget_removes_what_only_the_article_supported(loader: GraphLoader, clean_db: Driver, database: str) -> None:
    load_file(loader, NEWS)
    summary = loader.forget([ART1, "no-such-article"])
    assert (summary.articles_forgotten, summary.articles_not_found) == (1, 1)
    assert (summary.claims_removed, summary.entities_removed, summary.evidence_removed) == (2, 1, 3)
    # Priya Raman appeared only in article 1: she, her quote and her affiliation are gone.
    assert q(clean_db, database, "MATCH (e:Entity {id: 'person:priya-raman'}) RETURN count(e) AS n") == [{"n": 0}]
    assert q(clean_db, database, "MATCH (c:Claim) WHERE c.id CONTAINS 'priya' RETURN count(c) AS n") == [{"n": 0}]
    assert q(clean_db, database, "MATCH ()-[r:AFFILIATED_WITH]->(:Entity {id: 'org:meta'}) RETURN count(r) AS n") == [{"n": 0}]
    # Shared entities survive and the shared fact is recounted from its remaining reports.
    assert q(clean_db, database, "MATCH (e:Entity) WHERE e.id IN ['org:meta', 'model:llama-3.1'] RETURN count(e) AS n") == [{"n": 2}]
    assert q(clean_db, database, """
        MATCH (c:Claim {id: $id}) RETURN c.article_count AS a, c.source_count AS s, toString(c.first_published) AS first
    """, id=META_RELEASED_LLAMA) == [{"a": 2, "s": 2, "first": "2024-07-24"}]
    assert q(clean_db, database, "MATCH (:Entity {id: 'org:meta'})-[r:RELEASED]->() RETURN r.articles AS a") == [{"a": 2}]

    assert q(clean_db, database, STALE_CLAIMS) == []
    loader.forget([ART2, ART3, ART4])
    assert counts(clean_db, database) == {}


def test_malformed_lines_are_reported_and_the_rest_is_loaded(clean_db: Driver, neo4j_settings: Neo4jSettings, database: str) -> None:
    result = kg("load", str(NEWS_MALFORMED), "--batch-size", "1", settings=neo4j_settings)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith(str(NEWS_MALFORMED))]
    assert [line.split(": ")[0] for line in problems] == [f"{NEWS_MALFORMED}:{n}" for n in (6, 7, 9, 10)]
    assert "unknown entity 'org:northwind'" in problems[1]
    assert "articles: 2 created, 0 updated, 0 unchanged" in result.stdout
    assert q(clean_db, database, "MATCH (c:Released) RETURN c.source_count AS s, c.article_count AS a") == [{"s": 2, "a": 2}]
    assert q(clean_db, database, "MATCH (e:Entity) RETURN e.id AS id ORDER BY id") == [{"id": "model:claude-3.5-sonnet"}, {"id": "org:anthropic"}]


def test_cli_load_with_progress_and_forget(clean_db: Driver, neo4j_settings: Neo4jSettings, database: str) -> None:
    result = kg("load", str(NEWS), str(NEWS_CHANGED), "--progress", settings=neo4j_settings)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "articles: 4 created, 1 updated, 0 unchanged"
    result = kg("forget", ART1, ART2, ART3, ART4, settings=neo4j_settings)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "articles: 4 forgotten, 0 not found"
    assert counts(clean_db, database) == {}


def test_cli_wrong_password_is_one_line(neo4j_driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    result = kg("load", str(NEWS), settings=neo4j_settings, password="wrong-password")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg load: Neo4j at") and "refused the credentials" in lines[0]


# -- schema ------------------------------------------------------------------------------------------


def test_schema_is_idempotent_and_full_text_finds_aliases(loader: GraphLoader, clean_db: Driver, database: str, neo4j_settings: Neo4jSettings) -> None:
    ensure_schema(clean_db, database)
    again = ensure_schema(clean_db, database)
    assert again.created == () and set(again.existing) == {item.name for item in SCHEMA}
    result = kg("schema", settings=neo4j_settings)
    assert result.returncode == 0 and result.stdout.strip().endswith(f"0 created, {len(SCHEMA)} already present")

    load_file(loader, NEWS)
    clean_db.execute_query("CALL db.awaitIndexes(60)", database_=database)
    hits = q(clean_db, database, """
        CALL db.index.fulltext.queryNodes('entity_names', '"Meta Platforms"') YIELD node, score
        RETURN node.id AS id
    """)
    assert hits[0]["id"] == "org:meta"
    assert q(clean_db, database, "CALL db.index.fulltext.queryNodes('entity_names', 'Lindqvist') YIELD node RETURN node.name AS name") == [
        {"name": "Tomas Lindqvist"}
    ]
    quotes = q(clean_db, database, """
        CALL db.index.fulltext.queryNodes('statements', 'research weights') YIELD node
        RETURN DISTINCT labels(node) AS labels, node.statement AS statement
    """)
    assert {tuple(sorted(r["labels"])) for r in quotes} >= {("Claim", "Said"), ("Evidence",)}


#: Every claim whose stored figures differ from a recount over its reports (should be none);
#: independent outlets as kg/outlets.py defines them (normalized outlet, a copy counts for its origin).
STALE_CLAIMS = f"""
MATCH (c:Claim)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
WITH c, ev, a, {cypher.report_key()}
WITH c, count(DISTINCT a) AS articles, count(DISTINCT toLower(origin[0])) AS sources,
     min(a.published) AS first, max(a.published) AS last, max(ev.confidence) AS confidence
WHERE c.article_count <> articles OR c.source_count <> sources OR c.first_published <> first
   OR c.last_published <> last OR c.max_confidence <> confidence
RETURN c.id AS id
UNION
MATCH (c:Claim) WHERE NOT EXISTS {{ (c)<-[:SUPPORTS]-() }} RETURN c.id AS id
UNION
MATCH (s)-[r:RELEASED|DEVELOPS|AFFILIATED_WITH]->(o)
WHERE NOT EXISTS {{ MATCH (c:Claim {{id: r.claim}})-[:SUBJECT]->(s) WHERE (c)-[:OBJECT]->(o) AND c.source_count = r.sources }}
RETURN r.claim AS id
"""


def _doc_queries() -> Iterator[tuple[str, str]]:
    text = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    for n, block in enumerate(re.findall(r"```cypher\n(.*?)```", text, flags=re.S), start=1):
        title = block.strip().splitlines()[0].lstrip("/ ").strip()
        yield f"{n}: {title}", block


def test_documented_example_queries_run_on_the_fixture(loader: GraphLoader, clean_db: Driver, database: str) -> None:
    load_file(loader, NEWS)
    clean_db.execute_query("CALL db.awaitIndexes(60)", database_=database)
    examples = list(_doc_queries())
    assert len(examples) >= 6
    for name, statement in examples:
        rows = q(clean_db, database, statement)
        assert rows, f"docs/schema.md example {name} returned no rows"


# -- crash and resume --------------------------------------------------------------------------------


@pytest.mark.slow
def test_killed_load_resumes_without_loss_or_duplicates(clean_db: Driver, neo4j_settings: Neo4jSettings, database: str, tmp_path: Path) -> None:
    n_articles = 2000
    document = tmp_path / "generated.jsonl"
    bench_module().write_document(document, n_articles, seed=11)

    # Reference: an uninterrupted load.
    reference = GraphLoader(clean_db, database, batch_size=20)
    with open(document, "rb") as f:
        assert reference.load_lines(f, document.name).problem_count == 0
    expected_counts = counts(clean_db, database)
    expected_dump = dump(clean_db, database, with_loaded_at=False)
    assert expected_counts["Article"] == n_articles

    from kg.neo4j.admin import empty_database

    empty_database(clean_db, database)
    command = [sys.executable, "-c", "from kg.cli import app; app()", "load", str(document), "--batch-size", "20"]
    process = subprocess.Popen(command, cwd=REPO, env=cli_env(neo4j_settings), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 300
        committed = 0
        while time.monotonic() < deadline and process.poll() is None:
            committed = q(clean_db, database, "MATCH (a:Article) RETURN count(a) AS n")[0]["n"]
            if committed >= 400:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the load finished before it could be killed; use a larger document"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    partial = q(clean_db, database, "MATCH (a:Article) RETURN count(a) AS n")[0]["n"]
    assert 400 <= partial < n_articles
    assert partial % 20 == 0, "only whole batches are ever committed"

    result = subprocess.run(command, cwd=REPO, env=cli_env(neo4j_settings), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert f"articles: {n_articles - partial} created, 0 updated, {partial} unchanged" in result.stdout
    assert counts(clean_db, database) == expected_counts
    assert dump(clean_db, database, with_loaded_at=False) == expected_dump
    # Incrementally maintained figures equal a full recount; no orphan entities.
    assert q(clean_db, database, STALE_CLAIMS) == []
    assert q(clean_db, database, "MATCH (e:Entity) WHERE NOT EXISTS { (e)<-[:MENTIONS|SUBJECT|OBJECT|ABOUT]-() } RETURN e.id AS id") == []
