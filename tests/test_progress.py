"""Progress output of long commands (kg.progress): lines in logs, a bar on a terminal, nothing with --quiet."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from kg.progress import Progress, count_article_files


@pytest.mark.parametrize(
    ("total", "every", "n", "lines", "pattern"),
    [
        (10, 3, 10, 4, r"^kg test: \d+/10 articles \(\d+%\), [\d.]+/s, \d+ s elapsed"),
        (None, 4, 9, 3, r"^kg test: \d+ articles, [\d.]+/s, \d+ s elapsed$"),
        (5, 100, 5, 1, r"^kg test: 5/5 articles \(100%\), [\d.]+/s, \d+ s elapsed$"),
    ],
)
def test_not_a_terminal_gives_a_line_every_n_and_one_at_the_end(total: int | None, every: int, n: int, lines: int, pattern: str) -> None:
    out = io.StringIO()
    with Progress("kg test", total, stream=out, every=every, interval=3600, terminal=False) as progress:
        for _ in range(n):
            progress.advance()
    printed = out.getvalue().splitlines()
    assert len(printed) == lines and all(re.match(pattern, line) for line in printed), printed


def test_a_line_before_the_end_carries_an_eta_when_the_total_is_known() -> None:
    out = io.StringIO()
    with Progress("kg test", 100, stream=out, every=10, interval=3600, terminal=False) as progress:
        progress.update(10)
        assert re.search(r"10/100 articles \(10%\), [\d.]+/s, \d+ s elapsed, ETA \d+", out.getvalue())
        progress.update(100)


def test_quiet_prints_nothing_and_a_terminal_gets_a_bar() -> None:
    out = io.StringIO()
    with Progress("kg test", 3, stream=out, every=1, terminal=False, quiet=True) as progress:
        progress.update(3)
    assert out.getvalue() == ""
    bar = io.StringIO()
    with Progress("kg test", 3, stream=bar, every=1, terminal=True) as progress:
        assert progress._bar is not None
        progress.update(3)
    assert "kg test: 3/3" not in bar.getvalue()  # no log lines on a terminal


def test_count_article_files(tmp_path: Path) -> None:
    for name in ("a.txt", "b.md", "c.html", ".hidden.txt", "notes.csv"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert count_article_files([tmp_path]) == 3
    (tmp_path / "more.jsonl").write_text("{}", encoding="utf-8")
    assert count_article_files([tmp_path]) is None  # a JSON Lines file holds any number of articles


# kg export: records read (the total is known for a document file), a summary, nothing with --quiet

EXPORT_GRAPH = Path(__file__).parent / "fixtures" / "analyst" / "graph.jsonl"


@pytest.mark.parametrize(
    ("fmt", "extra", "progress_line", "summary"),
    [
        ("json", [], True, True),
        ("ttl", [], True, True),
        ("csv", [], True, True),
        ("json", ["--quiet"], False, False),
        ("graphml", ["-q"], False, False),
    ],
)
def test_export_shows_records_read_and_quiet_turns_it_off(tmp_path: Path, fmt: str, extra: list[str], progress_line: bool, summary: bool) -> None:
    from typer.testing import CliRunner

    from kg.cli import app
    from kg.export.document_source import count_records

    total = count_records(EXPORT_GRAPH)
    assert total is not None and total > 10
    result = CliRunner().invoke(app, ["export", "--from", str(EXPORT_GRAPH), "-f", fmt, "-o", str(tmp_path / "out"), *extra])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    pattern = rf"^kg export: {total}/{total} records read \(100%\), [\d.]+/s, \d+ s elapsed$"
    assert any(re.match(pattern, line) for line in lines) == progress_line, lines
    assert any(str(tmp_path / "out") in line for line in lines) == summary, lines
    assert (tmp_path / "out").exists()
    if not progress_line:
        assert result.stderr == ""


def test_count_records_counts_non_blank_lines_and_not_stdin(tmp_path: Path) -> None:
    from kg.export.document_source import count_records, graph_from_document

    document = tmp_path / "g.jsonl"
    document.write_text(EXPORT_GRAPH.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    ticks: list[None] = []
    graph_from_document(document, tick=lambda: ticks.append(None))
    assert count_records(document) == len(ticks) == sum(1 for line in EXPORT_GRAPH.read_text(encoding="utf-8").splitlines() if line.strip())
    assert count_records("-") is None and count_records(tmp_path / "missing.jsonl") is None
