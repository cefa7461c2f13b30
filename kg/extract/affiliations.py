"""AFFILIATED_WITH (person → organization, with a role) from the ways news introduces people.

Patterns around a Person entity, on tokens:

* after:  "Andrew Ng, co-founder of DeepLearning.AI" / "Jeffrey Ding, assistant professor at
  George Washington University" / "Sam Altman, OpenAI's chief executive";
* before: "OpenAI CEO Sam Altman" / "Meta's chief AI scientist Yann LeCun" / "the chief
  executive of OpenAI, Sam Altman".

and, with no role stated (``role`` is ``None``) or the role a verb implies:

* "Evan Hubinger from Anthropic", "Jane Roe of OpenAI", "Jane Roe (Anthropic)", "Anthropic's Jane Roe";
* verbs: "Jane Roe joined OpenAI", "OpenAI hired Jane Roe", "Jane Roe was appointed to Anthropic's
  board" (``affiliation_verbs`` in roles.yml).

Roles come from ``pipelines/lexicons/roles.yml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from spacy.tokens import Doc, Span

from kg.extract.anaphora import resolve_reference
from kg.extract.lexicon import Lexicon
from kg.extract.spans import EntityRef, entity_at, ref
from kg.schema import EntityType

_ORG, _PERSON = EntityType.ORGANIZATION, EntityType.PERSON

MAX_GAP = 9
_LINKS = frozenset({"of", "at", "for", "with", "in"})
_DETERMINERS = frozenset({"the", "a", "an"})


class Affiliation(NamedTuple):
    sentence: int
    person: EntityRef
    organization: EntityRef
    role: str | None
    rule: str


def find_affiliations(doc: Doc, lexicon: Lexicon) -> list[Affiliation]:
    found: list[Affiliation] = []
    sents = list(doc.sents)  # Span.sent walks the tokens to the sentence's edges: O(sentence) per call
    sentence_of = {i: n for n, sent in enumerate(sents) for i in range(sent.start, sent.end)}
    ents = list(doc.ents)
    for index, person in enumerate(ents):
        if person.label_ != _PERSON:
            continue
        # lazily, nearest first: the rules look no further than MAX_GAP tokens (a copy of all the
        # entities before and after each person was quadratic in a sentence of thousands of names)
        sent = sents[sentence_of[person.start]]
        after = _role_after(doc, person, sent, (ents[k] for k in range(index + 1, len(ents))), lexicon)
        before = _role_before(doc, person, sent, (ents[k] for k in range(index - 1, -1, -1)), lexicon)
        for match in (after, before):
            if match is not None:
                org, role, rule = match
                found.append(Affiliation(sentence_of[person.start], ref(person), ref(org), role, rule))
        if after is None and before is None:
            short = _short_form(doc, person, sentence_of)
            if short is not None:
                org, rule = short
                found.append(Affiliation(sentence_of[person.start], ref(person), ref(org), None, rule))
    found.extend(_verbal(doc, sentence_of, lexicon))
    found.extend(context_roles(doc, sents, sentence_of, lexicon, {a.person.start for a in found}))
    found.extend(role_phrases(doc, sentence_of, lexicon))
    unique: dict[tuple[int, int], Affiliation] = {}
    for aff in found:
        unique.setdefault((aff.person.start, aff.organization.start), aff)
    return sorted(unique.values(), key=lambda a: (a.person.start, a.organization.start))


#: how many sentences before a bare role ("CEO Eddie Wu") may name its organization
CONTEXT_SENTENCES = 2


def context_roles(doc: Doc, sents: list[Span], sentence_of: dict[int, int], lexicon: Lexicon, linked: set[int]) -> list[Affiliation]:
    """A bare leading role right before a person ("… CEO Eddie Wu outlined …", ``context_roles`` in
    roles.yml) whose organization is not in the phrase: the one organization named before it in
    the same paragraph, in its sentence or the ``CONTEXT_SENTENCES`` before ("Alibaba's Qwen team
    launched … At the Yunqi conference, CEO Eddie Wu …"). Two or more organizations there: none."""
    roles = lexicon.context_roles
    if not roles:
        return []
    found: list[Affiliation] = []
    for person in (e for e in doc.ents if e.label_ == _PERSON):
        if person.start_char in linked or person.start == 0:
            continue
        role = next((r for r in roles if person.start >= len(r) and tuple(t.lower_ for t in doc[person.start - len(r) : person.start]) == r), None)
        if role is None:
            continue
        first = person.start - len(role)
        while first > 0 and doc[first - 1].lower_ in lexicon.role_modifiers:
            first -= 1
        before = doc[first - 1] if first > 0 else None
        if before is not None and (before.ent_type_ or before.tag_ == "POS" or before.pos_ in ("PROPN", "ADJ")):
            continue  # "OpenAI CEO Sam Altman" (the prenominal rule), "its CEO", "former Google CEO"
        number = sentence_of[person.start]
        start = sents[max(0, number - CONTEXT_SENTENCES)].start
        paragraph = doc.text.rfind("\n", 0, person.start_char)
        orgs = [e for e in doc.ents if e.label_ == _ORG and start <= e.start and e.end <= first and e.start_char > paragraph]
        keys = {(lexicon.canonical_organization(e.text) or e.text).lower() for e in orgs}
        if len(keys) != 1:
            continue
        found.append(Affiliation(number, ref(person), ref(orgs[-1]), _role_text(doc, (first, person.start)), "context-role"))
    return found


def _org_starting(doc: Doc, i: int) -> Span | None:
    if i < len(doc):
        org = entity_at(doc[i], (_ORG,))
        if org is not None and org.start == i:
            return org
    return None


def _short_form(doc: Doc, person: Span, sentence_of: dict[int, int]) -> tuple[Span, str] | None:
    """"<Person> from/of/at [the] <Org>", "<Person> (<Org>)", "<Org>'s <Person>"."""
    i = person.end
    if i + 1 < len(doc) and doc[i].lower_ in ("from", "of", "at"):
        org = _org_starting(doc, i + 1 + (doc[i + 1].lower_ == "the"))
        if org is not None and sentence_of[org.start] == sentence_of[person.start]:
            return org, "person-from"
    if i + 2 < len(doc) and doc[i].text == "(":
        org = _org_starting(doc, i + 1)
        if org is not None and org.end < len(doc) and doc[org.end].text == ")":
            return org, "person-parenthesis"
    if person.start >= 2 and doc[person.start - 1].tag_ == "POS" and person.root.dep_ not in ("compound", "nmod", "amod"):
        org = entity_at(doc[person.start - 2], (_ORG,))
        if org is not None and org.end == person.start - 1:
            return org, "possessive-person"
    return None


#: prepositions that lead to the organization of a person-subject verb ("joined OpenAI's team",
#: "works at Google", "was appointed to Anthropic's board"); not "from" (a former employer)
_VERB_ORG_PREPS = frozenset({"at", "for", "to"})
#: the roles a verb of leading implies
_VERB_ROLES = {"found": "founder", "cofound": "co-founder", "co-found": "co-founder"}


def _verbal(doc: Doc, sentence_of: dict[int, int], lexicon: Lexicon) -> list[Affiliation]:
    """"Jane Roe joined OpenAI", "OpenAI hired Jane Roe", "Jane Roe was appointed to Anthropic's board",
    "Jane Roe, who leads OpenAI's research team", "Demis Hassabis runs Google DeepMind", "a lab
    led by Jane Roe", "He joined Meta" (the person named before, kg.extract.anaphora)."""
    verbs = lexicon.affiliation_verbs
    found: list[Affiliation] = []
    for token in doc:
        if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in verbs or any(c.dep_ == "neg" for c in token.children):
            continue
        # "person-subject" (join), "org-subject" (hire, appoint), "person-leads" (lead, run, found),
        # "person-works" (work at / for)
        kind = verbs[token.lemma_.lower()]
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children) or (token.dep_ == "acl" and token.tag_ == "VBN")
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")] or ([token.head] if token.dep_ == "acl" else [])
        if not subjects and token.dep_ == "conj":  # "Sam Altman co-founded OpenAI" parsed "co" + conj "founded"
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
        if token.dep_ == "relcl" and (not subjects or subjects[0].tag_ in ("WP", "WDT")):
            subjects = [token.head]  # "Jane Roe, who leads OpenAI's research team"
        objects = [c for c in token.children if c.dep_ in ("dobj", "attr")]
        preps = [(c.lower_, g) for c in token.children if c.dep_ in ("prep", "agent") for g in c.children if g.dep_ == "pobj"]
        agents = [g for word, g in preps if word == "by"]
        if kind == "org-subject":
            person_tokens = subjects if passive else objects
            org_tokens = [g for _, g in preps] if passive else subjects
        elif kind == "person-leads" and passive:
            person_tokens, org_tokens = agents, subjects  # "Meta's new lab, led by Alexandr Wang"
        elif kind == "person-works":
            person_tokens, org_tokens = subjects, [g for word, g in preps if word in ("at", "for")]
        else:
            person_tokens = subjects
            org_tokens = objects + [g for word, g in preps if word in _VERB_ORG_PREPS]
        for p_token in person_tokens:
            person = _person_ref(p_token, lexicon)
            if person is None:
                continue
            for o_token in org_tokens:
                org = entity_at(o_token, (_ORG,))
                role = _VERB_ROLES.get(token.lemma_.lower())
                if org is None and o_token.lemma_.lower() in ("board", "team", "staff", "lab", "division", "unit", "group"):
                    owner = next((c for c in o_token.children if c.dep_ in ("poss", "compound")), None)
                    org = entity_at(owner, (_ORG,)) if owner is not None else None
                    role = "board member" if o_token.lemma_.lower() == "board" else role
                if org is not None and sentence_of[org.start] == sentence_of[p_token.i]:
                    found.append(Affiliation(sentence_of[p_token.i], person, ref(org), role, "affiliation-verb"))
    return found


