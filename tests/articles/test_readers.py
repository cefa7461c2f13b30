"""Tests for kg.articles.readers: every input format, and bad input reported, never raised."""

from __future__ import annotations

import json
import os
import pickle
import re
from pathlib import Path
from typing import Any

import pytest

from kg.articles.build import article_from_text
from kg.articles.identity import article_id
from kg.articles.model import Article, ArticleError
from kg.articles.readers import read_article_file, read_articles
from kg.document import ArticleRecord, parse_line, to_json

FIXTURES = Path(__file__).parents[1] / "fixtures" / "articles"
CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"


# --------------------------------------------------------------------------------------------
# Fixture files, one per format


def test_txt_fixture(read_one: Any) -> None:
    article = read_one(FIXTURES / "gpt5-launch.txt")
    assert isinstance(article, Article)
    assert article.title == "OpenAI Makes GPT-5 the Default Model in ChatGPT"
    assert article.published == "2025-08-07"
    assert article.path == str(FIXTURES / "gpt5-launch.txt")
    assert article.text.startswith("OpenAI released GPT-5 on Thursday")
    assert "•" not in article.text
    for boilerplate in ("Published on", "Categorized in", "Share this article", "Summary based on", "daily email", "More Stories"):
        assert boilerplate not in article.text
    assert article.text.count("Default Model in ChatGPT") == 0  # title and its repeat are metadata
    assert "\n\nSmaller variants named GPT-5 mini" in article.text  # bullets are paragraphs


def test_markdown_fixture_with_front_matter(read_one: Any) -> None:
    article = read_one(FIXTURES / "open-weights.md")
    assert isinstance(article, Article)
    assert article.title == "OpenAI Publishes Open-Weight gpt-oss Models"
    assert article.published == "2025-08-05"  # YAML parses the date into a date object
    assert (article.source, article.author) == ("Example Wire", "Priya Natarajan")
    assert article.url == "https://www.example.com/news/gpt-oss-release/?utm_source=newsletter"
    assert article.id == article_id(url="https://example.com/news/gpt-oss-release")
    assert article.text.startswith(
        "OpenAI released two open-weight models, gpt-oss-120b and gpt-oss-20b, under the Apache 2.0 licence. "
        "The smaller model is meant to run on a laptop with 16 GB of memory."
    )
    assert "Anthropic released Claude Opus 4.1 on the same day." in article.text
    assert "mixture_of_experts design, and 2 * 3 = 6" in article.text
    assert "downloaded from Hugging Face." in article.text
    assert not re.search(r"\*\*|__|`|\]\(|<em>|^#|^- |Benchmark chart|Read more", article.text, re.MULTILINE)
    assert "OpenAI Publishes Open-Weight" not in article.text  # the heading repeating the title is dropped


def test_html_fixture_keeps_main_text_only(read_one: Any) -> None:
    article = read_one(FIXTURES / "genie-world-model.html")
    assert isinstance(article, Article)
    assert article.title == "DeepMind Shows Genie 3 World Model"
    assert article.published == "2025-08-05"
    assert article.source == "Fixture Gazette"
    assert article.url == "https://gazette.example.org/tech/genie-3"
    assert article.text.startswith("Google DeepMind presented Genie 3")
    assert "said Ines Okafor" in article.text
    assert "SHOULD-NOT-APPEAR" not in article.text
    assert "Subscribe" not in article.text and "Technology" not in article.text
    assert "\n\nAccording to the lab" in article.text  # HTML paragraphs stay paragraphs


def test_json_fixture_list_of_objects() -> None:
    first, second = read_article_file(FIXTURES / "releases.json")
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == article_id(explicit_id="release-claude-opus-4-1")
    assert (first.title, first.published, first.source) == ("Anthropic Ships Claude Opus 4.1", "2025-08-05", "Fixture Daily")
    assert first.text == (
        "Anthropic released Claude Opus 4.1, an update focused on coding and agentic tasks.\n\n"
        "The company said the model is available to paid users and through its API."
    )
    assert first.path == f"{FIXTURES / 'releases.json'}#/0"
    assert (second.published, second.author, second.url) == ("2025-07-28", "Lena Varga", "https://fixture-daily.example.net/zhipu-glm-4-5")
    assert second.text == "Zhipu AI released GLM-4.5, an open model that uses a mixture-of-experts architecture."
    assert second.path == f"{FIXTURES / 'releases.json'}#/1"


