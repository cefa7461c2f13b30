"""Turn URLs into articles: a feed's items or one page each (see :mod:`kg.sources`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kg.articles.build import article_from_text
from kg.articles.html_pages import decode_html, main_text_and_metadata
from kg.articles.model import Article, ArticleError
from kg.sources.fetch import Fetcher, FetchError, Response
from kg.sources.state import SourceState

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml", "application/feed+json")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_FEED_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL)
_ACCEPT = "application/rss+xml, application/atom+xml, text/html;q=0.9, application/xml;q=0.8, */*;q=0.1"


def is_url(value: str | Path) -> bool:
    """True for an ``http://`` or ``https://`` address (anything else is a path)."""
    text = str(value)
    return text.lower().startswith(("http://", "https://"))


def read_url_file(path: Path) -> list[str]:
    """The URLs of a file: one a line; blank lines and ``#`` comments skipped. Raises
    :class:`ArticleError` for an unreadable file or a line that is not an http(s) URL."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ArticleError(path, None, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ArticleError(path, None, f"cannot read the URL list ({exc})") from None
    urls = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        if not is_url(line):
            raise ArticleError(path, number, f"not an http(s) URL: {line[:80]!r}")
        urls.append(line)
    return urls


def _kind(response: Response) -> str:
    content_type = response.content_type.split(";")[0].strip().lower()
    if content_type in _HTML_TYPES:
        return "feed" if _FEED_START.match(response.content[:4096]) else "page"
    if content_type in _FEED_TYPES or content_type.endswith("+xml") or _FEED_START.match(response.content[:4096]):
        return "feed"
    return content_type or "unknown"


def _iso_date(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=timezone.utc).date().isoformat()  # feedparser's struct_time
    except (TypeError, ValueError):
        return None


def page_article(response: Response, *, title: str | None = None, published: str | None = None, source: str | None = None, url: str | None = None) -> Article:
    """An article from a fetched HTML page; feed metadata (when given) wins over the page's."""
    # the HTML reader's strict charset rules and main-text extraction
    markup = decode_html(response.content, Path(response.url))
    document = main_text_and_metadata(markup, response.url, url=response.url, empty="no main text found in the page")
    text = document["text"]
    page_title = document.get("title")
    if page_title and text.lstrip().startswith(page_title):
        text = text.lstrip()[len(page_title) :]
    return article_from_text(
        text,
        title=title or page_title,
        published=published or document.get("date"),
        source=source or document.get("sitename") or urlsplit(response.url).hostname,
        url=url or response.url,
        path=response.url,
        author=document.get("author"),
        markdown=False,
    )


def url_articles(urls: Iterable[str], fetcher: Fetcher, state: SourceState, *, counts: dict[str, int] | None = None) -> Iterator[Article | ArticleError]:
    """Fetch each URL and yield its articles (a feed's items, or the page), or an ArticleError."""
    counts = counts if counts is not None else {}
    for url in urls:
        known = state.get(url)
        try:
            response = fetcher.get(url, etag=known.get("etag"), last_modified=known.get("last_modified"), accept=_ACCEPT)
        except FetchError as exc:
            yield ArticleError(url, None, exc.reason)
            continue
        if response.not_modified:
            counts["not_modified"] = counts.get("not_modified", 0) + 1
            continue
        kind = _kind(response)
        if kind == "feed":
            complete = [True]
            yield from _feed_articles(url, response, fetcher, state, counts, complete)
            if complete[0]:  # a feed with failed items is fetched in full again next time
                state.remember(url, etag=response.etag, last_modified=response.last_modified)
        elif kind == "page":
            try:
                article = page_article(response)
            except ArticleError as exc:
                yield exc
                continue
            yield article
            state.remember(url, etag=response.etag, last_modified=response.last_modified)
        else:
            yield ArticleError(url, None, f"neither an HTML page nor an RSS/Atom feed (content type {kind})")


def _feed_articles(url: str, response: Response, fetcher: Fetcher, state: SourceState, counts: dict[str, int], complete: list[bool]) -> Iterator[Article | ArticleError]:
    import feedparser

    parsed = feedparser.parse(response.content, response_headers={"content-location": response.url})
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and not isinstance(problem, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        # broken XML: reported (the run exits 1), and whatever items the lenient parser salvaged are read
        complete[0] = False
        salvaged = f"; {len(parsed.entries)} item(s) salvaged" if parsed.entries else ""
        yield ArticleError(url, None, f"not a valid RSS/Atom feed ({type(problem).__name__}: {' '.join(str(problem).split())}){salvaged}")
        if not parsed.entries:
            return
    outlet = (parsed.feed.get("title") or "").strip() or urlsplit(response.url).hostname
    for number, entry in enumerate(parsed.entries, start=1):
        link = (entry.get("link") or "").strip()
        if not is_url(link):
            complete[0] = False
            yield ArticleError(url, number, f"feed item {number} has no http(s) link")
            continue
        item_date = _iso_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        known = state.get(link)
        if known and known.get("item_date") == item_date:
            counts["items_unchanged"] = counts.get("items_unchanged", 0) + 1
            continue  # fetched on an earlier run and not updated in the feed since
        try:
            page = fetcher.get(link, etag=known.get("etag"), last_modified=known.get("last_modified"), accept="text/html, application/xhtml+xml;q=0.9")
        except FetchError as exc:
            complete[0] = False
            yield ArticleError(link, None, f"{exc.reason} (item {number} of {url})")
            continue
        if page.not_modified:
            counts["not_modified"] = counts.get("not_modified", 0) + 1
            state.remember(link, item_date=item_date)
            continue
        if _kind(page) != "page":
            complete[0] = False
            yield ArticleError(link, None, f"not an HTML page (content type {page.content_type or 'unknown'}; item {number} of {url})")
            continue
        try:
            article = page_article(page, title=(entry.get("title") or "").strip() or None, published=item_date, source=outlet, url=link)
        except ArticleError as exc:
            complete[0] = False
            yield exc
            continue
        yield article
        state.remember(link, etag=page.etag, last_modified=page.last_modified, item_date=item_date)
