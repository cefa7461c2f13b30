"""Cross-article resolution end to end against the real Neo4j: ingest two outlets' articles about
the same events (tests/fixtures/resolution/articles), run ``kg resolve``, check the graph."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from spacy.language import Language
from typer.testing import CliRunner

from kg.articles.model import Article
from kg.articles.readers import read_articles
from kg.cli import app
from kg.extract.lexicon import load_lexicon
from kg.ingest import ingest
from kg.neo4j.loader import GraphLoader
from kg.extract.resolution_data import ResolutionData, load_resolution_data
from kg.neo4j.admin import empty_database
from kg.resolve.graph import GraphResolver, ResolveSummary
from kg.resolve.statements import FeatureExtractor

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

pytestmark = pytest.mark.neo4j

ARTICLES = Path(__file__).resolve().parents[1] / "fixtures" / "resolution" / "articles"
GLM_RELEASED = "released|org:zhipu-ai|model:glm-4.5|released"
runner = CliRunner()


@pytest.fixture(scope="module")
def extractor() -> FeatureExtractor:
    return FeatureExtractor.load(load_lexicon(), load_resolution_data())


def articles(folder: Path = ARTICLES) -> list[Article]:
    return [a for a in read_articles([folder]) if isinstance(a, Article)]


def resolver(driver: Driver, database: str, extractor: FeatureExtractor, data: ResolutionData | None = None) -> GraphResolver:
    r = GraphResolver(driver, database, data=data)
    r._extractor = extractor  # one spaCy load per module
    return r


def load(nlp: Language, driver: Driver, database: str, folder: Path = ARTICLES) -> None:
    ingest(nlp, articles(folder), GraphLoader(driver, database))


def q(driver: Driver, database: str, statement: str, **params: Any) -> list[dict[str, Any]]:
    return [r.data() for r in driver.execute_query(statement, params, database_=database).records]


def links(driver: Driver, database: str) -> set[tuple[str, str, str]]:
    return {(r["s"], r["t"], r["rule"]) for r in q(driver, database, "MATCH (s)-[r:ALIAS_OF]->(t) RETURN s.id AS s, t.id AS t, r.rule AS rule")}


def clusters(driver: Driver, database: str) -> dict[str, dict[str, Any]]:
    rows = q(driver, database, """
        MATCH (k:ClaimCluster)<-[:IN_CLUSTER]-(c:Claim)
        WITH k, c ORDER BY c.id
        RETURN k.key AS key, k.type AS type, k.source_count AS sources, k.article_count AS articles, k.outlets AS outlets, collect(c.id) AS claims
    """)
    return {r["key"]: r for r in rows}


@pytest.fixture(scope="module")
def resolved(neo4j_driver: Driver, neo4j_settings: Neo4jSettings, nlp: Language, extractor: FeatureExtractor) -> Iterator[tuple[Driver, str, ResolveSummary]]:
    """The fixture articles ingested and resolved once for the read-only tests of this module."""
    database = neo4j_settings.database
    empty_database(neo4j_driver, database)
    load(nlp, neo4j_driver, database)
    yield neo4j_driver, database, resolver(neo4j_driver, database, extractor).resolve()


# -- the resolved graph ---------------------------------------------------------------------------


def test_one_release_fact_with_two_independent_sources(resolved: tuple[Driver, str, ResolveSummary]) -> None:
    driver, database, _ = resolved
    # "Zhipu AI released GLM-4.5" (Northwind) and "Z.ai released GLM 4.5" (Copperline): one fact.
    [fact] = q(driver, database, """
        MATCH (o:Organization)<-[:SUBJECT]-(c:Released)-[:OBJECT]->(m:Model {id: 'model:glm-4.5'})
        RETURN c.id AS id, o.name AS org, c.source_count AS sources, c.article_count AS articles, c.outlets AS outlets
    """)
    assert fact == {"id": GLM_RELEASED, "org": "Zhipu AI", "sources": 2, "articles": 2, "outlets": ["Copperline News", "Northwind Wire"]}
    # The Air model is another model of the family, reported once.
    [air] = q(driver, database, "MATCH (c:Released)-[:OBJECT]->(:Model {id: 'model:glm-4.5-air'}) RETURN c.source_count AS sources")
    assert air == {"sources": 1}


@pytest.mark.parametrize(
    ("entity", "aliases"),
    [
        ("org:zhipu-ai", {"Z.ai"}),
        ("model:glm-4.5", {"GLM 4.5", "glm-4.5"}),
        ("place:united-states", {"U.S."}),
        ("org:velora-systems", {"Velora Systems Inc."}),
        ("org:nimbara-labs", {"Nimbus AI"}),
    ],
)
def test_one_node_per_entity_with_its_aliases(resolved: tuple[Driver, str, ResolveSummary], entity: str, aliases: set[str]) -> None:
    driver, database, _ = resolved
    [row] = q(driver, database, "MATCH (e:Entity {id: $id}) RETURN e.name AS name, e.aliases AS aliases", id=entity)
    assert aliases <= {row["name"], *row["aliases"]}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("model:glm-4.5", "model:glm-4.5-air"),  # two versions of one family
        ("person:grace-okafor", "person:daniel-okafor"),  # two people sharing a surname
        ("person:okafor", "person:daniel-okafor"),  # the surname-only Okafor is Grace (Velora), not Daniel
        ("model:deepseek-app", "org:deepseek"),  # the app is not the lab
    ],
)
def test_different_entities_stay_apart(resolved: tuple[Driver, str, ResolveSummary], first: str, second: str) -> None:
    driver, database, _ = resolved
    rows = q(driver, database, """
        MATCH (a:Entity {id: $a}), (b:Entity {id: $b})
        RETURN EXISTS { (a)-[:ALIAS_OF*]-(b) } AS linked
    """, a=first, b=second)
    assert rows == [{"linked": False}]


def test_cross_article_entity_links_carry_rule_and_evidence(resolved: tuple[Driver, str, ResolveSummary]) -> None:
    driver, database, summary = resolved
    assert links(driver, database) == {
        ("person:okafor", "person:grace-okafor", "surname+affiliation"),
        ("org:nimbus-ai", "org:nimbara-labs", "learned-alias"),
    }
    assert summary.rules == {"surname+affiliation": 1, "learned-alias": 1}
    [nimbus] = q(driver, database, "MATCH (:Entity {id: 'org:nimbus-ai'})-[r:ALIAS_OF]->() RETURN r.evidence AS evidence, r.articles AS articles")
    assert "Nimbara Labs (formerly Nimbus AI)" in nimbus["evidence"] and len(nimbus["articles"]) == 1


def test_reports_of_one_fact_under_merged_entities_and_paraphrases_are_clustered(resolved: tuple[Driver, str, ResolveSummary]) -> None:
    driver, database, _ = resolved
    found = clusters(driver, database)
    by_type = {(k["type"], k["key"].split("|")[1]): k for k in found.values()}
    # Nimbus AI released Orbit-2 / Nimbara Labs released Orbit-2: one fact once the names are one.
    orbit = found["released|org:nimbara-labs|model:orbit-2|released"]
    assert (orbit["sources"], orbit["articles"], len(orbit["claims"])) == (2, 2, 2)
    # The analyst's remark, in other words in each outlet: one statement, two sources.
    marsh = by_type[("SAID", "person:lena-marsh")]
    assert (marsh["sources"], marsh["outlets"], len(marsh["claims"])) == (2, ["Copperline News", "Northwind Wire"], 2)
    # Grace Okafor's plan, once as "Okafor" (linked by surname and affiliation).
    okafor = by_type[("SAID", "person:grace-okafor")]
    assert (okafor["sources"], len(okafor["claims"])) == (2, 2)
    # ... and the affiliation both outlets report, under the two names.
    role = found["affiliated_with|person:grace-okafor|org:velora-systems"]
    assert (role["sources"], len(role["claims"])) == (2, 2)
    assert len(found) == 4


def test_library_queries_count_a_cluster_as_one_fact(resolved: tuple[Driver, str, ResolveSummary], neo4j_settings: Neo4jSettings) -> None:
    from kg.queries import load_library, run_named

    library = load_library()
    driver, database, _ = resolved

    def rows_of(name: str, **params: str) -> list[dict[str, Any]]:
        result = run_named(driver, database, library[name], params)
        return [dict(zip(result.columns, row, strict=True)) for row in result.rows]

    rows = rows_of("corroborated-claims", min_sources="2")
    by_subject = {(r["type"], r["subject"]): r for r in rows}
    # the paraphrased statement and the fact reported under two names are one fact each, by canonical name
    assert by_subject[("SAID", "Lena Marsh")]["outlets"] == 2
    assert by_subject[("RELEASED", "Nimbara Labs")]["object"] == "Orbit-2"
    assert len(by_subject[("RELEASED", "Nimbara Labs")]["sources"]) == 2
    single = rows_of("single-source-claims", type="SAID")
    assert "Lena Marsh" not in {r["subject"] for r in single}


def test_single_source_claims_stay_visible_as_such(resolved: tuple[Driver, str, ResolveSummary]) -> None:
    driver, database, _ = resolved
    rows = q(driver, database, """
        MATCH (:Person {id: 'person:daniel-okafor'})<-[:SUBJECT]-(c:Said)
        RETURN c.source_count AS sources, EXISTS { (c)-[:IN_CLUSTER]->() } AS clustered
    """)
    assert rows == [{"sources": 1, "clustered": False}]


def test_models_link_to_family_and_background_developer(resolved: tuple[Driver, str, ResolveSummary]) -> None:
    driver, database, _ = resolved
    rows = q(driver, database, """
        MATCH (m:Model)-[:IN_FAMILY]->(f:ModelFamily {name: 'GLM'})
        OPTIONAL MATCH (o:Organization)-[d:DEVELOPS]->(m)
        RETURN m.id AS model, f.developer AS developer, o.id AS org, d.basis AS basis, d.sources AS sources
        ORDER BY model
    """)
    assert rows == [
        {"model": "model:glm-4.5", "developer": "Zhipu AI", "org": "org:zhipu-ai", "basis": "gazetteer", "sources": None},
        {"model": "model:glm-4.5-air", "developer": "Zhipu AI", "org": "org:zhipu-ai", "basis": "gazetteer", "sources": None},
    ]
    # Background knowledge is never a report: no claim, no evidence behind the edge.
    assert q(driver, database, "MATCH ()-[d:DEVELOPS {basis: 'gazetteer'}]->() WHERE d.claim IS NOT NULL RETURN count(d) AS n") == [{"n": 0}]


def test_extraction_merges_are_stored_with_their_reasons(resolved: tuple[Driver, str, ResolveSummary]) -> None:
    driver, database, _ = resolved
    [row] = q(driver, database, "MATCH (e:Entity {id: 'org:zhipu-ai'}) RETURN e.merges AS merges, e.kind AS kind")
    assert row["kind"] == "lab" and any('"rule": "gazetteer"' in m and '"alias": "Z.ai"' in m for m in row["merges"])
    [app_row] = q(driver, database, "MATCH (e:Model {id: 'model:deepseek-app'}) RETURN e.product_of AS owner")
    assert app_row == {"owner": "DeepSeek"}


def test_resolving_again_changes_nothing(resolved: tuple[Driver, str, ResolveSummary], extractor: FeatureExtractor) -> None:
    driver, database, first = resolved
    again = resolver(driver, database, extractor).resolve()
    assert (again.alias_links_added, again.alias_links_removed, again.clusters_added, again.clusters_removed) == (0, 0, 0, 0)
    assert (again.alias_links, again.said_clusters, again.fact_clusters, again.features_computed) == (first.alias_links, first.said_clusters, first.fact_clusters, 0)


def test_cli_explains_every_merge(resolved: tuple[Driver, str, ResolveSummary], neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("NEO4J_URI", neo4j_settings.uri), ("NEO4J_USER", neo4j_settings.user), ("NEO4J_PASSWORD", neo4j_settings.password), ("NEO4J_DATABASE", neo4j_settings.database)):
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["resolve", "--show"])
    assert result.exit_code == 0, result.output
    assert "Okafor (person:okafor) -> Grace Okafor (person:grace-okafor) [surname+affiliation]" in result.stdout
    assert "claim clusters (4):" in result.stdout

    # `kg resolve` shows its steps on stderr (a line each when not a terminal); --quiet none
    again = runner.invoke(app, ["resolve"])
    assert again.exit_code == 0, again.output
    steps = [line for line in again.stderr.splitlines() if line.startswith("kg resolve: ")]
    assert [line.split(",")[0] for line in steps] == [f"kg resolve: {n}/5 steps ({100 * n // 5}%)" for n in range(1, 6)]
    quiet = runner.invoke(app, ["resolve", "--quiet"])
    assert quiet.exit_code == 0 and "kg resolve: " not in quiet.stderr


# -- keeping it correct as articles change ------------------------------------------------------------


@pytest.fixture
def fresh(clean_db: Driver, neo4j_settings: Neo4jSettings, nlp: Language, extractor: FeatureExtractor, tmp_path: Path) -> tuple[Driver, str, Path]:
    """A private copy of the fixture articles, ingested and resolved in an empty database."""
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    load(nlp, clean_db, neo4j_settings.database, folder)
    resolver(clean_db, neo4j_settings.database, extractor).resolve()
    return clean_db, neo4j_settings.database, folder


def article_id(driver: Driver, database: str, path_end: str) -> str:
    [row] = q(driver, database, "MATCH (a:Article) WHERE a.path ENDS WITH $end RETURN a.id AS id", end=path_end)
    return row["id"]


def test_forgetting_the_evidence_article_undoes_what_rested_on_it(fresh: tuple[Driver, str, Path], extractor: FeatureExtractor) -> None:
    driver, database, _ = fresh
    nimbara = article_id(driver, database, "2025-08-02-northwind-nimbara.md")
    marsh = article_id(driver, database, "2025-07-29-copperline-glm.md")
    GraphLoader(driver, database).forget([nimbara, marsh])
    # Right after the load, before any new `kg resolve`: no link without its evidence, no cluster
    # with fewer than two claims left.
    assert ("org:nimbus-ai", "org:nimbara-labs", "learned-alias") not in links(driver, database)
    assert all("grace-okafor" in key for key in clusters(driver, database)) and len(clusters(driver, database)) == 2
    summary = resolver(driver, database, extractor).resolve()
    assert (summary.alias_links, summary.said_clusters, summary.fact_clusters) == (1, 1, 1)


def test_replacing_an_article_drops_open_links_until_resolved_again(fresh: tuple[Driver, str, Path], nlp: Language, extractor: FeatureExtractor) -> None:
    driver, database, folder = fresh
    path = folder / "2025-07-31-copperline-velora.md"
    path.write_text(path.read_text(encoding="utf-8").replace("told reporters", "told journalists"), encoding="utf-8")
    load(nlp, driver, database, folder)
    assert ("person:okafor", "person:grace-okafor", "surname+affiliation") not in links(driver, database)
    assert not any("grace-okafor" in key for key in clusters(driver, database))
    # Counts stay exact for the clusters that remain.
    assert clusters(driver, database)["released|org:nimbara-labs|model:orbit-2|released"]["sources"] == 2
    summary = resolver(driver, database, extractor).resolve()
    assert summary.rules == {"surname+affiliation": 1, "learned-alias": 1}
    assert (summary.said_clusters, summary.fact_clusters, summary.clusters_added) == (2, 2, 2)


def test_a_new_report_of_a_clustered_claim_updates_the_cluster_counts(fresh: tuple[Driver, str, Path], nlp: Language) -> None:
    driver, database, folder = fresh
    (folder / "2025-08-04-harbor-nimbus.md").write_text(
        "---\ntitle: Orbit-2 again\npublished: 2025-08-04\nsource: Harbor Daily\n---\n"
        "Nimbus AI released Orbit-2, an open-source speech model, last week.\n",
        encoding="utf-8",
    )
    load(nlp, driver, database, folder)
    orbit = clusters(driver, database)["released|org:nimbara-labs|model:orbit-2|released"]
    assert (orbit["sources"], orbit["articles"]) == (3, 3)


def test_do_not_merge_and_clear_undo_merges(fresh: tuple[Driver, str, Path], extractor: FeatureExtractor) -> None:
    driver, database, _ = fresh
    data = load_resolution_data()
    blocked = dataclasses.replace(data, blocked_entities=data.blocked_entities | {frozenset({"person:okafor", "person:grace-okafor"})})
    summary = resolver(driver, database, extractor, blocked).resolve()
    assert summary.alias_links_removed == 1 and summary.clusters_removed == 2
    assert links(driver, database) == {("org:nimbus-ai", "org:nimbara-labs", "learned-alias")}
    before = q(driver, database, "MATCH (c:Claim) RETURN count(c) AS claims")
    resolver(driver, database, extractor).clear()
    assert q(driver, database, """
        RETURN COUNT { ()-[:ALIAS_OF]->() } AS links, COUNT { (:ClaimCluster) } AS clusters,
               COUNT { (:ModelFamily) } AS families, COUNT { ()-[:DEVELOPS {basis: 'gazetteer'}]->() } AS background
    """) == [{"links": 0, "clusters": 0, "families": 0, "background": 0}]
    assert q(driver, database, "MATCH (c:Claim) RETURN count(c) AS claims") == before
