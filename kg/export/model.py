"""The one in-memory graph every export, the viz page and the stats are built from.

It holds what Neo4j holds after ``kg load`` (docs/schema.md): entities, articles, per-article
mention aggregates, claims (one per fact) and their reports (one per claim line, with the
evidence sentence), so it can be read either from the database (:mod:`kg.export.neo4j_source`)
or straight from a graph document (:mod:`kg.export.document_source`) and every serializer is
written once against it.

Claim summaries (outlets, articles, first/last publication, statement) follow the loader's
``RECOUNT_CLAIMS`` rules so both sources give the same numbers.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kg.outlets import display_outlets, has_content_clause, independent_keys, outlet_key, outlet_name
from kg.schema import CLAIMS, ClaimType, EntityType, Relationship, ReleaseStatus, caption, relationship_claim_types

#: Claim types that connect a subject entity to an object entity (the derived relationships).
LINK_TYPES: tuple[str, ...] = tuple(t.value for t in relationship_claim_types())
#: The link drawn from a speaker to each entity a statement names.
SAID_ABOUT = Relationship.SAID_ABOUT.value
#: The link between two entities named in the same article(s), only drawn when asked for.
CO_MENTIONED = Relationship.CO_MENTIONED.value
#: ``kg resolve``'s link from an alias node to its canonical entity.
ALIAS_OF = Relationship.ALIAS_OF.value
#: How a fact of a type the registry does not know reads (the SAID form).
_FALLBACK_TEMPLATE = CLAIMS[ClaimType.SAID].template


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Article:
    id: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    author: str | None = None
    path: str | None = None
    content_hash: str | None = None
    #: normalized outlet (kg/outlets.py), None for the unknown outlet; hash of the body text
    outlet: str | None = None
    body_hash: str | None = None

    @property
    def outlet_key(self) -> str:
        """The article's own outlet name; ``""`` is the one unknown outlet (see :meth:`Graph.report_keys`)."""
        return self.outlet if self.outlet is not None else (outlet_name(self.source, self.url) or "")


@dataclass(slots=True)
class Mention:
    """Every mention of one entity in one article (Neo4j's ``MENTIONS`` relationship)."""

    article: str
    entity: str
    count: int
    spans: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    """One report of a claim in one article (Neo4j's ``Evidence`` node)."""

    id: str
    article: str
    sentence: int
    start: int
    end: int
    confidence: float
    text: str
    rule: str | None = None
    statement: str | None = None
    cue: str | None = None
    source_text: str | None = None
    direct: bool | None = None
    about: list[str] = field(default_factory=list)
    spans: dict[str, list[int]] = field(default_factory=dict)


@dataclass(slots=True)
class Claim:
    """One fact (its id is the document's ``fact`` key) with every report of it."""

    id: str
    type: str
    subject: str | None
    object: str | None
    status: str | None = None
    role: str | None = None
    about: list[str] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    statement: str | None = None
    source_count: int = 0
    article_count: int = 0
    outlets: list[str] = field(default_factory=list)
    #: reports that are syndicated copies of an earlier article (same body)
    syndicated: int = 0
    first_published: date | None = None
    last_published: date | None = None
    max_confidence: float | None = None

    @property
    def citable(self) -> bool:
        """Whether the fact can be corroborated: a statement needs a speaker and a content clause."""
        return self.type != ClaimType.SAID or (self.subject is not None and has_content_clause(self.statement))

    @property
    def verb(self) -> str:
        """What the fact says, as a caption that agrees with it ("plans to release", not "released")."""
        return caption(self.type, status=self.status, role=self.role)

    def describe(self, names: dict[str, str]) -> str:
        """The fact as a short sentence ("Zhipu AI released GLM-4.5")."""
        subject = names.get(self.subject or "", None) or (self.reports[0].source_text if self.reports else None) or "someone"
        obj = names.get(self.object or "", self.object or "?")
        spec = CLAIMS.get(self.type)  # type: ignore[call-overload]
        template = spec.template if spec is not None else _FALLBACK_TEMPLATE
        return template.format(subject=subject, object=obj, verb=self.verb, role=self.role or "affiliated", statement=self.statement or "")