def _person_ref(token, lexicon: Lexicon) -> EntityRef | None:  # type: ignore[no-untyped-def]
    """The person a verb's subject or object names, or a "he"/"she" refers back to."""
    person = entity_at(token, (_PERSON,))
    if person is not None:
        return ref(person)
    if token.lower_ in ("he", "she"):
        antecedent = resolve_reference(token, lexicon)
        if antecedent is not None and antecedent.label == _PERSON:
            return antecedent
    return None


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


def _role_after(doc: Doc, person: Span, sent: Span, following: Iterable[Span], lexicon: Lexicon) -> tuple[Span, str, str] | None:
    """"<Person>, [the] <role> of/at <Org>" and "<Person>, <Org>'s <role>"."""
    i = person.end
    sent_end = sent.end
    if i >= sent_end or doc[i].text != ",":
        return None
    i += 1
    while i < sent_end and doc[i].lower_ in _DETERMINERS:
        i += 1
    next_org = None
    for e in following:  # in order; the first organisation from i, unless it is past MAX_GAP
        if e.start - i > MAX_GAP:
            return None
        if e.label_ == _ORG and e.start >= i:
            next_org = e
            break
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


def _role_before(doc: Doc, person: Span, sent: Span, preceding: Iterable[Span], lexicon: Lexicon) -> tuple[Span, str, str] | None:
    """"<Org> [’s] <role> <Person>" and "the <role> of <Org>, <Person>"; ``preceding`` nearest first."""
    sent_start = sent.start
    org = None
    for e in preceding:  # the nearest organisation of the sentence before the person, unless past MAX_GAP
        if e.start < sent_start or person.start - e.end > MAX_GAP:
            return None
        if e.label_ == _ORG and e.end <= person.start:
            org = e
            break
    if org is None:
        return None
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


