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
