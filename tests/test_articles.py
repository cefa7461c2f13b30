"""Tests for kg.articles: every input format, header heuristics, cleanup, ids and bad input."""

from __future__ import annotations

import json
import os
import pickle
import re
from pathlib import Path

import pytest

from kg.articles import (
    SUPPORTED_SUFFIXES,
    Article,
    ArticleError,
    article_from_text,
    article_id,
    clean_text,
    iter_input_files,
    normalize_url,
    parse_published,
    read_article_file,
    read_articles,
)
from kg.document import ArticleRecord, parse_line, to_json

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
ID_FORMAT = re.compile(r"a-[0-9a-f]{16}")


def read_all(*paths: str | Path, **kwargs: int) -> tuple[list[Article], list[ArticleError]]:
    articles: list[Article] = []
    errors: list[ArticleError] = []
    for item in read_articles(paths, **kwargs):
        (errors if isinstance(item, ArticleError) else articles).append(item)
    return articles, errors


def read_one(path: Path, **kwargs: int) -> Article | ArticleError:
    (item,) = list(read_article_file(path, **kwargs))
    return item


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def article_from_file(tmp_path: Path, name: str, content: str) -> Article:
    item = read_one(write(tmp_path, name, content))
    assert isinstance(item, Article), str(item)
    return item


def error_from_file(tmp_path: Path, name: str, content: str | bytes, **kwargs: int) -> ArticleError:
    item = read_one(write(tmp_path, name, content), **kwargs)
    assert isinstance(item, ArticleError), item
    return item


# --------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("August 3, 2025", "2025-08-03"),
        ("Aug 04, 2025", "2025-08-04"),
        ("Aug. 4, 2025", "2025-08-04"),
        ("Sept. 9, 2024", "2024-09-09"),
        ("august 3 2025", "2025-08-03"),
        ("Monday, August 4th, 2025", "2025-08-04"),
        ("4 August 2025", "2025-08-04"),
        ("4th of August, 2025", "2025-08-04"),
        ("2025-08-04", "2025-08-04"),
        ("2025/8/4", "2025-08-04"),
        ("2025-08-04T10:00:00Z", "2025-08-04"),
        ("2023-12-06T22:22:18.156000Z", "2023-12-06"),
        ("2025-08-04T23:30:00-05:00", "2025-08-04"),  # the publisher's calendar date, not UTC
        ("2025-08-04 10:00", "2025-08-04"),
        ("Aug 4, 2025, 10:00 a.m. ET", "2025-08-04"),
        ("August 3, 2025 at 9:15 PM", "2025-08-03"),
        ("  May 1,   2024 ", "2024-05-01"),
        ("February 30, 2025", None),  # no such day
        ("2025-13-01", None),
        ("08/04/2025", None),  # US or European? ambiguous, so not guessed
        ("yesterday", None),
        ("2025", None),
        ("The deal closed on August 3, 2025.", None),  # a sentence, not a date
        ("", None),
        (None, None),
    ],
)
def test_parse_published(value: str | None, expected: str | None) -> None:
    assert parse_published(value) == expected


def test_parse_published_accepts_date_objects() -> None:
    from datetime import date, datetime

    assert parse_published(date(2025, 8, 4)) == "2025-08-04"
    assert parse_published(datetime(2025, 8, 4, 23, 59)) == "2025-08-04"


# --------------------------------------------------------------------------------------------
# Text-file headers: title, date line, byline, repeated title


