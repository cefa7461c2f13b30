"""Shared helpers of the kg.articles tests, as fixtures: read files and write small inputs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg.articles.model import Article, ArticleError
from kg.articles.readers import read_article_file, read_articles


def _read_all(*paths: str | Path, **kwargs: int) -> tuple[list[Article], list[ArticleError]]:
    articles: list[Article] = []
    errors: list[ArticleError] = []
    for item in read_articles(paths, **kwargs):
        (errors if isinstance(item, ArticleError) else articles).append(item)
    return articles, errors


def _read_one(path: Path, **kwargs: int) -> Article | ArticleError:
    (item,) = list(read_article_file(path, **kwargs))
    return item


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _article_from_file(tmp_path: Path, name: str, content: str) -> Article:
    item = _read_one(_write(tmp_path, name, content))
    assert isinstance(item, Article), str(item)
    return item


def _error_from_file(tmp_path: Path, name: str, content: str | bytes, **kwargs: int) -> ArticleError:
    item = _read_one(_write(tmp_path, name, content), **kwargs)
    assert isinstance(item, ArticleError), item
    return item


def _fixture(helper: Callable[..., object]) -> object:
    """``helper`` as a fixture named like it without the underscore."""

    def provide() -> Callable[..., object]:
        return helper

    return pytest.fixture(name=helper.__name__.removeprefix("_"))(provide)


read_all, read_one, write, article_from_file, error_from_file = map(_fixture, (_read_all, _read_one, _write, _article_from_file, _error_from_file))
