"""``kg ingest`` against the real Neo4j test server: extraction and loading in one pass."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from kg.cli import app
from kg.neo4j.connection import Neo4jSettings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
runner = CliRunner()


@pytest.fixture
def cli_env(neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password)
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_settings.database)


def counts(driver: Driver, database: str) -> dict[str, int]:
    records, _, _ = driver.execute_query(
        "MATCH (n) WITH labels(n) AS labels UNWIND labels AS label RETURN label, count(*) AS n", database_=database
    )
    rels, _, _ = driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n", database_=database)
    return {r["label"]: r["n"] for r in records} | {f"rel:{r['t']}": r["n"] for r in rels}


def test_ingest_examples_then_query_releases_with_sources(clean_db: None, cli_env: None, neo4j_driver: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "articles: 4 created" in result.stdout
    rows, _, _ = neo4j_driver.execute_query(
        """
        MATCH (o:Organization)<-[:SUBJECT]-(c:Claim:Released)-[:OBJECT]->(m:Model {id: 'model:glm-4.5'})
        MATCH (c)<-[:SUPPORTS]-(ev:Evidence)-[:IN]->(a:Article)
        RETURN o.name AS org, c.status AS status, c.article_count AS articles, collect(a.published) AS dates
        """,
        database_=neo4j_settings.database,
    )
    assert len(rows) == 1
    assert rows[0]["org"] == "Zhipu AI" and rows[0]["status"] == "released" and rows[0]["articles"] == 2
    assert sorted(str(d) for d in rows[0]["dates"]) == ["2025-07-28", "2025-08-06"]

    # a second ingest of the same articles changes nothing
    before = counts(neo4j_driver, neo4j_settings.database)
    again = runner.invoke(app, ["ingest", str(EXAMPLES)])
    assert again.exit_code == 0 and "4 unchanged" in again.stdout
    assert counts(neo4j_driver, neo4j_settings.database) == before

    # a bad file among good ones: reported, exit 2, the rest stored
    folder = tmp_path / "mixed"
    shutil.copytree(EXAMPLES, folder)
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    mixed = runner.invoke(app, ["ingest", str(folder)])
    assert mixed.exit_code == 2
    assert "broken.txt" in mixed.stderr and "Traceback" not in mixed.output


def test_ingest_with_database_down_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    result = runner.invoke(app, ["ingest", str(EXAMPLES)])
    assert result.exit_code == 1
    assert "bolt://127.0.0.1:1" in result.stderr and "kg neo4j start" in result.stderr
    assert "Traceback" not in result.output
