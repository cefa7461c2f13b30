"""AFFILIATED_WITH (person → organization, with a role) from the ways news introduces people.

Patterns around a Person entity, on tokens:

* after:  "Andrew Ng, co-founder of DeepLearning.AI" / "Jeffrey Ding, assistant professor at
  George Washington University" / "Sam Altman, OpenAI's chief executive";
* before: "OpenAI CEO Sam Altman" / "Meta's chief AI scientist Yann LeCun" / "the chief
  executive of OpenAI, Sam Altman".

Roles come from ``pipelines/lexicons/roles.yml``.
"""

from __future__ import annotations

from typing import NamedTuple

from spacy.tokens import Doc, Span

from kg.extract.lexicon import Lexicon
from kg.extract.spans import EntityRef, ref

MAX_GAP = 9
_LINKS = frozenset({"of", "at", "for", "with", "in"})
_DETERMINERS = frozenset({"the", "a", "an"})


class Affiliation(NamedTuple):
    sentence: int
    person: EntityRef
    organization: EntityRef
    role: str
    rule: str


def find_affiliations(doc: Doc, lexicon: Lexicon) -> list[Affiliation]:
    found: list[Affiliation] = []
    sentence_of = {i: n for n, sent in enumerate(doc.sents) for i in range(sent.start, sent.end)}
    ents = list(doc.ents)
    for index, person in enumerate(ents):
        if person.label_ != "Person":
            continue
        after = _role_after(doc, person, ents[index + 1 :], lexicon)
        before = _role_before(doc, person, ents[:index], lexicon)
        for match in (after, before):
            if match is not None:
                org, role, rule = match
                found.append(Affiliation(sentence_of[person.start], ref(person), ref(org), role, rule))
    return found


def _role_at(doc: Doc, start: int, limit: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """Token range [start, end) of a role phrase (modifiers + role) beginning at ``start``."""
    i = start
    while i < limit and doc[i].lower_ in lexicon.role_modifiers:
        i += 1
    best: int | None = None
    for role in lexicon.roles:
        end = i + len(role)
        if end <= limit and tuple(t.lower_ for t in doc[i:end]) == role:
            best = max(best or 0, end)
    if best is None:
        return None
    # "chief AI scientist": allow one extra capitalized/domain word inside multiword roles
    return start, best


def _role_after(doc: Doc, person: Span, following: list[Span], lexicon: Lexicon) -> tuple[Span, str, str] | None:
    """"<Person>, [the] <role> of/at <Org>" and "<Person>, <Org>'s <role>"."""
    i = person.end
    sent_end = person.sent.end
    if i >= sent_end or doc[i].text != ",":
        return None
    i += 1
    while i < sent_end and doc[i].lower_ in _DETERMINERS:
        i += 1
    next_org = next((e for e in following if e.label_ == "Organization" and e.start >= i), None)
    if next_org is None or next_org.start - i > MAX_GAP or next_org.end > sent_end:
        return None
    if next_org.start == i:  # "<Person>, OpenAI's chief executive"
        j = next_org.end
        if j >= sent_end or doc[j].tag_ != "POS":
            return None
        role = _role_at(doc, j + 1, sent_end, lexicon)
        if role is None or (role[1] < sent_end and doc[role[1]].text not in (",", ".", ";")):
            return None
        return next_org, _role_text(doc, role), "appositive-possessive"
    role = _role_at(doc, i, next_org.start, lexicon)
    if role is None:
        return None
    between = doc[role[1] : next_org.start]
    if not between or between[0].lower_ not in _LINKS or any(t.text in (",", ";") or t.pos_ == "VERB" for t in between):
        # allow "co-founder and CEO of X": a coordinated second role
        if not (between and between[0].lower_ == "and" and _role_at(doc, role[1] + 1, next_org.start, lexicon)):
            return None
        second = _role_at(doc, role[1] + 1, next_org.start, lexicon)
        assert second is not None
        return next_org, _role_text(doc, (role[0], second[1])), "appositive"
    return next_org, _role_text(doc, role), "appositive"


def _role_before(doc: Doc, person: Span, preceding: list[Span], lexicon: Lexicon) -> tuple[Span, str, str] | None:
    """"<Org> [’s] <role> <Person>" and "the <role> of <Org>, <Person>"."""
    sent_start = person.sent.start
    orgs = [e for e in preceding if e.label_ == "Organization" and e.end <= person.start and e.start >= sent_start]
    if not orgs:
        return None
    org = orgs[-1]
    if person.start - org.end > MAX_GAP:
        return None
    j = org.end + (1 if org.end < person.start and doc[org.end].tag_ == "POS" else 0)
    role = _role_at(doc, j, person.start, lexicon)
    if role is not None and role[1] == person.start or role is not None and role[1] == person.start - 1 and doc[role[1]].text == ",":
        return org, _role_text(doc, role), "prenominal"
    # "the chief executive of OpenAI, Sam Altman"
    if person.start >= 2 and doc[person.start - 1].text == "," and org.end == person.start - 1:
        k = org.start - 1
        if k >= sent_start and doc[k].lower_ in _LINKS:
            for start in range(max(sent_start, k - 5), k):
                candidate = _role_at(doc, start, k, lexicon)
                if candidate is not None and candidate[1] == k:
                    return org, _role_text(doc, candidate), "role-of-org"
    return None


def _role_text(doc: Doc, span: tuple[int, int]) -> str:
    return doc[span[0] : span[1]].text
