"""The `contradictions` named query: facts that reports disagree on, each side with its outlets
and evidence (a graph document written for this test; the people and products are fictional).

`kg resolve` stores the candidate pairs (CONTRADICTS) and the query reads them: the rows must be
those of the former query, which computed every pair from the whole graph on the fly
(tests/fixtures/queries/contradictions_on_the_fly.cypher), before and after more articles arrive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from kg.extract.lexicon import load_lexicon
from kg.extract.resolution_data import load_resolution_data
from kg.neo4j.loader import GraphLoader
from kg.queries import bind, load_library, run, run_named
from kg.resolve import cypher as resolve_cypher
from kg.resolve.graph import GraphResolver, ResolveSummary
from kg.resolve.statements import FeatureExtractor

if TYPE_CHECKING:
    from neo4j import Driver

    from kg.neo4j.connection import Neo4jSettings

ENTITIES = {
    "org:acme": ("Organization", "Acme"),
    "org:other-corp": ("Organization", "Other Corp"),
    "model:rocket-1": ("Model", "Rocket-1"),
    "model:rocket-3": ("Model", "Rocket-3"),
    "person:ada-vale": ("Person", "Ada Vale"),
    "person:bo-lind": ("Person", "Bo Lind"),
    "person:cy-rao": ("Person", "Cy Rao"),
    "person:mr-rao": ("Person", "Mr Rao"),
    "person:dee-moss": ("Person", "Dee Moss"),
    "person:eli-park": ("Person", "Eli Park"),
    "org:sonar": ("Organization", "Sonar"),
    "org:sonar-labs": ("Organization", "Sonar Labs Europe"),
}

#: (id, source, published, [(type, subject, object, qualifier or statement, evidence)])
ARTICLES: list[tuple[str, str | None, str, list[tuple[str, str, str | None, str, str]]]] = [
    ("w1", "Wire One", "2025-08-01", [
        ("RELEASED", "org:acme", "model:rocket-1", "released", "Acme released Rocket-1."),
        ("AFFILIATED_WITH", "person:ada-vale", "org:acme", "chief executive", "Ada Vale, chief executive of Acme, spoke."),
        ("SAID", "person:ada-vale", None, "Rocket-1 beats every rival", "Rocket-1 beats every rival, Ada Vale said."),
        ("SAID", "person:ada-vale", None, "It", "It, she said."),
    ]),
    ("d2", "Daily Two", "2025-08-03", [
        ("RELEASED", "org:acme", "model:rocket-1", "planned", "Acme plans to release Rocket-1."),
        ("AFFILIATED_WITH", "person:ada-vale", "org:acme", "chief technology officer", "Ada Vale, Acme's chief technology officer."),
        ("SAID", "person:bo-lind", None, "Rocket-1  beats every rival", "Rocket-1 beats every rival, said Bo Lind."),
        ("SAID", "person:bo-lind", None, "It", "It, he said."),
    ]),
    # a plan reported before the release: news moving on, not a contradiction
    ("t3", "Third Times", "2025-07-01", [("RELEASED", "org:acme", "model:rocket-3", "planned", "Acme plans Rocket-3.")]),
    ("t4", "Third Times", "2025-08-05", [("RELEASED", "org:acme", "model:rocket-3", "released", "Acme released Rocket-3.")]),
    # one article's muddle (two speakers for one quote in the same story) and two names for one
    # speaker across stories: neither is a disagreement between reports
    ("m6", "Wire One", "2025-08-06", [
        ("SAID", "person:dee-moss", None, "Orbit will ship in spring", "Orbit will ship in spring, Dee Moss said."),
        ("SAID", "person:eli-park", None, "Orbit will ship in spring", "“Orbit will ship in spring,” added Eli Park."),
        ("SAID", "person:cy-rao", None, "Margins are under pressure", "Margins are under pressure, Cy Rao said."),
    ]),
    ("m7", "Daily Two", "2025-08-07", [
        ("SAID", "person:mr-rao", None, "Margins are under pressure", "Margins are under pressure, Mr Rao said."),
        ("SAID", "org:sonar", None, "Demand doubled this quarter", "Demand doubled this quarter, Sonar said."),
    ]),
    ("m8", "Third Times", "2025-08-08", [
        ("SAID", "org:sonar-labs", None, "Demand doubled this quarter", "Demand doubled this quarter, Sonar Labs Europe said."),
    ]),
    # another organization, months later
    ("w5", None, "2026-01-10", [("AFFILIATED_WITH", "person:ada-vale", "org:other-corp", "adviser", "Ada Vale, adviser at Other Corp.")]),
]


ON_THE_FLY = (Path(__file__).parent / "fixtures" / "queries" / "contradictions_on_the_fly.cypher").read_text(encoding="utf-8")

#: Articles that arrive later: a new speaker of a statement already disputed (a new pair, listed
#: once `kg resolve` ran), a plan of Rocket-3 reported after its release (a stored pair whose
#: dates now conflict: listed at once) and another report of the planned Rocket-1.
LATER: list[tuple[str, str | None, str, list[tuple[str, str, str | None, str, str]]]] = [
    ("n9", "Nine News", "2025-08-09", [
        ("SAID", "person:gus-ward", None, "Orbit will ship in spring", "Orbit will ship in spring, Gus Ward said."),
        ("RELEASED", "org:acme", "model:rocket-3", "planned", "Acme still plans Rocket-3."),
    ]),
    ("n10", "Ten Daily", "2025-08-10", [("RELEASED", "org:acme", "model:rocket-1", "planned", "Acme plans Rocket-1, it says.")]),
]


def document(articles: list[tuple[str, str | None, str, list[tuple[str, str, str | None, str, str]]]] = ARTICLES) -> list[str]:
    lines: list[dict[str, Any]] = [{"format": "newskg-graph", "version": 1, "generator": "tests", "model": None, "kind": "header"}]
    for eid, (etype, name) in {**ENTITIES, "person:gus-ward": ("Person", "Gus Ward")}.items():
        lines.append({"id": eid, "type": etype, "name": name, "aliases": [], "attributes": {}, "kind": "entity"})
    for aid, source, published, claims in articles:
        text = " ".join(c[4] for c in claims)
        lines.append({"id": aid, "title": f"Story {aid}", "published": published, "source": source, "url": None, "path": None,
                      "content_hash": f"h-{aid}", "text": text, "author": None, "kind": "article"})  # fmt: skip
        offset = 0
        for n, (kind, subject, obj, qualifier, evidence) in enumerate(claims):
            start, end = offset, offset + len(evidence)
            offset = end + 1
            key = " ".join(qualifier.lower().split()) if kind == "SAID" else qualifier
            claim: dict[str, Any] = {
                "id": f"{aid}#c{n}", "fact": f"{kind}|{subject}|{obj or '-'}|{key}", "type": kind, "subject": subject,
                "object": obj, "article": aid, "sentence": n, "start": start, "end": end, "confidence": 0.9,
                "evidence": evidence, "kind": "claim",
            }  # fmt: skip
            if kind == "RELEASED":
                claim["status"] = qualifier
            elif kind == "AFFILIATED_WITH":
                claim["role"] = qualifier
            else:
                claim.update(statement=qualifier, cue="said", source_text="x", direct=False, about=[])
            lines.append(claim)
    return [json.dumps(line) for line in lines]


@pytest.fixture(scope="module")
def extractor() -> FeatureExtractor:
    return FeatureExtractor.load(load_lexicon(), load_resolution_data())


def resolve(driver: Driver, settings: Neo4jSettings, extractor: FeatureExtractor) -> ResolveSummary:
    resolver = GraphResolver(driver, settings.database)
    resolver._extractor = extractor  # one spaCy load per module
    return resolver.resolve()


@pytest.fixture
def disputed(clean_db: Driver, neo4j_settings: Neo4jSettings, extractor: FeatureExtractor) -> Driver:
    GraphLoader(clean_db, neo4j_settings.database).load_lines(document())
    resolve(clean_db, neo4j_settings, extractor)
    return clean_db


def rows(driver: Driver, settings: Neo4jSettings, **params: str) -> list[dict[str, Any]]:
    return run_named(driver, settings.database, load_library()["contradictions"], params).records()


def on_the_fly(driver: Driver, settings: Neo4jSettings, **params: str) -> list[dict[str, Any]]:
    return run(driver, settings.database, ON_THE_FLY, bind(load_library()["contradictions"], params)).records()


def stale_ranks(driver: Driver, settings: Neo4jSettings) -> int:
    """How many stored sort keys differ from the claims' counts and names as they are now."""
    found = driver.execute_query(
        "MATCH (a:Claim)-[r:CONTRADICTS]->(b:Claim)\n" + resolve_cypher.SET_CONTRADICTION_RANK.split("\nSET")[0] + "\nRETURN count(*) AS n",
        database_=settings.database,
    )
    return found.records[0]["n"]


