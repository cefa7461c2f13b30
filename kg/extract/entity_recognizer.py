"""The ``newskg_entities`` component: Organization, Person, Model and Place entities for AI news.

The statistical NER of a small English pipeline gets this domain wrong ("Wan 2.2" as PERSON,
"Alibaba" as GPE, no notion of a model), so this component combines four detectors, each with a
priority, and keeps the best non-overlapping set:

4. model names with a version tail (``model_names``): "GLM-4.5 Air", "Llama 3.1 405B";
3. gazetteer organizations and bare family names: "Zhipu AI", "Meta Platforms", "Llama";
2. context: "X, an open-source video model" makes X a Model; model-shaped tokens in model talk;
1. the statistical NER, relabelled and filtered (PERSON→Person, ORG→Organization, GPE/LOC→Place).

Detection works on character offsets and is separate from setting ``doc.ents``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.lexicon import Lexicon, compile_alternation, load_lexicon
from kg.extract.model_names import ModelNameGrammar, find_model_names
from kg.extract.spans import doc_text
from kg.resolve.names import ACRONYM_AFTER_NAME, acronym_of

ENTITY_LABELS = ("Organization", "Person", "Model", "Place")
NER_LABEL_MAP = {"PERSON": "Person", "ORG": "Organization", "GPE": "Place", "LOC": "Place"}
ORG_SUFFIXES = frozenset({"AI", "Labs", "Lab", "Inc", "Inc.", "Corp", "Corp.", "Research", "Technologies", "Systems", "Robotics", "Ltd", "Ltd.", "LLC", "Intelligence", "Computing", "Institute", "University", "Foundation"})
MODEL_SHAPE = re.compile(r"^[A-Z][A-Za-z]*(?:-[A-Za-z]+)*-?v?\d+(?:\.\d+)*[A-Za-z]?(?:-[A-Za-z0-9.]+)*$")


class EntityCandidate(NamedTuple):
    start: int
    end: int
    label: str
    priority: int
    source: str  # "model-pattern", "gazetteer", "context", "ner"
    name: str  # full name when it differs from the surface text ("DeepSeek R1" for "R1")


if not Doc.has_extension("newskg_entity_meta"):
    # (start_char, end_char) -> (source, full name); plain data so docs travel between processes.
    Doc.set_extension("newskg_entity_meta", default=None)


class EntityRecognizer:
    """Relabel and complete ``doc.ents`` with newskg's four entity types."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.grammar = ModelNameGrammar(lexicon)

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
        self.set_annotations(doc, self.detect(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    # -- detection -------------------------------------------------------------------------
    def detect(self, doc: Doc) -> list[EntityCandidate]:
        text = doc_text(doc)
        candidates = [*self._model_names(text), *self._gazetteer(text), *self._results_tables(text), *self._context(doc), *self._statistical(doc)]
        candidates = [c for c in candidates if c.label != "Model" or not self.is_not_model(text[c.start : c.end])]
        chosen = select_entities(candidates)
        surnames = list(_surname_mentions(text, chosen))
        # "Wang" alone after "Wang Zhihong" is the person, whatever type the model gave that token
        same_span = {(c.start, c.end) for c in surnames}
        chosen = [c._replace(label="Person", source="surname") if c.source == "ner" and (c.start, c.end) in same_span else c for c in chosen]
        chosen = select_entities(chosen + surnames + list(_acronym_mentions(text, chosen)))
        return select_entities(chosen + list(_repeated_mentions(text, chosen)))

    def _model_names(self, text: str) -> Iterator[EntityCandidate]:
        for match in find_model_names(text, self.grammar):
            priority = 4 if match.has_tail else 3
            yield EntityCandidate(match.start, match.end, match.label, priority, "model-pattern", match.name)

    def _gazetteer(self, text: str) -> Iterator[EntityCandidate]:
        for match in self.org_regex.finditer(text):
            yield EntityCandidate(match.start(), match.end(), "Organization", 3, "gazetteer", match.group(0))

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
                        yield EntityCandidate(start, start + len(value), "Organization", 2, "results-table", value)
                break
            offset += len(line) + 1

    def _context(self, doc: Doc) -> Iterator[EntityCandidate]:
        model_nouns = self.lexicon.model_nouns
        release_verbs = self.lexicon.release_verbs | self.lexicon.announce_verbs
        not_model = self.lexicon.not_entities.get("not_model", frozenset())
        for sent in doc.sents:
            talks_models = any(t.lower_ in model_nouns or t.lemma_ in release_verbs for t in sent)
            for token in sent:
                # "Wan 2.2, an open-source video generation model": the appositive names the type.
                if token.dep_ == "appos" and token.lower_ in model_nouns and token.head.pos_ in ("PROPN", "NUM", "NOUN"):
                    span = _proper_chunk(token.head)
                    if span is not None and span.text not in not_model:
                        yield EntityCandidate(span.start_char, span.end_char, "Model", 2, "context", span.text)
                # Model-shaped tokens ("Hunyuan-A13B", "EXAONE-4") where the sentence talks about models.
                elif talks_models and MODEL_SHAPE.match(token.text) and token.text not in not_model and any(c.isalpha() for c in token.text[:2]):
                    yield EntityCandidate(token.idx, token.idx + len(token.text), "Model", 2, "context", token.text)

    def _statistical(self, doc: Doc) -> Iterator[EntityCandidate]:
        excluded = self.lexicon.not_entities
        for ent in doc.ents:
            label = NER_LABEL_MAP.get(ent.label_)
            if label is None:
                continue
            span = _trim(ent)
            if span is None:
                continue
            text = span.text
            if span[-1].text in ORG_SUFFIXES and label in ("Person", "Place") and len(span) > 1:
                label = "Organization"
            key = {"Organization": "not_organization", "Person": "not_person", "Place": "not_place"}[label]
            if text in excluded.get(key, ()) or not any(ch.isalpha() for ch in text):
                continue
            if label == "Person" and (any(ch.isdigit() for ch in text) or text.isupper()):
                continue  # "GPT4", "MMLU": never people
            yield EntityCandidate(span.start_char, span.end_char, label, 1, "ner", text)

    # -- annotation ------------------------------------------------------------------------
    def set_annotations(self, doc: Doc, candidates: list[EntityCandidate]) -> None:
        spans: list[Span] = []
        meta: dict[tuple[int, int], tuple[str, str]] = {}
        text = doc_text(doc)
        for cand in candidates:
            span = doc.char_span(cand.start, cand.end, label=cand.label, alignment_mode="contract")
            if span is None or len(span) == 0:
                span = doc.char_span(cand.start, cand.end, label=cand.label, alignment_mode="expand")
                if span is None or span.end_char - span.start_char > (cand.end - cand.start) + 3:
                    continue  # the name is glued inside a longer token ("GPT-5-powered")
            spans.append(span)
            meta[(span.start_char, span.end_char)] = (cand.source, cand.name if span.text == text[cand.start : cand.end] else span.text)
        spans = _without_overlaps(spans)
        doc.ents = spans
        kept = {(s.start_char, s.end_char) for s in spans}
        doc._.newskg_entity_meta = {key: value for key, value in meta.items() if key in kept}


def select_entities(candidates: list[EntityCandidate]) -> list[EntityCandidate]:
    """Keep the best non-overlapping candidates: higher priority first, then longer spans."""
    chosen: list[EntityCandidate] = []
    for cand in sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start)):
        if all(cand.end <= other.start or cand.start >= other.end for other in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


_WORD = r"(?<![\w.-]){}(?![\w-])"
#: Types whose names are spread to their untagged repetitions in the same article, and the
#: detections trusted to spread them.
REPEATED_LABELS = frozenset({"Organization", "Person"})
REPEATED_SOURCES = frozenset({"ner", "gazetteer", "acronym", "results-table"})


def _surname_mentions(text: str, chosen: list[EntityCandidate]) -> Iterator[EntityCandidate]:
    """Later bare-surname mentions ("Ng") of a person named in full earlier ("Andrew Ng")."""
    seen: set[str] = set()
    for cand in chosen:
        if cand.label != "Person" or " " not in text[cand.start : cand.end]:
            continue
        surname = text[cand.start : cand.end].split()[-1]
        if surname in seen or len(surname) < 2 or not surname[0].isupper():
            continue
        seen.add(surname)
        for match in re.finditer(_WORD.format(re.escape(surname)), text[cand.end :]):
            start = cand.end + match.start()
            yield EntityCandidate(start, start + len(surname), "Person", 0, "surname", surname)


def _acronym_mentions(text: str, chosen: list[EntityCandidate]) -> Iterator[EntityCandidate]:
    """Every use of an acronym an article defines for an organization: "the Kurdistan Democratic
    Party (KDP)" makes each later "KDP" an Organization mention (the extractor then joins it to
    the full name through the stated alias)."""
    for cand in chosen:
        if cand.label != "Organization":
            continue
        match = ACRONYM_AFTER_NAME.match(text, cand.end)
        if match is None or not acronym_of(match.group(1), text[cand.start : cand.end]):
            continue
        for hit in re.finditer(_WORD.format(re.escape(match.group(1))), text):
            yield EntityCandidate(hit.start(), hit.end(), "Organization", 0, "acronym", match.group(1))


def _repeated_mentions(text: str, chosen: list[EntityCandidate]) -> Iterator[EntityCandidate]:
    """One sense per article: where the statistical model tagged a name once (or a gazetteer
    found it) and left another occurrence of the same words untagged, tag that one too.

    Only names with a single type in the article are spread, and only to free text (priority 0:
    never over another detection), so "Washington" as a Place and as a Person stays as found.
    """
    labels: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for cand in chosen:
        if cand.label in REPEATED_LABELS and cand.source in REPEATED_SOURCES:
            surface = text[cand.start : cand.end]
            labels.setdefault(surface, set()).add(cand.label)
            names.setdefault(surface, cand.name)
    for cand in chosen:  # a surface also chosen under another type is ambiguous in this article
        surface = text[cand.start : cand.end]
        if surface in labels:
            labels[surface].add(cand.label)
    for surface, found in labels.items():
        if len(found) != 1 or len(surface) < 2 or not surface[0].isupper():
            continue
        label = next(iter(found))
        for hit in re.finditer(_WORD.format(re.escape(surface)), text):
            yield EntityCandidate(hit.start(), hit.end(), label, 0, "repeat", names[surface])


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


def _proper_chunk(token: object) -> Span | None:
    """The run of proper nouns / numbers around ``token`` (e.g. "Wan 2.2" from "2.2")."""
    from spacy.tokens import Token

    assert isinstance(token, Token)
    doc = token.doc
    start = end = token.i
    while start > token.sent.start and doc[start - 1].pos_ in ("PROPN", "NUM") and doc[start - 1].dep_ in ("compound", "nummod", "nmod", "npadvmod"):
        start -= 1
    while end + 1 < token.sent.end and doc[end + 1].pos_ in ("PROPN", "NUM") and doc[end + 1].head.i in range(start, end + 2):
        end += 1
    span = doc[start : end + 1]
    if not span.text[:1].isupper():
        return None
    return span


@Language.factory("newskg_entities_v1", default_config={"lexicon_dir": None})
def make_entity_recognizer(nlp: Language, name: str, lexicon_dir: str | None) -> EntityRecognizer:
    return EntityRecognizer(load_lexicon(lexicon_dir))
