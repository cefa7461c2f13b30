"""The header of a text file: YAML front matter, then title, date and byline lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from kg.articles.boilerplate import load_boilerplate
from kg.articles.cleaning import Line
from kg.articles.dates import parse_published
from kg.articles.model import ArticleError

HEADER_LINES = 10  # the title, date and byline of a text file are looked for in this many lines
TITLE_MAX_CHARS = 300  # a longer first line is a paragraph, not a headline


_FRONT_MATTER_OPEN = "---"
_FRONT_MATTER_CLOSE = ("---", "...")
FRONT_MATTER_KEYS = ("id", "title", "url", "published", "date", "source", "author")
# "By Jane Doe" / "BY JANE DOE and Ann Lee": capitalised words only, so "By the numbers" is no byline.
_NAME_WORDS = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_BYLINE = re.compile(rf"(?:By|BY|by)\s+({_NAME_WORDS}(?:\s+(?:and|&)\s+{_NAME_WORDS})?)")


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as strings: ``published: 2025-02-30`` must not raise (PyYAML's
    own date constructor does); :func:`parse_published` then reads or ignores it like any date."""


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def split_front_matter(text: str, location: str) -> tuple[dict[str, Any], str]:
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


def same_heading(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass(slots=True)
class Header:
    title: str | None = None
    published: str | None = None
    author: str | None = None


def take_header(lines: list[Line], known_title: str | None) -> tuple[Header, list[Line]]:
    """Find the title, date and byline among the first lines and remove them from the body.

    The title is the first non-empty line unless front matter named one. It leaves the body
    only when it reads like a headline (no final period, at most TITLE_MAX_CHARS) and other text
    remains; a title line repeated in the header (sites print it again after the date) is dropped.
    """
    header = Header(title=known_title)
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
        removed.update(i for i in zone if i != title_index and same_heading(lines[i].text, header.title))
    body = [line for i, line in enumerate(lines) if i not in removed]
    if not any(line.text for line in body) and title_index is not None:
        body = [lines[title_index]]  # a one-line article: the line is both title and text
    return header, body


def _reads_like_sentence(text: str) -> bool:
    return text.endswith(".") and not text.endswith("...")


def _date_from_line(line: str) -> str | None:
    """The date of a header line such as "Published on: Aug 04, 2025", or None."""
    label = load_boilerplate().date_label.match(line)
    remainder = line[label.end() :] if label else line
    return parse_published(remainder)
