"""Graph analytics with networkx: most-cited speakers, most central organizations, communities.

Works on the export :class:`~kg.export.model.Graph`, so it runs on Neo4j or a graph document
alike. Centrality and communities use the *entity graph*: one undirected node per entity, an edge
for every fact linking two entities (released, develops, affiliated with, said about) weighted by
its independent outlets, plus an edge for every pair of entities named in the same article,
weighted by the number of such articles.

PageRank is computed here by power iteration because ``networkx.pagerank`` needs SciPy, which
newskg does not depend on; the chart is a PNG written with ``zlib`` and a 5x7 bitmap font
because matplotlib is not a dependency either.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.export.model import CO_MENTIONED, Graph
from kg.schema import ClaimType, EntityType


@dataclass(slots=True)
class Speaker:
    """Someone quoted or reported as saying something."""

    id: str
    name: str
    type: str
    statements: int
    reports: int
    direct_quotes: int
    articles: int
    outlets: int


@dataclass(slots=True)
class Central:
    """An entity's place in the entity graph."""

    id: str
    name: str
    type: str
    pagerank: float
    degree: int
    fact_links: int
    mentions: int


#: Members listed per community: the most connected ones.
COMMUNITY_MEMBERS_SHOWN = 8


@dataclass(slots=True)
class Member:
    id: str
    name: str
    type: str
    degree: int


@dataclass(slots=True)
class Community:
    """A densely connected group of entities (greedy modularity), summarized: its size, the mix of
    types and its most connected members (by degree in the entity graph)."""

    index: int
    size: int
    members: list[str]  # names of the top members, most connected first
    types: dict[str, int]
    top_members: list[Member] = field(default_factory=list)


@dataclass(slots=True)
class Stats:
    counts: dict[str, int]
    speakers: list[Speaker] = field(default_factory=list)
    organizations: list[Central] = field(default_factory=list)
    communities: list[Community] = field(default_factory=list)
    #: entities left out as outlet boilerplate ("BBC News" in BBC articles), with why
    left_out: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ------------------------------------------------------------------------------------------------
# Analytics
# ------------------------------------------------------------------------------------------------


def entity_graph(graph: Graph) -> nx.Graph:
    """The undirected, weighted entity graph described in the module docstring."""
    g = nx.Graph()
    for entity in sorted(graph.entities.values(), key=lambda e: e.id):
        g.add_node(entity.id, name=entity.name, type=entity.type)
    for link in graph.links(co_mentions=True):
        if link.source == link.target:
            continue
        data = g.get_edge_data(link.source, link.target)
        if data is None:
            g.add_edge(link.source, link.target, weight=0, facts=0)
            data = g.edges[link.source, link.target]
        data["weight"] += link.weight
        if link.type != CO_MENTIONED:
            data["facts"] += 1
    return g


