"""``kg viz``: the page is self-contained and safe (no browser needed), and it really draws in a
headless Chromium loading it from disk: graph drawn, side panel filled, no console output, and a
screenshot whose graph area holds the node colours.

The browser tests skip when no Chromium is installed, except in CI (``CI`` set), where that is a
failure: CI installs Debian's ``chromium``. Set ``NEWSKG_VIZ_SCREENSHOT=path.png`` to keep a copy
of the screenshot.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export.document_source import graph_from_document, graph_from_records
from kg.viz import asset, render_html, scope

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

FIXTURES = Path(__file__).parent / "fixtures" / "analyst"
GRAPH = FIXTURES / "graph.jsonl"
ASSETS = Path(__file__).resolve().parents[1] / "kg" / "viz" / "assets"
runner = CliRunner()

DATA_SCRIPT = re.compile(r'<script id="kg-data" type="application/json">(.*?)</script>', re.DOTALL)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--virtual-time-budget=5000",
)


def embedded_data(page: str) -> dict:
    match = DATA_SCRIPT.search(page)
    assert match, "no embedded data"
    return json.loads(match.group(1))


def write_page(tmp_path: Path, *args: str) -> Path:
    target = tmp_path / "graph.html"
    result = runner.invoke(app, ["viz", "--from", str(GRAPH), "-o", str(target), *args])
    assert result.exit_code == 0, result.output
    return target


# -- the page itself ---------------------------------------------------------------------------


def test_vendored_cytoscape_is_the_recorded_release() -> None:
    digest = hashlib.sha256((ASSETS / "cytoscape.min.js").read_bytes()).hexdigest()
    assert digest == "081591ab735b2b6a3b31a3c60f8f3a3e2fee8c92939e0c7820ad1208571b6cd8"
    assert digest in (ASSETS / "VENDORED.md").read_text(encoding="utf-8")
    assert "MIT" in (ASSETS / "VENDORED.md").read_text(encoding="utf-8")
    assert "Permission is hereby granted" in (ASSETS / "cytoscape.LICENSE.txt").read_text(encoding="utf-8")


def test_page_is_self_contained(tmp_path: Path) -> None:
    page = write_page(tmp_path).read_text(encoding="utf-8")
    # Nothing is loaded from anywhere: no external scripts, styles, images, fonts or frames.
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", page, re.IGNORECASE)
    assert "@import" not in page and "url(" not in asset("style.css")
    assert asset("cytoscape.min.js")[:2000] in page and asset("app.js")[:2000] in page
    data = embedded_data(page)
    assert data["format"] == "newskg-graph-json" and len(data["nodes"]) == 13


def test_text_from_articles_cannot_break_out_of_the_page(tmp_path: Path) -> None:
    from kg.document import read_records

    hostile = '</script><script>alert("x")</script><!--'
    lines = []
    for line in GRAPH.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["kind"] == "article":
            record["title"] = hostile + record["title"]
        lines.append(json.dumps(record))
    graph = graph_from_records(read_records(lines))
    page = render_html(graph, title='Title <b>"&')
    assert "<script>alert" not in page and hostile not in page
    assert "<title>Title &lt;b&gt;&quot;&amp;</title>" in page
    assert embedded_data(page)["articles"][0]["title"].startswith(hostile)
    assert page.count("<script") == 4  # error trap, data, cytoscape, app


def test_scoping_options(tmp_path: Path) -> None:
    graph = graph_from_document(GRAPH)
    around = scope(graph, around=["glm-4.5"], hops=1)
    assert set(around.entities) == {"model:glm-4.5", "org:zhipu-ai", "person:mara-lindqvist", "person:tomas-berg"}
    two = scope(graph, around=["GLM-4.5"], hops=2)
    assert {"org:fjord-insights", "model:gpt-5"} <= set(two.entities)
    assert len(scope(graph, limit=3).entities) == 3
    with_co = scope(graph, around=["Wan 2.2"], hops=1, co_mentions=True)
    assert "model:glm-4.5" in with_co.entities  # named in the same article
    page = write_page(tmp_path, "--around", "Zhipu", "--hops", "1")
    assert {n["name"] for n in embedded_data(page.read_text(encoding="utf-8"))["nodes"]} == {"Zhipu AI", "GLM-4.5", "Mara Lindqvist"}


def test_viz_errors_are_one_line(tmp_path: Path) -> None:
    for args, message in (
        (["--around", "Nobody Inc"], "no entity named 'Nobody Inc'"),
        (["--query", "affiliations"], "cannot be combined with --from"),
        (["--param", "org=x"], "--param is for --query"),
    ):
        result = runner.invoke(app, ["viz", "--from", str(GRAPH), "-o", str(tmp_path / "g.html"), *args])
        assert result.exit_code == 2, (args, result.output)
        assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_viz_from_a_library_query(clean_db: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from kg.neo4j.loader import GraphLoader

    GraphLoader(clean_db, neo4j_settings.database).load_lines(GRAPH.read_bytes().splitlines(), str(GRAPH))
    for key, value in (("NEO4J_URI", neo4j_settings.uri), ("NEO4J_USER", neo4j_settings.user), ("NEO4J_PASSWORD", neo4j_settings.password), ("NEO4J_DATABASE", neo4j_settings.database)):
        monkeypatch.setenv(key, value)
    target = tmp_path / "q.html"
    result = runner.invoke(app, ["viz", "--query", "releases-by-organization", "--param", "org=OpenAI", "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = embedded_data(target.read_text(encoding="utf-8"))
    assert {n["name"] for n in data["nodes"]} == {"OpenAI", "GPT-5", "gpt-oss-120b"}
    assert {(link["source"], link["target"], link["label"]) for link in data["links"]} == {
        ("org:openai", "model:gpt-5", "plans to release"),
        ("org:openai", "model:gpt-oss-120b", "released"),
    }
    # Without --from: the whole graph from Neo4j.
    result = runner.invoke(app, ["viz", "-o", str(tmp_path / "all.html")])
    assert result.exit_code == 0, result.output
    assert len(embedded_data((tmp_path / "all.html").read_text(encoding="utf-8"))["nodes"]) == 13


# -- in a real browser --------------------------------------------------------------------------


def run_chromium(chromium: str, tmp_path: Path, url: str, *flags: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *flags, url]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=180, check=False)


def console_lines(stderr: str) -> list[str]:
    """What the page wrote to the console (logs, warnings, uncaught errors)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def html_attributes(dom: str) -> dict[str, str]:
    match = re.search(r"<html([^>]*)>", dom)
    assert match, dom[:500]
    return dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))


