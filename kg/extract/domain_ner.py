"""The ``newskg_ner`` component: newskg's AI-news NER with a confidence for every entity.

It replaces the base model's generic ``ner`` (same architecture and size: its own small tok2vec
and a transition-based entity recognizer), fine-tuned by ``spacy train`` on weakly labelled AI news
plus CoNLL-2003 dev (``pipelines/ner/train.cfg``, recipe in ``docs/ner.md``). Its labels are the
base model's (ORG, PERSON, GPE, LOC, PRODUCT, ...) plus MODEL, SOFTWARE, BENCHMARK, HARDWARE and
HANDLE; ``newskg_entities`` maps them to newskg's types and keeps the confusable ones out.

Confidence: the recognizer is decoded greedily (as spaCy does), in Python so that each step's
scores are kept. At every token the chosen action's probability is its softmax share among the
actions the BILUO scheme allows there (out/begin/unit of any type outside an entity, a begin or unit counting
for both "an entity of this type starts here"; in/last of the open entity's type inside one); an
entity's confidence is the lowest such probability over its
tokens, so a name the model hesitates to start, to end or to type scores low. (Beam decoding of
this greedily trained model would give probabilities too, but its best parses run entities across
whole sentences.) Scores land in ``doc._.newskg_ner_scores``: ``(start_char, end_char, label) ->
confidence``. ``scored = false`` uses spaCy's own C greedy loop and gives every entity 1.0.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.component import InBatches
from kg.resources import pipelines_dir

MODEL_DIR = "model"  # the trained recognizer, under the component's folder

if not Doc.has_extension("newskg_ner_scores"):
    Doc.set_extension("newskg_ner_scores", default=None)


class ModelLoadError(RuntimeError):
    """The trained NER model cannot be loaded."""


class DomainNER(InBatches):
    """Run the trained recognizer greedily; set ``doc.ents`` and per-entity confidences."""

    def __init__(self, nlp: Language, model: str, scored: bool, batch_size: int) -> None:
        path = Path(model)
        if not path.is_absolute():
            path = pipelines_dir() / path
        self.nlp = nlp
        self.scored = scored
        self.batch_size = batch_size
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
        # every move by its score column (``move_names`` leaves out the internal label-less "U-")
        names = [self.ner.moves.get_class_name(i) for i in range(self.ner.moves.n_moves)]
        self._names = names
        self._outside_moves = numpy.array([i for i, n in enumerate(names) if n == "O" or (n[:2] in ("B-", "U-") and len(n) > 2)])
        self._inside_moves: dict[str, numpy.ndarray] = {}
        self._start_moves: dict[int, numpy.ndarray] = {}
        for label in self.ner.labels:
            self._inside_moves[label] = numpy.array([names.index(f"I-{label}"), names.index(f"L-{label}")])
            starts = numpy.array([names.index(f"B-{label}"), names.index(f"U-{label}")])
            self._start_moves.update({int(m): starts for m in starts})

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.ner.labels)

    def process_batch(self, docs: list[Doc]) -> list[Doc]:
        if not any(len(doc) for doc in docs):
            for doc in docs:
                doc._.newskg_ner_scores = {}
            return docs
        if not self.scored:
            for doc in docs:
                doc.spans["newskg_base_ner"] = list(doc.ents)
                doc.set_ents([], default="missing")
            states = self.ner.predict(docs)
            self.ner.set_annotations(docs, states)
            for doc in docs:
                doc._.newskg_ner_scores = {(e.start_char, e.end_char, e.label_): 1.0 for e in doc.ents}
            return docs
        for doc in docs:  # the base model's generic NER, when it ran, is a second opinion
            doc.spans["newskg_base_ner"] = list(doc.ents)
            doc.set_ents([], default="missing")  # preset entities would constrain the decoding
        states, probs = self._greedy_scored(docs)
        self.ner.set_annotations(docs, states)
        for doc, token_probs in zip(docs, probs, strict=True):
            doc._.newskg_ner_scores = {
                (e.start_char, e.end_char, e.label_): round(float(min(token_probs[e.start : e.end], default=1.0)), 4) for e in doc.ents
            }
        return docs

    def _greedy_scored(self, docs: list[Doc]) -> tuple[list, list[list[float]]]:
        """spaCy's greedy decoding step by step, keeping each chosen action's probability."""
        ner, moves, names = self.ner, self.ner.moves, self._names
        ner._ensure_labels_are_added(docs)
        states = moves.init_batch(docs)
        probs: list[list[float]] = [[1.0] * len(doc) for doc in docs]
        step_model = ner.model.predict(docs)
        position = [0] * len(states)
        open_label: list[str | None] = [None] * len(states)
        active = [i for i, state in enumerate(states) if not state.is_final()]
        while active:
            scores = step_model.predict([states[i] for i in active])
            for row, i in enumerate(active):
                state, sc = states[i], scores[row]
                allowed = self._inside_moves[open_label[i]] if open_label[i] else self._outside_moves
                chosen = -1
                for move in allowed[numpy.argsort(-sc[allowed])]:
                    if moves.is_valid(state, names[move]):
                        chosen = int(move)
                        break
                if chosen < 0:  # the scheme's own validity knows better (e.g. sentence ends)
                    chosen = next(int(m) for m in numpy.argsort(-sc) if moves.is_valid(state, names[m]))
                allowed_scores = sc[allowed]
                top = allowed_scores.max()
                weights = numpy.exp(allowed_scores - top)
                # starting an entity: "an entity of this type starts here" (begin or unit: where it
                # ends is decided, and scored, at its last token)
                same = self._start_moves.get(chosen)
                chosen_weight = numpy.exp(sc[same] - top).sum() if same is not None else numpy.exp(sc[chosen] - top)
                share = float(chosen_weight / weights.sum()) if chosen in allowed else 1.0
                if position[i] < len(probs[i]):
                    probs[i][position[i]] = share
                moves.apply_transition(state, names[chosen])
                name = names[chosen]
                open_label[i] = name[2:] if name[:2] in ("B-", "I-") else None
                position[i] += 1
            active = [i for i in active if not states[i].is_final()]
        step_model.clear_memory()
        return states, probs


@Language.factory(
    "newskg_ner_v1",
    assigns=["doc.ents", "doc.spans", "doc._.newskg_ner_scores"],
    default_config={"model": "ner/model", "scored": True, "batch_size": 32},
)
def make_domain_ner(nlp: Language, name: str, model: str, scored: bool, batch_size: int) -> DomainNER:
    return DomainNER(nlp, model, scored, batch_size)
