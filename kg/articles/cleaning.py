"""Text cleanup: what ``Article.text`` is.

The article body, extracted and cleaned: Markdown markup and HTML tags removed, site boilerplate
(``pipelines/boilerplate.yml``) dropped, Unicode NFC, runs of spaces collapsed, and paragraphs
separated by exactly one blank line (headings and list items are paragraphs of their own, so
that no sentence runs from one into the next); the title, date and byline lines of a text file's
header are removed by :mod:`kg.articles.headers`. All character offsets elsewhere in newskg
index into this string.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kg.articles.boilerplate import load_boilerplate

#: A run of non-space characters longer than this is cut into pieces of this length (spaces
#: inserted): no word is that long, and spaCy's tokenizer is quadratic in the length of a run.
MAX_TOKEN_CHARS = 200


@dataclass(slots=True)
class Line:
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


def markdown_lines(text: str) -> list[Line]:
    """Markdown to cleaned lines: markup removed, headings and list items marked as blocks."""
    text = _strip_html_comments(_strip_scripts_and_styles(text))
    lines: list[Line] = []
    in_fence = False
    for raw in _split_lines(text):
        if _MARKDOWN_FENCE.match(raw):
            in_fence = not in_fence
            lines.append(Line(""))
            continue
        if in_fence:
            lines.append(Line(_normalize_line(raw)))
            continue
        if _RULE_LINE.fullmatch(raw) or _MARKDOWN_REFERENCE_DEFINITION.fullmatch(raw):
            lines.append(Line(""))
            continue
        block = False
        if quote := _BLOCKQUOTE.match(raw):
            raw = raw[quote.end() :]
        if heading := _MARKDOWN_HEADING.fullmatch(raw):
            raw, block = heading.group(1), True
        elif item := _MARKDOWN_LIST_ITEM.match(raw):
            raw, block = raw[item.end() :], True
        lines.append(Line(_normalize_line(_clean_inline_markdown(raw)), block))
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


def plain_lines(text: str, *, every_line_a_block: bool = False) -> list[Line]:
    """Plain text to cleaned lines: bullets removed (bulleted lines become blocks), spaces collapsed."""
    lines: list[Line] = []
    for raw in _split_lines(text):
        if _RULE_LINE.fullmatch(raw):
            lines.append(Line(""))
            continue
        block = every_line_a_block
        if bullet := _BULLET.match(raw):
            raw, block = raw[bullet.end() :], True
        lines.append(Line(_normalize_line(raw), block))
    return lines


def drop_boilerplate(lines: list[Line]) -> list[Line]:
    """Remove boilerplate lines, and cut a site footer that starts in the second half of the text."""
    patterns = load_boilerplate()
    total_chars = sum(len(line.text) for line in lines)
    kept: list[Line] = []
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


def assemble(lines: Iterable[Line], *, join_soft_breaks: bool) -> str:
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
    lines = markdown_lines(text) if markdown else plain_lines(text)
    return assemble(drop_boilerplate(lines), join_soft_breaks=markdown)


def clean_field(value: str | None, *, markdown: bool = True) -> str | None:
    """A one-line metadata value: inline markup removed, whitespace collapsed, empty → None."""
    if value is None:
        return None
    cleaned = _normalize_line(_clean_inline_markdown(value) if markdown else value)
    cleaned = " ".join(unicodedata.normalize("NFC", cleaned).split())
    return cleaned or None


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
