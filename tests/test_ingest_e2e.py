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

    # a bad file among good ones: reported, exit 1, the rest stored
    folder = tmp_path / "mixed"
    shutil.copytree(EXAMPLES, folder)
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00garbage")
    mixed = runner.invoke(app, ["ingest", str(folder)])
    assert mixed.exit_code == 1
    assert "broken.txt" in mixed.stderr and "Traceback" not in mixed.output


def test_ingest_with_database_down_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    result = runner.invoke(app, ["ingest", str(EXAMPLES)])
    assert result.exit_code == 1
    assert "bolt://127.0.0.1:1" in result.stderr and "kg neo4j start" in result.stderr
    assert "Traceback" not in result.output


# -- streaming, parallel extraction and errors (kg.ingest) -----------------------------------


def _examples() -> list:
    from kg.articles.model import Article
    from kg.articles.readers import read_articles

    return [a for a in read_articles([EXAMPLES]) if isinstance(a, Article)]


class _ScriptedExecutor:
    """An executor that replays precomputed results chunk by chunk, optionally failing."""

    description = "scripted"
    workers = 1

    def __init__(self, results: dict, fail_after: int | None = None) -> None:
        self.by_id = results
        self.fail_after = fail_after
        self.chunks_taken = 0

    def results(self, chunks, *, ordered=True):  # type: ignore[no-untyped-def]
        for n, chunk in enumerate(chunks):
            self.chunks_taken += 1
            if self.fail_after is not None and n >= self.fail_after:
                raise RuntimeError("worker died")
            yield [self.by_id[a.id] for a in chunk]

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def example_results() -> dict:
    from kg.extract.extractor import extract_articles
    from kg.extract.pipeline import load_pipeline

    return {r.article.id: r for r in extract_articles(load_pipeline(), _examples())}


def test_ingest_with_worker_processes_matches_in_process(clean_db: None, cli_env: None, neo4j_driver: Driver, neo4j_settings: Neo4jSettings) -> None:
    single = runner.invoke(app, ["ingest", str(EXAMPLES), "-p", "1"])
    assert single.exit_code == 0, single.output
    one = counts(neo4j_driver, neo4j_settings.database)
    from kg.neo4j.admin import empty_database

    empty_database(neo4j_driver, neo4j_settings.database)
    parallel = runner.invoke(app, ["ingest", str(EXAMPLES), "-p", "2", "--chunk-size", "1"])
    assert parallel.exit_code == 0, parallel.output
    assert "2 local worker processes" in parallel.stdout and "articles: 4 created" in parallel.stdout
    assert counts(neo4j_driver, neo4j_settings.database) == one
    again = runner.invoke(app, ["ingest", str(EXAMPLES), "-p", "2"])
    assert "skipped 4 unchanged before extraction, extracted 0" in again.stdout


def test_ingest_in_segments_loads_everything(clean_db: None, neo4j_driver: Driver, neo4j_settings: Neo4jSettings, example_results: dict) -> None:
    from kg.ingest import IngestStats, ingest
    from kg.neo4j.loader import GraphLoader

    stats = IngestStats()
    summary = ingest(None, _examples(), GraphLoader(neo4j_driver, neo4j_settings.database, 1), executor=_ScriptedExecutor(example_results), batch_size=1, segment_articles=1, stats=stats)  # type: ignore[arg-type]
    assert summary.articles_created == 4 and stats.segments >= 4
    segmented = counts(neo4j_driver, neo4j_settings.database)
    from kg.neo4j.admin import empty_database

    empty_database(neo4j_driver, neo4j_settings.database)
    ingest(None, _examples(), GraphLoader(neo4j_driver, neo4j_settings.database), executor=_ScriptedExecutor(example_results))  # type: ignore[arg-type]
    assert counts(neo4j_driver, neo4j_settings.database) == segmented  # aliases and counts survive segment boundaries


def test_an_extraction_error_surfaces_after_the_extracted_articles_are_committed(clean_db: None, neo4j_driver: Driver, neo4j_settings: Neo4jSettings, example_results: dict) -> None:
    from kg.ingest import ingest
    from kg.neo4j.loader import GraphLoader

    with pytest.raises(RuntimeError, match="worker died"):
        ingest(None, _examples(), GraphLoader(neo4j_driver, neo4j_settings.database, 1), executor=_ScriptedExecutor(example_results, fail_after=2), batch_size=1)  # type: ignore[arg-type]
    stored, _, _ = neo4j_driver.execute_query("MATCH (a:Article) RETURN count(a) AS n", database_=neo4j_settings.database)
    assert stored[0]["n"] == 2  # the two chunks extracted before the failure, whole


def test_a_database_error_stops_extraction(clean_db: None, neo4j_driver: Driver, neo4j_settings: Neo4jSettings, example_results: dict) -> None:
    from kg.ingest import ingest
    from kg.neo4j.loader import GraphLoader

    class FailingLoader(GraphLoader):
        def load(self, records, source="<records>"):  # type: ignore[no-untyped-def]
            next(iter(records))
            raise RuntimeError("database went away")

    executor = _ScriptedExecutor({**example_results})
    many = _examples() * 50  # far more than the queue holds
    executor.by_id = {a.id: example_results[a.id] for a in many}
    with pytest.raises(RuntimeError, match="database went away"):
        ingest(None, many, FailingLoader(neo4j_driver, neo4j_settings.database), executor=executor, batch_size=1, queue_size=2, skip_unchanged_articles=False)  # type: ignore[arg-type]
    assert executor.chunks_taken < len(many)  # extraction stopped early


def test_ingest_with_an_unknown_executor_is_one_clear_line(cli_env: None) -> None:
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--executor", "spark://x"])
    assert result.exit_code == 1
    assert "unknown --executor" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("extra", "code", "articles"),
    [([], 1, 1), (["--encoding-fallback", "cp1252"], 0, 2)],
    ids=["default-error", "cp1252"],
)
def test_ingest_of_a_file_that_is_not_utf8(clean_db: None, cli_env: None, neo4j_driver: Driver, neo4j_settings: Neo4jSettings, tmp_path: Path, extra: list[str], code: int, articles: int) -> None:
    """Not UTF-8: a bad input (exit 1) by default; read with one warning and stored (exit 0) with --encoding-fallback."""
    (tmp_path / "good.txt").write_text("OpenAI releases a model\n\nOpenAI released GPT-5 on Monday, the company said.", encoding="utf-8")
    (tmp_path / "legacy.txt").write_bytes("Caf\u00e9 owner speaks\n\nZo\u00eb M\u00fcller, who runs the caf\u00e9 in Z\u00fcrich, said prices rise.".encode("cp1252"))
    result = runner.invoke(app, ["ingest", str(tmp_path), "-p", "1", "-q", *extra])
    assert result.exit_code == code, result.output
    named = [line for line in result.stderr.splitlines() if "legacy.txt" in line]
    assert len(named) == 1 and ("warning: " in named[0]) == bool(extra), named
    titles = [r["t"] for r in neo4j_driver.execute_query("MATCH (a:Article) RETURN a.title AS t", database_=neo4j_settings.database).records]
    assert len(titles) == articles
    assert ("Café owner speaks" in titles) == bool(extra), titles
