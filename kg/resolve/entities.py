"""Cross-article entity resolution rules, on plain data read from the graph (no database here).

Extraction already gives one id to everything the curated data and a single article can settle
(gazetteers, name normalization, "Zuckerberg" after "Mark Zuckerberg", "X (formerly Y)"). What is
left needs several articles, and only two rules act on it, both requiring evidence:

* ``surname+affiliation``: a person known only by a surname ("Okafor") is the one person with that
  surname and a full name ("Grace Okafor") who is affiliated with an organization the surname is
  affiliated with, provided every article naming the surname also names one of that person's
  organizations and none ties the surname to another organization. Two people who merely share a
  surname stay two.
* ``learned-alias``: an alias an article stated ("Nimbara Labs (formerly Nimbus AI)") also names
  the alias where another article uses it alone, if that alias was learned for one entity only.

Each rule yields :class:`AliasLink` s (alias entity -> canonical entity) carrying the evidence and
the articles the decision rests on, so the loader can drop a link when one of them is replaced
or forgotten.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kg.extract.naming import name_key

SURNAME_RULE = "surname+affiliation"
LEARNED_RULE = "learned-alias"


@dataclass(frozen=True, slots=True)
class AliasLink:
    """``source`` is another name of ``target``; why, and which articles and claims that rests on."""

    source: str
    target: str
    rule: str
    evidence: str
    articles: tuple[str, ...]
    claims: tuple[str, ...] = ()
    #: True when a new article mentioning ``source`` can invalidate the link (surname rule).
    open_world: bool = False

    def row(self) -> dict[str, object]:
        return {
            "source": self.source, "target": self.target, "rule": self.rule, "evidence": self.evidence,
            "articles": list(self.articles), "claims": list(self.claims), "open_world": self.open_world,
        }


@dataclass(frozen=True, slots=True)
class Affiliation:
    person: str
    org: str
    claim: str
    articles: tuple[str, ...]
    text: str


@dataclass(slots=True)
class PersonFacts:
    """What the graph knows about people: names, affiliations, and which articles name whom."""

    names: dict[str, str] = field(default_factory=dict)  # person id -> name
    affiliations: list[Affiliation] = field(default_factory=list)
    #: surname-only person id -> article id -> organizations that article mentions
    article_orgs: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)


def surname_only(name: str) -> bool:
    return len(name.split()) == 1


def surname_links(facts: PersonFacts, blocked: Iterable[frozenset[str]] = ()) -> list[AliasLink]:
    """Links from surname-only people to the one full-named person the evidence points at."""
    blocked_pairs = frozenset(blocked)
    by_surname: dict[str, list[str]] = defaultdict(list)
    for pid, name in facts.names.items():
        if not surname_only(name):
            by_surname[name_key(name.split()[-1])].append(pid)
    orgs: dict[str, dict[str, list[Affiliation]]] = defaultdict(lambda: defaultdict(list))
    for aff in facts.affiliations:
        orgs[aff.person][aff.org].append(aff)
    links: list[AliasLink] = []
    for sid, name in sorted(facts.names.items()):
        if not surname_only(name) or not orgs.get(sid):
            continue
        own = orgs[sid]
        candidates = [fid for fid in by_surname.get(name_key(name), ()) if set(orgs.get(fid, {})) & set(own)]
        if len(candidates) != 1:
            continue  # nobody, or two people with that surname at that organization
        fid = candidates[0]
        theirs = set(orgs[fid])
        if set(own) - theirs or frozenset((sid, fid)) in blocked_pairs:
            continue  # the surname is also tied to an organization the full name is not
        articles = facts.article_orgs.get(sid, {})
        if any(not (mentioned & theirs) for mentioned in articles.values()):
            continue  # an article names the surname without any of that person's organizations
        shared = sorted(set(own) & theirs)
        used = [a for org in shared for a in (*own[org], *orgs[fid][org])]
        evidence = "; ".join(f"{a.text} [{', '.join(a.articles)}]" for a in used)
        links.append(
            AliasLink(
                source=sid, target=fid, rule=SURNAME_RULE,
                evidence=f"{name} and {facts.names[fid]} are both affiliated with {', '.join(shared)}: {evidence}",
                articles=tuple(sorted({*articles, *(x for a in used for x in a.articles)})),
                claims=tuple(sorted({a.claim for a in used})),
                open_world=True,
            )
        )
    return links


@dataclass(frozen=True, slots=True)
class LearnedAlias:
    """An alias stated in an article for ``target`` (from the entity's ``merges`` attribute)."""

    target: str
    alias: str
    alias_id: str  # the id the alias has where it stands alone
    rule: str
    article: str | None
    evidence: str


def parse_merges(target: str, values: Sequence[str] | None, rules: Iterable[str]) -> list[LearnedAlias]:
    """The text-learned aliases among an entity's stored merges (JSON strings), for ``rules``."""
    wanted = frozenset(rules)
    found: list[LearnedAlias] = []
    for value in values or ():
        try:
            entry = json.loads(value)
        except (TypeError, ValueError):
            continue
        if not isinstance(entry, dict) or entry.get("rule") not in wanted or not entry.get("id"):
            continue
        evidence = entry.get("evidence")
        article = evidence.get("article") if isinstance(evidence, dict) else None
        text = evidence.get("text", "") if isinstance(evidence, dict) else str(evidence or "")
        found.append(LearnedAlias(target, str(entry.get("alias", "")), str(entry["id"]), str(entry["rule"]), article, text))
    return found


def learned_alias_links(
    learned: Iterable[LearnedAlias],
    existing: Mapping[str, str],
    live: Iterable[tuple[str, str]],
    blocked: Iterable[frozenset[str]] = (),
    min_acronym: int = 3,
) -> list[AliasLink]:
    """Links from entities named by a learned alias to the entity the alias was learned for.

    ``existing``: entity id -> type of the alias ids that exist as nodes; ``live``: (article,
    entity) pairs whose MENTIONS still exist (evidence from a replaced or forgotten article does
    not count). An alias learned for two different entities links neither, an alias node of
    another type than the entity links nothing ("CWM" typed as an organization elsewhere is not
    joined to the model Code World Model: one of the two types is wrong, and which is not known),
    and acronyms shorter than ``min_acronym`` letters link nothing across articles.
    """
    live_pairs = set(live)
    blocked_pairs = frozenset(blocked)
    by_alias: dict[str, list[LearnedAlias]] = defaultdict(list)
    for item in learned:
        if item.rule == "acronym" and sum(c.isalpha() for c in item.alias) < min_acronym:
            continue
        if item.alias_id.split(":", 1)[0] != item.target.split(":", 1)[0]:
            continue
        if item.alias_id != item.target and item.alias_id in existing and (item.article, item.target) in live_pairs:
            by_alias[item.alias_id].append(item)
    links: list[AliasLink] = []
    for alias_id, items in sorted(by_alias.items()):
        targets = {i.target for i in items}
        if len(targets) != 1:
            continue
        target = targets.pop()
        if frozenset((alias_id, target)) in blocked_pairs:
            continue
        first = sorted(items, key=lambda i: (i.article or "", i.rule))[0]
        links.append(
            AliasLink(
                source=alias_id, target=target, rule=LEARNED_RULE,
                evidence=f"{first.alias!r} ({first.rule}): {first.evidence}",
                articles=tuple(sorted({i.article for i in items if i.article})),
            )
        )
    return links


def canonical_map(links: Iterable[AliasLink]) -> dict[str, str]:
    """Alias id -> its canonical id, following chains; ids on a cycle resolve to nothing."""
    step: dict[str, str] = {}
    for link in sorted(links, key=lambda x: (x.source, x.target)):
        step.setdefault(link.source, link.target)
    result: dict[str, str] = {}
    for source in step:
        seen = {source}
        current: str | None = step[source]
        while current is not None and current in step:
            if current in seen:
                current = None
                break
            seen.add(current)
            current = step[current]
        if current is not None:
            result[source] = current
    return result


def without_cycles(links: Sequence[AliasLink]) -> list[AliasLink]:
    """Keep the links whose source resolves to a canonical id (not onto a cycle)."""
    canon = canonical_map(links)
    return [link for link in links if link.source in canon]
