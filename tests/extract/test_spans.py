"""Span helpers shared by the extractors (kg/extract/spans.py), on a blank pipeline."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from kg.extract.spans import entity_at, range_index, sentence_numbers, sentence_of_char, token_range_span

TEXT = "Nimbara Labs shipped Orbit. Tomas Berg said so. It works."


@pytest.fixture(scope="module")
def doc() -> Doc:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(TEXT)
    doc.ents = [doc.char_span(0, 12, label="Organization"), doc.char_span(28, 38, label="Person")]
    return doc


@pytest.mark.parametrize(("position", "expected"), [(-5, 0), (0, 0), (9, 0), (10, 1), (19, 1), (20, 2), (500, 2)])
def test_range_index(position: int, expected: int) -> None:
    assert range_index([0, 10, 20], position) == expected


@pytest.mark.parametrize(("char", "sentence"), [(0, 0), (26, 0), (27, 0), (28, 1), (46, 1), (48, 2), (len(TEXT) - 1, 2)])
def test_sentence_of_char(doc: Doc, char: int, sentence: int) -> None:
    assert sentence_of_char(doc)(char) == sentence


def test_sentence_numbers_by_first_token(doc: Doc) -> None:
    numbers = sentence_numbers(doc.sents)
    assert sorted(numbers.values()) == [0, 1, 2]
    assert all(numbers[ent.sent.start] == sentence_of_char(doc)(ent.start_char) for ent in doc.ents)


@pytest.mark.parametrize(
    ("token", "labels", "expected"),
    [
        (1, None, ("Nimbara Labs", "Organization")),  # the last token of the entity
        (6, None, ("Tomas Berg", "Person")),
        (6, ("Organization",), None),  # of another type
        (3, None, None),  # no entity
    ],
)
def test_entity_at(doc: Doc, token: int, labels: tuple[str, ...] | None, expected: tuple[str, str] | None) -> None:
    found = entity_at(doc[token], labels)
    assert (None if found is None else (found.text, found.label_)) == expected


def test_token_range_span(doc: Doc) -> None:
    assert token_range_span(doc, [doc[2], doc[0]]) == (0, len("Nimbara Labs shipped"))
    assert token_range_span(doc, []) is None
