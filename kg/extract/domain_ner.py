"""The ``newskg_ner`` component: newskg's AI-news NER with a confidence for every entity.

It replaces the base model's generic ``ner`` (same architecture and size: its own small tok2vec
and a transition-based entity recognizer), fine-tuned by ``spacy train`` on weakly labelled AI news
plus CoNLL-2003 dev (``pipelines/ner/train.cfg``, recipe in ``docs/ner.md``). Its labels are the
base model's (ORG, PERSON, GPE, LOC, PRODUCT, ...) plus MODEL, SOFTWARE, BENCHMARK, HARDWARE and
HANDLE; ``newskg_entities`` maps them to newskg's types and keeps the confusable ones out.

Confidence: the recognizer is decoded greedily (as spaCy does), batched in numpy so that each
step's scores are kept (:mod:`kg.extract.greedy`). At every token the chosen action's probability is its softmax share among the
actions the BILUO scheme allows there (out/begin/unit of any type outside an entity, a begin or unit counting
for both "an entity of this type starts here"; in/last of the open entity's type inside one); an
entity's confidence is the lowest such probability over its
tokens, so a name the model hesitates to start, to end or to type scores low. (Beam decoding of
this greedily trained model would give probabilities too, but its best parses run entities across
whole sentences.) Scores land in ``doc._.newskg_ner_scores``: ``(start_char, end_char, label) ->
confidence``. ``scored = false`` gives every entity 1.0.

The base model's generic ``ner`` is a second opinion (``newskg_entities``): its entities land in
``doc.spans["newskg_base_ner"]``. With ``base_ner`` naming it (the default, "ner"), load_pipeline
disables that component and this one decodes it with the same batched decoder, which takes the
same moves as spaCy's C loop (the loop's per-step GIL hand-offs cost more than its arithmetic here).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.component import InBatches
from kg.extract.greedy import MoveTable, greedy_entities
from kg.resources import pipelines_dir

MODEL_DIR = "model"  # the trained recognizer, under the component's folder

if not Doc.has_extension("newskg_ner_scores"):
    Doc.set_extension("newskg_ner_scores", default=None)


class ModelLoadError(RuntimeError):
    """The trained NER model cannot be loaded."""


class DomainNER(InBatches):
    """Run the trained recognizer greedily; set ``doc.ents`` and per-entity confidences."""

    def __init__(self, nlp: Language, model: str, scored: bool, batch_size: int, base_ner: str | None = "ner") -> None:
        path = Path(model)
        if not path.is_absolute():
            path = pipelines_dir() / path
        self.nlp = nlp
        self.scored = scored
        self.batch_size = batch_size
        self.base_ner = base_ner
        self._base_table: tuple[Any, MoveTable] | None = None
        self._load(path)

    # -- serialization: the trained recognizer (its own small pipeline) under ``model/`` ---------
    def to_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        self.trained.to_disk(Path(path) / MODEL_DIR)

    def from_disk(self, path: Path, *, exclude: Iterable[str] = ()) -> DomainNER:
        self._load(Path(path) / MODEL_DIR)
        return self

    def _load(self, path: Path) -> None:
        try:
            trained = spacy.load(path)
        except OSError as exc:
            raise ModelLoadError(f"cannot load the NER model at {path}: {exc}") from None
        self.trained = trained
        self.ner = trained.get_pipe("ner")
        for label in self.ner.labels:
            self.nlp.vocab.strings.add(label)
        self._moves = MoveTable(self.ner)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.ner.labels)

    def process_batch(self, docs: list[Doc]) -> list[Doc]:
        if not any(len(doc) for doc in docs):
            for doc in docs:
                doc._.newskg_ner_scores = {}
            return docs
        base = self._base_recognizer()
        if base is not None:  # decoded here, batched (it is disabled in the pipeline: see base_ner)
            base_states, _ = greedy_entities(base, docs, self._base_moves(base))
            base.set_annotations(docs, base_states)
        for doc in docs:  # the base model's generic NER, when it ran, is a second opinion
            doc.spans["newskg_base_ner"] = list(doc.ents)
            doc.set_ents([], default="missing")  # preset entities would constrain the decoding
        states, probs = greedy_entities(self.ner, docs, self._moves, scored=self.scored)
        self.ner.set_annotations(docs, states)
        for i, doc in enumerate(docs):
            token_probs = probs[i] if probs is not None else []
            doc._.newskg_ner_scores = {
                (e.start_char, e.end_char, e.label_): round(float(min(token_probs[e.start : e.end], default=1.0)), 4) for e in doc.ents
            }
        return docs

    def _base_recognizer(self) -> Any:
        """The base model's recognizer this component decodes itself: ``base_ner`` when it is in
        the pipeline but disabled there (load_pipeline disables it), else None (then whatever
        ``doc.ents`` hold when this component runs is the second opinion)."""
        if not self.base_ner or self.base_ner not in self.nlp.disabled:
            return None
        return self.nlp.get_pipe(self.base_ner)

    def _base_moves(self, base: Any) -> MoveTable:
        if self._base_table is None or self._base_table[0] is not base:
            self._base_table = (base, MoveTable(base))
        return self._base_table[1]


@Language.factory(
    "newskg_ner_v1",
    assigns=["doc.ents", "doc.spans", "doc._.newskg_ner_scores"],
    default_config={"model": "ner/model", "scored": True, "batch_size": 32, "base_ner": "ner"},
)
def make_domain_ner(nlp: Language, name: str, model: str, scored: bool, batch_size: int, base_ner: str | None) -> DomainNER:
    return DomainNER(nlp, model, scored, batch_size, base_ner)
