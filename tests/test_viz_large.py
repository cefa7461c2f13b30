"""The default `kg viz` page stays readable on 250 to 2,000 entities: unconnected entities hidden
(and counted), names on the most connected nodes only, a cap that the page states, and captions
that agree with the fact. Checked in headless Chromium (skipped without one, except in CI)."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export.model import Article, Claim, Entity, Graph, Mention, Report
from kg.viz import render_html, scope

FIXTURE = Path(__file__).parent / "fixtures" / "analyst" / "graph.jsonl"
runner = CliRunner()


def synthetic(orgs: int, models_per_org: int, isolated: int) -> Graph:
    """Organizations each releasing (or planning) a few models, reported by two outlets; plus
    people mentioned once and linked to nothing."""
    g = Graph()
    day = date(2025, 1, 1)
    for o in range(orgs):
        org = Entity(f"org:o{o}", "Organization", f"Org {o:04d}")
        g.entities[org.id] = org
        for m in range(models_per_org):
            model = Entity(f"model:o{o}-m{m}", "Model", f"Model {o}-{m}")
            g.entities[model.id] = model
            status = "planned" if m % 3 == 2 else "released"
            claim = Claim(f"released|{org.id}|{model.id}|{status}", "RELEASED", org.id, model.id, status=status)
            for outlet in ("Wire A", "Wire B"):
                aid = f"a-{o}-{m}-{outlet[-1]}"
                g.articles[aid] = Article(aid, title=f"Story {aid}", published=day + timedelta(days=o % 300), source=outlet)
                g.mentions += [Mention(aid, org.id, 1), Mention(aid, model.id, 1)]
                claim.reports.append(Report(f"{aid}#c", aid, 0, 0, 10, 0.9, f"{org.name} {status} {model.name}."))
            g.claims[claim.id] = claim
    for p in range(isolated):
        aid = f"p-{p}"
        g.articles[aid] = Article(aid, title=f"Profile {p}", published=day, source="Wire C")
        person = Entity(f"person:p{p}", "Person", f"Person {p:04d}")
        g.entities[person.id] = person
        g.mentions.append(Mention(aid, person.id, 1))
    return g.settle()


def dump(chromium: str, tmp_path: Path, page: Path, *, budget_ms: int = 20000, screenshot: Path | None = None) -> str:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--disable-background-networking",
             f"--virtual-time-budget={budget_ms}", "--window-size=1400,900", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    flags.append(f"--screenshot={screenshot}" if screenshot else "--dump-dom")
    result = subprocess.run([chromium, *flags, page.as_uri()], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def attributes(dom: str) -> dict[str, str]:
    match = re.search(r"<html([^>]*)>", dom)
    assert match
    return dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))


@pytest.mark.parametrize(("orgs", "isolated", "limit"), [(40, 60, 250), (300, 600, 2000)], ids=["250", "2000"])
def test_a_large_default_page_is_readable(chromium: str, tmp_path: Path, orgs: int, isolated: int, limit: int) -> None:
    graph = synthetic(orgs, 4, isolated)
    total = len(graph.entities)
    scoped = scope(graph, limit=limit)
    page = tmp_path / "big.html"
    page.write_text(render_html(scoped, total=total, limit=limit), encoding="utf-8")
    drawn = len(scoped.entities)
    connected = orgs * 5
    hidden = drawn - connected
    # the cap keeps the connected core, not the unconnected people
    assert drawn == min(limit, total) and {e for e in scoped.entities if e.startswith("person:")} == {
        f"person:p{p}" for p in range(hidden)
    }
    dom = dump(chromium, tmp_path, page)
    attrs = attributes(dom)
    assert attrs.get("data-kg-ready") == "true" and "data-kg-errors" not in attrs, attrs
    assert attrs["data-kg-nodes"] == str(connected)  # unconnected entities hidden by default
    cap = re.search(r'<div id="cap" class="cap"[^>]*>([^<]*)</div>', dom)
    assert cap, "the cap note is shown"
    if total > limit:
        assert f"Showing the {drawn} most connected of {total} entities (cap {limit})" in cap.group(1)
    assert f"{hidden} entities without links hidden" in cap.group(1)
    assert f'id="isolated-count">{hidden}<' in dom


def test_names_only_on_the_most_connected_nodes(tmp_path: Path) -> None:
    """The page's script labels at most LABELLED_NODES nodes on a large page (read from the data)."""
    app_js = (Path(__file__).resolve().parents[1] / "kg" / "viz" / "assets" / "app.js").read_text(encoding="utf-8")
    assert re.search(r"var LABELLED_NODES = (\d+);", app_js)
    assert "label: labelled[n.id] ? n.name : \"\"" in app_js


def test_captions_agree_with_the_fact(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "g.html"
    result = runner.invoke(app, ["viz", "--from", str(FIXTURE), "-o", str(page)])
    assert result.exit_code == 0, result.output
    data = json.loads(re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', page.read_text(encoding="utf-8"), re.S).group(1))
    plan = next(c for c in data["claims"] if c["status"] == "planned")
    assert (plan["summary"], plan["verb"]) == ("OpenAI plans to release GPT-5", "plans to release")
    dom = dump(chromium, tmp_path, page.with_name("g.html"), budget_ms=5000)
    dom_openai = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--virtual-time-budget=5000", "--window-size=1280,800",
         f"--user-data-dir={tmp_path / 'p2'}", "--dump-dom", page.as_uri() + "#entity=OpenAI"],
        capture_output=True, text=True, timeout=300, check=False,
    ).stdout  # fmt: skip
    panel = dom_openai[dom_openai.index('<aside id="panel"'):]
    assert "OpenAI plans to release GPT-5" in panel
    assert "plans to release · 1 independent outlet (Harbor Tech Daily) · first reported 2025-08-01" in panel
    assert "released · 1 independent outlet (Harbor Tech Daily)" not in panel
    # the overview's corroborated fact names its outlets
    assert "released · 2 independent outlets (Harbor Tech Daily, Open Model Report)" in dom
