"""The ``newskg_entities`` component: Organization, Person, Model and Place entities for AI news.

The entities come from ``newskg_ner`` (kg/extract/domain_ner.py), a recognizer trained on AI news
that also knows the types that look like them but are not: PRODUCT, SOFTWARE, BENCHMARK, HARDWARE,
HANDLE. Those are never Organization, Person or Model; they are kept in ``doc.spans["newskg_other"]``
(with their newskg type names: Product, Software, Benchmark, Hardware, Handle) for inspection and
are not stored in the graph. Every candidate carries a confidence (the recognizer's beam
probability, or the fixed confidence of the rule that found it) and nothing below ``threshold``
(pipelines/newskg.cfg) is emitted as an entity.

Rules are kept where they are precise:

* the model-name grammar (``model_names``) completes a recognized model name to its full version
  and variant tail ("Gemini 3 Deep" -> "Gemini 3 Deep Think") and finds model names of known
  families the recognizer missed;
* the organization gazetteer finds the listed organizations the recognizer missed;
* sports results tables, surnames after a full name, acronyms defined in the article and
  repetitions of a recognized name (one sense per article) as before.

A span the recognizer typed (any type at or above the threshold, or a confusable type at any
confidence) is never overridden by a rule. Detection works on character offsets and is separate
from setting ``doc.ents``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.component import DocByDoc, read_tree, write_files
from kg.extract.lexicon import LOOKALIKE_KINDS, Lexicon, compile_alternation, lexicon_from_files, load_lexicon
from kg.extract.model_names import ModelNameGrammar, find_model_names
from kg.extract.spans import doc_text
from kg.extract.names import ACRONYM_AFTER_NAME, acronym_of
from kg.schema import EntityType, ner_label_map

_ORG, _PERSON, _MODEL, _PLACE, _HANDLE = EntityType.ORGANIZATION, EntityType.PERSON, EntityType.MODEL, EntityType.PLACE, EntityType.HANDLE
#: The statistical recognizer's label -> entity type (kg/schema.py ``ner_labels``): the stored types
#: first, then the types of what looks like an entity but is not one the graph holds (Product, ...).
LABEL_TYPES: dict[str, EntityType] = {**ner_label_map(), **ner_label_map(stored=False)}
#: The look-alike lists' kinds (pipelines/gazetteers/lookalike/*.txt) and their types.
LOOKALIKE_TYPES = {kind: EntityType[kind.upper()] for kind in LOOKALIKE_KINDS}
#: The types kept in ``doc.spans["newskg_other"]``, never in ``doc.ents``.
OTHER_TYPES = frozenset(ner_label_map(stored=False).values())
#: The base model's generic (OntoNotes) NER labels that name a stored type, and that type.
BASE_NER_TYPES: dict[str, EntityType] = {label: ner_label_map()[label] for label in ("PERSON", "ORG", "GPE", "LOC")}
#: Confidence of the rule detections (the recognizer's own come from its beam).
RULE_CONFIDENCE = {"model-pattern": 0.9, "model-family": 0.7, "gazetteer": 0.8, "results-table": 0.8, "agreement": 0.8, "org-suffix": 0.8}
DEFAULT_THRESHOLD = 0.5
DEFAULT_HEADING_THRESHOLD = 0.9
#: An entity never runs across these (a line break, a "Title: text" joint, a Markdown emphasis mark,
#: the "▷" and "|" of Discord/Reddit section lines).
SPAN_BREAKS = re.compile(r"\n|: |\*\*|▷| \| ")
_BULLET = re.compile(r"^\s*(?:[-*•]|#{1,6}|\d+[.)])\s+")
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’.\-/&+]*")
ORG_SUFFIXES = frozenset({
    "AI", "Labs", "Lab", "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Company", "Group", "Research", "Technologies", "Systems",
    "Robotics", "Ltd", "Ltd.", "LLC", "Intelligence", "Computing", "Institute", "University", "Foundation", "Alliance",
    "Association", "Council", "Agency", "Ventures", "Capital", "Partners", "Commission", "Committee", "Ministry",
    "Department", "College", "Bank", "Studios",
})
#: Organization words of general news; the AI-news ones ("AI", "Labs", "Research") also end Discord
#: server and team names, so only these make a base-model name an organization on their own.
GENERAL_ORG_SUFFIXES = ORG_SUFFIXES - {"AI", "Lab", "Labs", "Research", "Intelligence", "Computing"}
DATA_DIR = "data"  # the lexicon's files, under the component's folder
#: A recognizer confidence the model is sure at (on gold dev, 89 % of entities at 0.99 or more are right, 35 % below 0.95).
SURE = 0.99
#: Lowercase words inside personal names ("Ludwig van Beethoven", "Ahmad al Dahle").
NAME_PARTICLES = frozenset({"de", "da", "di", "del", "della", "der", "den", "van", "von", "al", "el", "bin", "ibn", "le", "la", "du", "dos", "das", "do", "ter", "y"})
#: Prefixes after which a personal name has an inner capital ("McCarthy", "LeCun", "O'Neil", "DeAndre").
_NAME_PREFIX = re.compile(r"^(?:Mc|Mac|O'|O’|D'|D’|De|Di|Da|Le|La|Du|Van|Von)(?=[A-Z])")
#: A program's error or warning type ("ValueError", "RuntimeWarning"): never an entity.
_ERROR_NAME = re.compile(r"^[A-Z][A-Za-z]*(?:Error|Exception|Warning)$")
#: An acronym: one word of capitals (and digits): "NCCL", "GAE", "AI2".
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
#: A plural acronym is a common noun ("LLMs", "GPUs", "BCIs").
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")
#: A name before "license" is a licence's ("MIT license", "Apache 2.0 licence").
_LICENCE_AFTER = re.compile(r"[ -](?:licen[cs]es?|licensed)\b", re.I)


def _person_word(word: str) -> bool:
    """A word of a personal name: "Sam", "Jean-Luc", "O'Neil", "LeCun", "K.J.", "François", "van", "al-Assad"."""
    if word in NAME_PARTICLES or re.fullmatch(r"(?:[A-Z]\.)+", word):
        return True
    core = _NAME_PREFIX.sub("", word)
    parts = [p for p in re.split(r"[-'’]", core) if p]
    return bool(parts) and all(
        (p[:1].isupper() and p.isalpha() and (len(p) == 1 or p[1:].islower())) or (i == 0 and p in NAME_PARTICLES and len(parts) > 1)
        for i, p in enumerate(parts)
    )


def _base_ner_spans(doc: Doc) -> frozenset[tuple[int, int, EntityType]]:
    """The base model's generic NER entities (if it ran) as (start_char, end_char, newskg type)."""
    base = doc.spans["newskg_base_ner"] if "newskg_base_ner" in doc.spans else []
    return frozenset((s.start_char, s.end_char, BASE_NER_TYPES[s.label_]) for s in base if s.label_ in BASE_NER_TYPES)


