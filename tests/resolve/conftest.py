"""Fixtures for the resolution tests: one newskg pipeline per session (it takes a second to load)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract.pipeline import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()
