"""The ``newskg_ner`` component: newskg's AI-news NER with a confidence for every entity.

It replaces the base model's generic ``ner`` (same architecture and size: its own small tok2vec
and a transition-based entity recognizer), fine-tuned by ``spacy train`` on weakly labelled AI news
plus CoNLL-2003 dev (``pipelines/ner/train.cfg``, recipe in ``docs/ner.md``). Its labels are the
base model's (ORG, PERSON, GPE, LOC, PRODUCT, ...) plus MODEL, SOFTWARE, BENCHMARK, HARDWARE and
HANDLE; ``newskg_entities`` maps them to newskg's types and keeps the confusable ones out.

Confidence: the recognizer is decoded with a small beam; an entity's confidence is the summed
probability of the beam's final parses that contain it (``EntityRecognizer.scored_ents``), so a
name the model is unsure about, or unsure how to type, scores low. Scores land in
``doc._.newskg_ner_scores``: ``(start_char, end_char, label) -> probability``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from kg.resources import pipelines_dir

if not Doc.has_extension("newskg_ner_scores"):
    Doc.set_extension("newskg_ner_scores", default=None)


class ModelLoadError(RuntimeError):
    """The trained NER model cannot be loaded."""


class DomainNER:
    """Run the trained recognizer with beam decoding; set ``doc.ents`` and per-entity scores."""

    def __init__(self, nlp: Language, model: str, beam_width: int, batch_size: int) -> None:
        path = Path(model)
        if not path.is_absolute():
            path = pipelines_dir() / path
        try:
            trained = spacy.load(path)
        except OSError as exc:
            raise ModelLoadError(f"cannot load the NER model at {path}: {exc}") from None
        self.ner = trained.get_pipe("ner")
        self.ner.cfg["beam_width"] = beam_width
        self.ner.cfg["beam_density"] = 0.0001
        self.beam_width = beam_width
        self.batch_size = batch_size
        for label in self.ner.labels:
            nlp.vocab.strings.add(label)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.ner.labels)

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            yield from self._process(list(batch))

    def _process(self, docs: list[Doc]) -> list[Doc]:
        if not any(len(doc) for doc in docs):
            for doc in docs:
                doc._.newskg_ner_scores = {}
            return docs
        beams = self.ner.predict(docs)
        self.ner.set_annotations(docs, beams)
        if self.beam_width > 1:
            scored = self.ner.scored_ents(beams)
        else:  # greedy: no probabilities; every entity counts as certain
            scored = [{(e.start, e.end, e.label_): 1.0 for e in doc.ents} for doc in docs]
        for doc, scores in zip(docs, scored, strict=True):
            out: dict[tuple[int, int, str], float] = {}
            for (start, end, label), prob in scores.items():
                if 0 <= start < end <= len(doc):
                    key = (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), label)
                    out[key] = min(1.0, round(out.get(key, 0.0) + float(prob), 4))
            doc._.newskg_ner_scores = out
        return docs


@Language.factory("newskg_ner_v1", default_config={"model": "ner/model", "beam_width": 4, "batch_size": 32})
def make_domain_ner(nlp: Language, name: str, model: str, beam_width: int, batch_size: int) -> DomainNER:
    return DomainNER(nlp, model, beam_width, batch_size)