_ROLE_LINKS = frozenset({"of", "at", "for", "with", "in"})


def role_phrases(doc: Doc, sentence_of: dict[int, int], lexicon: Lexicon) -> list[Affiliation]:
    """Role nouns tied to a person by the parse, with the organization behind "of"/"at"/"for":

    * copular: "Sycara is a Fellow of IEEE", "Mehler was elected a foreign member of the Academy";
    * apposition chains the token patterns miss: "Victor Katz, American mathematician, professor at
      MIT" (each appositive of the person, and its conjuncts).
    """
    single = frozenset(role[-1] for role in lexicon.roles)
    found: list[Affiliation] = []
    for person in (e for e in doc.ents if e.label_ == _PERSON):
        root = person.root
        nouns: list[tuple[object, str]] = []
        stack = [c for c in root.children if c.dep_ == "appos"]
        seen: set[int] = set()
        while stack:  # appositives, their appositives and conjuncts
            noun = stack.pop()
            if noun.i in seen:
                continue
            seen.add(noun.i)
            nouns.append((noun, "appositive-role"))
            stack.extend(c for c in noun.children if c.dep_ in ("appos", "conj"))
        if root.dep_ in ("nsubj", "nsubjpass"):
            verb = root.head
            if verb.lemma_ == "be" or (verb.lemma_ in ("elect", "appoint", "name", "make") and root.dep_ == "nsubjpass"):
                for attr in (c for c in verb.children if c.dep_ in ("attr", "oprd", "dobj")):
                    nouns.append((attr, "copular-role"))
                    nouns.extend((c, "copular-role") for c in attr.conjuncts)
        for noun, rule in nouns:
            if noun.lower_ not in single and noun.lemma_.lower() not in single:  # type: ignore[attr-defined]
                continue
            links = [c for c in noun.children if c.dep_ == "prep" and c.lower_ in _ROLE_LINKS]  # type: ignore[attr-defined]
            for prep in links:
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    org = entity_at(pobj, (_ORG,))
                    if org is None:  # "professor at the University of Reading": the name inside the object
                        org = next((entity_at(t, (_ORG,)) for t in pobj.subtree if entity_at(t, (_ORG,)) is not None and t.i < pobj.i + 6), None)
                    if org is None or sentence_of[org.start] != sentence_of[person.start]:
                        continue
                    left = [t for t in noun.lefts if t.dep_ in ("amod", "compound") and t.lower_ in lexicon.role_modifiers]  # type: ignore[attr-defined]
                    # two organizations hung on one role noun: the parse mixed two roles up, keep none
                    role = " ".join([*(t.text for t in left), noun.text]) if len(links) == 1 else None  # type: ignore[attr-defined]
                    found.append(Affiliation(sentence_of[person.start], ref(person), ref(org), role, rule))
    return found