class EntityCandidate(NamedTuple):
    start: int
    end: int
    label: EntityType
    priority: int
    source: str  # "model-pattern", "gazetteer", "ner", ...
    name: str  # full name when it differs from the surface text ("DeepSeek R1" for "R1")
    confidence: float = 1.0


if not Doc.has_extension("newskg_entity_meta"):
    # (start_char, end_char) -> (source, full name, confidence); plain data so docs travel between processes.
    Doc.set_extension("newskg_entity_meta", default=None)


class EntityRecognizer(DocByDoc):
    """Relabel and complete ``doc.ents`` with newskg's four entity types.

    Its data, the lexicon (gazetteers, model-name grammar, exclusions, results-table lines), is
    written by ``to_disk`` as its YAML files under ``data/`` and read back by ``from_disk``."""

    def __init__(
        self, lexicon: Lexicon, threshold: float = DEFAULT_THRESHOLD, heading_threshold: float = DEFAULT_HEADING_THRESHOLD, person_threshold: float | None = None,
        rule_threshold: float | None = None, model_threshold: float | None = None,
    ) -> None:
        self.lexicon = lexicon
        self.grammar = ModelNameGrammar(lexicon)
        self.threshold = threshold
        self.heading_threshold = heading_threshold
        self.person_threshold = person_threshold
        self.rule_threshold = rule_threshold
        self.model_threshold = model_threshold

    @cached_property
    def org_regex(self) -> re.Pattern[str]:
        surfaces = [s for org in self.lexicon.organizations for s in (org.name, *org.aliases)]
        return re.compile(rf"(?<![\w.@/-])(?:{compile_alternation(surfaces)})(?![\w-]|\.\w)")

    @cached_property
    def not_model_regex(self) -> re.Pattern[str] | None:
        patterns = self.lexicon.not_entities.get("not_model_patterns")
        return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def is_not_model(self, text: str) -> bool:
        """Hardware and number formats that look like model names ("H100", "FP8")."""
        if text in self.lexicon.not_entities.get("not_model", ()):
            return True
        return bool(self.not_model_regex and self.not_model_regex.match(text))

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.detect_all(doc))
        return doc

    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        write_files(Path(path) / DATA_DIR, self.lexicon.files)

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> EntityRecognizer:
        self.lexicon = lexicon_from_files(read_tree(Path(path) / DATA_DIR))
        self.grammar = ModelNameGrammar(self.lexicon)
        for derived in ("org_regex", "not_model_regex", "people_regex", "results_line_regexes", "_organization_surfaces"):
            self.__dict__.pop(derived, None)  # compiled from the old lexicon
        return self

    # -- detection -------------------------------------------------------------------------
    def detect(self, doc: Doc) -> list[EntityCandidate]:
        """Newskg's entities (the four types) at or above the threshold, best non-overlapping set."""
        return [c for c in self.detect_all(doc) if c.label not in OTHER_TYPES]

    def detect_all(self, doc: Doc) -> list[EntityCandidate]:
        """Every kept candidate, the confusable types (Product, Software, ...) included."""
        text = doc_text(doc)
        recognized = [c for c in self._statistical(doc) if c.label != _MODEL or not self.is_not_model(text[c.start : c.end])]
        recognized = [c for c in recognized if not SPAN_BREAKS.search(text, c.start, c.end)]
        agreed = _base_ner_spans(doc)
        recognized = [c for c in recognized if c.label in OTHER_TYPES or self.plausible(text, c, agreed)]
        recognized = self._second_opinion(doc, self._one_sense(text, recognized))
        headings = heading_regions(text)
        kept = [c for c in recognized if c.label in OTHER_TYPES or c.confidence >= self._threshold_at(c, headings, agreed)]
        kept = self._complete_organization_names(text, self._complete_model_names(text, self._split_organization_prefix(text, kept)))
        blocking = kept
        rules = [*self._model_names(text), *self._gazetteer(text), *self._people(text), *self._results_tables(text), *self._base_organizations(doc)]
        rules = [c for c in rules if c.confidence >= self._rule_threshold(c) and not _overlaps_any(c, blocking) and self.plausible(text, c, agreed)]
        rules = [c for c in rules if c.label != _MODEL or not self.is_not_model(text[c.start : c.end])]
        chosen = select_entities(kept + rules)
        core = [c for c in chosen if c.label not in OTHER_TYPES]
        surnames = list(_surname_mentions(text, core))
        # "Wang" alone after "Wang Zhihong" is the person, whatever type the model gave that token
        same_span = {(c.start, c.end) for c in surnames}
        chosen = [c._replace(label=_PERSON, source="surname") if c.source == "ner" and c.label != _HANDLE and (c.start, c.end) in same_span else c for c in chosen]
        acronyms = list(_acronym_mentions(text, chosen))
        # "NRA" after "the Northern Robotics Alliance (NRA)" is the organization, whatever type the model gave it
        same_span = {(c.start, c.end) for c in acronyms}
        chosen = [c._replace(label=_ORG, source="acronym") if c.source == "ner" and c.label != _HANDLE and (c.start, c.end) in same_span else c for c in chosen]
        chosen = select_entities(chosen + surnames + acronyms)
        # a repetition is checked like the mention it repeats: "MIT" of "MIT licenses" is a licence's name
        return select_entities(chosen + [c for c in _repeated_mentions(text, chosen) if self.plausible(text, c, agreed)])

    def plausible(self, text: str, cand: EntityCandidate, agreed: frozenset[tuple[int, int, EntityType]] = frozenset()) -> bool:
        """Whether a recognized Organization/Person/Model/Place has the form of a name of its type.

        * never a fragment: a name ending in "-" ("deepseek-" of "deepseek-ai/Janus"), with an
          unclosed bracket ("O(1"), a "#channel" name ("#gpt-4-discussions") or a program's error
          ("ValueError");
        * a Person's words are personal-name words (capitalized, no inner capital except after
          Mc/Mac/O'/De/Le/...: "LeCun", not "XPeng" or "LlamaCloud"; particles "de", "van", "al"),
          and its surname (any word after the first, or a one-word name) is no common word of AI
          news ("Will Provide", "Lucas Critique", "Mac Studio", "Polaris Alpha Soars") unless the
          recognizer is sure of it (``SURE``) and the base model's generic NER reads the same span as
          a person too ("John Major", "Nick Price": general news has many such surnames);
        * a one-word Organization that is a common word of AI news, no listed organization and not
          an organization for the base model's NER either ("Expire", "Bench"; not "Arsenal");
        * a bare acronym typed Organization by the recognizer alone ("GAE", "NCCL", "DDR") unless it
          is sure (``SURE``), listed, or an organization for the base NER too;
        * nor a plural acronym ("LLMs") or a licence's name ("MIT" of "MIT licenses").
        ``agreed``: the base model's (start, end, type) spans (:func:`_base_ner_spans`)."""
        surface = text[cand.start : cand.end]
        if surface.endswith("-") or surface.count("(") != surface.count(")") or text[cand.start - 1 : cand.start] == "#":
            return False
        if _ERROR_NAME.match(surface) or _PLURAL_ACRONYM.match(surface) or _LICENCE_AFTER.match(text, cand.end):
            return False
        common = self.lexicon.common_words
        words = surface.split()
        if cand.label == _PERSON and cand.source != "people-gazetteer":
            if not all(_person_word(w) for w in words):
                return False
            if (cand.start, cand.end, _PERSON) in agreed and cand.confidence >= SURE:
                return True
            return not any(w.lower() in common for w in (words[1:] or words) if w.lower() not in NAME_PARTICLES)
        if cand.label == _ORG and len(words) == 1 and surface.lower() in common:
            return self.lexicon.canonical_organization(surface) is not None or (cand.start, cand.end, _ORG) in agreed
        if cand.label == _ORG and cand.source in ("ner", "repeat") and _ACRONYM.match(surface) and cand.confidence < SURE:
            # a bare acronym names a method, a format or a library as often as an organization
            # ("GAE", "NCCL", "DDR"): the recognizer must be sure, or the gazetteer / base NER agree
            return self.lexicon.canonical_organization(surface) is not None or (cand.start, cand.end, _ORG) in agreed
        return True

    @cached_property
    def _organization_surfaces(self) -> frozenset[str]:
        """Listed organizations' names and aliases as written, less the stems that alone name a model."""
        surfaces = {s for org in self.lexicon.organizations for s in (org.name, *org.aliases)}
        return frozenset(surfaces - {f.stem for f in self.lexicon.model_families if f.bare == _MODEL})

    def _listed_organization(self, text: str) -> bool:
        return text in self._organization_surfaces

    def _trim_lowercase_tail(self, span: Span) -> Span | None:
        """Drop trailing lowercase words that are no model variant ("Mistral Large 3 next month")."""
        variants = set(self.lexicon.model_variants)
        end = span.end
        while end > span.start + 1 and span.doc[end - 1].is_alpha and span.doc[end - 1].is_lower and span.doc[end - 1].text not in variants:
            end -= 1
        return span.doc[span.start : end]

    def _split_organization_prefix(self, text: str, candidates: list[EntityCandidate]) -> list[EntityCandidate]:
        """"Google Gemini", "Meta Llama 4": a listed organization before a model name the grammar
        reads is the organization and the model (the developer is stated, not part of the name)."""
        out = []
        models = {(m.start, m.end) for m in find_model_names(text, self.grammar) if m.label == _MODEL}
        for cand in candidates:
            if cand.label == _MODEL:
                org = self.org_regex.match(text, cand.start)
                if org is not None and org.end() < cand.end and text[org.end() : org.end() + 1] == " ":
                    rest = org.end() + 1
                    if any(s == rest and e <= cand.end for s, e in models):
                        out.append(cand._replace(end=org.end(), label=_ORG, name=org.group(0), source="ner+gazetteer"))
                        cand = cand._replace(start=rest, name=text[rest : cand.end])
            out.append(cand)
        return out

    def _base_organizations(self, doc: Doc) -> Iterator[EntityCandidate]:
        """Names the base model's generic NER found whose own form says organization ("The Northern
        Robotics Alliance", "Velora Robotics"): several capitalized words ending in an organization word."""
        base = doc.spans["newskg_base_ner"] if "newskg_base_ner" in doc.spans else []
        for ent in base:
            if ent.label_ not in BASE_NER_TYPES:
                continue
            span = _trim(ent)
            if span is None or len(span) < 2 or span[-1].text not in GENERAL_ORG_SUFFIXES or not all(t.text[:1].isupper() for t in span):
                continue
            yield EntityCandidate(span.start_char, span.end_char, _ORG, 1, "base-ner+org-suffix", span.text, RULE_CONFIDENCE["org-suffix"])

    def _second_opinion(self, doc: Doc, candidates: list[EntityCandidate]) -> list[EntityCandidate]:
        """Where the base model's generic NER (if it ran) found the same name of several words with the
        same type (PERSON, ORG, GPE/LOC), a Person/Organization/Place is at least
        ``RULE_CONFIDENCE["agreement"]`` sure: two independent models agree (general-news names the
        AI-news model is unsure of). One-word names are left out: in AI news both models take
        tools and nicknames ("Ruff", "LCPP") for people and organizations."""
        base = doc.spans.get("newskg_base_ner") if "newskg_base_ner" in doc.spans else None
        if not base:
            return candidates
        agreed = {(s.start_char, s.end_char, BASE_NER_TYPES[s.label_]) for s in base if s.label_ in BASE_NER_TYPES}
        floor = RULE_CONFIDENCE["agreement"]
        text = doc_text(doc)
        # the base model's full personal names ("Grace Okafor": title-case words only)
        people = {(s.start_char, s.end_char) for s in base if s.label_ == "PERSON" and len(s) > 1 and all(t.is_alpha and t.is_title for t in s)}
        out = []
        for c in candidates:
            surface = text[c.start : c.end]
            if c.label == _ORG and (c.start, c.end) in people and not self._listed_organization(surface) and surface.split()[-1] not in ORG_SUFFIXES \
                    and self.plausible(text, c._replace(label=_PERSON)):
                # the base model reads a full personal name the AI-news model took for an organization
                # ("tinygrad (George Hotz) Discord"): a person's name is not an organization's
                c = c._replace(label=_PERSON, source="ner+agreement")
            elif c.confidence < self.threshold and (c.start, c.end) in people and c.label != _PERSON:
                # the AI-news model is unsure what this name is, the base model reads a full personal name
                c = c._replace(label=_PERSON, confidence=floor, source="ner+agreement")
            elif c.confidence < floor and (c.start, c.end, c.label) in agreed and " " in text[c.start : c.end]:
                c = c._replace(confidence=floor, source="ner+agreement")
            out.append(c)
        return out

    def _one_sense(self, text: str, candidates: list[EntityCandidate]) -> list[EntityCandidate]:
        """One sense per article, towards the look-alike types: where the recognizer gives a name
        (the same words) a look-alike type (Product, Software, ...) more often than an
        Organization/Person/Model/Place type, summed over its mentions weighted by confidence, every
        mention of it takes that look-alike type ("LangChain" as Software eleven times and once as
        an Organization in a long recap)."""
        votes: dict[str, dict[EntityType, float]] = {}
        for c in candidates:
            if c.source == "ner":
                tally = votes.setdefault(text[c.start : c.end], {})
                tally[c.label] = tally.get(c.label, 0.0) + c.confidence
        sense: dict[str, EntityType] = {}
        for surface, tally in votes.items():
            other = max((lab for lab in tally if lab in OTHER_TYPES), key=tally.__getitem__, default=None)
            core = sum(v for lab, v in tally.items() if lab not in OTHER_TYPES)
            if other is not None and core > 0 and tally[other] > core:
                sense[surface] = other
        if not sense:
            return candidates
        return [c._replace(label=sense[text[c.start : c.end]], source="ner+one-sense")
                if c.source == "ner" and c.label not in OTHER_TYPES and text[c.start : c.end] in sense else c for c in candidates]

    def _threshold_at(self, cand: EntityCandidate, headings: list[tuple[int, int]], agreed: frozenset[tuple[int, int, EntityType]] = frozenset()) -> float:
        """Headings and "Title: text" bullet titles are context, not sentences: a stricter threshold there.
        Full personal names have their own (lower) threshold: the AI-news training data has few of
        them; a one-word "person" ("Kiro", "Iceberg") needs ``threshold``, unless the base model's
        NER reads it as a person too ("chief scientist, Okafor, told")."""
        if any(start <= cand.start and cand.end <= end for start, end in headings):
            return max(self.threshold, self.heading_threshold)
        if cand.label == _PERSON and self.person_threshold is not None and (" " in cand.name.strip() or (cand.start, cand.end, _PERSON) in agreed):
            return self.person_threshold
        if cand.label == _MODEL and self.model_threshold is not None:
            return self.model_threshold
        return self.threshold

    def _rule_threshold(self, cand: EntityCandidate) -> float:
        """Rule detections have fixed confidences (``RULE_CONFIDENCE``): ``rule_threshold`` (default
        ``threshold``) says which rules run; people's rules use ``person_threshold`` when it is lower."""
        threshold = self.threshold if self.rule_threshold is None else self.rule_threshold
        if cand.label == _PERSON and self.person_threshold is not None:
            return min(threshold, self.person_threshold)
        return threshold

    def _complete_model_names(self, text: str, candidates: list[EntityCandidate]) -> list[EntityCandidate]:
        """A recognized model name the grammar reads further ("Gemini 3 Deep" + " Think") is extended."""
        matches = list(find_model_names(text, self.grammar))
        out = []
        for cand in candidates:
            if cand.label == _MODEL:
                # longer, or the same span with a fuller name ("R1" of "DeepSeek's R1" is DeepSeek R1)
                longer = [m for m in matches if m.start <= cand.start and cand.end <= m.end and m.label == _MODEL and ((m.end - m.start) > (cand.end - cand.start) or m.name != m.text)]
                if longer:
                    best = max(longer, key=lambda m: m.end - m.start)
                    cand = cand._replace(start=best.start, end=best.end, name=best.name, source="ner+model-pattern")
            out.append(cand)
        return out

    def _complete_organization_names(self, text: str, candidates: list[EntityCandidate]) -> list[EntityCandidate]:
        """A recognized organization inside a longer gazetteer name ("Meta" of "Meta Platforms") takes the whole name."""
        matches = [(m.start(), m.end()) for m in self.org_regex.finditer(text)]
        out = []
        for cand in candidates:
            if cand.label == _ORG:
                longer = [(s, e) for s, e in matches if s <= cand.start and cand.end <= e and (e - s) > (cand.end - cand.start)]
                if longer:
                    s, e = max(longer, key=lambda m: m[1] - m[0])
                    cand = cand._replace(start=s, end=e, name=text[s:e], source="ner+gazetteer")
            out.append(cand)
        return out

    def _model_names(self, text: str) -> Iterator[EntityCandidate]:
        for match in find_model_names(text, self.grammar):
            priority = 4 if match.has_tail else 3
            confidence = RULE_CONFIDENCE["model-pattern" if match.has_tail else "model-family"]
            yield EntityCandidate(match.start, match.end, match.label, priority, "model-pattern", match.name, confidence)

    @cached_property
    def people_regex(self) -> re.Pattern[str] | None:
        names = list(self.lexicon.people)
        return re.compile(rf"(?<![\w@])(?:{compile_alternation(names)})(?![\w])") if names else None

    def _people(self, text: str) -> Iterator[EntityCandidate]:
        """Well-known people of AI news (pipelines/gazetteers/people.yml), where the recognizer missed them."""
        if self.people_regex is not None:
            for match in self.people_regex.finditer(text):
                yield EntityCandidate(match.start(), match.end(), _PERSON, 3, "people-gazetteer", match.group(0), RULE_CONFIDENCE["gazetteer"])

    def _gazetteer(self, text: str) -> Iterator[EntityCandidate]:
        for match in self.org_regex.finditer(text):
            yield EntityCandidate(match.start(), match.end(), _ORG, 3, "gazetteer", match.group(0), RULE_CONFIDENCE["gazetteer"])

    @cached_property
    def results_line_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.lexicon.results_lines)

    def _results_tables(self, text: str) -> Iterator[EntityCandidate]:
        """Teams on the lines of sports results and standings tables (pipelines/lexicons/results_tables.yml)."""
        if not self.results_line_regexes:
            return
        offset = 0
        for line in text.split("\n"):
            stripped = line.rstrip()
            for regex in self.results_line_regexes:
                match = regex.match(stripped)
                if match is None:
                    continue
                for group, value in match.groupdict().items():
                    if group.startswith("team") and value:
                        start = offset + match.start(group)
                        yield EntityCandidate(start, start + len(value), _ORG, 2, "results-table", value, RULE_CONFIDENCE["results-table"])
                break
            offset += len(line) + 1

    def _statistical(self, doc: Doc) -> Iterator[EntityCandidate]:
        """The recognizer's entities with their confidence (1.0 where no score was recorded)."""
        excluded = self.lexicon.not_entities
        scores: dict[tuple[int, int, str], float] = doc._.newskg_ner_scores or {}
        for ent in doc.ents:
            label = LABEL_TYPES.get(ent.label_)
            if label is None:
                continue
            confidence = scores.get((ent.start_char, ent.end_char, ent.label_), 1.0)
            span = _trim(ent)
            if span is not None:
                span = self._trim_lowercase_tail(span)
            if span is None:
                continue
            text = span.text
            if text.startswith("@"):
                label = _HANDLE  # a social-media handle is never an organization or person
            if span[-1].text in ORG_SUFFIXES and label in (_PERSON, _PLACE, _ORG) and len(span) > 1 and span[0].text[:1].isupper() and span[0].tag_ != "JJ":
                # the name's own form says organization ("Velora Systems", "Nimbara Labs"; not an
                # adjective and an organization word: "Chinese AI firms")
                label, confidence = _ORG, max(confidence, RULE_CONFIDENCE["org-suffix"])
            kind = self.lexicon.lookalikes.get(text.lower()) if label in (_ORG, _PERSON, _MODEL) else None
            if kind is not None and not self._listed_organization(text):
                # a listed look-alike ("Langchain", "Kiro", "Xcode": pipelines/gazetteers/lookalike/),
                # in any case, is never an Organization/Person/Model unless it is also a listed organization
                label = LOOKALIKE_TYPES[kind]
            elif label in (_MODEL, _PERSON) and self._listed_organization(text):
                # a listed organization's own name ("Ai2", "Mistral AI") is the organization, unless
                # the model-name gazetteer says the name alone is a model ("Gemini")
                label = _ORG
            key = {_ORG: "not_organization", _PERSON: "not_person", _PLACE: "not_place"}.get(label)
            if not any(ch.isalpha() for ch in text) or (key and text in excluded.get(key, ())):
                continue
            if label == _PERSON and (any(ch.isdigit() for ch in text) or text.isupper()):
                continue  # "GPT4", "MMLU": never people
            end = span.end_char
            if label in (_MODEL, _PERSON) and text.endswith(".") and len(text) > 2 and not re.search(r"(?:^|[.\s])(?:[A-Za-z]|[A-Z][a-z]{1,2})\.$", text):
                end, text = end - 1, text[:-1]  # "Llama3-8B." at a sentence end is one token
            yield EntityCandidate(span.start_char, end, label, 1, "ner", text, confidence)

    # -- annotation ------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, candidates: list[EntityCandidate]) -> None:
        spans: list[Span] = []
        others: list[Span] = []
        meta: dict[tuple[int, int], tuple[str, str, float]] = {}
        text = doc_text(doc)
        for cand in candidates:
            span = doc.char_span(cand.start, cand.end, label=cand.label, alignment_mode="strict")
            if span is None:  # a token glues punctuation to the name ("8B." at a sentence end): take it whole
                wide = doc.char_span(cand.start, cand.end, label=cand.label, alignment_mode="expand")
                if wide is not None and wide.start_char == cand.start and not wide.text[cand.end - cand.start :].strip(".,;:!?"):
                    span = wide
            if span is None:
                span = doc.char_span(cand.start, cand.end, label=cand.label, alignment_mode="contract")
            if span is None or len(span) == 0:
                span = doc.char_span(cand.start, cand.end, label=cand.label, alignment_mode="expand")
                if span is None or span.end_char - span.start_char > (cand.end - cand.start) + 3:
                    continue  # the name is glued inside a longer token ("GPT-5-powered")
            if cand.label in OTHER_TYPES:
                others.append(span)
                continue
            spans.append(span)
            surface = text[cand.start : cand.end]
            # a token that glues punctuation to the name ("8B." at a sentence end) keeps the name clean
            same = span.text == surface or (span.text.startswith(surface) and not span.text[len(surface) :].strip(".,;:!?)'\"’”"))
            meta[(span.start_char, span.end_char)] = (cand.source, cand.name if same else span.text, round(cand.confidence, 3))
        spans = _without_overlaps(spans)
        doc.spans["newskg_other"] = others
        doc.ents = spans
        kept = {(s.start_char, s.end_char) for s in spans}
        doc._.newskg_entity_meta = {key: value for key, value in meta.items() if key in kept}