@dataclass(slots=True)
class AliasLink:
    """``kg resolve``'s cross-article merge: ``alias`` is another node for ``canonical``."""

    alias: str
    canonical: str
    rule: str | None = None
    evidence: str | None = None
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ClaimCluster:
    """``kg resolve``'s claim cluster: reports of one fact under different keys or in other words."""

    id: str
    type: str
    members: list[str] = field(default_factory=list)
    key: str | None = None
    rule: str | None = None
    statement: str | None = None
    source_count: int = 0
    article_count: int = 0
    outlets: list[str] = field(default_factory=list)
    first_published: date | None = None
    last_published: date | None = None
    #: claim id -> similarity score of the member (SAID paraphrases)
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class Contradiction:
    """Two facts that reports disagree on (the ``contradictions`` named query, in memory)."""

    kind: str  # release, role, affiliation, speaker
    subject: str
    object: str | None
    side_a: str
    side_b: str
    claim_a: str
    claim_b: str


def _statement_key(statement: str) -> str:
    return " ".join(w for w in statement.split(" ") if w).strip().lower()


@dataclass(slots=True)
class Link:
    """An entity-to-entity edge of the projected graph (GraphML, JSON, viz, stats)."""

    id: str
    source: str
    target: str
    type: str
    claim: str | None = None
    weight: int = 1


