"""Tests for kg.articles.headers: a text file's title, date line, byline and YAML front matter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kg.articles.identity import article_id


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
def test_text_header(tmp_path: Path, content: str, title: str | None, published: str | None, text: str, article_from_file: Any) -> None:
    article = article_from_file(tmp_path, "a.txt", content)
    assert (article.title, article.published, article.text) == (title, published, text)


def test_long_first_paragraph_is_not_a_title(tmp_path: Path, article_from_file: Any) -> None:
    paragraph = "word " * 80
    article = article_from_file(tmp_path, "a.txt", paragraph + "\n\nSecond paragraph.\n")
    assert article.title is None
    assert article.text.startswith("word word")


@pytest.mark.parametrize(
    ("byline", "author"),
    [("By Jane Doe", "Jane Doe"), ("BY Ann Lee and Tom Wu", "Ann Lee and Tom Wu"), ("By the numbers", None)],
)
def test_byline_in_header(tmp_path: Path, byline: str, author: str | None, article_from_file: Any) -> None:
    article = article_from_file(tmp_path, "a.txt", f"Headline\n{byline}\nAugust 3, 2025\n\nBody.\n")
    assert article.author == author
    assert (byline in article.text) == (author is None)


# --------------------------------------------------------------------------------------------
# Front matter


def test_front_matter_date_key_and_explicit_id(tmp_path: Path, article_from_file: Any) -> None:
    article = article_from_file(tmp_path, "a.md", "---\ntitle: A Title\ndate: 'August 3, 2025'\nid: story-7\n---\nBody text.\n")
    assert (article.title, article.published, article.id) == ("A Title", "2025-08-03", article_id(explicit_id="story-7"))
    assert article.text == "Body text."


def test_front_matter_in_txt_and_date_line_fallback(tmp_path: Path, article_from_file: Any) -> None:
    article = article_from_file(tmp_path, "a.txt", "---\nsource: Wire\n---\nHeadline\nAug 4, 2025\n\nBody.\n")
    assert (article.source, article.title, article.published, article.text) == ("Wire", "Headline", "2025-08-04", "Body.")


def test_unclosed_front_matter_is_body(tmp_path: Path, article_from_file: Any) -> None:
    article = article_from_file(tmp_path, "a.txt", "---\nHeadline\n\nBody.\n")
    assert (article.title, article.text) == ("Headline", "Body.")


@pytest.mark.parametrize(
    ("front_matter", "reason"),
    [("title: [unclosed\n", "front matter is not valid YAML"), ("- a list\n", "front matter must be a YAML mapping")],
)
def test_bad_front_matter_is_an_error(tmp_path: Path, front_matter: str, reason: str, error_from_file: Any) -> None:
    error = error_from_file(tmp_path, "a.md", f"---\n{front_matter}---\nBody.\n")
    assert error.reason.startswith(reason)


def test_bad_front_matter_yaml_names_the_file_line(tmp_path: Path, error_from_file: Any) -> None:
    error = error_from_file(tmp_path, "a.md", "---\ntitle: fine\nurl: [unclosed\n---\nBody.\n")
    assert error.line is not None and error.line >= 3


def test_unparseable_front_matter_date_falls_back_to_date_line(tmp_path: Path, article_from_file: Any) -> None:
    article = article_from_file(tmp_path, "a.md", "---\npublished: sometime soon\n---\nHeadline\nAugust 3, 2025\n\nBody.\n")
    assert article.published == "2025-08-03"
