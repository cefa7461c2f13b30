"""The indexed attribute ruler and memoizing lemmatizer (kg/extract/fast_base.py) annotate exactly
as spaCy's own components do."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.lang.en.lemmatizer import EnglishLemmatizer

from kg.extract.base_model import base_model_name
from kg.extract.fast_base import IndexedAttributeRuler, MemoLemmatizer, accelerate

ROOT = Path(__file__).resolve().parents[2]
LONG = (ROOT / "tests" / "fixtures" / "ainews_long.md").read_text(encoding="utf-8")

TEXTS = {
    "news": "Velora Systems released Quill 3 on Tuesday. \"It reads whole repositories,\" said Mara Lindqvist, its chief executive.",
    # the ruler's two-token patterns ("gon na", "ai n't", "let 's") and its dependency tests
    "colloquial": "We're gon na ship it. It ai n't done, but let's go. There is a cat and there are dogs. I saw you and it saw me.",
    "pronouns": "That is what which model did. Those who have had it do, and did so; you do it.",
    "whitespace": "  Two  spaces.\n\n\tA tab and a blank line.  ",
    "empty": "",
    "ainews-long": LONG,
}


def annotations(nlp: Language, text: str) -> list[tuple[str, str, str, str]]:
    return [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in nlp(text)]


@pytest.fixture(scope="module")
def stock() -> Language:
    return spacy.load(base_model_name(), exclude=["ner"])


@pytest.fixture(scope="module")
def fast() -> Language:
    nlp = spacy.load(base_model_name(), exclude=["ner"])
    assert accelerate(nlp) == ["attribute_ruler", "lemmatizer"]
    return nlp


def test_accelerated_classes(fast: Language) -> None:
    assert isinstance(fast.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), MemoLemmatizer)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_same_annotations(stock: Language, fast: Language, name: str) -> None:
    assert annotations(fast, TEXTS[name]) == annotations(stock, TEXTS[name])


def test_same_annotations_in_batches(stock: Language, fast: Language) -> None:
    texts = list(TEXTS.values()) * 2  # the second pass reads the lemmatizer's memo
    got = [[(t.pos_, t.lemma_) for t in d] for d in fast.pipe(texts, batch_size=3)]
    want = [[(t.pos_, t.lemma_) for t in d] for d in stock.pipe(texts, batch_size=3)]
    assert got == want


def test_same_matches(stock: Language, fast: Language) -> None:
    doc = stock.make_doc(TEXTS["colloquial"])
    for _, proc in stock.pipeline[:3]:  # tok2vec, tagger, parser: what the ruler's patterns test
        doc = proc(doc)
    assert fast.get_pipe("attribute_ruler").match(doc) == sorted(set(stock.get_pipe("attribute_ruler").match(doc)))


@pytest.mark.parametrize(
    ("pattern", "accelerated"),
    [
        ([{"LOWER": "quill", "TAG": {"IN": ["NNP", "NN"]}}], True),
        ([{"LOWER": {"REGEX": "^qu"}}, {"IS_DIGIT": True}], False),  # an attribute the index does not test
        ([{"LOWER": "quill"}, {"TAG": "CD", "OP": "?"}], False),  # an operator
    ],
)
def test_patterns_it_cannot_index_leave_spacy_s_ruler(pattern: list[dict], accelerated: bool) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([pattern], {"POS": "PROPN"})
    accelerate(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), IndexedAttributeRuler) is accelerated
    assert type(nlp.get_pipe("attribute_ruler")) in (IndexedAttributeRuler, AttributeRuler)


def test_patterns_added_later_are_matched() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "quill"}]], {"POS": "PROPN"})
    accelerate(nlp)
    ruler.add([[{"LOWER": "tessera"}]], {"POS": "PROPN"})
    assert [t.pos_ for t in nlp("Quill and Tessera")] == ["PROPN", "", "PROPN"]


def test_lemmatizer_left_alone_outside_rule_mode() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert accelerate(nlp) == []
    assert type(nlp.get_pipe("lemmatizer")) is EnglishLemmatizer