PARAMS = [{}, {"kind": "release"}, {"kind": "role"}, {"kind": "speaker"}, {"kind": "affiliation", "days": "400"}, {"days": "400"}, {"limit": "1"}, {"kind": "Speaker", "limit": "2"}]


@pytest.mark.parametrize("params", PARAMS)
def test_the_stored_pairs_give_the_rows_of_the_on_the_fly_query(disputed: Driver, neo4j_settings: Neo4jSettings, params: dict[str, str]) -> None:
    expected = on_the_fly(disputed, neo4j_settings, **params)
    assert expected == rows(disputed, neo4j_settings, **params)
    assert expected  # the fixture disputes every kind


def test_new_articles_update_the_stored_pairs(disputed: Driver, neo4j_settings: Neo4jSettings, extractor: FeatureExtractor) -> None:
    GraphLoader(disputed, neo4j_settings.database).load_lines(document(LATER))
    # the loader recounted the claims: the sort keys follow (the order is by outlets and articles)
    assert stale_ranks(disputed, neo4j_settings) == 0
    before = rows(disputed, neo4j_settings, days="400")
    # a stored pair whose dates now conflict is listed at once; a new speaker's pairs are not yet
    assert ("release", "Acme", "Rocket-3") in {(r["kind"], r["subject"], r["object"]) for r in before}
    assert not any("Gus Ward" in r["side_a"] + r["side_b"] for r in before)
    assert [r for r in before if r["subject"] != "Orbit will ship in spring"] == [
        r for r in on_the_fly(disputed, neo4j_settings, days="400") if r["subject"] != "Orbit will ship in spring"
    ]
    summary = resolve(disputed, neo4j_settings, extractor)
    assert (summary.contradictions_added, summary.contradictions_removed) == (2, 0)  # Gus Ward against Dee Moss and Eli Park
    after = rows(disputed, neo4j_settings, days="400")
    assert after == on_the_fly(disputed, neo4j_settings, days="400")
    assert {r["side_a"] + " / " + r["side_b"] for r in after if r["subject"] == "Orbit will ship in spring"} == {
        "Dee Moss said it / Gus Ward said it", "Eli Park said it / Gus Ward said it",
    }
    release = next(r for r in after if (r["kind"], r["object"]) == ("release", "Rocket-1"))
    assert release["outlets_b"] == ["Daily Two", "Ten Daily"]
    # forgetting the articles takes their pairs away at once (the claims go with their last report)
    GraphLoader(disputed, neo4j_settings.database).forget(["n9", "w1"])
    assert rows(disputed, neo4j_settings, days="400") == on_the_fly(disputed, neo4j_settings, days="400")
    assert {r["kind"] for r in rows(disputed, neo4j_settings, days="400")} == {"affiliation"}


