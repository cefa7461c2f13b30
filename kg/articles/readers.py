"""Read news articles from files into :class:`~kg.articles.model.Article` objects, robustly.

Supported inputs are plain text, Markdown, HTML, JSON and JSON Lines
(:data:`kg.articles.discovery.SUPPORTED_SUFFIXES`). Every reader streams: :func:`read_articles`
yields one Article per article and an :class:`~kg.articles.model.ArticleError` in place of each
bad file or line, so one broken input never stops a run.

``Article.path``
    The file as named to the reader; ``<file>#L<n>`` for line ``n`` of a JSON Lines file and
    ``<file>#/<i>`` (a JSON Pointer) for item ``i`` of a JSON list.

Size limit
    ``max_bytes`` caps a whole file, checked before it is read, except for JSON Lines, which
    stream line by line and where it caps each line (one article) instead.

Encoding: :mod:`kg.articles.decoding`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from kg.articles.build import article_from_text, make_article
from kg.articles.cleaning import assemble, clean_field, drop_boilerplate, markdown_lines, plain_lines
from kg.articles.dates import parse_published
from kg.articles.decoding import UTF8_BOM, Fallback, check_not_wide_or_binary, decode_utf8, read_bytes, read_text
from kg.articles.discovery import SUPPORTED_SUFFIXES, iter_input_files, not_a_regular_file, os_reason
from kg.articles.headers import FRONT_MATTER_KEYS, HEADER_LINES, same_heading, split_front_matter, take_header
from kg.articles.html_pages import decode_html, main_text_and_metadata
from kg.articles.model import Article, ArticleError, display_path

DEFAULT_MAX_BYTES = 20_000_000
#: Digits of a JSON integer (Python refuses to convert more than 4,300).
MAX_JSON_INT_DIGITS = 100

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


def _read_text_file(path: Path, max_bytes: int, fallback: Fallback | None = None) -> Iterator[Article]:
    """.txt / .md: optional YAML front matter, then a header (title, date, byline) and the body.

    Front matter keys: ``title``, ``url``, ``published`` (or ``date``), ``source``, ``author``,
    ``id``; they win over what the header lines say, except an unparseable date.
    """
    markdown = path.suffix.lower() in _MARKDOWN_SUFFIXES
    meta, body = split_front_matter(read_text(path, max_bytes, fallback), str(path))
    for key in FRONT_MATTER_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, (str, int, float, date)):
            raise ArticleError(path, None, f"front matter field {key!r} must be a single value")

    def field(key: str) -> str | None:
        value = meta.get(key)
        return None if value is None else str(value)

    known_title = clean_field(field("title"), markdown=markdown)
    lines = markdown_lines(body) if markdown else plain_lines(body)
    header, lines = take_header(drop_boilerplate(lines), known_title)
    published_value = meta["published"] if meta.get("published") is not None else meta.get("date")
    yield make_article(
        assemble(lines, join_soft_breaks=markdown),
        title=header.title,
        published=parse_published(published_value) or header.published,
        source=clean_field(field("source"), markdown=False),
        url=clean_field(field("url"), markdown=False),
        path=display_path(path),
        author=clean_field(field("author"), markdown=False) or header.author,
        explicit_id=field("id"),
    )


def _read_html_file(path: Path, max_bytes: int, fallback: Fallback | None = None) -> Iterator[Article]:
    """.html / .htm: main text and metadata by trafilatura (no navigation, scripts or footers)."""
    data = read_bytes(path, max_bytes)
    if not data.strip():
        raise ArticleError(path, None, "file is empty" if not data else "file contains only whitespace")
    check_not_wide_or_binary(data, path)
    document = main_text_and_metadata(decode_html(data, path, fallback), path)
    title = clean_field(document.get("title"), markdown=False)
    lines = drop_boilerplate(plain_lines(document["text"], every_line_a_block=True))
    if title is not None:  # pages often repeat the headline as the first line of the body
        leading = [i for i, line in enumerate(lines) if line.text][:HEADER_LINES]
        lines = [line for i, line in enumerate(lines) if not (i in leading and same_heading(line.text, title))]
    yield make_article(
        assemble(lines, join_soft_breaks=False),
        title=title,
        published=parse_published(document.get("date")),
        source=clean_field(document.get("sitename") or document.get("hostname"), markdown=False),
        url=clean_field(document.get("url"), markdown=False),
        path=display_path(path),
        author=clean_field(document.get("author"), markdown=False),
        explicit_id=None,
    )


_JSON_STRING_FIELDS = ("title", "published", "date", "url", "source", "author")


def _article_from_json_object(item: Any, *, path: Path, line: int | None, label: str, where: str = "") -> Article:
    """One JSON object (``text`` required) to an Article; ``where`` prefixes reasons, e.g. "item 3: "."""
    if not isinstance(item, dict):
        raise ArticleError(path, line, f"{where}expected a JSON object with a \"text\" field, got {type(item).__name__}")
    text = item.get("text")
    if text is None:
        raise ArticleError(path, line, f"{where}object has no \"text\" field")
    if not isinstance(text, str):
        raise ArticleError(path, line, f"{where}\"text\" must be a string, got {type(text).__name__}")
    if not text.strip():
        raise ArticleError(path, line, f"{where}\"text\" is empty")
    for key in _JSON_STRING_FIELDS:
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ArticleError(path, line, f"{where}\"{key}\" must be a string, got {type(item[key]).__name__}")
    explicit_id = item.get("id")
    if explicit_id is not None and (isinstance(explicit_id, bool) or not isinstance(explicit_id, (str, int))):
        raise ArticleError(path, line, f"{where}\"id\" must be a string or an integer")
    try:
        return article_from_text(
            text,
            title=item.get("title"),
            published=item.get("published") if item.get("published") is not None else item.get("date"),
            source=item.get("source"),
            url=item.get("url"),
            path=label,
            author=item.get("author"),
            id=None if explicit_id is None else str(explicit_id),
        )
    except ArticleError as exc:
        raise ArticleError(path, line, where + exc.reason) from None


def _parse_json(text: str, path: Path, line: int | None) -> Any:
    """``json.loads`` with errors as ArticleError: a JSON file's own line, or the JSON Lines line."""
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise ArticleError(path, exc.lineno if line is None else line, f"not valid JSON: {_json_problem(exc)}") from None
    except RecursionError:
        raise ArticleError(path, line, "JSON is nested too deeply") from None
    except ValueError as exc:  # _bounded_int
        raise ArticleError(path, line, f"not valid JSON for newskg: {exc}") from None


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise ValueError(f"an integer of {len(digits.lstrip('-')):,} digits (at most {MAX_JSON_INT_DIGITS} are read)")
    return int(digits)