@pytest.mark.parametrize(
    ("content", "title", "published", "text"),
    [
        pytest.param(
            "Meta Changes Course\n\nAugust 3, 2025\nMeta Changes Course\nMeta said it would be more careful.\n",
            "Meta Changes Course",
            "2025-08-03",
            "Meta said it would be more careful.",
            id="title-date-repeated-title",
        ),
        pytest.param(
            "Labs Race Ahead\n\nA short standfirst about the story.\n\nCategorized in: AI News\nPublished on: Aug 04, 2025\n"
            "Labs Race Ahead\n\nThe body starts here.\n",
            "Labs Race Ahead",
            "2025-08-04",
            "A short standfirst about the story.\n\nThe body starts here.",
            id="standfirst-category-published-on",
        ),
        pytest.param("Headline\nAug. 4, 2025\nBody.\n", "Headline", "2025-08-04", "Body.", id="abbreviated-month"),
        pytest.param("Headline\n4 August 2025\n\nBody.\n", "Headline", "2025-08-04", "Body.", id="day-first"),
        pytest.param("Headline\n2025-08-04\n\nBody.\n", "Headline", "2025-08-04", "Body.", id="iso"),
        pytest.param("Headline\nPublished: 2025-08-04T10:00:00Z\n\nBody.\n", "Headline", "2025-08-04", "Body.", id="iso-timestamp"),
        pytest.param("August 3, 2025\n\nHeadline After Date\n\nBody.\n", "Headline After Date", "2025-08-03", "Body.", id="date-first"),
        pytest.param("Ink helps drive democracy\n\nBody one.\n\nBody two.\n", "Ink helps drive democracy", None, "Body one.\n\nBody two.", id="no-date"),
        pytest.param(
            "Headline\n" + "\n".join(f"Line {n} of the body." for n in range(1, 12)) + "\nAugust 3, 2025\n",
            "Headline",
            None,  # a date beyond the header zone is body text, not the publication date
            "\n".join(f"Line {n} of the body." for n in range(1, 12)) + "\nAugust 3, 2025",
            id="date-too-far-down",
        ),
        pytest.param(
            "OpenAI released GPT-5 on Thursday.\nIt is the default model.\n",
            "OpenAI released GPT-5 on Thursday.",
            None,
            "OpenAI released GPT-5 on Thursday.\nIt is the default model.",  # a sentence stays in the body
            id="first-line-is-a-sentence",
        ),
        pytest.param("Just one line\n", "Just one line", None, "Just one line", id="one-line-article"),
        pytest.param("Is Gemini legit?\n\nBody.\n", "Is Gemini legit?", None, "Body.", id="question-headline"),
    ],
)
def test_text_header(tmp_path: Path, content: str, title: str | None, published: str | None, text: str) -> None:
    article = article_from_file(tmp_path, "a.txt", content)
    assert (article.title, article.published, article.text) == (title, published, text)


def test_long_first_paragraph_is_not_a_title(tmp_path: Path) -> None:
    paragraph = "word " * 80
    article = article_from_file(tmp_path, "a.txt", paragraph + "\n\nSecond paragraph.\n")
    assert article.title is None
    assert article.text.startswith("word word")


@pytest.mark.parametrize(
    ("byline", "author"),
    [("By Jane Doe", "Jane Doe"), ("BY Ann Lee and Tom Wu", "Ann Lee and Tom Wu"), ("By the numbers", None)],
)
def test_byline_in_header(tmp_path: Path, byline: str, author: str | None) -> None:
    article = article_from_file(tmp_path, "a.txt", f"Headline\n{byline}\nAugust 3, 2025\n\nBody.\n")
    assert article.author == author
    assert (byline in article.text) == (author is None)


# --------------------------------------------------------------------------------------------
# Cleanup


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("**Google's Gemini** is *new*.", "Google's Gemini is new."),
        ("__Anthropic__ and _Claude_ shipped.", "Anthropic and Claude shipped."),
        ("***Both*** at once.", "Both at once."),
        ("Use `gpt-oss-20b` locally.", "Use gpt-oss-20b locally."),
        ("Keep `**kwargs` literal.", "Keep **kwargs literal."),
        ("snake_case_name and min_p and Q4_K_M stay.", "snake_case_name and min_p and Q4_K_M stay."),
        ("**truthfulqa_mc2** scores rose.", "truthfulqa_mc2 scores rose."),
        ("2 * 3 * 4 = 24 and a*b*c stay.", "2 * 3 * 4 = 24 and a*b*c stay."),
        ("2**10 is 1024.", "2**10 is 1024."),
        ("An escaped \\*star\\* stays.", "An escaped *star* stays."),
        ("**Unclosed start. Then **Closed pair** here.", "Unclosed start. Then Closed pair here."),
        ('*"A quoted remark,"* she said.', '"A quoted remark," she said.'),
        ("See [the blog](https://example.com/a_(b)) now.", "See the blog now."),
        ("See [the card][1] now.\n\n[1]: https://example.com/card", "See the card now."),
        ("![chart](https://example.com/c.png) Results.", "Results."),
        ("Visit <https://example.com>.", "Visit https://example.com."),
        ("<b>Open</b>AI said<br>hello &amp; bye.", "OpenAI said hello & bye."),
        ("Text<script>alert(1)</script> here.", "Text here."),
        ("A ~~wrong~~ claim.", "A wrong claim."),
        ("A note[^1] here.", "A note here."),
        ("# Heading\nBody line.", "Heading\n\nBody line."),
        ("## Closed heading ##\n\nBody.", "Closed heading\n\nBody."),
        ("#1 in the charts.", "#1 in the charts."),
        ("- one\n- two\n* three\n+ four\n• five", "one\n\ntwo\n\nthree\n\nfour\n\nfive"),
        ("1. first\n2) second", "first\n\nsecond"),
        ("- [x] done item", "done item"),
        ("> Quoted line\n> continues", "Quoted line continues"),
        ("A soft\nwrapped paragraph.", "A soft wrapped paragraph."),
        ("Para one.\n\n\n\nPara two.", "Para one.\n\nPara two."),
        ("Above\n\n---\n\nBelow", "Above\n\nBelow"),
        ("```\ncode_line = 1\n```\nAfter.", "code_line = 1\n\nAfter."),
        ("Runs   of\tspaces\u00a0and\u200bzero-width.", "Runs of spaces andzero-width."),
        ("<!-- hidden -->Visible.", "Visible."),
    ],
)
def test_clean_markdown(markdown: str, expected: str) -> None:
    assert clean_text(markdown) == expected


