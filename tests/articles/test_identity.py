"""Tests for kg.articles.identity: article ids, content hashes and normalized URLs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kg.articles.build import article_from_text
from kg.articles.identity import article_id, normalize_url

FIXTURES = Path(__file__).parents[1] / "fixtures" / "articles"
ID_FORMAT = re.compile(r"a-[0-9a-f]{16}")


# --------------------------------------------------------------------------------------------
# Ids and content hashes


def test_id_format_and_rule() -> None:
    article = article_from_text("Some text.")
    assert ID_FORMAT.fullmatch(article.id)
    assert article.id == article_id(text="Some text.")
    assert article_from_text("Some text.", url="https://example.com/a").id == article_id(url="https://example.com/a")
    explicit = article_from_text("Some text.", url="https://example.com/a", id="story-1")
    assert explicit.id == article_id(explicit_id="story-1")  # explicit id beats url


def test_same_article_read_twice_has_same_id_and_hash(read_all: Any) -> None:
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
