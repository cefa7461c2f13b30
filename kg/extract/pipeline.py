"""Build newskg's spaCy pipeline from ``pipelines/newskg.cfg``: the base model plus our components.

The base model is chosen in one place, :mod:`kg.extract.base_model`. Importing this module
registers every newskg factory, so ``spacy.load(DIR)`` of a pipeline saved with ``nlp.to_disk(DIR)``
works; spaCy also finds the factories through the package's ``spacy_factories`` entry points
(pyproject.toml), so plain ``spacy.load`` and ``spacy train`` need no import or ``--code``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from spacy.language import Language
from spacy.util import compile_suffix_regex
from spacy.symbols import NORM, ORTH

import kg.extract.attribution_tagger  # noqa: F401  (registers the newskg_attribution_tagger factory)
import kg.extract.claims_component  # noqa: F401  (registers the newskg_claims factory)
import kg.extract.domain_ner  # noqa: F401  (registers the newskg_ner factory)
import kg.extract.entity_recognizer  # noqa: F401  (registers the newskg_entities factory)
import kg.extract.paragraphs  # noqa: F401  (registers the newskg_paragraphs factory)
from kg.extract.base_model import (  # noqa: F401  (load_config: re-exported for callers)
    PipelineError,
    base_model_name,
    load_base_model,
    load_config,
)
from kg.extract.claims_component import ClaimFinder
from kg.extract.domain_ner import DomainNER, ModelLoadError
from kg.extract.fast_base import accelerate
from kg.extract.lexicon import load_lexicon
from kg.resources import pipelines_dir


def load_pipeline(model: str | None = None, config_path: Path | None = None) -> Language:
    """Load the base model named in the config (or ``model``/``$NEWSKG_SPACY_MODEL``) with newskg's components."""
    config = load_config(config_path)
    nlp = load_base_model(base_model_name(model, config), exclude=list(config["nlp"].get("exclude", [])))
    accelerate(nlp)  # the base attribute ruler and lemmatizer, faster with the same output (kg/extract/fast_base.py)
    lexicon_dir = str(config_path.parent) if config_path else None
    if config["tokenizer"].get("keep_dotted_gazetteer_names", True):
        _add_dotted_names(nlp, lexicon_dir)
    _add_special_cases(nlp, Path(lexicon_dir) if lexicon_dir else pipelines_dir())
    _split_final_period_after_size(nlp)
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
    _decode_base_ner_inside(nlp)
    return nlp


def _decode_base_ner_inside(nlp: Language) -> None:
    """newskg_ner decodes the base model's ``ner`` itself (batched, same moves: kg/extract/domain_ner.py),
    so the base component is disabled in the pipeline (still loaded and saved with it)."""
    for _, proc in nlp.pipeline:
        if isinstance(proc, DomainNER) and proc.base_ner and proc.base_ner in nlp.pipe_names:
            nlp.disable_pipe(proc.base_ner)


def claim_finder(nlp: Language) -> ClaimFinder | None:
    """The pipeline's claims component (it holds the data the record builder reads), if any."""
    return next((proc for _, proc in nlp.pipeline if isinstance(proc, ClaimFinder)), None)


def rule_confidence(nlp: Language) -> dict[str, float]:
    """Each rule's confidence, from the claims component's config."""
    finder = claim_finder(nlp)
    return dict(finder.rule_confidence) if finder is not None else {}


#: A sentence's period after a digit or a lower-case letter and a capital ("... in Qwen3-235B. Microsoft launched ..."):
#: spaCy keeps "235B." whole (as it keeps "U.S."), which glued two sentences and lost their claims.
SIZE_PERIOD_SUFFIX = r"(?<=[0-9][A-Z])\.|(?<=[a-z][A-Z])\."  # also "... a new MoE. The"


def _split_final_period_after_size(nlp: Language) -> None:
    suffixes = [*nlp.Defaults.suffixes, SIZE_PERIOD_SUFFIX]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search


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
