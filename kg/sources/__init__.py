"""Articles from the web: RSS/Atom feeds, article URLs and files listing URLs.

``kg extract`` and ``kg ingest`` take ``http(s)://`` arguments beside files and folders, and
``--urls FILE`` (one URL a line; blank lines and ``#`` comments ignored). Each URL is fetched once
(:mod:`kg.sources.fetch`: timeouts, retries with backoff, a polite user agent, a size limit,
redirects followed up to a limit); what comes back decides what it is:

* an RSS or Atom feed (parsed by feedparser): every item's link is fetched as an article page,
  with the item's title, date and the feed's title (the outlet) as metadata;
* an HTML page: the main text by trafilatura, title, date and site name from the page metadata.

The URL (after redirects) is the article's identity (docs/graph-document.md#article-identity) and
is kept as its provenance (``Article.url``; ``path`` names the URL too).

Daily runs fetch only what changed (:mod:`kg.sources.state`): validators (ETag, Last-Modified)
of every feed and page are kept in a small JSON state file and sent back as conditional requests;
a feed answered "304 Not Modified" yields nothing, and a feed item already fetched (same link,
same date in the feed) is not requested again. The state is saved only when the command finished,
so an article is never marked fetched before it was stored.
"""

from __future__ import annotations

from kg.sources.fetch import FetchError, Fetcher, FetchSettings
from kg.sources.reader import is_url, read_url_file, url_articles
from kg.sources.state import SourceState, default_state_path

__all__ = [
    "FetchError",
    "FetchSettings",
    "Fetcher",
    "SourceState",
    "default_state_path",
    "is_url",
    "read_url_file",
    "url_articles",
]