def heading_regions(text: str) -> list[tuple[int, int]]:
    """Character regions of heading-like text: a whole short line in title case without a full stop
    ("Kernel/Serving Infrastructure", "## AI Reddit Recap"), or the title-case part before ": " of a
    bullet ("- Cursor Version Upgrade Issues: members reported ...")."""
    regions: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        bullet = _BULLET.match(line)
        start = bullet.end() if bullet else 0
        body = line[start:].rstrip()
        colon = body.find(": ")
        if body and not body.endswith((".", "?", "!")) and len(body.split()) <= 12 and _title_case(body):
            regions.append((offset + start, offset + start + len(body)))
        elif _topic_list(body):
            regions.append((offset + start, offset + start + len(body)))
        elif 0 < colon and len(body[:colon].split()) <= 12 and _title_case(body[:colon]):
            regions.append((offset + start, offset + start + colon))
        offset += len(line) + 1
    return regions


def _topic_list(line: str) -> bool:
    """A list of topics, as under a Discord channel line of a newsletter recap ("BobNet Clarification,
    Formatting Tools in Tinygrad, ARM vs x86 Architecture"): three or more short comma-separated items,
    most of them capitalized, and no sentence end."""
    if line.endswith((".", "?", "!", ":")):
        return False
    items = [i.strip() for i in line.split(", ")]
    if len(items) < 3 or not all(0 < len(i.split()) <= 7 for i in items):
        return False
    return sum(i[:1].isupper() or i[:1].isdigit() for i in items) >= 0.75 * len(items)


