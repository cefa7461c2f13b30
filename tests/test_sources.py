"""Feeds and URLs as inputs (kg.sources), against a local HTTP server on 127.0.0.1 that serves
fixtures written for the project (tests/fixtures/web): no internet is used."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.articles.identity import article_id
from kg.articles.model import Article, ArticleError
from kg.cli import app
from kg.sources import Fetcher, FetchSettings, SourceState, read_url_file, url_articles

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
ITEMS = 50
runner = CliRunner()


def _day(n: int) -> str:
    return f"{n % 28 + 1:02d}"


class Site:
    """What the server serves, and which paths were requested."""

    def __init__(self) -> None:
        self.requests: Counter[str] = Counter()
        self.feed_version = 1
        self.base = ""

    def feed(self) -> bytes:
        head = (WEB / "feed.xml.head").read_text(encoding="utf-8")
        item = (WEB / "feed.xml.item").read_text(encoding="utf-8")
        body = head.format(base=self.base) + "".join(item.format(base=self.base, n=n, day=_day(n)) for n in range(1, ITEMS + 1))
        return (body + "</channel>\n</rss>\n").encode("utf-8")

    def item(self, n: int) -> bytes:
        return (WEB / "item.html").read_text(encoding="utf-8").replace("{n}", str(n)).replace("{day}", _day(n)).encode("utf-8")


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def _conditional(self, etag: str, body: bytes, content_type: str) -> None:
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers={"ETag": etag})
            else:
                self._send(200, body, content_type, {"ETag": etag, "Last-Modified": "Tue, 04 Mar 2025 09:00:00 GMT"})

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = self.path.split("?")[0]
            site.requests[path] += 1
            if path == "/feed.xml":
                self._conditional(f'"feed-v{site.feed_version}"', site.feed(), "application/rss+xml")
            elif path.startswith("/items/") and path.endswith(".html"):
                n = int(path.removeprefix("/items/").removesuffix(".html"))
                self._conditional(f'"item-{n}"', site.item(n), "text/html; charset=utf-8")
            elif path == "/slow.html":
                time.sleep(1.5)
                self._send(200, site.item(1))
            elif path == "/trickle.html":
                body = site.item(2)
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for start in range(0, len(body), 200):
                    self.wfile.write(body[start : start + 200])
                    self.wfile.flush()
                    time.sleep(0.3)
            elif path == "/404.html":
                self._send(404, b"<html><body>gone</body></html>")
            elif path == "/500.html":
                self._send(500, b"<html><body>oops</body></html>")
            elif path == "/loop":
                self._send(302, headers={"Location": "/loop"})
            elif path == "/moved.html":
                self._send(301, headers={"Location": "/items/7.html"})
            elif path == "/broken.xml":
                self._send(200, b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Broken</title><item><title>A & B <link>', "application/rss+xml")
            elif path == "/image.png":
                self._send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
            elif path == "/huge-stream.html":  # no Content-Length: the limit is checked while reading
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"<p>Nimbara Labs said more.</p>" * 200)
            elif path == "/huge.html":
                self._send(200, b"<html><body><article>" + b"<p>Nimbara Labs said more.</p>" * 20_000 + b"</article></body></html>")
            else:
                self._send(404)

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.handle_error = lambda request, address: None  # type: ignore[method-assign]  # clients that gave up
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


FAST = FetchSettings(timeout=0.5, deadline=1.0, retries=1, backoff=0.0, max_redirects=4, max_bytes=200_000)


def _fetch(site: Site, path: str, settings: FetchSettings = FAST) -> list[Article | ArticleError]:
    with Fetcher(settings) as fetcher:
        return list(url_articles([site.base + path], fetcher, SourceState(None)))


@pytest.mark.parametrize(
    ("path", "reason", "requests"),
    [
        ("/slow.html", "timed out (no answer within 0.5 s) after 2 tries", 2),
        ("/trickle.html", "took longer than 1 s after 2 tries", 2),
        ("/404.html", "HTTP 404 Not Found", 1),
        ("/500.html", "HTTP 500 Internal Server Error after 2 tries", 2),
        ("/loop", "more than 4 redirects (a redirect loop?)", 5),
        ("/broken.xml", "not a valid RSS/Atom feed", 1),
        ("/image.png", "neither an HTML page nor an RSS/Atom feed (content type image/png)", 1),
        ("/huge.html", "answer of 600,045 bytes is larger than the limit of 200,000; not read", 1),
        ("/huge-stream.html", "answer is larger than the limit of 200,000 bytes; not read", 1),
    ],
)
def test_fetch_problems_are_one_line_naming_the_url(site: Site, path: str, reason: str, requests: int) -> None:
    items = _fetch(site, path)
    assert items and all(isinstance(item, ArticleError) for item in items), items
    assert all(str(item).startswith(site.base + path) and "\n" not in str(item) for item in items)
    assert reason in str(items[0]), str(items[0])
    assert site.requests[path] == requests


def test_a_page_becomes_an_article_with_its_url_as_identity(site: Site) -> None:
    [article] = _fetch(site, "/moved.html")  # a redirect is followed
    assert isinstance(article, Article)
    assert article.url == site.base + "/items/7.html" and article.id == article_id(url=site.base + "/items/7.html")
    assert article.title == "Nimbara Labs ships Orbit-7" and article.source == "The Lakeside Ledger"
    assert article.published == "2025-03-08" and "Lena Marsh" in article.text
    assert "Subscribe" not in article.text and "All rights reserved" not in article.text


def test_a_feed_gives_its_items_with_feed_metadata(site: Site) -> None:
    items = _fetch(site, "/feed.xml")
    assert len(items) == ITEMS and all(isinstance(i, Article) for i in items)
    first = items[0]
    assert isinstance(first, Article)
    assert (first.title, first.source, first.published, first.url) == ("Nimbara Labs ships Orbit-1", "The Lakeside Ledger", "2025-03-02", site.base + "/items/1.html")


def test_url_file(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# daily sources\nhttps://example.org/feed.xml\n\n  http://example.org/a.html  \n", encoding="utf-8")
    assert read_url_file(listing) == ["https://example.org/feed.xml", "http://example.org/a.html"]
    listing.write_text("https://example.org/feed.xml\nnews/today.txt\n", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"urls.txt:2: not an http\(s\) URL"):
        read_url_file(listing)


def test_a_feed_extracted_twice_fetches_nothing_the_second_time(site: Site, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    feed = site.base + "/feed.xml"
    first = runner.invoke(app, ["extract", feed, "-o", str(tmp_path / "1.jsonl"), "--state", str(state), "-p", "1"])
    assert first.exit_code == 0, first.output
    assert "articles: 50 extracted, 0 failed" in first.stderr
    assert site.requests["/feed.xml"] == 1 and sum(n for p, n in site.requests.items() if p.startswith("/items/")) == ITEMS
    assert len(json.loads(state.read_text(encoding="utf-8"))["urls"]) == ITEMS + 1

    second = runner.invoke(app, ["extract", feed, "-o", str(tmp_path / "2.jsonl"), "--state", str(state), "-p", "1"])
    assert second.exit_code == 0, second.output
    assert "articles: 0 extracted" in second.stderr and "web: 1 request(s), 1 not modified" in second.stderr
    assert site.requests["/feed.xml"] == 2 and sum(n for p, n in site.requests.items() if p.startswith("/items/")) == ITEMS

    site.feed_version = 2  # the feed changed (same items): items already fetched are not requested
    third = runner.invoke(app, ["extract", feed, "-o", str(tmp_path / "3.jsonl"), "--state", str(state), "-p", "1"])
    assert third.exit_code == 0 and f"{ITEMS} feed item(s) already fetched" in third.stderr
    assert sum(n for p, n in site.requests.items() if p.startswith("/items/")) == ITEMS


def test_bad_urls_among_good_inputs_exit_1_and_the_rest_is_extracted(site: Site, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{site.base}/items/3.html\n{site.base}/404.html\n{site.base}/image.png\n", encoding="utf-8")
    out = tmp_path / "g.jsonl"
    result = runner.invoke(app, ["extract", "--urls", str(listing), "-o", str(out), "--state", str(tmp_path / "s.json"), "-p", "1"])
    assert result.exit_code == 1, result.output
    assert f"{site.base}/404.html: HTTP 404" in result.stderr and f"{site.base}/image.png: neither" in result.stderr
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8").count('"kind":"article"') == 1
    # failed URLs are not remembered: the next run tries them again
    assert sorted(json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["urls"]) == [f"{site.base}/items/3.html"]


def test_a_broken_state_file_is_one_line_and_exit_1(site: Site, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["extract", site.base + "/items/1.html", "-o", str(tmp_path / "g.jsonl"), "--state", str(state)])
    assert result.exit_code == 1 and "state.json" in result.stderr and "Traceback" not in result.output
