"""The batched greedy decoder (kg/extract/greedy.py) takes spaCy's own moves, and newskg_ner
decodes the base model's recognizer with it (the base ``ner`` disabled in the pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from kg.extract.base_model import base_model_name
from kg.extract.greedy import MoveTable, greedy_entities

ROOT = Path(__file__).resolve().parents[2]
LONG = (ROOT / "tests" / "fixtures" / "ainews_long.md").read_text(encoding="utf-8")
TEXTS = [
    "The Northern Robotics Alliance (NRA) said on Tuesday that Velora Robotics Ltd hired Grace Okafor from Google in London.",
    "Mr. Smith went to Washington.\n\nA sentence that ends with a name: Jonas Ekberg",  # an entity at a sentence's and the doc's end
    "",
    "OpenAI",
    LONG,
]


@pytest.fixture(scope="module")
def base() -> Language:
    return spacy.load(base_model_name())


@pytest.mark.parametrize("batch", [1, 3, len(TEXTS)])
def test_same_entities_as_spacy_greedy_loop(base: Language, batch: int) -> None:
    ner = base.get_pipe("ner")
    with base.select_pipes(disable=["ner"]):
        docs = list(base.pipe(TEXTS))
    expected = [[(e.start, e.end, e.label_) for e in d.ents] for d in (base(t) for t in TEXTS)]
    table = MoveTable(ner)
    got = []
    for i in range(0, len(docs), batch):
        part = docs[i : i + batch]
        states, probs = greedy_entities(ner, part, table)
        assert probs is None
        ner.set_annotations(part, states)
        got += [[(e.start, e.end, e.label_) for e in d.ents] for d in part]
    assert got == expected


def test_scored_probabilities_are_shares(base: Language) -> None:
    ner = base.get_pipe("ner")
    with base.select_pipes(disable=["ner"]):
        docs = list(base.pipe(TEXTS))
    states, probs = greedy_entities(ner, docs, MoveTable(ner), scored=True)
    assert probs is not None and [len(p) for p in probs] == [len(d) for d in docs]
    assert all(0.0 < p <= 1.0 for doc_probs in probs for p in doc_probs)
    assert min(p for doc_probs in probs for p in doc_probs) < 0.99  # the model hesitates somewhere


def test_pipeline_decodes_the_base_ner_inside(nlp: Language) -> None:
    assert "ner" in nlp.disabled and "ner" not in nlp.pipe_names
    doc = nlp(TEXTS[0])
    base = spacy.load(base_model_name())(TEXTS[0])
    assert [(s.start, s.end, s.label_) for s in doc.spans["newskg_base_ner"]] == [(e.start, e.end, e.label_) for e in base.ents]