@pytest.mark.parametrize(
    ("plain", "expected"),
    [
        ("  • First point.\n\n  • Second point.", "First point.\n\nSecond point."),
        ("Keep **stars** and snake_case in plain text.", "Keep **stars** and snake_case in plain text."),
        ("Line one\r\nLine two\rLine three", "Line one\nLine two\nLine three"),
        ("Lots    of   spaces  ", "Lots of spaces"),
        ("A\n\n\n\nB", "A\n\nB"),
        ("Cafe\u0301 au lait", "Café au lait"),  # NFC
        ("Page one.\fPage two.", "Page one.\n\nPage two."),
        ("Para one.\u2029Para two.\u2028Same para.", "Para one.\n\nPara two.\nSame para."),
    ],
)
def test_clean_plain_text(plain: str, expected: str) -> None:
    assert clean_text(plain, markdown=False) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Summary based on 2 sources",
        "Get a daily email with more AI stories",
        "More Stories",
        "Categorized in: AI News IT and Development",
        "Share this article",
        "We use cookies to improve your experience.",
        "Accept all cookies",
        "Advertisement",
        "Subscribe to our newsletter",
        "Related: Another story entirely",
        "© 2025 Example Media",
    ],
)
def test_boilerplate_line_is_removed(line: str) -> None:
    assert clean_text(f"The story itself.\n\n{line}\n\nMore of the story.") == "The story itself.\n\nMore of the story."


@pytest.mark.parametrize(
    "line",
    [
        "Related developments followed in Beijing.",  # starts like a boilerplate line, but is news
        "Analysts shared this article's view.",
        "Meta said more stories would follow.",
        "(c) the company shall report quarterly.",
    ],
)
def test_news_line_resembling_boilerplate_is_kept(line: str) -> None:
    assert line in clean_text(f"The story itself.\n\n{line}")


def test_footer_marker_cuts_the_rest_only_late_in_the_text() -> None:
    body = "\n\n".join(f"Paragraph {n} of the actual article text." for n in range(6))
    late = clean_text(body + "\n\nGet Daily AI News\n\nYour membership also unlocks:\n\n700+ Courses")
    assert late == body
    early = clean_text("Get Daily AI News\n\n" + body)
    assert early == body  # the marker is dropped, but nothing after it


def test_clean_text_is_idempotent_on_prose() -> None:
    once = clean_text((FIXTURES / "open-weights.md").read_text(encoding="utf-8"))
    assert clean_text(once) == once


# --------------------------------------------------------------------------------------------
# Ids and content hashes


def test_id_format_and_rule() -> None:
    article = article_from_text("Some text.")
    assert ID_FORMAT.fullmatch(article.id)
    assert article.id == article_id(text="Some text.")
    assert article_from_text("Some text.", url="https://example.com/a").id == article_id(url="https://example.com/a")
    explicit = article_from_text("Some text.", url="https://example.com/a", id="story-1")
    assert explicit.id == article_id(explicit_id="story-1")  # explicit id beats url