def test_resolving_again_changes_nothing_and_clear_removes_the_pairs(disputed: Driver, neo4j_settings: Neo4jSettings, extractor: FeatureExtractor) -> None:
    stored = "MATCH (a)-[r:CONTRADICTS]->(b) RETURN a.id AS a, b.id AS b, r.kind AS kind, r.rank AS rank ORDER BY rank"
    first = disputed.execute_query(stored, database_=neo4j_settings.database).records
    assert {r["kind"] for r in first} == {"release", "role", "affiliation", "speaker"}
    summary = resolve(disputed, neo4j_settings, extractor)
    assert (summary.contradictions, summary.contradictions_added, summary.contradictions_removed) == (len(first), 0, 0)
    assert disputed.execute_query(stored, database_=neo4j_settings.database).records == first
    GraphResolver(disputed, neo4j_settings.database).clear()
    assert disputed.execute_query(stored, database_=neo4j_settings.database).records == []
    assert rows(disputed, neo4j_settings) == []


def test_each_kind_of_contradiction_with_both_sides(disputed: Driver, neo4j_settings: Neo4jSettings) -> None:
    found = rows(disputed, neo4j_settings)
    assert sorted((r["kind"], r["subject"], r["object"], r["side_a"], r["side_b"]) for r in found) == [
        ("release", "Acme", "Rocket-1", "Acme released Rocket-1", "Acme plans to release Rocket-1"),
        ("role", "Ada Vale", "Acme", "Ada Vale, chief executive at Acme", "Ada Vale, chief technology officer at Acme"),
        ("speaker", "Rocket-1 beats every rival", None, "Ada Vale said it", "Bo Lind said it"),
    ]
    release = next(r for r in found if r["kind"] == "release")
    assert (release["outlets_a"], release["outlets_b"]) == (["Wire One"], ["Daily Two"])
    assert release["evidence_a"] == ["“Acme released Rocket-1.” (Wire One, 2025-08-01)"]
    assert release["evidence_b"] == ["“Acme plans to release Rocket-1.” (Daily Two, 2025-08-03)"]
    assert [s["title"] for s in release["sources"]] == ["Story w1", "Story d2"]


