"""Cross-article entity rules on plain data: surnames with affiliations, learned aliases, chains."""

from __future__ import annotations

import json

import pytest

from kg.resolve.entities import (
    LEARNED_RULE,
    SURNAME_RULE,
    AliasLink,
    Affiliation,
    PersonFacts,
    canonical_map,
    learned_alias_links,
    parse_merges,
    surname_links,
)

NAMES = {
    "person:okafor": "Okafor",
    "person:grace-okafor": "Grace Okafor",
    "person:daniel-okafor": "Daniel Okafor",
}


def aff(person: str, org: str, article: str) -> Affiliation:
    return Affiliation(person, org, f"affiliated_with|{person}|{org}", (article,), f"{person} at {org}")


def facts(affiliations: list[Affiliation], articles: dict[str, frozenset[str]] | None = None, names: dict[str, str] | None = None) -> PersonFacts:
    return PersonFacts(
        names=names or NAMES,
        affiliations=affiliations,
        article_orgs={"person:okafor": articles if articles is not None else {"a2": frozenset({"org:velora"})}},
    )


def test_surname_joins_the_one_full_name_with_the_same_affiliation() -> None:
    data = facts([aff("person:okafor", "org:velora", "a2"), aff("person:grace-okafor", "org:velora", "a1"), aff("person:daniel-okafor", "org:cmu", "a3")])
    [link] = surname_links(data)
    assert (link.source, link.target, link.rule) == ("person:okafor", "person:grace-okafor", SURNAME_RULE)
    assert link.articles == ("a1", "a2") and link.open_world
    assert "org:velora" in link.evidence


@pytest.mark.parametrize(
    ("affiliations", "articles", "why"),
    [
        ([aff("person:okafor", "org:velora", "a2"), aff("person:daniel-okafor", "org:cmu", "a3")], None, "no full name at that organization"),
        ([aff("person:okafor", "org:velora", "a2"), aff("person:grace-okafor", "org:velora", "a1"), aff("person:daniel-okafor", "org:velora", "a3")], None, "two people with that surname there"),
        ([aff("person:grace-okafor", "org:velora", "a1")], None, "the surname has no affiliation of its own"),
        ([aff("person:okafor", "org:velora", "a2"), aff("person:okafor", "org:cmu", "a4"), aff("person:grace-okafor", "org:velora", "a1")], None, "also tied to another organization"),
        ([aff("person:okafor", "org:velora", "a2"), aff("person:grace-okafor", "org:velora", "a1")], {"a2": frozenset({"org:velora"}), "a5": frozenset({"org:cmu"})}, "another article names the surname without Velora"),
    ],
)
def test_surname_stays_apart_without_unambiguous_evidence(affiliations: list[Affiliation], articles: dict[str, frozenset[str]] | None, why: str) -> None:
    assert surname_links(facts(affiliations, articles)) == [], why


def test_surname_merge_can_be_blocked() -> None:
    data = facts([aff("person:okafor", "org:velora", "a2"), aff("person:grace-okafor", "org:velora", "a1")])
    assert surname_links(data, blocked=[frozenset({"person:okafor", "person:grace-okafor"})]) == []


def merges(alias: str, alias_id: str, rule: str, article: str) -> list[str]:
    return [json.dumps({"alias": alias, "id": alias_id, "rule": rule, "evidence": {"article": article, "sentence": 0, "text": f"... ({rule} {alias})"}})]


def test_learned_alias_links_the_alias_where_it_stands_alone() -> None:
    learned = parse_merges("org:nimbara-labs", merges("Nimbus AI", "org:nimbus-ai", "formerly", "a1"), ["formerly"])
    [link] = learned_alias_links(learned, {"org:nimbus-ai": "Organization"}, {("a1", "org:nimbara-labs")})
    assert (link.source, link.target, link.rule, link.articles) == ("org:nimbus-ai", "org:nimbara-labs", LEARNED_RULE, ("a1",))


@pytest.mark.parametrize("case", ["gone evidence", "no alias node", "two targets", "rule not applied across articles", "blocked", "other type"])
def test_learned_alias_conservative(case: str) -> None:
    learned = parse_merges("org:nimbara-labs", merges("Nimbus AI", "org:nimbus-ai", "formerly", "a1"), ["formerly", "acronym"])
    existing = {"org:nimbus-ai": "Organization"}
    live = {("a1", "org:nimbara-labs"), ("a9", "org:other")}
    blocked: list[frozenset[str]] = []
    if case == "gone evidence":
        live = set()
    elif case == "no alias node":
        existing = {}
    elif case == "two targets":
        learned += parse_merges("org:other", merges("Nimbus AI", "org:nimbus-ai", "acronym", "a9"), ["acronym"])
    elif case == "rule not applied across articles":
        learned = parse_merges("org:nimbara-labs", merges("Nimbus AI", "org:nimbus-ai", "apposition", "a1"), ["formerly"])
    elif case == "blocked":
        blocked = [frozenset({"org:nimbus-ai", "org:nimbara-labs"})]
    elif case == "other type":
        learned = parse_merges("model:orbit-2", merges("Nimbus AI", "org:nimbus-ai", "formerly", "a1"), ["formerly"])
        live = {("a1", "model:orbit-2")}
    assert learned_alias_links(learned, existing, live, blocked) == []


def link(source: str, target: str) -> AliasLink:
    return AliasLink(source, target, "test", "", ())


def test_canonical_map_follows_chains_and_drops_cycles() -> None:
    assert canonical_map([link("a", "b"), link("b", "c")]) == {"a": "c", "b": "c"}
    assert canonical_map([link("a", "b"), link("b", "a"), link("x", "y")]) == {"x": "y"}


def test_short_acronyms_do_not_travel_across_articles() -> None:
    learned = parse_merges("org:perception-encoders", merges("PE", "org:pe", "acronym", "a1"), ["acronym"])
    assert learned_alias_links(learned, {"org:pe": "Organization"}, {("a1", "org:perception-encoders")}) == []
    learned = parse_merges("org:safe-superintelligence", merges("SSI", "org:ssi", "acronym", "a1"), ["acronym"])
    assert len(learned_alias_links(learned, {"org:ssi": "Organization"}, {("a1", "org:safe-superintelligence")})) == 1