def _title_case(text: str) -> bool:
    words = _TITLE_WORD.findall(text)
    long_words = [w for w in words if len(w) > 3]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


def select_entities(candidates: list[EntityCandidate]) -> list[EntityCandidate]:
    """Keep the best non-overlapping candidates: higher priority first, then longer spans.

    Each candidate is checked against its two neighbours among those chosen (a bisection), not
    against all of them: a run of 3,000 capitalised words gave 6,000 candidates and 12 million
    comparisons (2.8 s)."""
    starts: list[int] = []  # of the chosen, which never overlap: sorted by start, hence by end
    chosen: list[EntityCandidate] = []
    for cand in sorted((c for c in candidates if c.end > c.start), key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        # an empty span is never an entity; only the chosen span starting last at or before cand.start, and the next one, can overlap it
        at = bisect.bisect_right(starts, cand.start)
        if at > 0 and not (cand.end <= chosen[at - 1].start or cand.start >= chosen[at - 1].end):
            continue
        if at < len(chosen) and not (cand.end <= chosen[at].start or cand.start >= chosen[at].end):
            continue
        starts.insert(at, cand.start)
        chosen.insert(at, cand)
    return chosen


_WORD = r"(?<![\w.-]){}(?![\w-])"
#: Types whose names are spread to their untagged repetitions in the same article, and the
#: detections trusted to spread them.
REPEATED_TYPES = frozenset({_ORG, _PERSON})
REPEATED_SOURCES = frozenset({"ner", "ner+gazetteer", "ner+agreement", "base-ner+org-suffix", "people-gazetteer", "gazetteer", "acronym", "results-table"})


def _surname_mentions(text: str, chosen: list[EntityCandidate]) -> Iterator[EntityCandidate]:
    """Later bare-surname mentions ("Ng") of a person named in full earlier ("Andrew Ng")."""
    seen: set[str] = set()
    for cand in chosen:
        if cand.label != _PERSON or " " not in text[cand.start : cand.end]:
            continue
        surname = text[cand.start : cand.end].split()[-1]
        if surname in seen or len(surname) < 2 or not surname[0].isupper():
            continue
        seen.add(surname)
        for match in re.finditer(_WORD.format(re.escape(surname)), text[cand.end :]):
            start = cand.end + match.start()
            yield EntityCandidate(start, start + len(surname), _PERSON, 0, "surname", surname, cand.confidence)


def _acronym_mentions(text: str, chosen: list[EntityCandidate]) -> Iterator[EntityCandidate]:
    """Every use of an acronym an article defines for an organization: "the Kurdistan Democratic
    Party (KDP)" makes each later "KDP" an Organization mention (the extractor then joins it to
    the full name through the stated alias)."""
    for cand in chosen:
        if cand.label != _ORG:
            continue
        match = ACRONYM_AFTER_NAME.match(text, cand.end)
        if match is None or not acronym_of(match.group(1), text[cand.start : cand.end]):
            continue
        for hit in re.finditer(_WORD.format(re.escape(match.group(1))), text):
            yield EntityCandidate(hit.start(), hit.end(), _ORG, 0, "acronym", match.group(1), cand.confidence)


def _repeated_mentions(text: str, chosen: list[EntityCandidate]) -> Iterator[EntityCandidate]:
    """One sense per article: where the statistical model tagged a name once (or a gazetteer
    found it) and left another occurrence of the same words untagged, tag that one too.

    Only names with a single type in the article are spread, and only to free text (priority 0:
    never over another detection), so "Washington" as a Place and as a Person stays as found.
    """
    labels: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    confidence: dict[str, float] = {}
    for cand in chosen:
        if cand.label in REPEATED_TYPES and cand.source in REPEATED_SOURCES:
            surface = text[cand.start : cand.end]
            labels.setdefault(surface, set()).add(cand.label)
            names.setdefault(surface, cand.name)
            confidence[surface] = max(confidence.get(surface, 0.0), cand.confidence)
    for cand in chosen:  # a surface also chosen under another type is ambiguous in this article
        surface = text[cand.start : cand.end]
        if surface in labels:
            labels[surface].add(cand.label)
    for surface, found in labels.items():
        if len(found) != 1 or len(surface) < 2 or not surface[0].isupper():
            continue
        label = next(iter(found))
        for hit in re.finditer(_WORD.format(re.escape(surface)), text):
            yield EntityCandidate(hit.start(), hit.end(), label, 0, "repeat", names[surface], confidence[surface])


def _without_overlaps(spans: list[Span]) -> list[Span]:
    result: list[Span] = []
    taken: set[int] = set()
    for span in spans:
        if any(i in taken for i in range(span.start, span.end)):
            continue
        result.append(span)
        taken.update(range(span.start, span.end))
    return sorted(result, key=lambda s: s.start)


def _trim(span: Span) -> Span | None:
    """Drop leading determiners and trailing possessives/punctuation from an NER span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if end > start else None


def _overlaps_any(cand: EntityCandidate, others: list[EntityCandidate]) -> bool:
    return any(cand.start < o.end and o.start < cand.end for o in others)


@Language.factory(
    "newskg_entities_v1",
    assigns=["doc.ents", "doc.spans", "doc._.newskg_entity_meta"],
    requires=["doc.ents", "doc._.newskg_ner_scores", "token.tag"],
    default_config={"lexicon_dir": None, "threshold": DEFAULT_THRESHOLD, "heading_threshold": DEFAULT_HEADING_THRESHOLD, "person_threshold": None,
                    "rule_threshold": None, "model_threshold": None}
)
def make_entity_recognizer(
    nlp: Language, name: str, lexicon_dir: str | None, threshold: float, heading_threshold: float, person_threshold: float | None,
    rule_threshold: float | None, model_threshold: float | None,
) -> EntityRecognizer:
    return EntityRecognizer(load_lexicon(lexicon_dir), threshold, heading_threshold, person_threshold, rule_threshold, model_threshold)