@pytest.mark.parametrize(
    ("params", "kinds"),
    [
        ({"kind": "release"}, ["release"]),
        ({"kind": "speaker"}, ["speaker"]),
        ({"kind": "affiliation"}, []),  # Other Corp is reported five months later
        ({"kind": "affiliation", "days": "400"}, ["affiliation", "affiliation"]),
        ({"limit": "1"}, ["release"]),
    ],
)
def test_filters(disputed: Driver, neo4j_settings: Neo4jSettings, params: dict[str, str], kinds: list[str]) -> None:
    assert sorted(r["kind"] for r in rows(disputed, neo4j_settings, **params)) == kinds


@pytest.mark.parametrize("days", [30, 400])
def test_the_page_finds_what_the_query_finds(disputed: Driver, neo4j_settings: Neo4jSettings, tmp_path: Any, days: int) -> None:
    """The in-memory rules (kg viz, JSON export) agree with queries/contradictions.cypher."""
    from kg.export.document_source import graph_from_document

    path = tmp_path / "g.jsonl"
    path.write_text("\n".join(document()) + "\n", encoding="utf-8")
    found = graph_from_document(path).contradictions(days=days)
    expected = rows(disputed, neo4j_settings, days=str(days))
    assert sorted((x.kind, x.subject, x.object, x.side_a, x.side_b) for x in found) == sorted(
        (r["kind"], r["subject"], r["object"], r["side_a"], r["side_b"]) for r in expected
    )


def test_the_cli_says_when_the_graph_was_never_resolved(clean_db: Driver, neo4j_settings: Neo4jSettings, monkeypatch: pytest.MonkeyPatch, extractor: FeatureExtractor) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    for key, value in (("NEO4J_URI", neo4j_settings.uri), ("NEO4J_USER", neo4j_settings.user), ("NEO4J_PASSWORD", neo4j_settings.password), ("NEO4J_DATABASE", neo4j_settings.database)):
        monkeypatch.setenv(key, value)
    GraphLoader(clean_db, neo4j_settings.database).load_lines(document())
    unresolved = CliRunner().invoke(app, ["query", "contradictions", "--format", "json"])
    assert unresolved.exit_code == 0 and json.loads(unresolved.stdout) == []
    assert "run `kg resolve`" in unresolved.stderr
    resolve(clean_db, neo4j_settings, extractor)
    resolved = CliRunner().invoke(app, ["query", "contradictions", "--format", "json", "--param", "kind=role", "--param", "days=0"])
    assert resolved.exit_code == 0 and json.loads(resolved.stdout) == [] and resolved.stderr == ""  # resolved, none this close
