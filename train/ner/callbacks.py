"""spaCy training callbacks for ``pipelines/ner/train.cfg`` (loaded with ``--code``)."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from spacy.language import Language




@spacy.registry.callbacks("newskg.add_ner_labels.v1")
def make_add_labels(path: str) -> object:
    """Add the domain labels to the NER sourced from the base model (it keeps its own labels too)."""

    def add_labels(nlp: Language) -> Language:
        ner = nlp.get_pipe("ner")
        for label in json.loads(Path(path).read_text()):
            ner.add_label(label)
        return nlp

    return add_labels
