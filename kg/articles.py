"""Read news articles from files into :class:`Article` objects, robustly.

Supported inputs are plain text, Markdown, HTML, JSON and JSON Lines (``SUPPORTED_SUFFIXES``).
Every reader streams: :func:`read_articles` yields one :class:`Article` per article and an
:class:`ArticleError` in place of each bad file or line, so one broken input never stops a run.

What ``Article.text`` is
    The article body, extracted and cleaned: Markdown markup and HTML tags removed, site
    boilerplate (``pipelines/boilerplate.yml``) dropped, the title, date and byline lines of a
    text file's header removed (they are metadata), Unicode NFC, runs of spaces collapsed, and
    paragraphs separated by exactly one blank line (headings and list items are paragraphs of
    their own, so that no sentence runs from one into the next). All character offsets elsewhere
    in newskg index into this string.

How ``Article.id`` is made (stable across runs, machines and file moves)
    ``"a-"`` + the first 16 hex digits of the SHA-256 of one key, the first that applies:
    ``"id:<explicit id>"`` (JSON ``id`` or front matter ``id``), else ``"url:<normalized url>"``
    (see :func:`normalize_url`), else ``"text:<outlet>|<title>|<normalized body>"`` (NFKC, all
    whitespace runs collapsed to one space). So a URL-identified article keeps its id when it is
    edited, while ``content_hash`` tells the edit apart; without a URL, two stories with the same
    body under different headlines (or outlets) stay two articles, and two files holding the same
    story (same outlet, title and body) are one article.

``Article.body_hash`` (near-duplicates and syndicated copies)
    SHA-256 (16 hex digits) of the body alone, case-folded and reduced to its letters and digits,
    so that copies differing only in headline, outlet, URL, punctuation or spacing share it. The
    loader links articles that share a body hash with ``DUPLICATE_OF`` (docs/schema.md).

``Article.path``
    The file as named to the reader; ``<file>#L<n>`` for line ``n`` of a JSON Lines file and
    ``<file>#/<i>`` (a JSON Pointer) for item ``i`` of a JSON list.

Size limit
    ``max_bytes`` caps a whole file, checked before it is read, except for JSON Lines, which
    stream line by line and where it caps each line (one article) instead.

Encoding policy
    Input must be UTF-8 (a UTF-8 byte order mark is accepted and dropped). There is no guessing
    fallback: a file that is not valid UTF-8 is reported with the offending byte and its offset,
    because a silent Latin-1 fallback would garble names (the entities newskg extracts). The one
    exception is HTML that *declares* its charset in a ``<meta>`` tag: a declaration is not a
    guess, so it is honoured (strictly). Opt-in: with a :class:`Fallback` (``kg extract`` /
    ``kg ingest --encoding-fallback cp1252``) a file that is not valid UTF-8 is decoded with the
    named encoding instead (strictly) and reported as a warning, not an error. Files with NUL
    bytes or UTF-16/32 byte order marks are refused either way.
"""

from __future__ import annotations

import codecs
import errno
import fnmatch
import hashlib
import html
import itertools
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml

from kg.document import ArticleRecord
from kg.outlets import body_hash
from kg.resources import pipelines_dir

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_ARTICLE_CHARS",
    "MAX_TOKEN_CHARS",
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleError",
    "Fallback",
    "article_from_text",
    "article_id",
    "body_hash",
    "check_fallback_encoding",
    "clean_text",
    "iter_input_files",
    "normalize_url",
    "parse_published",
    "read_article_file",
    "read_articles",
]

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
DEFAULT_MAX_BYTES = 20_000_000
#: An article longer than this (in characters, after cleaning) is reported, not extracted. Long
#: articles below it are parsed in sections (kg.extract.extractor.SECTION_CHARS), in linear time.
MAX_ARTICLE_CHARS = 3_000_000
#: A run of non-space characters longer than this is cut into pieces of this length (spaces
#: inserted): no word is that long, and spaCy's tokenizer is quadratic in the length of a run.
MAX_TOKEN_CHARS = 200
#: Digits of a JSON integer (Python refuses to convert more than 4,300).
MAX_JSON_INT_DIGITS = 100

ID_PREFIX = "a-"
ID_HEX_DIGITS = 16  # 64 bits: collisions stay negligible well past millions of articles.
BOILERPLATE_FILE = "boilerplate.yml"
HEADER_LINES = 10  # the title, date and byline of a text file are looked for in this many lines
TITLE_MAX_CHARS = 300  # a longer first line is a paragraph, not a headline
HTML_CHARSET_SNIFF_BYTES = 4096

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
_UTF8_BOM = codecs.BOM_UTF8
_WIDE_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


# --------------------------------------------------------------------------------------------
# Public types


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


# --------------------------------------------------------------------------------------------
# Boilerplate data (pipelines/boilerplate.yml)


@dataclass(frozen=True, slots=True)
class _Boilerplate:
    line: re.Pattern[str] | None
    cut: re.Pattern[str] | None
    date_label: re.Pattern[str]
    tracking_parameters: tuple[str, ...]


def _flatten_patterns(groups: Any, key: str) -> list[str]:
    if groups is None:
        return []
    if isinstance(groups, Mapping):
        return [pattern for group in groups.values() for pattern in _flatten_patterns(group, key)]
    if isinstance(groups, list) and all(isinstance(p, str) for p in groups):
        return list(groups)
    raise ValueError(f"{BOILERPLATE_FILE}: {key!r} must be lists of regex strings, optionally grouped")


