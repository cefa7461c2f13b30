"""Are two statements by the same speaker the same statement in other words?

Method (docs/resolution.md has the tuning table): each statement becomes a set of features,

* the lemmas of its content words (nouns, proper nouns, verbs, adjectives, adverbs, numbers; minus
  hedges and reporting verbs listed in ``pipelines/lexicons/resolution.yml``),
* ``@id`` for each entity it names: gazetteer names found in its tokens ("U.S." and "United
  States" are both ``@place:united-states``) and the entities the claim is ABOUT,
* ``#n`` for each number (number words as digits),

and two statements match when they share at least ``min_shared`` features and the overlap
coefficient |A ∩ B| / min(|A|, |B|) reaches ``threshold``, unless a veto applies: one is negated
and the other not, both give numbers and none agree, or both name entities of one type and none
agree. The small English pipeline has no real word vectors, so lemma overlap is the honest choice;
the vetoes catch the cases where overlapping words state opposite or different facts.

Statements are grouped per speaker by greedy complete linkage (every pair in a group matches),
oldest first, so a long statement cannot chain two unrelated short ones together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from kg.extract.naming import entity_id
from kg.extract.resolution_data import ResolutionData, StatementSettings
from kg.schema import EntityType

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from kg.extract.lexicon import Lexicon

NEGATED = "!neg"


@dataclass(frozen=True, slots=True)
class StatementFeatures:
    """What a statement is compared by; ``entities`` are ids without the ``@``."""

    lemmas: frozenset[str]
    entities: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    negated: bool = False

    @property
    def compared(self) -> frozenset[str]:
        """The features whose overlap is scored (numbers only veto)."""
        return self.lemmas | {f"@{e}" for e in self.entities}

    @property
    def all(self) -> frozenset[str]:
        return self.compared | {f"#{n}" for n in self.numbers}

    def with_entities(self, entities: Iterable[str]) -> StatementFeatures:
        """Add the entities a claim is about; the words of their names stop counting as lemmas
        (a name shared by two statements is one piece of evidence, not three)."""
        ids = frozenset(entities)
        name_words = {part for eid in ids | self.entities for part in eid.split(":", 1)[-1].split("-")}
        return StatementFeatures(self.lemmas - name_words, self.entities | ids, self.numbers, self.negated)

    def encode(self) -> list[str]:
        """As one list of strings (stored on the claim node as ``content_lemmas``)."""
        return sorted(self.all) + ([NEGATED] if self.negated else [])

    @classmethod
    def decode(cls, values: Iterable[str]) -> StatementFeatures:
        lemmas, entities, numbers, negated = set(), set(), set(), False
        for value in values:
            if value == NEGATED:
                negated = True
            elif value.startswith("@"):
                entities.add(value[1:])
            elif value.startswith("#"):
                numbers.add(value[1:])
            else:
                lemmas.add(value)
        return cls(frozenset(lemmas), frozenset(entities), frozenset(numbers), negated)


def settings_version(settings: StatementSettings, data: ResolutionData) -> str:
    """A digest of everything that shapes features, so cached features are redone when it changes."""
    payload = json.dumps(
        [
            sorted(settings.content_pos), sorted(settings.ignore_lemmas), sorted(settings.negations),
            sorted(settings.number_words.items()), sorted(data.places.items()), sorted(data.demonyms.items()),
        ],
        ensure_ascii=False,
    )
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:12]


@dataclass
class FeatureExtractor:
    """Turns statement texts into features with a tagger-and-lemmatizer-only spaCy pipeline."""

    nlp: Language
    lexicon: Lexicon
    data: ResolutionData
    batch_size: int = 256

    @classmethod
    def load(cls, lexicon: Lexicon, data: ResolutionData, model: str | None = None) -> FeatureExtractor:
        """The base model of ``pipelines/newskg.cfg`` without parser and NER (lemmas need POS tags only)."""
        from kg.extract.pipeline import load_base_model

        return cls(load_base_model(model, exclude=["parser", "ner", "senter"]), lexicon, data)

    @cached_property
    def phrase_table(self) -> dict[tuple[str, ...], str]:
        """Lower-cased token sequences of curated names -> entity id (organizations, places, models)."""
        table: dict[tuple[str, ...], str] = {}
        names: list[tuple[str, str]] = []
        for org in self.lexicon.organizations:
            names += [(surface, entity_id(EntityType.ORGANIZATION, org.name)) for surface in (org.name, *org.aliases)]
        names += [(surface, entity_id(EntityType.PLACE, name)) for surface, name in self.data.places.items()]
        names += [(demonym, entity_id(EntityType.PLACE, name)) for demonym, name in self.data.demonyms.items()]
        names += [(surface, entity_id(EntityType.MODEL, name)) for surface, name in self.data.model_aliases.items()]
        for surface, eid in names:
            tokens = tuple(t.lower_ for t in self.nlp.make_doc(surface))
            if tokens:
                table.setdefault(tokens, eid)
        return table

    def features(self, texts: Sequence[str]) -> list[StatementFeatures]:
        return [self.from_doc(doc) for doc in self.nlp.pipe(texts, batch_size=self.batch_size)]

    def from_doc(self, doc: Doc) -> StatementFeatures:
        settings = self.data.statements
        table = self.phrase_table
        longest = max((len(k) for k in table), default=0)
        lemmas: set[str] = set()
        entities: set[str] = set()
        numbers: set[str] = set()
        negations = 0
        i = 0
        tokens = list(doc)
        while i < len(tokens):
            for length in range(min(longest, len(tokens) - i), 0, -1):
                hit = table.get(tuple(t.lower_ for t in tokens[i : i + length]))
                # Lower-case matches only for multi-word names: "us" alone is the pronoun.
                if hit is not None and (length > 1 or tokens[i].text.lower() != tokens[i].text):
                    entities.add(hit)
                    i += length
                    break
            else:
                token = tokens[i]
                i += 1
                lemma = token.lemma_.lower()
                if lemma in settings.negations or token.lower_ in settings.negations:
                    negations += 1
                    continue
                number = settings.number_words.get(token.lower_) or settings.number_words.get(lemma)
                if number is None and token.like_num:
                    number = token.lower_.replace(",", "")
                if number is not None:
                    numbers.add(number)
                    continue
                if token.pos_ not in settings.content_pos or token.is_stop or token.is_punct or lemma in settings.ignore_lemmas:
                    continue
                if any(ch.isalnum() for ch in lemma):
                    lemmas.add(lemma)
        return StatementFeatures(frozenset(lemmas), frozenset(entities), frozenset(numbers), negations % 2 == 1)


def veto(a: StatementFeatures, b: StatementFeatures, settings: StatementSettings) -> str | None:
    """Why two statements cannot be the same despite shared words, or None."""
    if a.negated != b.negated:
        return "negation"
    if a.numbers - b.numbers and b.numbers - a.numbers:
        return "numbers"
    for x, y in settings.opposites:
        for ours, theirs in ((a.lemmas, b.lemmas), (b.lemmas, a.lemmas)):
            if x in ours and y in theirs and y not in ours and x not in theirs:
                return f"opposites {x}/{y}"
    for prefix in {e.split(":", 1)[0] for e in a.entities} & {e.split(":", 1)[0] for e in b.entities}:
        ours = {e for e in a.entities if e.startswith(prefix + ":")}
        theirs = {e for e in b.entities if e.startswith(prefix + ":")}
        if not ours & theirs:
            return f"different {prefix}"
    return None


def similarity(a: StatementFeatures, b: StatementFeatures, settings: StatementSettings) -> float:
    """Overlap coefficient of the feature sets; 0 when vetoed or when too few features are shared."""
    if veto(a, b, settings) is not None:
        return 0.0
    fa, fb = a.compared, b.compared
    shared = len(fa & fb)
    if shared < settings.min_shared or not fa or not fb:
        return 0.0
    return shared / min(len(fa), len(fb))


@dataclass(frozen=True, slots=True)
class Statement:
    """One SAID claim as the grouping sees it."""

    id: str
    features: StatementFeatures
    articles: frozenset[str]
    order: tuple[str, str]  # (first published, id): oldest first


@dataclass(frozen=True, slots=True)
class StatementGroup:
    members: tuple[str, ...]
    scores: dict[str, float]  # member -> its lowest similarity to the others


def group_statements(
    statements: Sequence[Statement],
    settings: StatementSettings,
    blocked: Iterable[frozenset[str]] = (),
) -> list[StatementGroup]:
    """Groups of two or more statements (one speaker's) that say the same thing.

    Greedy complete linkage in age order: a statement joins the group it matches best if it
    matches every member; two statements found only in the same article never pair (they add no
    independent report, only risk).
    """
    blocked_pairs = frozenset(blocked)
    groups: list[list[Statement]] = []
    scores: dict[str, float] = {}

    def score(a: Statement, b: Statement) -> float:
        if a.articles == b.articles and len(a.articles) == 1:
            return 0.0
        if frozenset((a.id, b.id)) in blocked_pairs:
            return 0.0
        return similarity(a.features, b.features, settings)

    for statement in sorted(statements, key=lambda s: s.order):
        best: tuple[float, int] | None = None
        for index, group in enumerate(groups):
            pair_scores = [score(statement, member) for member in group]
            if min(pair_scores) >= settings.threshold:
                mean = sum(pair_scores) / len(pair_scores)
                if best is None or mean > best[0]:
                    best = (mean, index)
        if best is None:
            groups.append([statement])
        else:
            groups[best[1]].append(statement)
    result: list[StatementGroup] = []
    for group in groups:
        if len(group) < 2:
            continue
        for member in group:
            scores[member.id] = min(score(member, other) for other in group if other is not member)
        result.append(StatementGroup(tuple(m.id for m in group), {m.id: round(scores[m.id], 3) for m in group}))
    return result