@dataclass(slots=True)
class Graph:
    entities: dict[str, Entity] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    claims: dict[str, Claim] = field(default_factory=dict)
    #: the resolution layer (read from Neo4j after ``kg resolve``; a graph document has none)
    alias_links: list[AliasLink] = field(default_factory=list)
    clusters: dict[str, ClaimCluster] = field(default_factory=dict)

    # -- derived ----------------------------------------------------------------------------

    def settle(self) -> Graph:
        """Recompute each claim's summary from its reports (same rules as the loader's recount).

        Also puts mentions and reports in publication order, so both sources give the same output.
        """
        self.mentions.sort(key=lambda m: (self._published(m.article) or date.max, m.article, m.entity))
        keys, copies = self.report_keys()
        for claim in self.claims.values():
            reports = sorted(
                claim.reports,
                key=lambda r: (self._published(r.article) or date.max, r.article, r.start),
            )
            claim.reports = reports
            articles = [self.articles[r.article] for r in reports if r.article in self.articles]
            dates = [a.published for a in articles if a.published is not None]
            claim.article_count = len({a.id for a in articles})
            claim.source_count = len({outlet_key(keys[a.id]) for a in articles})
            claim.outlets = display_outlets([keys[a.id] for a in articles])
            claim.syndicated = len({a.id for a in articles if a.id in copies})
            claim.first_published = min(dates) if dates else None
            claim.last_published = max(dates) if dates else None
            claim.max_confidence = max((r.confidence for r in reports), default=None)
            claim.statement = reports[0].statement if reports else claim.statement
            about: dict[str, None] = {}
            for report in reports:
                for entity_id in report.about:
                    about.setdefault(entity_id, None)
            claim.about = list(about)
        for cluster in self.clusters.values():
            members = [self.claims[m] for m in cluster.members if m in self.claims]
            articles = sorted({r.article for c in members for r in c.reports if r.article in self.articles})
            dates = [d for d in (self.articles[a].published for a in articles) if d is not None]
            cluster.article_count = len(articles)
            cluster.source_count = len({outlet_key(keys[a]) for a in articles})
            cluster.outlets = display_outlets([keys[a] for a in articles])
            cluster.first_published = min(dates) if dates else None
            cluster.last_published = max(dates) if dates else None
            first = min(members, key=lambda c: (c.first_published or date.max, c.id), default=None)
            cluster.statement = first.statement if first is not None else None
        return self

    def report_keys(self) -> tuple[dict[str, str], set[str]]:
        """``({article id: independence key}, {ids of syndicated copies})``, as the loader counts:
        a copy (same body as an earlier article) counts for the earliest copy's outlet; ``""`` is
        the unknown outlet."""
        rows = [(a.id, a.outlet_key, a.body_hash, a.published.isoformat() if a.published else None) for a in self.articles.values()]
        keys = independent_keys(rows)
        first: dict[str, tuple[bool, str, str]] = {}
        for article_id, _, digest, published in rows:
            if digest is not None:
                rank = (published is None, published or "", article_id)
                first[digest] = min(first.get(digest, rank), rank)
        copies = {aid for aid, _, digest, _ in rows if digest is not None and first[digest][2] != aid}
        return keys, copies

    def _published(self, article_id: str) -> date | None:
        article = self.articles.get(article_id)
        return article.published if article else None

    def names(self) -> dict[str, str]:
        return {e.id: e.name for e in self.entities.values()}

    def mention_counts(self) -> dict[str, int]:
        """Entity id -> total mentions over all articles."""
        counts = dict.fromkeys(self.entities, 0)
        for mention in self.mentions:
            counts[mention.entity] = counts.get(mention.entity, 0) + mention.count
        return counts

    def entity_articles(self) -> dict[str, list[str]]:
        """Entity id -> ids of the articles that mention it (document order)."""
        result: dict[str, list[str]] = {e: [] for e in self.entities}
        for mention in self.mentions:
            bucket = result.setdefault(mention.entity, [])
            if mention.article not in bucket:
                bucket.append(mention.article)
        return result

    def links(self, *, co_mentions: bool = False) -> list[Link]:
        """The entity-level projection: fact links, speaker -> what they talked about, alias -> canonical
        entity (``kg resolve``), co-mentions."""
        links: list[Link] = []
        for claim in self.claims.values():
            weight = max(claim.source_count, 1)
            if claim.type in LINK_TYPES and claim.subject in self.entities and claim.object in self.entities:
                links.append(Link(f"{claim.id}", claim.subject, claim.object, claim.type, claim.id, weight))  # type: ignore[arg-type]
            elif claim.type == ClaimType.SAID and claim.subject in self.entities:
                for target in claim.about:
                    if target in self.entities and target != claim.subject:
                        links.append(Link(f"{claim.id}>{target}", claim.subject, target, SAID_ABOUT, claim.id, weight))  # type: ignore[arg-type]
        for alias in self.alias_links:
            if alias.alias in self.entities and alias.canonical in self.entities:
                links.append(Link(f"alias:{alias.alias}>{alias.canonical}", alias.alias, alias.canonical, ALIAS_OF, None, 1))
        if co_mentions:
            by_article: dict[str, list[str]] = {}
            for mention in self.mentions:
                if mention.entity in self.entities:
                    by_article.setdefault(mention.article, []).append(mention.entity)
            pairs: dict[tuple[str, str], int] = {}
            for entity_ids in by_article.values():
                unique = sorted(set(entity_ids))
                for i, a in enumerate(unique):
                    for b in unique[i + 1 :]:
                        pairs[(a, b)] = pairs.get((a, b), 0) + 1
            for (a, b), count in sorted(pairs.items()):
                links.append(Link(f"co:{a}|{b}", a, b, CO_MENTIONED, None, count))
        return links

    # -- lookup and scoping -----------------------------------------------------------------

    def find_entities(self, text: str) -> list[Entity]:
        """Entities whose id, name or an alias equals ``text`` (case-insensitive)."""
        wanted = text.strip().casefold()
        return [
            e
            for e in self.entities.values()
            if wanted in {e.id.casefold(), e.name.casefold(), *(a.casefold() for a in e.aliases)}
        ]

    def neighbourhood(self, start: Iterable[str], hops: int, *, co_mentions: bool = False) -> set[str]:
        """Entity ids within ``hops`` links of ``start`` (breadth-first over :meth:`links`)."""
        adjacency: dict[str, set[str]] = {}
        for link in self.links(co_mentions=co_mentions):
            adjacency.setdefault(link.source, set()).add(link.target)
            adjacency.setdefault(link.target, set()).add(link.source)
        seen = {s for s in start if s in self.entities}
        queue = deque((s, 0) for s in seen)
        while queue:
            node, depth = queue.popleft()
            if depth >= hops:
                continue
            for other in sorted(adjacency.get(node, ())):
                if other not in seen:
                    seen.add(other)
                    queue.append((other, depth + 1))
        return seen

    def top_entities(self, limit: int) -> set[str]:
        """The ``limit`` most mentioned entities (ties broken by claim count, then name)."""
        counts = self.mention_counts()
        involvement: dict[str, int] = {}
        for claim in self.claims.values():
            for entity_id in (claim.subject, claim.object, *claim.about):
                if entity_id:
                    involvement[entity_id] = involvement.get(entity_id, 0) + 1
        ranked = sorted(self.entities.values(), key=lambda e: (-counts.get(e.id, 0), -involvement.get(e.id, 0), e.name.casefold()))
        return {e.id for e in ranked[:limit]}

    def restrict(self, entity_ids: Iterable[str]) -> Graph:
        """The subgraph on ``entity_ids``: their mentions, the claims among them, the articles used."""
        keep = set(entity_ids) & set(self.entities)
        sub = Graph(entities={k: v for k, v in self.entities.items() if k in keep})
        sub.mentions = [m for m in self.mentions if m.entity in keep]
        for claim in self.claims.values():
            if claim.type == ClaimType.SAID:
                inside = claim.subject in keep or (claim.subject is None and any(a in keep for a in claim.about))
            else:
                inside = claim.subject in keep and (claim.object is None or claim.object in keep)
            if inside:
                sub.claims[claim.id] = claim
        used = {m.article for m in sub.mentions} | {r.article for c in sub.claims.values() for r in c.reports}
        sub.articles = {k: v for k, v in self.articles.items() if k in used}
        sub.alias_links = [link for link in self.alias_links if link.alias in keep and link.canonical in keep]
        for cluster in self.clusters.values():
            if sum(member in sub.claims for member in cluster.members) >= 2:
                sub.clusters[cluster.id] = cluster
        return sub

    def cluster_of(self) -> dict[str, str]:
        """Claim id -> the id of its cluster."""
        return {member: cluster.id for cluster in self.clusters.values() for member in cluster.members}

    def counts(self) -> dict[str, int]:
        by_type: dict[str, int] = {}
        for entity in self.entities.values():
            by_type[entity.type] = by_type.get(entity.type, 0) + 1
        return {
            "articles": len(self.articles),
            "entities": len(self.entities),
            "claims": len(self.claims),
            "reports": sum(len(c.reports) for c in self.claims.values()),
            **{f"entities:{k}": v for k, v in sorted(by_type.items())},
        }

    def contradictions(self, *, days: int = 30) -> list[Contradiction]:
        """Facts reports disagree on, by the rules of ``queries/contradictions.cypher``: released vs
        a plan or announcement reported on or after the first release report; two roles at one
        organization or two organizations reported within ``days``; one statement, two speakers."""
        names = self.names()
        aliases = self._alias_groups()
        same = lambda a, b: a == b or (a in aliases and aliases.get(a) == aliases.get(b))  # noqa: E731
        found: list[Contradiction] = []
        by_pair: dict[tuple[str, str], list[Claim]] = {}
        by_person: dict[str, list[Claim]] = {}
        by_statement: dict[str, list[Claim]] = {}
        for claim in self.claims.values():
            if claim.type == ClaimType.RELEASED and claim.subject and claim.object:
                by_pair.setdefault((claim.subject, claim.object), []).append(claim)
            elif claim.type == ClaimType.AFFILIATED_WITH and claim.subject and claim.object:
                by_person.setdefault(claim.subject, []).append(claim)
            elif claim.type == ClaimType.SAID and claim.citable and claim.statement:
                by_statement.setdefault(_statement_key(claim.statement), []).append(claim)
        for (subject, obj), claims in by_pair.items():
            s, o = names.get(subject, subject), names.get(obj, obj)
            for a in claims:
                for b in claims:
                    if (a.status == ReleaseStatus.RELEASED and b.status in (ReleaseStatus.PLANNED, ReleaseStatus.ANNOUNCED) and a.first_published
                            and b.last_published and b.last_published >= a.first_published):  # fmt: skip
                        found.append(Contradiction("release", s, o, f"{s} released {o}", f"{s} {b.verb} {o}", a.id, b.id))
        for person, claims in by_person.items():
            p = names.get(person, person)
            for a in claims:
                for b in claims:
                    if a.id >= b.id or not (a.first_published and a.last_published and b.first_published and b.last_published):
                        continue
                    if (a.first_published - b.last_published).days > days or (b.first_published - a.last_published).days > days:
                        continue
                    if a.object == b.object:
                        if not (a.role and b.role and a.role.lower() != b.role.lower()):
                            continue
                        kind, obj = "role", names.get(a.object or "", a.object)
                    elif same(a.object, b.object):
                        continue
                    else:
                        kind, obj = "affiliation", None
                    side_a = f"{p}, {a.role or 'affiliated'} at {names.get(a.object or '', a.object)}"
                    side_b = f"{p}, {b.role or 'affiliated'} at {names.get(b.object or '', b.object)}"
                    found.append(Contradiction(kind, p, obj, side_a, side_b, a.id, b.id))
        for claims in by_statement.values():
            for a in claims:
                for b in claims:
                    if a.id < b.id and a.subject != b.subject and not same(a.subject, b.subject) and not self._same_surname(a.subject, b.subject):
                        found.append(Contradiction(
                            "speaker", a.statement or "", None,
                            f"{names.get(a.subject or '', a.subject)} said it", f"{names.get(b.subject or '', b.subject)} said it", a.id, b.id,
                        ))  # fmt: skip
        articles = lambda claim_id: {r.article for r in self.claims[claim_id].reports}  # noqa: E731
        found = [x for x in found if articles(x.claim_a) != articles(x.claim_b)]  # one article's muddle is no disagreement
        weight = lambda x: -(self.claims[x.claim_a].source_count + self.claims[x.claim_b].source_count)  # noqa: E731
        return sorted(found, key=lambda x: (weight(x), x.kind, x.subject, x.claim_a, x.claim_b))

    def _same_surname(self, a: str | None, b: str | None) -> bool:
        """Two people with the same last name ("Mr Armes", "Rory Armes"), an organization and its
        longer-named part ("Sony", "Sony Computer Entertainment America"): taken for one speaker."""
        x, y = self.entities.get(a or ""), self.entities.get(b or "")
        if not (x and y and x.type == y.type):
            return False
        if x.type == EntityType.PERSON:
            return x.name.split(" ")[-1] == y.name.split(" ")[-1]
        return x.type == EntityType.ORGANIZATION and (x.name.startswith(y.name + " ") or y.name.startswith(x.name + " "))

    def _alias_groups(self) -> dict[str, str]:
        """Entity id -> the canonical entity id it is an alias of (``kg resolve``'s ALIAS_OF)."""
        return {link.alias: link.canonical for link in self.alias_links} | {
            link.canonical: link.canonical for link in self.alias_links
        }

    def iter_reports(self) -> Iterator[tuple[Claim, Report]]:
        for claim in self.claims.values():
            for report in claim.reports:
                yield claim, report