def _union(patterns: list[str], source: str) -> re.Pattern[str] | None:
    for pattern in patterns:  # compile one by one so a bad entry is named in the error
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{source}: bad regex {pattern!r}: {exc}") from None
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def _boilerplate() -> _Boilerplate:
    """Load and compile ``pipelines/boilerplate.yml`` once per process."""
    path = pipelines_dir() / BOILERPLATE_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    labels = sorted(_flatten_patterns(data.get("date_labels"), "date_labels"), key=len, reverse=True)
    label_alternation = "|".join(re.escape(label) for label in labels) or r"(?!x)x"
    return _Boilerplate(
        line=_union(_flatten_patterns(data.get("line_patterns"), "line_patterns"), str(path)),
        cut=_union(_flatten_patterns(data.get("cut_patterns"), "cut_patterns"), str(path)),
        date_label=re.compile(rf"(?:{label_alternation})\b\s*:?\s*", re.IGNORECASE),
        tracking_parameters=tuple(p.lower() for p in _flatten_patterns(data.get("url_tracking_parameters"), "url_tracking_parameters")),
    )


# --------------------------------------------------------------------------------------------
# Dates (stdlib only)

_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# A clock time (and zone) may follow a written date: "Aug 4, 2025, 10:00 a.m. ET".
_TIME_TAIL = r"(?:\s*(?:,|\||at|-|–|—|·)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?[a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?\)?)?)?"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # 2025-08-04, 2025/08/04, 2025-08-04T10:00:00Z, 2023-12-06T22:22:18.156000Z, +02:00 zones
        r"(?P<year>\d{4})[-/](?P<month_num>\d{1,2})[-/](?P<day>\d{1,2})"
        r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?)?",
        # August 3, 2025 / Aug. 4, 2025 / Monday, August 4th 2025
        _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})" + _ORDINAL + r",?\s+(?P<year>\d{4})" + _TIME_TAIL,
        # 4 August 2025 / 4th of Aug 2025 / Monday 4 August, 2025
        _WEEKDAY + r"(?P<day>\d{1,2})" + _ORDINAL + r"(?:\s+of)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME_TAIL,
    )
)


