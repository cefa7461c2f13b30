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