def _json_problem(error: json.JSONDecodeError) -> str:
    problem = f"{error.msg.removesuffix(' at')} at column {error.colno}"
    if error.msg == "Extra data":  # the common mix-up: JSON Lines saved as .json
        problem += " (one JSON object a line is JSON Lines: name the file .jsonl)"
    return problem


def _read_json_file(path: Path, max_bytes: int, fallback: Fallback | None = None) -> Iterator[Article | ArticleError]:
    """.json: one article object, or a list of them (items labelled ``<path>#/<index>``)."""
    data = _parse_json(read_text(path, max_bytes, fallback), path, None)
    if isinstance(data, dict):
        yield _article_from_json_object(data, path=path, line=None, label=display_path(path))
    elif isinstance(data, list):
        if not data:
            raise ArticleError(path, None, "the JSON list is empty")
        for index, item in enumerate(data):
            where = f"item {index}: "
            label = f"{display_path(path)}#/{index}"
            yield _one_item(path, None, lambda: _article_from_json_object(item, path=path, line=None, label=label, where=where), where=where)
    else:
        raise ArticleError(path, None, "top-level JSON must be an object or a list of objects")


def _read_jsonl_file(path: Path, max_bytes: int, fallback: Fallback | None = None) -> Iterator[Article | ArticleError]:
    """.jsonl: one object a line, streamed; ``max_bytes`` limits each line, not the file.

    Lines are split on ``\\n`` bytes only, so U+2028 inside a JSON string cannot split a record.
    """
    found_content = False
    offset = 0
    with path.open("rb") as handle:
        for line_no in itertools.count(1):
            raw = handle.readline(max_bytes + 1)
            if not raw:
                break
            line_start, offset = offset, offset + len(raw)
            if len(raw) > max_bytes and not raw.endswith(b"\n"):
                offset += _skip_rest_of_line(handle)
                found_content = True
                yield ArticleError(path, line_no, f"line is over the limit of {max_bytes:,} bytes (max_bytes)")
                continue
            if line_no == 1:
                check_not_wide_or_binary(raw, path)  # a binary or UTF-16 file fails once, not per line
                if raw.startswith(UTF8_BOM):
                    raw, line_start = raw[len(UTF8_BOM) :], line_start + len(UTF8_BOM)
            if not raw.strip():
                continue
            found_content = True
            yield _one_item(path, line_no, lambda: _jsonl_article(raw, path, line_no, line_start, fallback))
    if not found_content:
        yield ArticleError(path, None, "file is empty" if offset == 0 else "file contains only whitespace")