def parse_published(value: str | date | None) -> str | None:
    """Return ``value`` as an ISO date ``YYYY-MM-DD``, or None when it is not a recognisable date.

    Accepts ``date``/``datetime`` objects (YAML front matter yields those), ISO dates and
    timestamps, and written English dates. A timestamp keeps its own calendar date (no time
    zone conversion): the date the publisher printed is the one readers see. Unparseable values
    give None rather than an error because a date is metadata, not a reason to lose an article.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    candidate = " ".join(value.split())
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(candidate)
        if match is None:
            continue
        fields = match.groupdict()
        month = int(fields["month_num"]) if fields.get("month_num") else _MONTHS[fields["month"].lower()]
        try:
            return date(int(fields["year"]), month, int(fields["day"])).isoformat()
        except ValueError:  # 2025-02-30 and friends
            return None
    return None


def _date_from_line(line: str) -> str | None:
    """The date of a header line such as "Published on: Aug 04, 2025", or None."""
    label = _boilerplate().date_label.match(line)
    remainder = line[label.end() :] if label else line
    return parse_published(remainder)


# --------------------------------------------------------------------------------------------
# Identity: URLs, ids, content hashes


def normalize_url(url: str) -> str:
    """Canonical form of ``url`` for identity, so trivially different links name one article.

    Scheme http/https unified to https, host lower-cased without ``www.`` and default port,
    fragment dropped, tracking parameters (``url_tracking_parameters`` in boilerplate.yml)
    dropped, remaining query parameters sorted, trailing slash removed.
    """
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)  # ValueError for "http://[::1": callers report it (see _make_article)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        scheme = "https"
    host = (parts.hostname or "").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port not in (80, 443):
        host = f"{host}:{port}"
    tracking = _boilerplate().tracking_parameters
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not any(fnmatch.fnmatchcase(key.lower(), pattern) for pattern in tracking)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def _normalize_for_identity(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def article_id(
    *, explicit_id: str | None = None, url: str | None = None, text: str = "", title: str | None = None, source: str | None = None
) -> str:
    """The stable article id: from the explicit id, else the normalized URL, else the outlet,
    title and normalized body together (see the module docstring)."""
    if explicit_id is not None and explicit_id.strip():
        key = "id:" + explicit_id.strip()
    elif url is not None and url.strip():
        key = "url:" + normalize_url(url)
    else:
        parts = (_normalize_for_identity(source or ""), _normalize_for_identity(title or ""), _normalize_for_identity(text))
        key = "text:" + "|".join(parts) if (source or title) else "text:" + parts[2]
    return ID_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]


def _content_hash(
    text: str, *, title: str | None, published: str | None, source: str | None, url: str | None, author: str | None
) -> str:
    """SHA-256 over the text and the metadata a reader sees; the file path and id are left out
    so that moving a file does not look like an edit."""
    payload = {"text": text, "title": title, "published": published, "source": source, "url": url, "author": author}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------
# Text cleanup


@dataclass(slots=True)
class _Line:
    """One cleaned line; ``block`` lines (headings, list items) become paragraphs of their own."""

    text: str
    block: bool = False


_DROPPED_CHARS = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff\ue000\ue001"))  # soft hyphen, zero-widths, BOM, our sentinels
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def _normalize_line(line: str) -> str:
    """Collapse every kind of horizontal space to one ASCII space and drop invisible characters."""
    line = _CONTROL_CHARS.sub(" ", line.translate(_DROPPED_CHARS))
    return _SPACES.sub(" ", line).strip()


_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\f": "\n\n", "\v": "\n"})


def _split_lines(text: str) -> list[str]:
    """NFC lines, whatever the line breaks: CRLF, CR, Unicode line/paragraph separators, form feeds."""
    return unicodedata.normalize("NFC", text).replace("\r\n", "\n").translate(_LINE_BREAKS).split("\n")


# Bullets used by plain text, word processors and HTML-to-text converters (trafilatura uses "- ").
_BULLET = re.compile(r"\s*[-*+•◦▪▫‣●○■□∙·⁃–]\s+")
_MARKDOWN_LIST_ITEM = re.compile(r"\s*(?:[-*+•◦▪▫‣●○■□∙·⁃]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?")
_MARKDOWN_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*")
# "---", "* * *", "====": a separator (or a Markdown setext underline), never content.
_RULE_LINE = re.compile(r"\s*([-*_=~#])(?:\s*\1){2,}\s*")
_MARKDOWN_FENCE = re.compile(r"\s{0,3}(?:```|~~~)")
_MARKDOWN_REFERENCE_DEFINITION = re.compile(r"\s{0,3}\[[^\[\]]+\]:\s+\S+.*")
_BLOCKQUOTE = re.compile(r"\s{0,3}(?:>\s?)+")

# Every pattern below runs in linear time: no bracket or tag content may run past the next opening
# bracket, so "![" x 50,000 or "<http://" x 50,000 cannot make the engine rescan the line at each one.
_SCRIPT_OR_STYLE_OPEN = re.compile(r"<(script|style)\b[^<>]*>", re.IGNORECASE)
# Code spans and backslash escapes are set aside before emphasis is stripped, then restored.
_BACKTICKS_OR_ESCAPE = re.compile(r"`+|\\([!-/:-@\[-`{-~])")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_IMAGE = re.compile(r"!\[[^\[\]]*\](?:\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\[[^\[\]]*\])")
_LINK = re.compile(r"\[([^\[\]]+)\](?:\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)|\[[^\[\]]*\])")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\[\]]+\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+|mailto:[^<>\s]+)>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
# Tags that sit inside a word ("<b>Open</b>AI") vanish; any other tag separates words.
_INLINE_HTML_TAGS = frozenset("a abbr b bdi bdo cite code data del dfn em i ins kbd mark q s samp small span strong sub sup time u var".split())
# A closing marker pairs with the nearest opening one (as in CommonMark), hence no "**" inside.
_EMPHASIS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\*\*(?=\S)((?:(?!\*\*).)+?)(?<=\S)\*\*"),  # **bold**
    re.compile(r"(?<!\w)__(?=\S)((?:(?!__).)+?)(?<=\S)__(?!\w)"),  # __bold__, not snake__case
    re.compile(r"~~(?=\S)((?:(?!~~).)+?)(?<=\S)~~"),  # ~~strike~~
    re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])"),  # *italic*, not 2 * 3 or a*b*c
    re.compile(r"(?<![\w_])_(?=[^\s_])([^_]+?)(?<=[^\s_])_(?![\w_])"),  # _italic_, not snake_case_name
)
# An unpaired "**" at a word edge is a typo in the source's markup, never meant as text ("2**10" stays).
_STRAY_BOLD_MARKER = re.compile(r"(?<!\S)\*\*(?=\S)|(?<=\S)\*\*(?!\S)")


def _replace_html_tag(match: re.Match[str]) -> str:
    return "" if match.group(1).lower() in _INLINE_HTML_TAGS else " "


def _clean_inline_markdown(line: str) -> str:
    """Strip inline Markdown and HTML from one line, keeping the words readers see."""
    protected: list[str] = []
    line = line.replace("\ue000", "").replace("\ue001", "")  # our placeholder delimiters

    line = _protect_code_spans_and_escapes(line, protected)
    line = _IMAGE.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = _FOOTNOTE_REFERENCE.sub("", line)
    line = _AUTOLINK.sub(r"\1", line)
    line = _HTML_TAG.sub(_replace_html_tag, line)
    for pattern in _EMPHASIS:
        line = pattern.sub(r"\1", line)
    line = _STRAY_BOLD_MARKER.sub("", line)
    line = html.unescape(line)
    return _PLACEHOLDER.sub(lambda m: protected[int(m.group(1))], line)


def _protect_code_spans_and_escapes(line: str, protected: list[str]) -> str:
    """Replace code spans (a backtick run, text, a run of the same length) and backslash escapes
    with placeholders, appending their text to ``protected``; one left-to-right pass.

    Linear: each backtick run knows the next run of its length (computed from the end), where a
    regex such as ``(`+)(.+?)\\1`` retries every shorter run at every position (20,000 backticks
    never finished)."""
    matches = list(_BACKTICKS_OR_ESCAPE.finditer(line))
    if not matches:
        return line
    closer: list[int | None] = [None] * len(matches)
    last: dict[int, int] = {}
    for k in range(len(matches) - 1, -1, -1):
        if matches[k].group(1) is None:  # a backtick run
            size = matches[k].end() - matches[k].start()
            closer[k] = last.get(size)
            last[size] = k
    parts: list[str] = []
    position = 0
    k = 0
    while k < len(matches):
        match = matches[k]
        if match.start() < position:  # inside a code span already taken
            k += 1
            continue
        if match.group(1) is not None:  # backslash escape
            protected.append(match.group(1))
            parts.append(line[position : match.start()] + f"\ue000{len(protected) - 1}\ue001")
            position = match.end()
            k += 1
            continue
        end = closer[k]
        content = line[match.end() : matches[end].start()] if end is not None else ""
        if end is None or not content:  # no closing run: the backticks are text
            k += 1
            continue
        protected.append(content.strip())
        parts.append(line[position : match.start()] + f"\ue000{len(protected) - 1}\ue001")
        position = matches[end].end()
        k = end + 1
    parts.append(line[position:])
    return "".join(parts)


def _markdown_lines(text: str) -> list[_Line]:
    """Markdown to cleaned lines: markup removed, headings and list items marked as blocks."""
    text = _strip_html_comments(_strip_scripts_and_styles(text))
    lines: list[_Line] = []
    in_fence = False
    for raw in _split_lines(text):
        if _MARKDOWN_FENCE.match(raw):
            in_fence = not in_fence
            lines.append(_Line(""))
            continue
        if in_fence:
            lines.append(_Line(_normalize_line(raw)))
            continue
        if _RULE_LINE.fullmatch(raw) or _MARKDOWN_REFERENCE_DEFINITION.fullmatch(raw):
            lines.append(_Line(""))
            continue
        block = False
        if quote := _BLOCKQUOTE.match(raw):
            raw = raw[quote.end() :]
        if heading := _MARKDOWN_HEADING.fullmatch(raw):
            raw, block = heading.group(1), True
        elif item := _MARKDOWN_LIST_ITEM.match(raw):
            raw, block = raw[item.end() :], True
        lines.append(_Line(_normalize_line(_clean_inline_markdown(raw)), block))
    return lines


def _strip_scripts_and_styles(text: str) -> str:
    """Remove ``<script>``/``<style>`` elements in one pass (an unclosed one is left as text)."""
    parts: list[str] = []
    position = 0
    lowered: str | None = None
    while (opening := _SCRIPT_OR_STYLE_OPEN.search(text, position)) is not None:
        lowered = lowered if lowered is not None else text.lower()
        closing = lowered.find(f"</{opening.group(1).lower()}", opening.end())
        if closing < 0:
            break  # nothing after it can close either: stop rather than rescan
        end = text.find(">", closing)
        end = len(text) if end < 0 else end + 1
        parts.append(text[position : opening.start()])
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _strip_html_comments(text: str) -> str:
    """Remove ``<!-- ... -->`` comments in one pass (an unclosed one is left as text)."""
    parts: list[str] = []
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            break
        parts.append(text[position:start])
        position = end + 3
    parts.append(text[position:])
    return "".join(parts)


def _plain_lines(text: str, *, every_line_a_block: bool = False) -> list[_Line]:
    """Plain text to cleaned lines: bullets removed (bulleted lines become blocks), spaces collapsed."""
    lines: list[_Line] = []
    for raw in _split_lines(text):
        if _RULE_LINE.fullmatch(raw):
            lines.append(_Line(""))
            continue
        block = every_line_a_block
        if bullet := _BULLET.match(raw):
            raw, block = raw[bullet.end() :], True
        lines.append(_Line(_normalize_line(raw), block))
    return lines


def _drop_boilerplate(lines: list[_Line]) -> list[_Line]:
    """Remove boilerplate lines, and cut a site footer that starts in the second half of the text."""
    patterns = _boilerplate()
    total_chars = sum(len(line.text) for line in lines)
    kept: list[_Line] = []
    chars_before = 0
    for line in lines:
        text = line.text
        if text and patterns.cut is not None and patterns.cut.fullmatch(text):
            if chars_before * 2 >= total_chars:
                break
            continue
        if text and patterns.line is not None and patterns.line.fullmatch(text):
            continue
        chars_before += len(text)
        kept.append(line)
    return kept


def _assemble(lines: Iterable[_Line], *, join_soft_breaks: bool) -> str:
    """Join lines into paragraphs separated by one blank line.

    Markdown joins a paragraph's lines with spaces (a soft break is a space there); plain text
    keeps its line breaks because nothing says they are soft.
    """
    separator = " " if join_soft_breaks else "\n"
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(separator.join(current))
            current.clear()

    for line in lines:
        if not line.text:
            flush()
        elif line.block:
            flush()
            paragraphs.append(line.text)
        else:
            current.append(line.text)
    flush()
    return "\n\n".join(paragraphs)


def clean_text(text: str, *, markdown: bool = True) -> str:
    """Clean an article body: markup (when ``markdown``), bullets, boilerplate and extra whitespace.

    Used for JSON ``text`` and by :func:`article_from_text`. Cleaning ordinary clean prose again
    changes nothing (so its id stays); only literal markup that came from code spans or
    backslash escapes would be stripped on a second pass.
    """
    lines = _markdown_lines(text) if markdown else _plain_lines(text)
    return _assemble(_drop_boilerplate(lines), join_soft_breaks=markdown)


def _clean_field(value: str | None, *, markdown: bool = True) -> str | None:
    """A one-line metadata value: inline markup removed, whitespace collapsed, empty → None."""
    if value is None:
        return None
    cleaned = _normalize_line(_clean_inline_markdown(value) if markdown else value)
    cleaned = " ".join(unicodedata.normalize("NFC", cleaned).split())
    return cleaned or None


# --------------------------------------------------------------------------------------------
# Text-file headers: front matter, title, date and byline lines

_FRONT_MATTER_OPEN = "---"
_FRONT_MATTER_CLOSE = ("---", "...")
_FRONT_MATTER_KEYS = ("id", "title", "url", "published", "date", "source", "author")
# "By Jane Doe" / "BY JANE DOE and Ann Lee": capitalised words only, so "By the numbers" is no byline.
_NAME_WORDS = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_BYLINE = re.compile(rf"(?:By|BY|by)\s+({_NAME_WORDS}(?:\s+(?:and|&)\s+{_NAME_WORDS})?)")


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings: ``published: 2025-02-30`` must not raise (PyYAML's
    own date constructor does); :func:`parse_published` then reads or ignores it like any date."""


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _split_front_matter(text: str, location: str) -> tuple[dict[str, Any], str]:
    """Split YAML front matter (``---`` … ``---``) from the body; no front matter → empty dict."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FRONT_MATTER_OPEN:
        return {}, text
    for index in range(1, len(lines)):
        if lines[index].strip() in _FRONT_MATTER_CLOSE:
            break
    else:
        return {}, text  # an opening rule with no closing one is just a rule
    try:
        meta = yaml.load("\n".join(lines[1:index]), Loader=_FrontMatterLoader)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None  # the YAML starts on the file's line 2
        raise ArticleError(location, line, "front matter is not valid YAML") from None
    except RecursionError:
        raise ArticleError(location, 2, "front matter is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of over 4,300 digits
        raise ArticleError(location, 2, f"front matter has a value that cannot be read ({exc})") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ArticleError(location, None, "front matter must be a YAML mapping of fields such as title: and date:")
    return meta, "\n".join(lines[index + 1 :])


def _same_heading(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass(slots=True)
class _Header:
    title: str | None = None
    published: str | None = None
    author: str | None = None


def _take_header(lines: list[_Line], known_title: str | None) -> tuple[_Header, list[_Line]]:
    """Find the title, date and byline among the first lines and remove them from the body.

    The title is the first non-empty line unless front matter named one. It leaves the body
    only when it reads like a headline (no final period, at most TITLE_MAX_CHARS) and other text
    remains; a title line repeated in the header (sites print it again after the date) is dropped.
    """
    header = _Header(title=known_title)
    zone = [i for i, line in enumerate(lines) if line.text][:HEADER_LINES]
    removed: set[int] = set()
    title_index: int | None = None
    for i in zone:
        text = lines[i].text
        if (found := _date_from_line(text)) is not None:
            header.published = header.published or found
            removed.add(i)
        elif header.author is None and (byline := _BYLINE.fullmatch(text)):
            header.author = " ".join(byline.group(1).split())
            removed.add(i)
        elif header.title is None and title_index is None:
            title_index = i
            if len(text) <= TITLE_MAX_CHARS:
                header.title = text
    if title_index is not None and header.title is not None and not _reads_like_sentence(header.title):
        removed.add(title_index)
    if header.title is not None:
        removed.update(i for i in zone if i != title_index and _same_heading(lines[i].text, header.title))
    body = [line for i, line in enumerate(lines) if i not in removed]
    if not any(line.text for line in body) and title_index is not None:
        body = [lines[title_index]]  # a one-line article: the line is both title and text
    return header, body


def _reads_like_sentence(text: str) -> bool:
    return text.endswith(".") and not text.endswith("...")


# --------------------------------------------------------------------------------------------
# Building articles


def _make_article(
    text: str,
    *,
    title: str | None,
    published: str | None,
    source: str | None,
    url: str | None,
    path: str | None,
    author: str | None,
    explicit_id: str | None,
) -> Article:
    where = path or "<text>"
    if not text.strip():
        raise ArticleError(where, None, "no article text (empty once markup and boilerplate are removed)")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(where, None, f"article is {len(text):,} characters, over the limit of {MAX_ARTICLE_CHARS:,} (MAX_ARTICLE_CHARS)")
    text = bound_token_length(text)
    for name, value in (("text", text), ("title", title), ("source", source), ("url", url), ("author", author), ("id", explicit_id)):
        if value is not None and not _is_valid_unicode(value):
            bad = next(c for c in value if 0xD800 <= ord(c) <= 0xDFFF)
            raise ArticleError(where, None, f"{name} contains a lone surrogate (\\u{ord(bad):04x}), which is not valid Unicode")
    if url is not None and (explicit_id is None or not explicit_id.strip()):
        try:
            normalize_url(url)
        except ValueError as exc:
            raise ArticleError(where, None, f"url {url[:100]!r} is not a valid URL ({exc})") from None
    return Article(
        id=article_id(explicit_id=explicit_id, url=url, text=text, title=title, source=source),
        text=text,
        title=title,
        published=published,
        source=source,
        url=url,
        path=path,
        author=author,
        content_hash=_content_hash(text, title=title, published=published, source=source, url=url, author=author),
        body_hash=body_hash(text),
    )


_LONG_RUN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")


def bound_token_length(text: str) -> str:
    """Cut every run of non-space characters longer than :data:`MAX_TOKEN_CHARS` into pieces of
    that length. Idempotent, so cleaning a text twice keeps its id."""
    if len(text) <= MAX_TOKEN_CHARS:
        return text

    def cut(match: re.Match[str]) -> str:
        run = match.group(0)
        return " ".join(run[i : i + MAX_TOKEN_CHARS] for i in range(0, len(run), MAX_TOKEN_CHARS))

    return _LONG_RUN.sub(cut, text)


def _is_valid_unicode(value: str) -> bool:
    """False for text with lone surrogates (JSON ``"\\ud800"``), which cannot be encoded as UTF-8."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    published: str | date | None = None,
    source: str | None = None,
    url: str | None = None,
    path: str | None = None,
    author: str | None = None,
    id: str | None = None,  # noqa: A002 - the public name matches the JSON field
    markdown: bool = True,
) -> Article:
    """Build an :class:`Article` from a body and explicit metadata (no header guessing).

    The body is cleaned with :func:`clean_text` (Markdown by default: JSON texts are Markdown);
    ``published`` is normalised with :func:`parse_published`. Raises :class:`ArticleError` when
    nothing is left of the text.
    """
    return _make_article(
        clean_text(text, markdown=markdown),
        title=_clean_field(title),
        published=parse_published(published),
        source=_clean_field(source, markdown=False),
        url=_clean_field(url, markdown=False),
        path=path,
        author=_clean_field(author),
        explicit_id=id,
    )


# --------------------------------------------------------------------------------------------
# Finding input files


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "cannot read: permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {error.strerror or error}"


_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_a_regular_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as an article file (a dangling or looping symbolic link, a
    FIFO, a device such as /dev/zero), or None for a regular file. Reading a FIFO would block
    and /dev/zero never ends, so they are refused before they are opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if exc.errno == errno.ENOENT and os.path.islink(path):
            try:
                target = display_path(os.readlink(path))
            except OSError:
                target = "?"
            return f"dangling symbolic link (to {target})"
        return _os_reason(exc)
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return f"not a regular file: {kind}"


def _is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _files_under(folder: Path) -> tuple[list[Path], list[ArticleError]]:
    """Supported, non-hidden regular files below ``folder``, sorted by their path within it."""
    errors: list[ArticleError] = []
    found: list[Path] = []

    def report(error: OSError) -> None:
        errors.append(ArticleError(error.filename or folder, None, _os_reason(error)))

    read = {os.path.realpath(folder)}  # every folder is read once, whatever the links leading to it

    def to_read(dirpath: str, name: str) -> bool:
        if name.startswith("."):
            return False
        candidate = os.path.join(dirpath, name)
        real = os.path.realpath(candidate)
        if os.path.islink(candidate):  # a loop: it leads to a folder of the path that reaches it, or above one
            above = Path(dirpath).relative_to(folder).parents
            chain = {os.path.realpath(dirpath), *(os.path.realpath(folder / part) for part in above)}
            if any(real == here or here.startswith(real.rstrip(os.sep) + os.sep) for here in chain):
                errors.append(ArticleError(Path(candidate), None, f"symbolic link loop: links to {display_path(os.readlink(candidate))}, a folder it is in"))
                return False
        if real in read:
            return False  # already read through another path: its files are read once
        read.add(real)
        return True

    for dirpath, dirnames, filenames in os.walk(folder, onerror=report, followlinks=True):
        dirnames[:] = [name for name in sorted(dirnames) if to_read(dirpath, name)]
        for name in filenames:
            candidate = Path(dirpath, name)
            if name.startswith(".") or not _is_supported(candidate):
                continue
            problem = _not_a_regular_file(candidate)
            if problem is None:
                found.append(candidate)
            else:  # a supported name that cannot be read is reported, not skipped in silence
                errors.append(ArticleError(candidate, None, problem))
    found.sort(key=lambda p: p.relative_to(folder).parts)
    return found, errors


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | ArticleError]:
    """Expand files and folders into the files to read, in a reproducible order.

    Folders are walked recursively and sorted; hidden files and folders and unsupported
    suffixes inside them are skipped silently (a folder holds other things too). Symbolic links
    to folders are followed, wherever they point, and each folder is read once, by the first
    path that reaches it in sorted order; a link to a folder it is in (itself, its own folder,
    a folder above, ``/``) is a loop, reported as an :class:`ArticleError`. A path named
    explicitly is always reported: missing, or with an unsupported suffix, it yields an
    :class:`ArticleError`. A file reached twice is yielded once.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path passed bare, not a list of paths
    seen: set[str] = set()

    def first_time(path: Path) -> bool:
        key = os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for given in paths:
        path = Path(given)
        try:
            is_folder = path.is_dir()
            exists = is_folder or path.exists()
        except OSError as exc:
            yield ArticleError(path, None, _os_reason(exc))
            continue
        if not exists:
            yield ArticleError(path, None, _not_a_regular_file(path) or "no such file or directory")
        elif is_folder:
            files, errors = _files_under(path)
            yield from errors
            yield from (file for file in files if first_time(file))
        elif not _is_supported(path):
            suffix = path.suffix or "(none)"
            yield ArticleError(path, None, f"unsupported file type {suffix} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
        elif first_time(path):
            yield path


# --------------------------------------------------------------------------------------------
# Reading bytes safely


@dataclass(frozen=True)
class Fallback:
    """Decode input that is not valid UTF-8 with ``encoding`` (strictly) and tell ``on_warning``
    (one line naming the file and the encoding) instead of refusing the file."""

    encoding: str
    on_warning: Callable[[str], None] = lambda message: None


def check_fallback_encoding(name: str) -> str:
    """The codec's canonical name (``"CP-1252"`` -> ``"cp1252"``), or ValueError saying why it cannot
    be a fallback: unknown, not a text encoding, or not ASCII-compatible (UTF-16/32 would turn
    any bytes into other text)."""
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise ValueError(f"unknown encoding {name!r} (e.g. cp1252, latin-1, iso-8859-15)") from None
    try:
        compatible = b"Ab1 .\n".decode(codec.name) == "Ab1 .\n"
    except (LookupError, UnicodeDecodeError, TypeError):
        compatible = False
    if not compatible or not getattr(codec, "_is_text_encoding", True):
        raise ValueError(f"encoding {name!r} cannot be a fallback: it is not an ASCII-compatible text encoding (e.g. cp1252, latin-1)")
    return codec.name


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The whole file, refusing files over ``max_bytes`` before reading them into memory."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleError(path, None, f"file is {size:,} bytes, over the limit of {max_bytes:,} (max_bytes)")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)  # the file may have grown since stat()
    if len(data) > max_bytes:
        raise ArticleError(path, None, f"file is over the limit of {max_bytes:,} bytes (max_bytes)")
    return data


def _check_not_wide_or_binary(data: bytes, path: Path, line: int | None = None, base_offset: int = 0) -> None:
    for bom, name in _WIDE_BOMS:
        if data.startswith(bom):
            raise ArticleError(path, line, f"file is {name} encoded; newskg reads UTF-8 only (convert it, e.g. iconv -f {name} -t UTF-8)")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ArticleError(path, line, f"looks like a binary file (NUL byte at offset {base_offset + nul})")


def _decode_utf8(data: bytes, path: Path, *, line: int | None = None, base_offset: int = 0, fallback: Fallback | None = None) -> str:
    """Strict UTF-8 (BOM dropped); the error names the first bad byte and its offset in the file.

    With a ``fallback``, bytes that are not UTF-8 are decoded with its encoding (strictly) and a
    warning is given instead of the error."""
    if data.startswith(_UTF8_BOM):
        data, base_offset = data[len(_UTF8_BOM) :], base_offset + len(_UTF8_BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        if fallback is not None:
            return _decode_fallback(data, path, fallback, line=line, base_offset=base_offset, first_bad=(bad, base_offset + exc.start))
        raise ArticleError(
            path,
            line,
            f"not valid UTF-8: byte 0x{bad:02x} at offset {base_offset + exc.start}; newskg reads UTF-8 only, "
            "so that no text is silently garbled (convert the file, e.g. iconv -f latin1 -t utf-8)",
        ) from None


def _decode_fallback(data: bytes, path: Path, fallback: Fallback, *, line: int | None, base_offset: int, first_bad: tuple[int, int]) -> str:
    try:
        text = data.decode(fallback.encoding)
    except UnicodeDecodeError as exc:
        bad, offset = first_bad
        raise ArticleError(
            path,
            line,
            f"not valid UTF-8 (byte 0x{bad:02x} at offset {offset}) nor {fallback.encoding} "
            f"(byte 0x{data[exc.start]:02x} at offset {base_offset + exc.start}); convert the file to UTF-8",
        ) from None
    bad, offset = first_bad
    location = display_path(path) if line is None else f"{display_path(path)}:{line}"
    fallback.on_warning(f"{location}: not valid UTF-8 (byte 0x{bad:02x} at offset {offset}); read as {fallback.encoding} (--encoding-fallback)")
    return text


def _read_text(path: Path, max_bytes: int, fallback: Fallback | None = None) -> str:
    """The file's text, or an ArticleError saying why it is not a readable UTF-8 text file."""
    data = _read_bytes(path, max_bytes)
    if not data:
        raise ArticleError(path, None, "file is empty")
    _check_not_wide_or_binary(data, path)
    text = _decode_utf8(data, path, fallback=fallback)
    if not text.strip():
        raise ArticleError(path, None, "file contains only whitespace")
    return text


# --------------------------------------------------------------------------------------------
# Readers, one per format


def _read_text_file(path: Path, max_bytes: int, fallback: Fallback | None = None) -> Iterator[Article]:
    """.txt / .md: optional YAML front matter, then a header (title, date, byline) and the body.

    Front matter keys: ``title``, ``url``, ``published`` (or ``date``), ``source``, ``author``,
    ``id``; they win over what the header lines say, except an unparseable date.
    """
    markdown = path.suffix.lower() in _MARKDOWN_SUFFIXES
    meta, body = _split_front_matter(_read_text(path, max_bytes, fallback), str(path))
    for key in _FRONT_MATTER_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, (str, int, float, date)):
            raise ArticleError(path, None, f"front matter field {key!r} must be a single value")

    def field(key: str) -> str | None:
        value = meta.get(key)
        return None if value is None else str(value)

    known_title = _clean_field(field("title"), markdown=markdown)
    lines = _markdown_lines(body) if markdown else _plain_lines(body)
    header, lines = _take_header(_drop_boilerplate(lines), known_title)
    published_value = meta["published"] if meta.get("published") is not None else meta.get("date")
    yield _make_article(
        _assemble(lines, join_soft_breaks=markdown),
        title=header.title,
        published=parse_published(published_value) or header.published,
        source=_clean_field(field("source"), markdown=False),
        url=_clean_field(field("url"), markdown=False),
        path=display_path(path),
        author=_clean_field(field("author"), markdown=False) or header.author,
        explicit_id=field("id"),
    )


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode_html(data: bytes, path: Path, fallback: Fallback | None = None) -> str:
    """UTF-8, else the charset the page declares in a <meta> tag (a declaration, not a guess),
    else the ``fallback`` encoding when one is given.

    Valid UTF-8 wins over a declaration because pages mislabelled "iso-8859-1" are common and
    valid UTF-8 is almost never an accident.
    """
    try:
        return _decode_utf8(data, path)
    except ArticleError as not_utf8:
        declared = _META_CHARSET.search(data[:HTML_CHARSET_SNIFF_BYTES])
        if declared is None:
            if fallback is not None:
                return _decode_utf8(data, path, fallback=fallback)
            raise
        charset = declared.group(1).decode("ascii")
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            raise ArticleError(path, None, f"{not_utf8.reason}; the page declares an unknown charset {charset!r}") from None
        if codec == "utf-8":
            raise
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ArticleError(path, None, f"not valid {charset} as the page declares: byte 0x{data[exc.start]:02x} at offset {exc.start}") from None


def _read_html_file(path: Path, max_bytes: int, fallback: Fallback | None = None) -> Iterator[Article]:
    """.html / .htm: main text and metadata by trafilatura (no navigation, scripts or footers)."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise ArticleError(path, None, "file is empty" if not data else "file contains only whitespace")
    _check_not_wide_or_binary(data, path)
    markup = _decode_html(data, path, fallback)
    try:
        extracted = trafilatura.bare_extraction(
            markup,
            with_metadata=True,
            include_comments=False,  # reader comments are not the article
            include_tables=False,  # table cells read as broken sentences
            favor_precision=True,  # leftover navigation is worse for extraction than a lost aside
        )
    except Exception as exc:  # noqa: BLE001 - a parser failure on one page must not stop the run
        raise ArticleError(path, None, f"HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    document: dict[str, Any] = {}
    if extracted is not None:
        document = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    main_text = document.get("text") or ""
    if not main_text.strip():
        raise ArticleError(path, None, "no main text found in the HTML")
    title = _clean_field(document.get("title"), markdown=False)
    lines = _drop_boilerplate(_plain_lines(main_text, every_line_a_block=True))
    if title is not None:  # pages often repeat the headline as the first line of the body
        leading = [i for i, line in enumerate(lines) if line.text][:HEADER_LINES]
        lines = [line for i, line in enumerate(lines) if not (i in leading and _same_heading(line.text, title))]
    yield _make_article(
        _assemble(lines, join_soft_breaks=False),
        title=title,
        published=parse_published(document.get("date")),
        source=_clean_field(document.get("sitename") or document.get("hostname"), markdown=False),
        url=_clean_field(document.get("url"), markdown=False),
        path=display_path(path),
        author=_clean_field(document.get("author"), markdown=False),
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
    data = _parse_json(_read_text(path, max_bytes, fallback), path, None)
    if isinstance(data, dict):
        yield _article_from_json_object(data, path=path, line=None, label=display_path(path))
    elif isinstance(data, list):
        if not data:
            raise ArticleError(path, None, "the JSON list is empty")
        for index, item in enumerate(data):
            try:
                yield _article_from_json_object(item, path=path, line=None, label=f"{display_path(path)}#/{index}", where=f"item {index}: ")
            except ArticleError as exc:
                yield exc
            except Exception as exc:  # noqa: BLE001 - one bad item never stops the list
                yield _unexpected(path, None, exc, where=f"item {index}: ")
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
                _check_not_wide_or_binary(raw, path)  # a binary or UTF-16 file fails once, not per line
                if raw.startswith(_UTF8_BOM):
                    raw, line_start = raw[len(_UTF8_BOM) :], line_start + len(_UTF8_BOM)
            if not raw.strip():
                continue
            found_content = True
            try:
                if b"\x00" in raw:
                    _check_not_wide_or_binary(raw, path, line_no, line_start)
                decoded = _decode_utf8(raw, path, line=line_no, base_offset=line_start, fallback=fallback)
                item = _parse_json(decoded, path, line_no)
                yield _article_from_json_object(item, path=path, line=line_no, label=f"{display_path(path)}#L{line_no}")
            except ArticleError as exc:
                yield exc
            except Exception as exc:  # noqa: BLE001 - one bad line never stops the file
                yield _unexpected(path, line_no, exc)
    if not found_content:
        yield ArticleError(path, None, "file is empty" if offset == 0 else "file contains only whitespace")


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
        problem = _not_a_regular_file(path)
        if problem is not None:
            yield ArticleError(path, None, problem)
            return
        yield from reader(path, max_bytes, fallback)
    except ArticleError as exc:
        yield exc
    except OSError as exc:
        yield ArticleError(path, None, _os_reason(exc))
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