def test_page_draws_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    page = write_page(tmp_path)
    result = run_chromium(chromium, tmp_path, page.as_uri(), "--window-size=1280,800", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    attrs = html_attributes(result.stdout)
    assert attrs.get("data-kg-ready") == "true", attrs
    assert attrs["data-kg-nodes"] == "13" and attrs["data-kg-edges"] == "11", attrs
    assert int(attrs["data-kg-canvases"]) >= 1
    assert "data-kg-errors" not in attrs, attrs.get("data-kg-errors")
    assert console_lines(result.stderr) == []
    assert "<title>newskg graph — 13 entities, 11 links</title>" in result.stdout
    # The overview panel lists entities and the corroborated fact with its articles.
    assert "Most mentioned" in result.stdout and "Zhipu AI released GLM-4.5" in result.stdout


def test_side_panel_shows_facts_evidence_and_article_links(chromium: str, tmp_path: Path) -> None:
    page = write_page(tmp_path)
    result = run_chromium(chromium, tmp_path, page.as_uri() + "#entity=Tomas%20Berg", "--window-size=1280,800", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    panel = result.stdout[result.stdout.index('<aside id="panel"') :]
    panel = panel[: panel.index("</aside>")]
    assert "<h2>Tomas Berg</h2>" in panel
    assert "Tomas Berg, analyst at Fjord Insights" in panel
    assert "Tomas Berg said GPT-5 will be judged on price as much as on benchmarks." in panel
    assert 'href="https://news.example/harbor/openai-gpt-5"' in panel and "OpenAI readies GPT-5" in panel
    assert "What others said" not in panel  # nobody talks about him
    assert console_lines(result.stderr) == []


def decode_png(data: bytes) -> tuple[int, int, int, bytes]:
    """(width, height, bytes per pixel, raw pixels) of an 8-bit RGB/RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    out = bytearray(height * stride)
    previous = bytearray(stride)
    for y in range(height):
        kind, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            a = row[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                row[x] = (row[x] + a) & 255
            elif kind == 2:
                row[x] = (row[x] + b) & 255
            elif kind == 3:
                row[x] = (row[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                row[x] = (row[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out[y * stride : (y + 1) * stride] = row
        previous = row
    return width, height, bpp, bytes(out)


def test_screenshot_shows_the_graph(chromium: str, tmp_path: Path) -> None:
    page = write_page(tmp_path)
    shot = tmp_path / "graph.png"
    result = run_chromium(chromium, tmp_path, page.as_uri(), "--window-size=1280,800", f"--screenshot={shot}")
    assert result.returncode == 0 and shot.is_file(), result.stderr[-2000:]
    keep = os.environ.get("NEWSKG_VIZ_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
    width, height, bpp, pixels = decode_png(shot.read_bytes())
    assert (width, height) == (1280, 800)
    # Count node-coloured pixels in the graph area (between the two side panels).
    colours = {"Organization": (0x2F, 0x6F, 0xDE), "Person": (0xE0, 0x7A, 0x2F), "Model": (0x1F, 0x9D, 0x74)}
    found = dict.fromkeys(colours, 0)
    for y in range(60, height, 2):
        for x in range(240, 910, 2):
            i = (y * width + x) * bpp
            pixel = pixels[i : i + 3]
            for name, (r, g, b) in colours.items():
                if abs(pixel[0] - r) < 12 and abs(pixel[1] - g) < 12 and abs(pixel[2] - b) < 12:
                    found[name] += 1
    assert all(count > 100 for count in found.values()), found
