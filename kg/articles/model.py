"""The one article record newskg reads, and the error a bad input becomes.

:class:`Article` is what every reader yields (files: :mod:`kg.articles.readers`; the web:
:mod:`kg.sources`) and what extraction takes; :meth:`Article.to_record` turns it into the graph
document's :class:`kg.document.ArticleRecord`. How its fields are made: ``text`` in
:mod:`kg.articles.cleaning`, ``id``, ``content_hash`` and ``body_hash`` in
:mod:`kg.articles.identity`, ``path`` in :mod:`kg.articles.readers`.

:class:`ArticleError` is one bad file, JSON Lines line or JSON item: readers yield it in place of
the article, so one broken input never stops a run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from kg.document import ArticleRecord


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from a file; becomes a :class:`kg.document.ArticleRecord`."""

    id: str
    text: str
    title: str | None
    published: str | None
    source: str | None
    url: str | None
    path: str | None
    author: str | None
    content_hash: str
    body_hash: str | None = None

    def to_record(self) -> ArticleRecord:
        return ArticleRecord(
            id=self.id,
            title=self.title,
            published=self.published,
            source=self.source,
            url=self.url,
            path=self.path,
            content_hash=self.content_hash,
            text=self.text,
            author=self.author,
            body_hash=self.body_hash,
        )


class ArticleError(Exception):
    """A user error in one input (file, JSON Lines line or JSON item), reported, not raised.

    ``str(error)`` is ``"<path>:<line>: <reason>"`` (``"<path>: <reason>"`` without a line), the
    form editors and CI logs turn into links.
    """

    path: str
    line: int | None
    reason: str

    def __init__(self, path: str | os.PathLike[str], line: int | None, reason: str) -> None:
        self.path = display_path(path)
        self.line = line
        self.reason = reason
        location = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{location}: {reason}")

    def __reduce__(self) -> tuple[type[ArticleError], tuple[str, int | None, str]]:
        # Default exception pickling replays args=(message,), which __init__ cannot take;
        # readers may run in worker processes, so errors must cross process boundaries.
        return (type(self), (self.path, self.line, self.reason))


def display_path(path: str | os.PathLike[str]) -> str:
    """``path`` as printable UTF-8 text: bytes of a file name that are not UTF-8 (``caf\\xe9.txt``)
    are shown as ``\\xe9`` escapes, so the name can be written to a terminal, a graph document
    or the database."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
