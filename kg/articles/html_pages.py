"""HTML pages, from a file or the web (:mod:`kg.sources`): the charset rules, and the main
text and metadata by trafilatura (no navigation, scripts, footers, comments or tables)."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from kg.articles.decoding import Fallback, decode_utf8
from kg.articles.model import ArticleError

HTML_CHARSET_SNIFF_BYTES = 4096


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes, path: Path, fallback: Fallback | None = None) -> str:
    """UTF-8, else the charset the page declares in a <meta> tag (a declaration, not a guess),
    else the ``fallback`` encoding when one is given.

    Valid UTF-8 wins over a declaration because pages mislabelled "iso-8859-1" are common and
    valid UTF-8 is almost never an accident.
    """
    try:
        return decode_utf8(data, path)
    except ArticleError as not_utf8:
        declared = _META_CHARSET.search(data[:HTML_CHARSET_SNIFF_BYTES])
        if declared is None:
            if fallback is not None:
                return decode_utf8(data, path, fallback=fallback)
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


def main_text_and_metadata(markup: str, where: str | Path, *, url: str | None = None, empty: str = "no main text found in the HTML") -> dict[str, Any]:
    """trafilatura's reading of a page: ``text`` (never blank) and metadata such as ``title``,
    ``date``, ``author``, ``sitename``; ``url`` is the page's address when known. A parser
    failure, or a page without main text (reason ``empty``), is an :class:`ArticleError`."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    try:
        extracted = trafilatura.bare_extraction(
            markup,
            url=url,
            with_metadata=True,
            include_comments=False,  # reader comments are not the article
            include_tables=False,  # table cells read as broken sentences
            favor_precision=True,  # leftover navigation is worse for extraction than a lost aside
        )
    except Exception as exc:  # noqa: BLE001 - a parser failure on one page must not stop the run
        raise ArticleError(where, None, f"HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    document: dict[str, Any] = {}
    if extracted is not None:
        document = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    if not (document.get("text") or "").strip():
        raise ArticleError(where, None, empty)
    return document
