"""Article identity: normalized URLs, stable ids and content hashes.

How ``Article.id`` is made (stable across runs, machines and file moves)
    ``"a-"`` + the first 16 hex digits of the SHA-256 of one key, the first that applies:
    ``"id:<explicit id>"`` (JSON ``id`` or front matter ``id``), else ``"url:<normalized url>"``
    (see :func:`normalize_url`), else ``"text:<outlet>|<title>|<normalized body>"`` (NFKC, all
    whitespace runs collapsed to one space). So a URL-identified article keeps its id when it is
    edited, while ``content_hash`` tells the edit apart; without a URL, two stories with the same
    body under different headlines (or outlets) stay two articles, and two files holding the same
    story (same outlet, title and body) are one article.

``Article.body_hash`` (near-duplicates and syndicated copies)
    :func:`kg.outlets.body_hash`: SHA-256 (16 hex digits) of the body alone, case-folded and
    reduced to its letters and digits, so that copies differing only in headline, outlet, URL,
    punctuation or spacing share it. The loader links articles that share a body hash with
    ``DUPLICATE_OF`` (docs/schema.md).
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kg.articles.boilerplate import load_boilerplate

ID_PREFIX = "a-"
ID_HEX_DIGITS = 16  # 64 bits: collisions stay negligible well past millions of articles.


def normalize_url(url: str) -> str:
    """Canonical form of ``url`` for identity, so trivially different links name one article.

    Scheme http/https unified to https, host lower-cased without ``www.`` and default port,
    fragment dropped, tracking parameters (``url_tracking_parameters`` in boilerplate.yml)
    dropped, remaining query parameters sorted, trailing slash removed.
    """
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)  # ValueError for "http://[::1": callers report it (see make_article)
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
    tracking = load_boilerplate().tracking_parameters
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


def content_hash(
    text: str, *, title: str | None, published: str | None, source: str | None, url: str | None, author: str | None
) -> str:
    """SHA-256 over the text and the metadata a reader sees; the file path and id are left out
    so that moving a file does not look like an edit."""
    payload = {"text": text, "title": title, "published": published, "source": source, "url": url, "author": author}
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