def test_jsonl_fixture_reports_bad_lines_and_reads_the_rest() -> None:
    path = FIXTURES / "ai-daily.jsonl"
    items = list(read_article_file(path))
    articles = [item for item in items if isinstance(item, Article)]
    errors = [item for item in items if isinstance(item, ArticleError)]
    assert [a.path for a in articles] == [f"{path}#L1", f"{path}#L3", f"{path}#L6"]
    assert [a.published for a in articles] == ["2025-07-11", "2025-08-05", "2025-08-07"]
    assert articles[0].text == "Moonshot AI released Kimi K2, an open mixture-of-experts model with about one trillion parameters."
    assert articles[1].text == "OpenAI published gpt-oss-120b and gpt-oss-20b as open-weight models."
    assert [(e.line, e.path) for e in errors] == [(2, str(path)), (4, str(path))]
    assert "not valid JSON" in errors[0].reason
    assert str(errors[1]) == f'{path}:4: object has no "text" field'


def test_fixture_folder_reads_every_format_in_sorted_order(read_all: Any) -> None:
    articles, errors = read_all(FIXTURES)
    files = sorted({a.path.split("#")[0] for a in articles})
    assert {Path(f).suffix for f in files} == {".txt", ".md", ".html", ".json", ".jsonl"}
    assert [a.path.split("#")[0] for a in articles] == sorted(a.path.split("#")[0] for a in articles)
    assert len(articles) == 8
    assert [e.line for e in errors] == [2, 4]


def test_article_becomes_a_graph_document_record(read_one: Any) -> None:
    article = read_one(FIXTURES / "gpt5-launch.txt")
    assert isinstance(article, Article)
    record = article.to_record()
    assert isinstance(record, ArticleRecord)
    assert parse_line(to_json(record), 1) == record
    assert (record.id, record.text, record.content_hash) == (article.id, article.text, article.content_hash)


# --------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.md", b" \n\t\n  ", "file contains only whitespace"),
        ("binary.txt", b"GIF89a\x00\x01\x02 not text", "looks like a binary file (NUL byte at offset 6)"),
        ("utf16.txt", "Headline\n\nBody.".encode("utf-16"), "file is UTF-16 encoded"),
        ("latin1.txt", "Headline\n\nThe fee was £5 in Zürich.".encode("latin-1"), "not valid UTF-8: byte 0xa3 at offset 22"),
        ("only-boilerplate.txt", b"Share this article\n\nMore Stories\n", "no article text"),
        ("empty-list.json", b"[]", "the JSON list is empty"),
        ("scalar.json", b'"just a string"', "top-level JSON must be an object"),
        ("no-text.json", b'{"title": "T"}', 'object has no "text" field'),
        ("empty-text.json", b'{"text": "   "}', '"text" is empty'),
        ("number-text.json", b'{"text": 42}', '"text" must be a string'),
        ("bad-title.json", b'{"text": "Body.", "title": ["a"]}', '"title" must be a string'),
        ("markup-only.json", b'{"text": "![x](y.png)"}', "no article text"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "JSON is nested too deeply"),
        ("lines.json", b'{"text": "One."}\n{"text": "Two."}\n', "not valid JSON: Extra data at column 1 (one JSON object a line"),
        ("empty.jsonl", b"", "file is empty"),
        ("blank.jsonl", b"\n\n  \n", "file contains only whitespace"),
        ("binary.jsonl", b'{"text": "a"}\x00\x00\n', "looks like a binary file"),
        (
            "nav-only.html",
            b"<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/w'>World</a></li></ul></nav></body></html>",
            "no main text found",
        ),
        ("empty-body.html", b"<html><head><title>T</title></head><body></body></html>", "no main text found"),
        ("latin1.html", "<html><body><p>Caf\u00e9</p></body></html>".encode("latin-1"), "not valid UTF-8"),
    ],
)
def test_bad_file_is_one_clear_error(tmp_path: Path, name: str, content: bytes, reason: str, error_from_file: Any) -> None:
    error = error_from_file(tmp_path, name, content)
    assert error.reason.startswith(reason), error.reason
    assert error.path == str(tmp_path / name)
    location = error.path if error.line is None else f"{error.path}:{error.line}"
    assert str(error) == f"{location}: {error.reason}"


