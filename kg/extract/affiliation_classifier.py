"""A small learned classifier over (person, organization) pairs of one sentence: AFFILIATED_WITH.

The rules of :mod:`kg.extract.affiliations` know the common shapes ("Jane Roe, CEO of OpenAI",
"OpenAI CEO Jane Roe", "Jane Roe joined OpenAI"); news has many more ("Surrey skipper Chris
Lewis", "Roe, who runs OpenAI's policy team"). This classifier scores every (Person, Organization)
pair of a sentence that the rules left alone, by **context only** — the features of
:func:`kg.extract.relation_classifier.features` (words between and around, order, distance,
entities between, dependency path; never the names) plus whether a role word (roles.yml) stands
between or next to the pair — and proposes an AFFILIATED_WITH claim (rule ``affiliation-classifier``,
no role, its confidence ``[confidence]`` of pipelines/newskg.cfg) when the probability reaches ``affiliation_threshold`` of the
``newskg_claims`` component (pipelines/newskg.cfg).

It is trained by ``bench/train_affiliations.py`` on **weak labels** (self-training from the precise
rules): in BBC News and 2023–2025 AI-news issues that the gold does not draw from, a pair is
positive when a precise affiliation rule links it, negative when the rules link neither the person
nor the organization of the pair to each other (every other pair of the sentence, at most
``MAX_DISTANCE`` tokens apart). CrossRE has no train split in ``../shared/corpus/crossre``, and its
dev and test are evaluation only. Weights: ``pipelines/affiliations/model.json``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from spacy.tokens import Doc, Span

from kg.extract.affiliations import Affiliation
from kg.extract.lexicon import Lexicon
from kg.extract.relation_classifier import Candidate, RelationClassifier
from kg.extract.relation_classifier import features as pair_features
from kg.extract.spans import ref
from kg.schema import EntityType

_ORG, _PERSON = EntityType.ORGANIZATION, EntityType.PERSON

MAX_DISTANCE = 20


class PersonOrg(NamedTuple):
    sentence: int
    person: Span
    organization: Span


def candidates(doc: Doc) -> Iterator[PersonOrg]:
    """(Person, Organization) entity pairs within one sentence, at most ``MAX_DISTANCE`` tokens apart."""
    for number, sent in enumerate(doc.sents):
        ents = list(sent.ents)
        people = [e for e in ents if e.label_ == _PERSON]
        orgs = [e for e in ents if e.label_ == _ORG]
        for person in people:
            for org in orgs:
                if abs(person.start - org.start) <= MAX_DISTANCE:
                    yield PersonOrg(number, person, org)


def features(pair: PersonOrg, lexicon: Lexicon) -> list[str]:
    feats = pair_features(Candidate(pair.sentence, pair.organization, pair.person))
    # the path's top word may be a name ("poss/appos^murati^"): context only, never the names
    names = {t.lemma_.lower() for t in (*pair.person, *pair.organization)}
    for n, feat in enumerate(feats):
        parts = feat.split("^")
        if feat.startswith("path=") and len(parts) == 3 and parts[1] in names:
            feats[n] = f"{parts[0]}^<ent>^{parts[2]}"
    doc = pair.person.doc
    first, second = sorted((pair.person, pair.organization), key=lambda e: e.start)
    roles = frozenset(role[-1] for role in lexicon.roles)
    window = doc[max(first.sent.start, first.start - 2) : min(second.sent.end, second.end + 2)]
    near = [t for t in window if (t.lower_ in roles or t.lemma_.lower() in roles) and not t.ent_type_]
    feats.append(f"role_near={'yes' if near else 'no'}")
    between = doc[first.end : second.start]
    feats.append(f"role_between={'yes' if any(t in between for t in near) else 'no'}")
    return feats


def classified_affiliations(doc: Doc, found: list[Affiliation], classifier: RelationClassifier, threshold: float, lexicon: Lexicon) -> list[Affiliation]:
    """AFFILIATED_WITH (rule ``classifier``, no role) for the (person, organization) pairs of a
    sentence the rules left alone, when the classifier's probability reaches ``threshold``."""
    claimed = {(a.person.start, a.organization.start) for a in found}
    extra: list[Affiliation] = []
    for pair in candidates(doc):
        key = (pair.person.start_char, pair.organization.start_char)
        if key in claimed:
            continue
        if classifier.probability_of(features(pair, lexicon)) >= threshold:
            claimed.add(key)
            extra.append(Affiliation(pair.sentence, ref(pair.person), ref(pair.organization), None, "affiliation-classifier"))
    return extra
