"""Tests for kg.articles.discovery: files and folders expanded into the files to read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.articles.discovery import SUPPORTED_SUFFIXES, iter_input_files
from kg.articles.model import ArticleError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "articles"


# --------------------------------------------------------------------------------------------
# Finding files


def test_iter_input_files_walks_sorted_skips_hidden_and_unsupported(tmp_path: Path, write: Any) -> None:
    for name in ("b.txt", "a.md", "sub/c.json", "sub/deeper/d.jsonl", "notes.pdf", ".hidden.txt", ".git/e.txt", "UPPER.TXT"):
        write(tmp_path, name, "Body.")
    found = list(iter_input_files([tmp_path]))
    assert all(isinstance(f, Path) for f in found)
    assert [f.relative_to(tmp_path).as_posix() for f in found if isinstance(f, Path)] == [
        "UPPER.TXT",
        "a.md",
        "b.txt",
        "sub/c.json",
        "sub/deeper/d.jsonl",
    ]


def test_iter_input_files_reports_missing_and_unsupported_named_paths(tmp_path: Path, write: Any) -> None:
    pdf = write(tmp_path, "paper.pdf", "x")
    hidden = write(tmp_path, ".named-hidden.txt", "Body.")
    missing = tmp_path / "missing.txt"
    found = list(iter_input_files([missing, pdf, hidden]))
    assert isinstance(found[0], ArticleError) and str(found[0]) == f"{missing}: no such file or directory"
    assert isinstance(found[1], ArticleError) and found[1].reason.startswith("unsupported file type .pdf")
    assert found[2] == hidden  # named explicitly, so read even though hidden


def test_iter_input_files_yields_each_file_once(tmp_path: Path, write: Any) -> None:
    path = write(tmp_path, "a.txt", "Body.")
    assert list(iter_input_files([tmp_path, path, str(path)])) == [path]


def test_a_single_path_need_not_be_wrapped_in_a_list(tmp_path: Path, write: Any) -> None:
    path = write(tmp_path, "a.txt", "Body.")
    assert list(iter_input_files(tmp_path)) == [path]  # type: ignore[arg-type]
    assert list(iter_input_files(str(tmp_path))) == [path]  # type: ignore[arg-type]


def test_read_articles_missing_path_then_continues(tmp_path: Path, read_all: Any, write: Any) -> None:
    good = write(tmp_path, "a.txt", "Headline\n\nBody.")
    articles, errors = read_all(tmp_path / "nope", good)
    assert len(articles) == 1 and len(errors) == 1


def test_supported_suffixes_all_have_fixtures() -> None:
    fixture_suffixes = {p.suffix for p in FIXTURES.iterdir()}
    assert {".txt", ".md", ".html", ".json", ".jsonl"} <= fixture_suffixes <= set(SUPPORTED_SUFFIXES)