def test_same_article_read_twice_has_same_id_and_hash() -> None:
    first, _ = read_all(FIXTURES)
    second, _ = read_all(FIXTURES)
    assert [(a.id, a.content_hash) for a in first] == [(a.id, a.content_hash) for a in second]
    assert len({a.id for a in first}) == len(first)


@pytest.mark.parametrize(
    "variant",
    [
        "OpenAI released GPT-5.\n\nIt is the default model.",
        "OpenAI released GPT-5.  It is the default model.",
        "  OpenAI   released GPT-5.\nIt is the default\tmodel.\n",
        "OpenAI\u00a0released GPT-5. It is the default model.",
    ],
)
def test_whitespace_does_not_change_text_id(variant: str) -> None:
    assert article_from_text(variant).id == article_from_text("OpenAI released GPT-5. It is the default model.").id


def test_text_change_changes_text_id() -> None:
    assert article_from_text("OpenAI released GPT-5.").id != article_from_text("OpenAI released GPT-4.").id


def test_url_identified_article_keeps_id_when_edited_but_hash_changes() -> None:
    before = article_from_text("Early report of the launch.", url="https://news.example.com/launch")
    after = article_from_text("Updated report of the launch, with quotes.", url="https://news.example.com/launch")
    assert before.id == after.id
    assert before.content_hash != after.content_hash


@pytest.mark.parametrize("field", ["title", "published", "source", "author"])
def test_metadata_change_changes_content_hash(field: str) -> None:
    base = {"title": "T", "published": "2025-08-04", "source": "S", "author": "A"}
    changed = {**base, field: "2025-08-05" if field == "published" else "other"}
    assert article_from_text("Body.", **base).content_hash != article_from_text("Body.", **changed).content_hash


def test_path_does_not_change_id_or_hash() -> None:
    a = article_from_text("Body.", path="one/a.txt")
    b = article_from_text("Body.", path="two/b.txt")
    assert (a.id, a.content_hash) == (b.id, b.content_hash)


@pytest.mark.parametrize(
    "variant",
    [
        "https://news.example.com/tech/story",
        "http://news.example.com/tech/story",
        "https://NEWS.Example.com/tech/story/",
        "https://www.news.example.com/tech/story",
        "https://news.example.com:443/tech/story",
        "https://news.example.com/tech/story#comments",
        "https://news.example.com/tech/story?utm_source=x&utm_medium=email&fbclid=abc",
        "news.example.com/tech/story",
    ],
)
def test_url_variants_share_an_id(variant: str) -> None:
    assert normalize_url(variant) == "https://news.example.com/tech/story"
    assert article_id(url=variant) == article_id(url="https://news.example.com/tech/story")


@pytest.mark.parametrize(
    "other",
    [
        "https://news.example.com/tech/other-story",
        "https://news.example.com/tech/story?page=2",
        "https://news.example.com:8080/tech/story",
        "https://news.example.org/tech/story",
    ],
)
def test_different_urls_have_different_ids(other: str) -> None:
    assert article_id(url=other) != article_id(url="https://news.example.com/tech/story")


def test_query_parameter_order_does_not_matter() -> None:
    assert normalize_url("https://e.com/a?b=2&a=1") == normalize_url("https://e.com/a?a=1&b=2")


# --------------------------------------------------------------------------------------------
# Fixture files, one per format


def test_txt_fixture() -> None:
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


def test_markdown_fixture_with_front_matter() -> None:
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


def test_html_fixture_keeps_main_text_only() -> None:
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


def test_fixture_folder_reads_every_format_in_sorted_order() -> None:
    articles, errors = read_all(FIXTURES)
    files = sorted({a.path.split("#")[0] for a in articles})
    assert {Path(f).suffix for f in files} == {".txt", ".md", ".html", ".json", ".jsonl"}
    assert [a.path.split("#")[0] for a in articles] == sorted(a.path.split("#")[0] for a in articles)
    assert len(articles) == 8
    assert [e.line for e in errors] == [2, 4]


def test_article_becomes_a_graph_document_record() -> None:
    article = read_one(FIXTURES / "gpt5-launch.txt")
    assert isinstance(article, Article)
    record = article.to_record()
    assert isinstance(record, ArticleRecord)
    assert parse_line(to_json(record), 1) == record
    assert (record.id, record.text, record.content_hash) == (article.id, article.text, article.content_hash)