def test_malformed_json_names_the_line(tmp_path: Path, error_from_file: Any) -> None:
    error = error_from_file(tmp_path, "bad.json", '{\n  "text": "Body.",\n  "title": oops\n}\n')
    assert error.line == 3
    assert str(error).startswith(f"{tmp_path / 'bad.json'}:3: not valid JSON: Expecting value at column")


def test_json_list_item_errors_do_not_stop_other_items(tmp_path: Path, write: Any) -> None:
    path = write(tmp_path, "mixed.json", json.dumps([{"text": "Good one."}, {"title": "no text"}, 7, {"text": "Good two."}]))
    items = list(read_article_file(path))
    assert [type(i).__name__ for i in items] == ["Article", "ArticleError", "ArticleError", "Article"]
    assert isinstance(items[1], ArticleError) and items[1].reason == 'item 1: object has no "text" field'
    assert isinstance(items[2], ArticleError) and items[2].reason.startswith("item 2: expected a JSON object")


def test_utf8_bom_is_accepted(tmp_path: Path, write: Any, article_from_file: Any) -> None:
    article = article_from_file(tmp_path, "bom.txt", "\ufeffHeadline\n\nBody.")
    assert (article.title, article.text) == ("Headline", "Body.")
    (line_article,) = read_article_file(write(tmp_path, "bom.jsonl", b"\xef\xbb\xbf" + b'{"text": "Body."}\n'))
    assert isinstance(line_article, Article)


def test_declared_html_charset_is_honoured(tmp_path: Path, read_one: Any, write: Any) -> None:
    body = "<p>" + "Le caf\u00e9 de la gare a rouvert ses portes apr\u00e8s trois ans de travaux. " * 5 + "</p>"
    markup = f'<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head><body><article>{body}</article></body></html>'
    article = read_one(write(tmp_path, "cp1252.html", markup.encode("cp1252")))
    assert isinstance(article, Article), str(article)
    assert "Le caf\u00e9 de la gare" in article.text


def test_not_utf8_jsonl_line_names_line_and_file_offset(tmp_path: Path, write: Any) -> None:
    first = b'{"text": "Fine."}\n'
    path = write(tmp_path, "mixed.jsonl", first + '{"text": "Caf\u00e9"}\n'.encode("latin-1") + b'{"text": "Also fine."}\n')
    items = list(read_article_file(path))
    assert [type(i).__name__ for i in items] == ["Article", "ArticleError", "Article"]
    error = items[1]
    assert isinstance(error, ArticleError)
    assert error.line == 2
    assert f"offset {len(first) + 13}" in error.reason


def test_file_over_max_bytes_is_refused_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_one: Any, write: Any) -> None:
    path = write(tmp_path, "huge.txt", "Headline\n\n" + "Body text. " * 1000)
    original_open = Path.open

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise AssertionError("an oversized file must not be opened")
        return original_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", guarded_open)
    error = read_one(path, max_bytes=1000)
    assert isinstance(error, ArticleError)
    assert "over the limit of 1,000" in error.reason


def test_jsonl_streams_and_limits_each_line_not_the_file(tmp_path: Path, write: Any) -> None:
    lines = [json.dumps({"text": f"Article number {n} body."}) for n in range(50)]
    lines[10] = json.dumps({"text": "x" * 500})
    path = write(tmp_path, "big.jsonl", "\n".join(lines) + "\n")
    assert path.stat().st_size > 200
    items = list(read_article_file(path, max_bytes=200))
    errors = [i for i in items if isinstance(i, ArticleError)]
    assert len(items) == 50
    assert [(e.line, e.reason) for e in errors] == [(11, "line is over the limit of 200 bytes (max_bytes)")]
    assert isinstance(items[11], Article) and items[11].path == f"{path}#L12"


