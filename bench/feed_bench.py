"""A feed of 50 items ingested twice (issue 16): the second run fetches nothing new.

    NEO4J_URI=... NEO4J_PASSWORD=... python bench/feed_bench.py      # the database is EMPTIED

Serves the RSS fixture of tests/fixtures/web (50 items, ETag on the feed and every page) from a
local HTTP server on 127.0.0.1, runs ``kg ingest FEED --state TMP`` twice and prints, per run, the
exit code, the "articles:" and "web:" lines and the requests the server saw (feed, item pages).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg.neo4j.connection import open_driver, resolve_settings
from kg.neo4j.admin import empty_database

WEB = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "web"
ITEMS = 50
KG = str(Path(sys.executable).parent / "kg")
requests: Counter[str] = Counter()


def day(n: int) -> str:
    return f"{n % 28 + 1:02d}"


class Handler(BaseHTTPRequestHandler):
    base = ""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        requests["feed" if self.path == "/feed.xml" else "item" if self.path.startswith("/items/") else "other"] += 1
        if self.path == "/feed.xml":
            head = (WEB / "feed.xml.head").read_text(encoding="utf-8").format(base=self.base)
            items = "".join((WEB / "feed.xml.item").read_text(encoding="utf-8").format(base=self.base, n=n, day=day(n)) for n in range(1, ITEMS + 1))
            body, etag, kind = (head + items + "</channel>\n</rss>\n").encode(), '"feed-1"', "application/rss+xml"
        elif self.path.startswith("/items/"):
            n = int(self.path.removeprefix("/items/").removesuffix(".html"))
            body = (WEB / "item.html").read_text(encoding="utf-8").replace("{n}", str(n)).replace("{day}", day(n)).encode()
            etag, kind = f'"item-{n}"', "text/html; charset=utf-8"
        else:
            self.send_response(404)
            self.end_headers()
            return
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    settings = resolve_settings()
    driver = open_driver(settings)
    empty_database(driver, settings.database)
    driver.close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in (1, 2):
            before = Counter(requests)
            done = subprocess.run([KG, "ingest", Handler.base + "/feed.xml", "--state", f"{tmp}/state.json", "-p", "1"], capture_output=True, text=True, check=False)
            lines = [line for line in done.stdout.splitlines() if line.startswith(("articles:", "web:"))]
            runs.append({"run": run, "exit": done.returncode, "summary": lines, "requests": dict(Counter(requests) - before), "stderr_tail": done.stderr.splitlines()[-2:]})
    server.shutdown()
    print(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
