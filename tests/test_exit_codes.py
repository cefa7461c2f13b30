"""Exit codes are the same for every command (README "Exit codes"): 0 everything read and stored,
1 bad inputs (named on stderr; the rest is processed) or nothing could be done, 2 usage errors only.

These cases need no database: a missing input is caught before connecting, and usage errors
before anything runs (the URI points at a closed port so that nothing can be reached by mistake).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["extract", "{missing}", "-o", "{out}"], "{missing}"),
        (["ingest", "{missing}"], "{missing}"),
        (["load", "{missing}"], "{missing}"),
        (["export", "--from", "{missing}", "--format", "json", "-o", "{out}"], "{missing}"),
        (["viz", "--from", "{missing}", "-o", "{out}"], "{missing}"),
        (["eval", "polnear", "{missing}"], "{missing}"),
    ],
    ids=["extract", "ingest", "load", "export", "viz", "eval"],
)
def test_a_missing_input_is_exit_1_named_and_writes_nothing(tmp_path: Path, args: list[str], named: str) -> None:
    values = {"missing": str(tmp_path / "nope.jsonl"), "out": str(tmp_path / "out" / "result")}
    (tmp_path / "out").mkdir()
    result = runner.invoke(app, [a.format(**values) for a in args])
    assert result.exit_code == 1, result.output
    assert named.format(**values) in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "out" / "result").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["extract", "--no-such-option", "x"],
        ["extract", "x", "--format", "xml"],
        ["extract", "x", "--processes", "0"],
        ["ingest", "--no-such-option", "x"],
        ["ingest"],
        ["load"],
        ["load", "x", "--batch-size", "0"],
        ["export", "--format", "bogus", "-o", "x"],
        ["query", "--no-such-option"],
        ["resolve", "--no-such-option"],
        ["stats", "--format", "xml"],
        ["viz", "--hops", "zero"],
        ["eval", "nosuchset", "x"],
        ["no-such-command"],
    ],
    ids=lambda args: " ".join(args),
)
def test_usage_errors_are_exit_2(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output


def test_extract_some_missing_some_good_is_exit_1_with_the_rest_extracted(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Good news\n\nMoonshot AI open-sourced Kimi K2 on Monday.\n", encoding="utf-8")
    out = tmp_path / "g.jsonl"
    result = runner.invoke(app, ["extract", str(good), str(tmp_path / "nope"), "-o", str(out), "-q", "-p", "1"])
    assert result.exit_code == 1 and "nope" in result.stderr
    assert '"kind":"article"' in out.read_text(encoding="utf-8")


def test_extract_all_good_is_exit_0_and_a_repeated_file_is_not_a_failure(tmp_path: Path) -> None:
    text = "Good news\n\nMoonshot AI open-sourced Kimi K2 on Monday.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "copy-of-a.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "g.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(out), "-p", "1"])
    assert result.exit_code == 0, result.output
    assert "articles: 1 extracted, 0 failed, 1 repeated input(s) skipped" in result.stderr
    assert out.read_text(encoding="utf-8").count('"kind":"article"') == 1


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("http://127.0.0.1:7474", "is an HTTP address"),
        ("https://db.example.org", "is an HTTP address"),
        ("127.0.0.1:7687", "has no scheme"),
        ("bolt:/localhost", "has no scheme"),
        ("ftp://127.0.0.1:7687", "has the scheme 'ftp'"),
        ("bolt://:7687", "names no host"),
        ("bolt://127.0.0.1:99999", "not a number from 1 to 65535"),
        ("bolt://127.0.0.1:port", "not a number from 1 to 65535"),
        ("bolt://127.0.0.1:0", "has port 0"),
        ("neo4j+s://127.0.0.1:1", "cannot reach Neo4j"),
    ],
)
@pytest.mark.parametrize("command", [["schema"], ["query", "--cypher", "RETURN 1"], ["stats"], ["resolve"], ["neo4j", "check"]], ids=" ".join)
def test_a_wrong_neo4j_uri_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch, uri: str, expected: str, command: list[str]) -> None:
    monkeypatch.setenv("NEO4J_URI", uri)
    result = runner.invoke(app, command)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and uri in lines[0], result.output
    assert "Traceback" not in result.output


def test_the_ingest_and_load_commands_check_the_uri_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEO4J_URI", "http://127.0.0.1:7474")
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nMoonshot AI open-sourced Kimi K2.\n", encoding="utf-8")
    document = tmp_path / "g.jsonl"
    document.write_text("", encoding="utf-8")
    for args in (["ingest", str(article), "-p", "1"], ["load", str(document)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1 and "is an HTTP address" in result.stderr and "Traceback" not in result.output, result.output