def _jsonl_article(raw: bytes, path: Path, line_no: int, line_start: int, fallback: Fallback | None) -> Article:
    """The article of one non-blank JSON Lines line (``raw`` bytes, starting at byte ``line_start``)."""
    if b"\x00" in raw:
        check_not_wide_or_binary(raw, path, line_no, line_start)
    decoded = decode_utf8(raw, path, line=line_no, base_offset=line_start, fallback=fallback)
    item = _parse_json(decoded, path, line_no)
    return _article_from_json_object(item, path=path, line=line_no, label=f"{display_path(path)}#L{line_no}")


def _one_item(path: Path, line: int | None, make: Callable[[], Article], where: str = "") -> Article | ArticleError:
    """``make()``, or what it raised as an ArticleError: one bad JSON item or line never stops the file."""
    try:
        return make()
    except ArticleError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - whatever the item holds, the others are read
        return _unexpected(path, line, exc, where=where)


def _skip_rest_of_line(handle: BinaryIO, chunk_bytes: int = 1 << 20) -> int:
    """Consume an over-long line in bounded chunks; returns the bytes skipped."""
    skipped = 0
    while chunk := handle.readline(chunk_bytes):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


_Reader = Callable[[Path, int, "Fallback | None"], Iterator[Article | ArticleError]]
_READERS: dict[str, _Reader] = {
    ".txt": _read_text_file,
    ".md": _read_text_file,
    ".markdown": _read_text_file,
    ".html": _read_html_file,
    ".htm": _read_html_file,
    ".json": _read_json_file,
    ".jsonl": _read_jsonl_file,
}


def read_article_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, fallback: Fallback | None = None) -> Iterator[Article | ArticleError]:
    """Yield the articles of one file, and an :class:`ArticleError` for each bad file, line or item.

    ``fallback``: how to read bytes that are not UTF-8 (default: they are an error)."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        yield ArticleError(path, None, f"unsupported file type {path.suffix or '(none)'} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
        return
    try:
        problem = not_a_regular_file(path)
        if problem is not None:
            yield ArticleError(path, None, problem)
            return
        yield from reader(path, max_bytes, fallback)
    except ArticleError as exc:
        yield exc
    except OSError as exc:
        yield ArticleError(path, None, os_reason(exc))
    except Exception as exc:  # noqa: BLE001 - whatever the bytes, one file never stops a run
        yield _unexpected(path, None, exc)


def _unexpected(path: Path, line: int | None, error: BaseException, where: str = "") -> ArticleError:
    """An error no reader anticipated, as a one-line report (the type and message, no traceback)."""
    message = " ".join(str(error).split())[:300]
    return ArticleError(path, line, f"{where}cannot be read ({type(error).__name__}: {message})")


def read_articles(paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, fallback: Fallback | None = None) -> Iterator[Article | ArticleError]:
    """Stream the articles in ``paths`` (files and folders); errors are yielded, never raised.

    ``fallback``: how to read files that are not UTF-8 (default: each is an error)."""
    for item in iter_input_files(paths):
        if isinstance(item, ArticleError):
            yield item
        else:
            yield from read_article_file(item, max_bytes=max_bytes, fallback=fallback)