def pagerank(g: nx.Graph, alpha: float = 0.85, tol: float = 1.0e-10, max_iter: int = 500, weight: str = "weight") -> dict[str, float]:
    """Weighted PageRank by power iteration (dangling nodes spread evenly); sums to 1."""
    nodes = list(g.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    strength = {v: sum(d.get(weight, 1) for _, _, d in g.edges(v, data=True)) for v in nodes}
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[v] for v in nodes if strength[v] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for v in nodes:
            if strength[v] == 0:
                continue
            share = alpha * rank[v] / strength[v]
            for _, u, d in g.edges(v, data=True):
                new[u] += share * d.get(weight, 1)
        error = sum(abs(new[v] - rank[v]) for v in nodes)
        rank = new
        if error < n * tol:
            break
    return rank


def speakers(graph: Graph, top: int = 10) -> list[Speaker]:
    """Entities with the most reported statements (then reports, then name)."""
    rows: dict[str, Speaker] = {}
    outlets: dict[str, set[str]] = {}
    articles: dict[str, set[str]] = {}
    for claim in graph.claims.values():
        if claim.type != ClaimType.SAID or claim.subject not in graph.entities:
            continue
        entity = graph.entities[claim.subject]  # type: ignore[index]
        row = rows.setdefault(entity.id, Speaker(entity.id, entity.name, entity.type, 0, 0, 0, 0, 0))
        row.statements += 1
        row.reports += len(claim.reports)
        row.direct_quotes += sum(1 for r in claim.reports if r.direct)
        for report in claim.reports:
            articles.setdefault(entity.id, set()).add(report.article)
            article = graph.articles.get(report.article)
            outlets.setdefault(entity.id, set()).add(article.outlet_key.lower() if article else "")
    for entity_id, row in rows.items():
        row.articles = len(articles.get(entity_id, ()))
        row.outlets = len(outlets.get(entity_id, ()))
    ranked = sorted(rows.values(), key=lambda s: (-s.statements, -s.reports, s.name.casefold()))
    return ranked[:top]


def centrality(graph: Graph, g: nx.Graph | None = None, *, entity_type: str | None = EntityType.ORGANIZATION, top: int = 10) -> list[Central]:
    """Entities (of one type) by PageRank in the entity graph, with degree and fact links."""
    g = entity_graph(graph) if g is None else g
    ranks = pagerank(g)
    mentions = graph.mention_counts()
    rows = []
    for entity_id, data in g.nodes(data=True):
        if entity_type is not None and data.get("type") != entity_type:
            continue
        fact_links = sum(1 for _, _, d in g.edges(entity_id, data=True) if d.get("facts"))
        rows.append(
            Central(entity_id, data["name"], data["type"], ranks.get(entity_id, 0.0), g.degree(entity_id), fact_links, mentions.get(entity_id, 0))
        )
    rows.sort(key=lambda c: (-c.pagerank, -c.degree, c.name.casefold()))
    return rows[:top]


def communities(
    graph: Graph, g: nx.Graph | None = None, *, top: int = 10, min_size: int = 2, shown: int = COMMUNITY_MEMBERS_SHOWN
) -> list[Community]:
    """The ``top`` largest groups found by networkx's greedy modularity maximisation (singletons left
    out), each with its size, types and ``shown`` most connected members (degree, then mentions)."""
    g = entity_graph(graph) if g is None else g
    if g.number_of_edges() == 0:
        return []
    mentions = graph.mention_counts()
    found = nx.community.greedy_modularity_communities(g, weight="weight")
    rank = lambda e: (-g.degree(e), -mentions.get(e, 0), graph.entities[e].name.casefold(), e)  # noqa: E731
    groups = [sorted(c, key=rank) for c in found if len(c) >= min_size]
    groups.sort(key=lambda members: (-len(members), rank(members[0])))
    result = []
    for index, members in enumerate(groups[:top], start=1):
        types: dict[str, int] = {}
        for entity_id in members:
            types[graph.entities[entity_id].type] = types.get(graph.entities[entity_id].type, 0) + 1
        best = [Member(e, graph.entities[e].name, graph.entities[e].type, g.degree(e)) for e in members[:shown]]
        result.append(Community(index, len(members), [m.name for m in best], dict(sorted(types.items())), best))
    return result


def _squash(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


#: Last words of a name that make an organization a news outlet ("BBC News", "BBC News Online").
_OUTLET_WORDS = frozenset({"news", "online"})


def _media(entity: Any) -> bool:
    words = entity.name.casefold().split()
    return entity.attributes.get("kind") == "media" or (len(words) >= 2 and words[-1] in _OUTLET_WORDS)


def outlet_boilerplate(graph: Graph, *, share: float = 0.5, ubiquity: float = 0.02, at_least: int = 5) -> dict[str, str]:
    """Organizations that are an article's own outlet named in its boilerplate ("BBC News" in BBC
    stories, "Reuters" on reuters.com): ``{entity id: why}``.

    With outlet metadata: an organization counts as its outlet when its name, squashed (case,
    spaces and punctuation dropped), equals an outlet's name or starts with the first label of an
    outlet's domain ("BBC News" for bbc.co.uk); it is boilerplate when at least ``share`` of the
    articles that mention it come from that outlet. An outlet that is news elsewhere ("The Daily
    Byte sued X", reported by others) stays.

    Without it (plain text files): a news outlet (the gazetteer's ``kind: media``, or a name ending
    in "News" / "Online") named in at least ``ubiquity`` of all articles (and ``at_least`` of them)
    is the collection's own attribution line ("told the BBC News website").
    """
    by_outlet: dict[str, set[str]] = {}
    for article in graph.articles.values():
        for name in {article.outlet_key, article.source or ""}:
            if not name:
                continue
            key = _squash(name.split(".")[0] if "." in name and " " not in name else name)
            if len(key) >= 3:
                by_outlet.setdefault(key, set()).add(article.id)
    found: dict[str, str] = {}
    articles_of = graph.entity_articles()
    for entity in graph.entities.values():
        if entity.type != EntityType.ORGANIZATION:
            continue
        name = _squash(entity.name)
        for key, outlet_articles in by_outlet.items():
            if name == key or (name.startswith(key) and len(entity.name.split()) <= 3):
                mentioned = articles_of.get(entity.id, [])
                own = sum(1 for a in mentioned if a in outlet_articles)
                if mentioned and own / len(mentioned) >= share:
                    found[entity.id] = f"named in {own} of its {len(mentioned)} articles by that outlet"
                    break
        else:
            count = len(articles_of.get(entity.id, []))
            if _media(entity) and count >= max(at_least, ubiquity * len(graph.articles)):
                found[entity.id] = f"a news outlet named in {count} of {len(graph.articles)} articles (attribution boilerplate)"
    return found


def compute(graph: Graph, top: int = 10) -> Stats:
    """All of the above for one graph, outlet boilerplate left out."""
    boilerplate = outlet_boilerplate(graph)
    left_out = [{"id": e, "name": graph.entities[e].name, "why": why} for e, why in sorted(boilerplate.items())]
    counts = graph.counts()
    if boilerplate:
        graph = graph.restrict(set(graph.entities) - set(boilerplate))
    g = entity_graph(graph)
    counts |= {"entity_links": g.number_of_edges()}
    return Stats(
        counts=counts,
        speakers=speakers(graph, top),
        organizations=centrality(graph, g, top=top),
        communities=communities(graph, g, top=top),
        left_out=left_out,
    )


# ------------------------------------------------------------------------------------------------
# A small bar chart as PNG, without matplotlib
# ------------------------------------------------------------------------------------------------

# 5x7 glyphs, one 5-bit row per entry (most significant bit = leftmost pixel).
_FONT: dict[str, tuple[int, ...]] = {
    "A": (14, 17, 17, 31, 17, 17, 17), "B": (30, 17, 17, 30, 17, 17, 30), "C": (14, 17, 16, 16, 16, 17, 14),
    "D": (28, 18, 17, 17, 17, 18, 28), "E": (31, 16, 16, 30, 16, 16, 31), "F": (31, 16, 16, 30, 16, 16, 16),
    "G": (14, 17, 16, 23, 17, 17, 15), "H": (17, 17, 17, 31, 17, 17, 17), "I": (14, 4, 4, 4, 4, 4, 14),
    "J": (7, 2, 2, 2, 2, 18, 12), "K": (17, 18, 20, 24, 20, 18, 17), "L": (16, 16, 16, 16, 16, 16, 31),
    "M": (17, 27, 21, 21, 17, 17, 17), "N": (17, 17, 25, 21, 19, 17, 17), "O": (14, 17, 17, 17, 17, 17, 14),
    "P": (30, 17, 17, 30, 16, 16, 16), "Q": (14, 17, 17, 17, 21, 18, 13), "R": (30, 17, 17, 30, 20, 18, 17),
    "S": (15, 16, 16, 14, 1, 1, 30), "T": (31, 4, 4, 4, 4, 4, 4), "U": (17, 17, 17, 17, 17, 17, 14),
    "V": (17, 17, 17, 17, 17, 10, 4), "W": (17, 17, 17, 21, 21, 21, 10), "X": (17, 17, 10, 4, 10, 17, 17),
    "Y": (17, 17, 17, 10, 4, 4, 4), "Z": (31, 1, 2, 4, 8, 16, 31),
    "0": (14, 17, 19, 21, 25, 17, 14), "1": (4, 12, 4, 4, 4, 4, 14), "2": (14, 17, 1, 2, 4, 8, 31),
    "3": (31, 2, 4, 2, 1, 17, 14), "4": (2, 6, 10, 18, 31, 2, 2), "5": (31, 16, 30, 1, 1, 17, 14),
    "6": (6, 8, 16, 30, 17, 17, 14), "7": (31, 1, 2, 4, 8, 8, 8), "8": (14, 17, 17, 14, 17, 17, 14),
    "9": (14, 17, 17, 15, 1, 2, 12),
    " ": (0, 0, 0, 0, 0, 0, 0), ".": (0, 0, 0, 0, 0, 12, 12), ",": (0, 0, 0, 0, 12, 4, 8),
    "-": (0, 0, 0, 31, 0, 0, 0), ":": (0, 12, 12, 0, 12, 12, 0), "(": (2, 4, 8, 8, 8, 4, 2),
    ")": (8, 4, 2, 2, 2, 4, 8), "/": (0, 1, 2, 4, 8, 16, 0), "'": (12, 4, 8, 0, 0, 0, 0),
    "&": (12, 18, 20, 8, 21, 18, 13), "+": (0, 4, 4, 31, 4, 4, 0), "_": (0, 0, 0, 0, 0, 0, 31),
    "?": (14, 17, 1, 2, 4, 0, 4), "!": (4, 4, 4, 4, 4, 0, 4), "%": (24, 25, 2, 4, 8, 19, 3),
    "#": (10, 10, 31, 10, 31, 10, 10),
}  # fmt: skip

Color = tuple[int, int, int]
BACKGROUND: Color = (255, 255, 255)
INK: Color = (29, 35, 48)
MUTED: Color = (102, 112, 133)
BAR_COLORS: tuple[Color, ...] = ((47, 111, 222), (224, 122, 47), (31, 157, 116))


class Canvas:
    """An RGB raster with rectangles and bitmap text, saved as PNG (zlib + CRC, no imaging library)."""

    def __init__(self, width: int, height: int, background: Color = BACKGROUND) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(background) * (width * height))

    def rect(self, x: int, y: int, w: int, h: int, color: Color) -> None:
        x0, y0, x1, y1 = max(0, x), max(0, y), min(self.width, x + w), min(self.height, y + h)
        if x1 <= x0 or y1 <= y0:
            return
        row = bytes(color) * (x1 - x0)
        for yy in range(y0, y1):
            start = (yy * self.width + x0) * 3
            self.pixels[start : start + len(row)] = row

    def text(self, x: int, y: int, text: str, color: Color = INK, scale: int = 2) -> int:
        """Draw ``text`` (upper-cased: the font has capitals only); return the x after it."""
        for char in text.upper():
            glyph = _FONT.get(char, _FONT["?"])
            for row, bits in enumerate(glyph):
                for col in range(5):
                    if bits & (16 >> col):
                        self.rect(x + col * scale, y + row * scale, scale, scale, color)
            x += 6 * scale
        return x

    @staticmethod
    def text_width(text: str, scale: int = 2) -> int:
        return len(text) * 6 * scale

    def png(self) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        stride = self.width * 3
        raw = b"".join(b"\x00" + bytes(self.pixels[y * stride : (y + 1) * stride]) for y in range(self.height))
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "."


def bar_chart(panels: Sequence[tuple[str, Sequence[tuple[str, float, str]]]], width: int = 880) -> bytes:
    """PNG of horizontal bar panels: ``[(title, [(label, value, value_text), ...]), ...]``."""
    scale, row_h, label_chars = 2, 26, 22
    height = 20 + sum(44 + max(1, len(rows)) * row_h + 16 for _, rows in panels)
    canvas = Canvas(width, height)
    label_x, bar_x = 20, 20 + Canvas.text_width("M" * label_chars, scale) + 16
    bar_max = width - bar_x - 110
    y = 20
    for index, (title, rows) in enumerate(panels):
        canvas.text(label_x, y, title, INK, scale)
        canvas.rect(label_x, y + 22, width - 2 * label_x, 2, (227, 230, 235))
        y += 36
        top = max((v for _, v, _ in rows), default=0.0) or 1.0
        color = BAR_COLORS[index % len(BAR_COLORS)]
        if not rows:
            canvas.text(label_x, y + 6, "(none)", MUTED, scale)
        for label, value, value_text in rows:
            canvas.text(label_x, y + 6, _truncate(label, label_chars), INK, scale)
            length = max(2, round(bar_max * value / top))
            canvas.rect(bar_x, y + 3, length, row_h - 8, color)
            canvas.text(bar_x + length + 8, y + 6, value_text, MUTED, scale)
            y += row_h
        y += 24
    return canvas.png()


def write_chart(stats: Stats, path: Path) -> None:
    """The stats chart: central organizations by PageRank, speakers by statements."""
    panels = [
        ("Most central organizations (PageRank)", [(c.name, c.pagerank, f"{c.pagerank:.3f}") for c in stats.organizations]),
        ("Most cited speakers (statements)", [(s.name, float(s.statements), str(s.statements)) for s in stats.speakers]),
    ]
    path.write_bytes(bar_chart(panels))
