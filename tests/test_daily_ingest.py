"""Ingest as a daily job, against the real Neo4j test server: article identity and duplicates on
real BBC files, re-runs that settle (0 updated, the same graph), and concurrent ingests that end in
the same graph as sequential ones."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from kg.cli import app
from kg.neo4j.connection import Neo4jSettings
from kg.neo4j.fingerprint import graph_fingerprint

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpus" / "bbc"
EXAMPLES = ROOT / "examples" / "articles"
runner = CliRunner()


@pytest.fixture
def cli_env(neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = {
        "NEO4J_URI": neo4j_settings.uri,
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password,
        "NEO4J_DATABASE": neo4j_settings.database,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


def _bbc(tmp_path: Path, names: list[str]) -> Path:
    if not BBC.is_dir():
        pytest.skip(f"{BBC} not present")
    folder = tmp_path / "bbc"
    folder.mkdir()
    for name in names:
        shutil.copy(BBC / name, folder / name.replace("/", "_"))
    return folder


@pytest.mark.corpus
def test_bbc_same_body_other_title_is_two_articles_linked_and_a_rerun_settles(clean_db: Driver, neo4j_settings: Neo4jSettings, cli_env: dict[str, str], tmp_path: Path) -> None:
    # tech/130 and tech/178: one body under two headlines; tech/003 and tech/036: one file twice
    folder = _bbc(tmp_path, ["tech/130.txt", "tech/178.txt", "tech/003.txt", "tech/036.txt"])
    first = runner.invoke(app, ["ingest", str(folder), "-p", "1"])
    assert first.exit_code == 0, first.output
    assert "articles: 3 created, 0 updated, 0 unchanged" in first.stdout
    assert "duplicates: 1 repeated input(s)" in first.stdout and "1 DUPLICATE_OF link(s) made" in first.stdout
    rows, _, _ = clean_db.execute_query(
        "MATCH (copy:Article)-[:DUPLICATE_OF]->(first:Article) RETURN copy.title AS copy, first.title AS first, first.id < copy.id AS ordered",
        database_=neo4j_settings.database,
    )
    assert len(rows) == 1 and rows[0]["ordered"]
    assert {rows[0]["copy"], rows[0]["first"]} == {"Slim PlayStation triples sales", "Slimmer PlayStation triple sales"}
    before = graph_fingerprint(clean_db, neo4j_settings.database)

    for _ in range(2):  # every later run stores nothing and reports nothing updated
        again = runner.invoke(app, ["ingest", str(folder), "-p", "1"])
        assert again.exit_code == 0, again.output
        assert "articles: 0 created, 0 updated, 3 unchanged" in again.stdout
        assert graph_fingerprint(clean_db, neo4j_settings.database) == before


def test_forgetting_the_first_copy_relinks_the_others(clean_db: Driver, neo4j_settings: Neo4jSettings, cli_env: dict[str, str], tmp_path: Path) -> None:
    body = "Nimbara Labs released Orbit-2 on Monday, the company said.\n\nThe model is open source.\n"
    for i, title in enumerate(["Orbit-2 is out", "Nimbara ships Orbit-2", "Orbit 2 released"]):
        (tmp_path / f"{i}.txt").write_text(f"{title}\n\n{body}", encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(tmp_path), "-p", "1"])
    assert result.exit_code == 0, result.output
    query = "MATCH (c:Article)-[:DUPLICATE_OF]->(f:Article) RETURN c.id AS copy, f.id AS first ORDER BY copy"
    links = [dict(r) for r in clean_db.execute_query(query, database_=neo4j_settings.database).records]
    ids = sorted({links[0]["first"], *(link["copy"] for link in links)})
    assert len(links) == 2 and all(link["first"] == ids[0] for link in links)
    forgot = runner.invoke(app, ["forget", ids[0]])
    assert forgot.exit_code == 0, forgot.output
    links = [dict(r) for r in clean_db.execute_query(query, database_=neo4j_settings.database).records]
    assert links == [{"copy": ids[2], "first": ids[1]}]


def _kg_ingest(paths: list[Path], env: dict[str, str]) -> subprocess.Popen[str]:
    command = [str(Path(sys.executable).parent / "kg"), "ingest", *map(str, paths), "-p", "1", "--batch-size", "1", "--chunk-size", "1"]
    return subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def _inputs(tmp_path: Path) -> tuple[list[Path], list[Path]]:
    """Two overlapping lists of article files: BBC files when the corpus is there, else the examples."""
    if BBC.is_dir():
        files = sorted((BBC / "politics").glob("*.txt"))[:24]
    else:
        files = sorted(EXAMPLES.glob("*"))
    half = len(files) // 2
    return files[: half + half // 2 + 1], files[half // 2 :]


@pytest.mark.slow
def test_two_concurrent_ingests_end_in_the_sequential_graph(clean_db: Driver, neo4j_settings: Neo4jSettings, cli_env: dict[str, str], tmp_path: Path) -> None:
    first, second = _inputs(tmp_path)
    assert set(first) & set(second) and set(first) != set(second)
    for paths in (first, second):
        done = _kg_ingest(paths, cli_env)
        out, err = done.communicate(timeout=600)
        assert done.returncode == 0, err
    sequential = graph_fingerprint(clean_db, neo4j_settings.database)

    from kg.neo4j.admin import empty_database

    for order in ((first, second), (second, first)):
        empty_database(clean_db, neo4j_settings.database)
        runs = [_kg_ingest(paths, cli_env) for paths in order]
        for run in runs:
            out, err = run.communicate(timeout=600)
            assert run.returncode == 0, err
            assert "Traceback" not in err
        assert graph_fingerprint(clean_db, neo4j_settings.database) == sequential