# --------------------------------------------------------------------------------------------
# Front matter


def test_front_matter_date_key_and_explicit_id(tmp_path: Path) -> None:
    article = article_from_file(tmp_path, "a.md", "---\ntitle: A Title\ndate: 'August 3, 2025'\nid: story-7\n---\nBody text.\n")
    assert (article.title, article.published, article.id) == ("A Title", "2025-08-03", article_id(explicit_id="story-7"))
    assert article.text == "Body text."


def test_front_matter_in_txt_and_date_line_fallback(tmp_path: Path) -> None:
    article = article_from_file(tmp_path, "a.txt", "---\nsource: Wire\n---\nHeadline\nAug 4, 2025\n\nBody.\n")
    assert (article.source, article.title, article.published, article.text) == ("Wire", "Headline", "2025-08-04", "Body.")


def test_unclosed_front_matter_is_body(tmp_path: Path) -> None:
    article = article_from_file(tmp_path, "a.txt", "---\nHeadline\n\nBody.\n")
    assert (article.title, article.text) == ("Headline", "Body.")


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [("title: [unclosed\n", "front matter is not valid YAML"), ("- a list\n", "front matter must be a YAML mapping")],
)
def test_bad_front_matter_is_an_error(tmp_path: Path, front_matter: str, reason: str) -> None:
    error = error_from_file(tmp_path, "a.md", f"---\n{front_matter}---\nBody.\n")
    assert error.reason.startswith(reason)


def test_bad_front_matter_yaml_names_the_file_line(tmp_path: Path) -> None:
    error = error_from_file(tmp_path, "a.md", "---\ntitle: fine\nurl: [unclosed\n---\nBody.\n")
    assert error.line is not None and error.line >= 3


