"""``kg viz``: one self-contained HTML page that draws the graph (no CDN, nothing fetched when viewed).

The page inlines the vendored Cytoscape.js (``assets/cytoscape.min.js``, MIT, see
``assets/VENDORED.md``), newskg's own ``app.js`` and ``style.css``, and the graph as the JSON of
:mod:`kg.export.json_graph`. Nodes are coloured by type and sized by mentions, links labelled; a
search box, type/link/date filters and a side panel with each fact's evidence sentences and
article links. When drawn, the page sets ``<html data-kg-ready="true" data-kg-nodes=N
data-kg-edges=M>`` and records script errors in ``data-kg-errors``: the browser test reads them.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from kg.export.json_graph import graph_to_data
from kg.schema import page_schema

if TYPE_CHECKING:
    from kg.export.model import Graph

#: Entities drawn when nothing else limits the picture (a browser stays responsive up to a few hundred).
DEFAULT_LIMIT = 250


class ScopeError(ValueError):
    """The requested scope names no entity in the graph; one line for the user."""


@cache
def asset(name: str) -> str:
    """The text of a shipped asset (``kg/viz/assets/<name>``)."""
    return files("kg.viz").joinpath("assets", name).read_text(encoding="utf-8")


_SCRIPT_END = re.compile(r"<(/script|!--)", re.IGNORECASE)


def _json_safe(text: str) -> str:
    """JSON text safe inside ``<script>``: ``<``, ``>`` and ``&`` (only ever inside JSON strings) as
    ``\\u`` escapes, so no article text can close the element or open a comment in it."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _script_safe(code: str) -> str:
    """JavaScript safe inside ``<script>`` (the sequences only occur inside string literals)."""
    return _SCRIPT_END.sub(lambda m: "<\\" + m.group(1), code)


def scope(
    graph: Graph,
    *,
    around: Iterable[str] = (),
    hops: int = 1,
    names: Iterable[str] | None = None,
    limit: int | None = DEFAULT_LIMIT,
    co_mentions: bool = False,
) -> Graph:
    """The part of ``graph`` to draw.

    ``around``: entities (name, alias or id) whose ``hops``-neighbourhood is kept; ``names``:
    strings a library query returned, kept when they name an entity; ``limit``: then keep at most
    this many entities, the most connected first (linked by most facts, then most mentioned;
    None or 0: no limit).
    """
    keep: set[str] | None = None
    around = [a for a in around if a.strip()]
    if around:
        start: set[str] = set()
        for text in around:
            found = graph.find_entities(text)
            if not found:
                raise ScopeError(f"no entity named {text!r} (names and aliases match case-insensitively)")
            start |= {e.id for e in found}
        keep = graph.neighbourhood(start, hops, co_mentions=co_mentions)
    if names is not None:
        named = {e.id for text in names for e in graph.find_entities(text)}
        if not named:
            raise ScopeError("the query's rows name no entity of the graph")
        keep = named if keep is None else keep & named
    scoped = graph if keep is None else graph.restrict(keep)
    if limit and len(scoped.entities) > limit:
        scoped = scoped.restrict(most_connected(scoped, limit))
    return scoped


def most_connected(graph: Graph, limit: int) -> set[str]:
    """The ``limit`` entities with the most links (facts, statements about, aliases), then the most
    mentions: a capped page keeps the connected core rather than a grid of unconnected names."""
    links: dict[str, int] = {}
    for link in graph.links():
        if link.source != link.target:
            links[link.source] = links.get(link.source, 0) + 1
            links[link.target] = links.get(link.target, 0) + 1
    mentions = graph.mention_counts()
    ranked = sorted(graph.entities.values(), key=lambda e: (-links.get(e.id, 0), -mentions.get(e.id, 0), e.name.casefold(), e.id))
    return {e.id for e in ranked[:limit]}


def render_html(graph: Graph, *, title: str = "newskg graph", co_mentions: bool = False, total: int | None = None, limit: int | None = None) -> str:
    """The complete page for ``graph``; ``total`` entities before a cap of ``limit`` (the page says so)."""
    content = graph_to_data(graph, co_mentions=co_mentions)
    content["view"] = {"total": total if total is not None else len(graph.entities), "limit": limit}
    content["schema"] = page_schema()  # colours and legend names of the types (kg/schema.py)
    data = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    page = asset("page.html")
    replacements = {
        "{{TITLE}}": html.escape(title),
        "{{STYLE}}": asset("style.css"),
        "{{DATA}}": _json_safe(data),
        "{{CYTOSCAPE}}": _script_safe(asset("cytoscape.min.js")),
        "{{APP}}": _script_safe(asset("app.js")),
    }
    # One pass, so text inside the data can never be mistaken for a later placeholder.
    pattern = re.compile("|".join(re.escape(k) for k in replacements))
    return pattern.sub(lambda m: replacements[m.group(0)], page)