def test_jsonl_is_lazy(tmp_path: Path, write: Any) -> None:
    path = write(tmp_path, "lazy.jsonl", '{"text": "First."}\n' + "not json\n" * 1000)
    stream = read_articles([path])
    first = next(stream)
    assert isinstance(first, Article) and first.text == "First."


def test_jsonl_line_separator_inside_a_string_does_not_split_the_record(tmp_path: Path, write: Any) -> None:
    path = write(tmp_path, "ls.jsonl", '{"text": "One\u2028two."}\r\n{"text": "Three."}\r\n')
    items = list(read_article_file(path))
    assert all(isinstance(i, Article) for i in items) and len(items) == 2


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_one: Any, write: Any) -> None:
    path = write(tmp_path, "secret.txt", "Headline\n\nBody.")
    original_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return original_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", denied)
    error = read_one(path)
    assert isinstance(error, ArticleError)
    assert str(error) == f"{path}: cannot read: permission denied"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_unreadable_file_by_permissions(tmp_path: Path, read_one: Any, write: Any) -> None:
    path = write(tmp_path, "secret.txt", "Headline\n\nBody.")
    path.chmod(0)
    try:
        error = read_one(path)
    finally:
        path.chmod(0o600)
    assert isinstance(error, ArticleError) and "permission denied" in error.reason


def test_one_bad_file_does_not_stop_the_rest(tmp_path: Path, read_all: Any, write: Any) -> None:
    write(tmp_path, "a-good.txt", "First\n\nGood body one.")
    write(tmp_path, "b-binary.txt", b"\x00\x01\x02")
    write(tmp_path, "c-latin1.txt", "Caf\u00e9".encode("latin-1"))
    write(tmp_path, "d-good.md", "# Second\n\nGood body two.")
    articles, errors = read_all(tmp_path)
    assert [a.title for a in articles] == ["First", "Second"]
    assert [Path(e.path).name for e in errors] == ["b-binary.txt", "c-latin1.txt"]


def test_article_error_format_and_pickling() -> None:
    with_line = ArticleError("data/a.jsonl", 3, "not valid JSON")
    without_line = ArticleError(Path("data/a.txt"), None, "file is empty")
    assert str(with_line) == "data/a.jsonl:3: not valid JSON"
    assert str(without_line) == "data/a.txt: file is empty"
    clone = pickle.loads(pickle.dumps(with_line))
    assert (clone.path, clone.line, clone.reason, str(clone)) == ("data/a.jsonl", 3, "not valid JSON", str(with_line))


def test_article_from_text_rejects_empty_text() -> None:
    with pytest.raises(ArticleError, match="no article text"):
        article_from_text("  \n ")


# --------------------------------------------------------------------------------------------
# The shared corpus (skipped when ../shared/corpus is absent)


@pytest.mark.corpus
def test_corpus_seeds(read_all: Any) -> None:
    seeds = CORPUS / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} not present")
    articles, errors = read_all(seeds)
    assert errors == []
    assert [a.published for a in articles] == ["2025-08-03", "2025-08-04"]
    assert articles[0].title == "Meta Retreats on Open-Source AI Amid Chinese Competition and Safety Concerns"
    assert articles[1].title == "Meta Retreats on Open-Source AI as China Races Ahead in Global Model Rankings"
    for article in articles:
        assert article.title is not None and article.title not in article.text
        for boilerplate in ("Get a daily email", "Categorized in", "Summary based on", "More Stories", "Get Daily AI News", "membership"):
            assert boilerplate not in article.text, (article.path, boilerplate)
        assert "•" not in article.text
        assert not re.search(r"(?m)^(?:August 3, 2025|Published on:)", article.text)
    assert articles[0].text.startswith("In light of rising AI infrastructure costs")
    assert "Andrew Ng" in articles[1].text


@pytest.mark.corpus
def test_corpus_ainews_html(read_all: Any) -> None:
    folder = CORPUS / "ainews" / "html"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    articles, errors = read_all(folder)
    assert errors == []
    assert [a.published for a in articles] == ["2025-07-11", "2025-08-05", "2025-08-07"]
    for article in articles:
        assert article.title and article.url and article.url.startswith("https://news.smol.ai/issues/")
        assert len(article.text) > 10_000
        assert "<script" not in article.text and "<div" not in article.text