def test_unparseable_front_matter_date_falls_back_to_date_line(tmp_path: Path) -> None:
    article = article_from_file(tmp_path, "a.md", "---\npublished: sometime soon\n---\nHeadline\nAugust 3, 2025\n\nBody.\n")
    assert article.published == "2025-08-03"


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
def test_bad_file_is_one_clear_error(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    error = error_from_file(tmp_path, name, content)
    assert error.reason.startswith(reason), error.reason
    assert error.path == str(tmp_path / name)
    location = error.path if error.line is None else f"{error.path}:{error.line}"
    assert str(error) == f"{location}: {error.reason}"


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    error = error_from_file(tmp_path, "bad.json", '{\n  "text": "Body.",\n  "title": oops\n}\n')
    assert error.line == 3
    assert str(error).startswith(f"{tmp_path / 'bad.json'}:3: not valid JSON: Expecting value at column")


def test_json_list_item_errors_do_not_stop_other_items(tmp_path: Path) -> None:
    path = write(tmp_path, "mixed.json", json.dumps([{"text": "Good one."}, {"title": "no text"}, 7, {"text": "Good two."}]))
    items = list(read_article_file(path))
    assert [type(i).__name__ for i in items] == ["Article", "ArticleError", "ArticleError", "Article"]
    assert isinstance(items[1], ArticleError) and items[1].reason == 'item 1: object has no "text" field'
    assert isinstance(items[2], ArticleError) and items[2].reason.startswith("item 2: expected a JSON object")


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    article = article_from_file(tmp_path, "bom.txt", "\ufeffHeadline\n\nBody.")
    assert (article.title, article.text) == ("Headline", "Body.")
    (line_article,) = read_article_file(write(tmp_path, "bom.jsonl", b"\xef\xbb\xbf" + b'{"text": "Body."}\n'))
    assert isinstance(line_article, Article)


def test_declared_html_charset_is_honoured(tmp_path: Path) -> None:
    body = "<p>" + "Le caf\u00e9 de la gare a rouvert ses portes apr\u00e8s trois ans de travaux. " * 5 + "</p>"
    markup = f'<html><head><meta charset="windows-1252"><title>Caf\u00e9</title></head><body><article>{body}</article></body></html>'
    article = read_one(write(tmp_path, "cp1252.html", markup.encode("cp1252")))
    assert isinstance(article, Article), str(article)
    assert "Le caf\u00e9 de la gare" in article.text


def test_not_utf8_jsonl_line_names_line_and_file_offset(tmp_path: Path) -> None:
    first = b'{"text": "Fine."}\n'
    path = write(tmp_path, "mixed.jsonl", first + '{"text": "Caf\u00e9"}\n'.encode("latin-1") + b'{"text": "Also fine."}\n')
    items = list(read_article_file(path))
    assert [type(i).__name__ for i in items] == ["Article", "ArticleError", "Article"]
    error = items[1]
    assert isinstance(error, ArticleError)
    assert error.line == 2
    assert f"offset {len(first) + 13}" in error.reason


def test_file_over_max_bytes_is_refused_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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


def test_jsonl_streams_and_limits_each_line_not_the_file(tmp_path: Path) -> None:
    lines = [json.dumps({"text": f"Article number {n} body."}) for n in range(50)]
    lines[10] = json.dumps({"text": "x" * 500})
    path = write(tmp_path, "big.jsonl", "\n".join(lines) + "\n")
    assert path.stat().st_size > 200
    items = list(read_article_file(path, max_bytes=200))
    errors = [i for i in items if isinstance(i, ArticleError)]
    assert len(items) == 50
    assert [(e.line, e.reason) for e in errors] == [(11, "line is over the limit of 200 bytes (max_bytes)")]
    assert isinstance(items[11], Article) and items[11].path == f"{path}#L12"


def test_jsonl_is_lazy(tmp_path: Path) -> None:
    path = write(tmp_path, "lazy.jsonl", '{"text": "First."}\n' + "not json\n" * 1000)
    stream = read_articles([path])
    first = next(stream)
    assert isinstance(first, Article) and first.text == "First."


def test_jsonl_line_separator_inside_a_string_does_not_split_the_record(tmp_path: Path) -> None:
    path = write(tmp_path, "ls.jsonl", '{"text": "One\u2028two."}\r\n{"text": "Three."}\r\n')
    items = list(read_article_file(path))
    assert all(isinstance(i, Article) for i in items) and len(items) == 2


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
def test_unreadable_file_by_permissions(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", "Headline\n\nBody.")
    path.chmod(0)
    try:
        error = read_one(path)
    finally:
        path.chmod(0o600)
    assert isinstance(error, ArticleError) and "permission denied" in error.reason


def test_one_bad_file_does_not_stop_the_rest(tmp_path: Path) -> None:
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
# Finding files


def test_iter_input_files_walks_sorted_skips_hidden_and_unsupported(tmp_path: Path) -> None:
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


def test_iter_input_files_reports_missing_and_unsupported_named_paths(tmp_path: Path) -> None:
    pdf = write(tmp_path, "paper.pdf", "x")
    hidden = write(tmp_path, ".named-hidden.txt", "Body.")
    missing = tmp_path / "missing.txt"
    found = list(iter_input_files([missing, pdf, hidden]))
    assert isinstance(found[0], ArticleError) and str(found[0]) == f"{missing}: no such file or directory"
    assert isinstance(found[1], ArticleError) and found[1].reason.startswith("unsupported file type .pdf")
    assert found[2] == hidden  # named explicitly, so read even though hidden


def test_iter_input_files_yields_each_file_once(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Body.")
    assert list(iter_input_files([tmp_path, path, str(path)])) == [path]


def test_a_single_path_need_not_be_wrapped_in_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Body.")
    assert list(iter_input_files(tmp_path)) == [path]  # type: ignore[arg-type]
    assert list(iter_input_files(str(tmp_path))) == [path]  # type: ignore[arg-type]


def test_read_articles_missing_path_then_continues(tmp_path: Path) -> None:
    good = write(tmp_path, "a.txt", "Headline\n\nBody.")
    articles, errors = read_all(tmp_path / "nope", good)
    assert len(articles) == 1 and len(errors) == 1


def test_supported_suffixes_all_have_fixtures() -> None:
    fixture_suffixes = {p.suffix for p in FIXTURES.iterdir()}
    assert {".txt", ".md", ".html", ".json", ".jsonl"} <= fixture_suffixes <= set(SUPPORTED_SUFFIXES)


# --------------------------------------------------------------------------------------------
# The shared corpus (skipped when ../shared/corpus is absent)


@pytest.mark.corpus
def test_corpus_seeds() -> None:
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
def test_corpus_ainews_html() -> None:
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
