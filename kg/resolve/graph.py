"""``kg resolve``: cross-article resolution computed from the graph and written on top of it.

Everything here is derived: a run reads what the loader stored, decides (with
:mod:`kg.resolve.entities` and :mod:`kg.resolve.statements`) which alias links, claim clusters,
model families and background DEVELOPS edges the graph should have, and writes only the
difference. So a run is idempotent, a second run after more articles were loaded brings the
layer up to date, and ``--clear`` removes it without touching a loaded fact. Statement features
are cached on the claims, so a run lemmatizes new statements only.

Between runs, the loader keeps the layer correct (never wrong, possibly incomplete): replacing or
forgetting an article drops the links whose evidence it was and the clusters that relied on them
(see :mod:`kg.neo4j.loader`).
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.extract.lexicon import Lexicon, ModelFamily, load_lexicon
from kg.extract.naming import entity_id, name_key
from kg.neo4j.schema import ensure_schema
from kg.neo4j.session import quiet_session, read_rows, run_counters
from kg.resolve import cypher
from kg.extract.resolution_data import ResolutionData, load_resolution_data
from kg.resolve.entities import (
    AliasLink,
    Affiliation,
    PersonFacts,
    canonical_map,
    learned_alias_links,
    parse_merges,
    surname_links,
    surname_only,
    without_cycles,
)
from kg.resolve.statements import FeatureExtractor, Statement, StatementFeatures, group_statements, settings_version
from kg.schema import CLAIMS, ClaimType, EntityType, fact_key

if TYPE_CHECKING:
    from neo4j import Driver, Session

SAID_RULE = "paraphrase"
#: Claim types whose facts are grouped when their entities merge (the registry's ``fact_clusters``).
FACT_CLUSTER_TYPES: list[str] = [t.value for t, spec in CLAIMS.items() if spec.fact_clusters]
FACT_RULE = "same-fact-after-aliases"
SAID_METHOD = "content-lemma overlap coefficient"
FACT_METHOD = "fact key with entities mapped through ALIAS_OF"
GAZETTEER_SOURCE = "pipelines/gazetteers/models.yml"


@dataclass(slots=True)
class ResolveSummary:
    """What a run found and changed."""

    alias_links: int = 0
    alias_links_added: int = 0
    alias_links_removed: int = 0
    said_clusters: int = 0
    fact_clusters: int = 0
    clustered_claims: int = 0
    clusters_added: int = 0
    clusters_removed: int = 0
    families: int = 0
    family_links_added: int = 0
    family_links_removed: int = 0
    developer_links: int = 0
    developer_links_added: int = 0
    developer_links_removed: int = 0
    contradictions: int = 0
    contradictions_added: int = 0
    contradictions_removed: int = 0
    features_computed: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def render(self) -> str:
        rules = ", ".join(f"{n} {r}" for r, n in sorted(self.rules.items())) or "none"
        return "\n".join(
            [
                f"entity links:   {self.alias_links} ({rules}); {self.alias_links_added} added, {self.alias_links_removed} removed",
                f"claim clusters: {self.said_clusters} statements said in other words, {self.fact_clusters} facts under merged entities "
                f"({self.clustered_claims} claims); {self.clusters_added} added, {self.clusters_removed} removed",
                f"model families: {self.families} ({self.family_links_added} links added, {self.family_links_removed} removed); "
                f"gazetteer DEVELOPS: {self.developer_links} ({self.developer_links_added} added, {self.developer_links_removed} removed)",
                f"contradictions: {self.contradictions} candidate pairs ({self.contradictions_added} added, {self.contradictions_removed} removed)",
                f"statements lemmatized: {self.features_computed}; {self.seconds:.1f}s",
            ]
        )


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of claims that are one fact or one statement, as it should be in the graph."""

    id: str
    type: str
    key: str
    speaker: str | None
    rule: str
    method: str
    threshold: float | None
    members: tuple[str, ...]
    scores: dict[str, float]
    via: dict[str, list[str]]  # member -> alias ids its mapping used

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "key": self.key, "speaker": self.speaker, "rule": self.rule,
            "method": self.method, "threshold": self.threshold,
        }


def cluster_id(members: Iterable[str]) -> str:
    """Stable id of a cluster from its members: the same group gets the same id in every run."""
    return "k-" + hashlib.sha1("\n".join(sorted(members)).encode("utf-8")).hexdigest()[:16]


def family_of(name: str, lexicon: Lexicon) -> ModelFamily | None:
    """The gazetteer family a model name starts with, at a word boundary ("Qwen3", not "Pika" for "Pi")."""
    lowered = name.lower()
    for family in lexicon.model_families:  # longest stems first
        stem = family.stem.lower()
        if lowered.startswith(stem) and (len(name) == len(stem) or not name[len(stem)].isalpha() or not stem[-1].isalpha()):
            if family.case_insensitive or name.startswith(family.stem):
                return family
    return None


def _batches(rows: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class GraphResolver:
    """Runs the resolution rules against one database."""

    def __init__(
        self,
        driver: Driver,
        database: str = "neo4j",
        *,
        lexicon_dir: str | None = None,
        data: ResolutionData | None = None,
        model: str | None = None,
        batch_size: int = 1000,
    ) -> None:
        self.driver = driver
        self.database = database
        self.lexicon: Lexicon = load_lexicon(lexicon_dir)
        self.data: ResolutionData = data or load_resolution_data(lexicon_dir)
        self.model = model
        self.batch_size = batch_size
        self._extractor: FeatureExtractor | None = None

    # -- public ------------------------------------------------------------------------------------

    #: The steps of :meth:`resolve`, for progress display.
    STEPS = ("entity links", "model families", "claim clusters", "writing clusters", "contradictions")

    def resolve(self, on_step: Callable[[str], None] | None = None) -> ResolveSummary:
        """Bring the resolution layer up to date with the loaded graph; returns what changed.
        ``on_step`` is called with the name of each of :attr:`STEPS` once it is done."""
        started = time.perf_counter()
        summary = ResolveSummary()
        done = on_step or (lambda _step: None)
        ensure_schema(self.driver, self.database)  # the indexes the stored contradictions are read through
        with self._session() as session:
            links = self._entity_links(session)
            self._write_links(session, links, summary)
            done(self.STEPS[0])
            canon = canonical_map(links)
            self._write_families(session, canon, summary)
            done(self.STEPS[1])
            clusters = [*self._said_clusters(session, canon, summary), *self._fact_clusters(session, canon)]
            done(self.STEPS[2])
            self._write_clusters(session, clusters, summary)
            done(self.STEPS[3])
            self._write_contradictions(session, summary)
            done(self.STEPS[4])
        summary.alias_links = len(links)
        for link in links:
            summary.rules[link.rule] = summary.rules.get(link.rule, 0) + 1
        summary.said_clusters = sum(1 for c in clusters if c.rule == SAID_RULE)
        summary.fact_clusters = sum(1 for c in clusters if c.rule == FACT_RULE)
        summary.clustered_claims = sum(len(c.members) for c in clusters)
        summary.seconds = time.perf_counter() - started
        return summary

    def clear(self) -> None:
        """Remove the whole resolution layer (the loaded articles, entities and claims stay)."""
        with self._session() as session:
            for statement in (cypher.CLEAR_ALIAS_LINKS, cypher.CLEAR_CLUSTERS, cypher.CLEAR_FAMILIES, cypher.CLEAR_MODEL_FAMILY_PROPERTY, cypher.CLEAR_GAZETTEER_DEVELOPERS, cypher.CLEAR_CONTRADICTIONS):
                session.execute_write(run_counters, statement)

    def alias_links(self) -> list[dict[str, Any]]:
        """The ALIAS_OF links in the graph, with names, rule and evidence."""
        return self._read(cypher.READ_ALIAS_LINKS)

    def clusters(self) -> list[dict[str, Any]]:
        """The claim clusters in the graph, each with its members and their outlets."""
        return self._read(cypher.READ_CLUSTER_DETAILS)

    # -- entities ----------------------------------------------------------------------------------

    def _entity_links(self, session: Session) -> list[AliasLink]:
        blocked = self.data.blocked_entities
        facts = PersonFacts()
        facts.names = {r["id"]: r["name"] for r in self._run_read(session, cypher.READ_PERSONS)}
        facts.affiliations = [
            Affiliation(r["person"], r["org"], r["claim"], tuple(r["articles"]), r["text"] or "")
            for r in self._run_read(session, cypher.READ_AFFILIATIONS)
        ]
        surnames = sorted({a.person for a in facts.affiliations if surname_only(facts.names.get(a.person, ""))})
        article_orgs: dict[str, dict[str, frozenset[str]]] = defaultdict(dict)
        for batch in _batches(surnames, self.batch_size):
            for r in self._run_read(session, cypher.READ_PERSON_ARTICLE_ORGS, ids=list(batch)):
                article_orgs[r["person"]][r["article"]] = frozenset(r["orgs"])
        facts.article_orgs = dict(article_orgs)
        links = surname_links(facts, blocked)

        learned = [
            item
            for r in self._run_read(session, cypher.READ_LEARNED_ALIASES)
            for item in parse_merges(r["id"], r["merges"], self.data.cross_article_rules)
        ]
        alias_ids = sorted({i.alias_id for i in learned})
        existing = {r["id"]: r["type"] for batch in _batches(alias_ids, self.batch_size) for r in self._run_read(session, cypher.READ_EXISTING_ENTITIES, ids=list(batch))}
        pairs = sorted({(i.article, i.target) for i in learned if i.article and i.alias_id in existing})
        live = {
            (r["article"], r["entity"])
            for batch in _batches(pairs, self.batch_size)
            for r in self._run_read(session, cypher.READ_LIVE_MENTIONS, rows=[{"article": a, "entity": e} for a, e in batch])
        }
        links += learned_alias_links(learned, existing, live, blocked, self.data.cross_article_min_acronym)
        return without_cycles(links)

    def _write_links(self, session: Session, links: list[AliasLink], summary: ResolveSummary) -> None:
        wanted = {(link.source, link.target): link for link in links}
        current = {(r["source"], r["target"]) for r in self._run_read(session, cypher.READ_ALIAS_LINKS)}
        stale = [{"source": s, "target": t} for s, t in sorted(current - wanted.keys())]
        summary.alias_links_removed = len(stale)
        summary.alias_links_added = len(wanted.keys() - current)
        for batch in _batches(stale, self.batch_size):
            self._run_write(session, cypher.DELETE_ALIAS_LINKS, rows=list(batch))
        rows = [wanted[key].row() for key in sorted(wanted)]
        for batch in _batches(rows, self.batch_size):
            self._run_write(session, cypher.WRITE_ALIAS_LINKS, rows=list(batch))

    # -- model families and background developers ---------------------------------------------------

    def _write_families(self, session: Session, canon: dict[str, str], summary: ResolveSummary) -> None:
        family_rows: dict[tuple[str, str], dict[str, Any]] = {}
        developer_of: dict[str, str] = {}
        for r in self._run_read(session, cypher.READ_MODELS):
            family = family_of(r["name"] or "", self.lexicon)
            if family is None:
                continue
            fid = f"family:{name_key(family.family)}"
            family_rows[(r["id"], fid)] = {"model": r["id"], "family": fid, "name": family.family, "developer": family.developer}
            if family.developer:
                developer_of[r["id"]] = entity_id(EntityType.ORGANIZATION, family.developer)
        orgs = sorted(set(developer_of.values()))
        present = {row["id"] for batch in _batches(orgs, self.batch_size) for row in self._run_read(session, cypher.READ_ORGANIZATION_IDS, ids=list(batch))}
        developers = {(canon.get(org, org), model) for model, org in developer_of.items() if org in present}

        current_families = {(r["model"], r["family"]) for r in self._run_read(session, cypher.READ_FAMILY_LINKS)}
        stale_families = [{"model": m, "family": f} for m, f in sorted(current_families - family_rows.keys())]
        current_developers = {(r["org"], r["model"]) for r in self._run_read(session, cypher.READ_GAZETTEER_DEVELOPERS)}
        stale_developers = [{"org": o, "model": m} for o, m in sorted(current_developers - developers)]
        for batch in _batches(stale_families, self.batch_size):
            self._run_write(session, cypher.DELETE_FAMILY_LINKS, rows=list(batch))
        rows = [family_rows[key] for key in sorted(family_rows)]
        for batch in _batches(rows, self.batch_size):
            self._run_write(session, cypher.WRITE_FAMILY_LINKS, rows=list(batch))
        self._run_write(session, cypher.DELETE_EMPTY_FAMILIES)
        for batch in _batches(stale_developers, self.batch_size):
            self._run_write(session, cypher.DELETE_GAZETTEER_DEVELOPERS, rows=list(batch))
        dev_rows = [{"org": o, "model": m, "source": GAZETTEER_SOURCE} for o, m in sorted(developers)]
        for batch in _batches(dev_rows, self.batch_size):
            self._run_write(session, cypher.WRITE_GAZETTEER_DEVELOPERS, rows=list(batch))
        summary.families = len({f for _, f in family_rows})
        summary.family_links_added = len(family_rows.keys() - current_families)
        summary.family_links_removed = len(stale_families)
        summary.developer_links = len(developers)
        summary.developer_links_added = len(developers - current_developers)
        summary.developer_links_removed = len(stale_developers)

    # -- claims ------------------------------------------------------------------------------------

    @property
    def extractor(self) -> FeatureExtractor:
        if self._extractor is None:
            self._extractor = FeatureExtractor.load(self.lexicon, self.data, self.model)
        return self._extractor

    def _said_clusters(self, session: Session, canon: dict[str, str], summary: ResolveSummary) -> list[Cluster]:
        settings = self.data.statements
        version = settings_version(settings, self.data)
        rows = self._run_read(session, cypher.READ_SAID_CLAIMS)
        stale = [r for r in rows if r["version"] != version or r["features"] is None]
        if stale:
            computed = self.extractor.features([r["statement"] or "" for r in stale])
            updates = [{"id": r["id"], "features": f.encode(), "version": version} for r, f in zip(stale, computed, strict=True)]
            for batch in _batches(updates, self.batch_size):
                self._run_write(session, cypher.WRITE_STATEMENT_FEATURES, rows=list(batch))
            cached = {u["id"]: u["features"] for u in updates}
            summary.features_computed = len(updates)
        else:
            cached = {}
        by_speaker: dict[str, list[Statement]] = defaultdict(list)
        via: dict[str, list[str]] = {}
        for r in rows:
            features = StatementFeatures.decode(cached.get(r["id"], r["features"]) or [])
            about = [canon.get(e, e) for e in r["about"]]
            speaker = canon.get(r["speaker"], r["speaker"])
            via[r["id"]] = sorted({e for e in (r["speaker"], *r["about"]) if e in canon})
            by_speaker[speaker].append(Statement(r["id"], features.with_entities(about), frozenset(r["articles"]), (r["first"] or "", r["id"])))
        clusters: list[Cluster] = []
        for speaker, statements in sorted(by_speaker.items()):
            if len(statements) < 2:
                continue
            for group in group_statements(statements, settings, self.data.blocked_statements):
                clusters.append(
                    Cluster(
                        id=cluster_id(group.members), type=ClaimType.SAID.value, key=fact_key(ClaimType.SAID, speaker=speaker, statement=group.members[0].rsplit("|", 1)[-1]),
                        speaker=speaker, rule=SAID_RULE, method=SAID_METHOD, threshold=settings.threshold,
                        members=group.members, scores=group.scores, via={m: via[m] for m in group.members},
                    )
                )
        return clusters

    def _fact_clusters(self, session: Session, canon: dict[str, str]) -> list[Cluster]:
        if not canon:
            return []
        ids = sorted(set(canon) | set(canon.values()))
        rows = {r["id"]: r for batch in _batches(ids, self.batch_size) for r in self._run_read(session, cypher.READ_FACT_CLAIMS_OF, ids=list(batch), types=FACT_CLUSTER_TYPES)}
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows.values():
            subject, obj = canon.get(r["subject"], r["subject"]), canon.get(r["object"], r["object"])
            key = fact_key(r["type"], subject=subject, object=obj, status=r["status"])
            groups[key].append(r)
        clusters: list[Cluster] = []
        for key, members in sorted(groups.items()):
            if len(members) < 2:
                continue
            ids_ = tuple(sorted(m["id"] for m in members))
            clusters.append(
                Cluster(
                    id=cluster_id(ids_), type=members[0]["type"], key=key, speaker=None, rule=FACT_RULE, method=FACT_METHOD,
                    threshold=None, members=ids_, scores={m: 1.0 for m in ids_},
                    via={m["id"]: sorted({e for e in (m["subject"], m["object"]) if e in canon}) for m in members},
                )
            )
        return clusters

    def _write_clusters(self, session: Session, clusters: list[Cluster], summary: ResolveSummary) -> None:
        current = {r["id"] for r in self._run_read(session, cypher.READ_CLUSTERS)}
        wanted = {c.id: c for c in clusters}
        stale = sorted(current - wanted.keys())
        summary.clusters_removed = len(stale)
        summary.clusters_added = len(wanted.keys() - current)
        for batch in _batches(stale, self.batch_size):
            self._run_write(session, cypher.DELETE_CLUSTERS, ids=list(batch))
        ordered = [wanted[k] for k in sorted(wanted)]
        for batch in _batches(ordered, self.batch_size):
            self._run_write(session, cypher.CREATE_CLUSTERS, rows=[c.row() for c in batch])
            members = [{"cluster": c.id, "claim": m, "score": c.scores.get(m), "via": c.via.get(m, [])} for c in batch for m in c.members]
            self._run_write(session, cypher.LINK_CLUSTER_MEMBERS, rows=members)
            self._run_write(session, cypher.RECOUNT_CLUSTERS, ids=[c.id for c in batch])

    # -- contradictions ----------------------------------------------------------------------------

    def _write_contradictions(self, session: Session, summary: ResolveSummary) -> None:
        """Store the pairs of claims that reports may disagree on (after the alias links, which
        they respect), writing only the difference, and bring every pair's sort key up to date."""
        wanted = {(r["a"], r["b"], r["kind"]) for r in self._run_read(session, cypher.READ_CONTRADICTION_CANDIDATES)}
        current = {(r["a"], r["b"], r["kind"]) for r in self._run_read(session, cypher.READ_CONTRADICTIONS)}
        stale = [{"a": a, "b": b, "kind": k} for a, b, k in sorted(current - wanted)]
        new = [{"a": a, "b": b, "kind": k} for a, b, k in sorted(wanted - current)]
        for batch in _batches(stale, self.batch_size):
            self._run_write(session, cypher.DELETE_CONTRADICTIONS, rows=list(batch))
        for batch in _batches(new, self.batch_size):
            self._run_write(session, cypher.WRITE_CONTRADICTIONS, rows=list(batch))
        if current & wanted:
            self._run_write(session, cypher.REFRESH_CONTRADICTION_RANKS)
        summary.contradictions = len(wanted)
        summary.contradictions_added = len(new)
        summary.contradictions_removed = len(stale)

    # -- plumbing ----------------------------------------------------------------------------------

    def _session(self) -> Session:
        return quiet_session(self.driver, self.database)

    def _read(self, statement: str, **params: Any) -> list[dict[str, Any]]:
        with self._session() as session:
            return self._run_read(session, statement, **params)

    @staticmethod
    def _run_read(session: Session, statement: str, **params: Any) -> list[dict[str, Any]]:
        return session.execute_read(read_rows, statement, **params)

    @staticmethod
    def _run_write(session: Session, statement: str, **params: Any) -> None:
        session.execute_write(run_counters, statement, **params)
