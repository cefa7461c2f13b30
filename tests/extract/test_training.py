"""newskg's training configs are valid spaCy configs, and a trained component can be added to the
whole newskg pipeline by config and trained with ``spacy train`` (kg/extract/training.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import DocBin

import kg.extract.pipeline  # noqa: F401  (registers newskg's factories for spacy.load)
from kg.extract.training import main, training_config

ROOT = Path(__file__).resolve().parents[2]


def _spacy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "spacy", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    ("config", "code"),
    [
        ("pipelines/ner/train.cfg", "train/ner/callbacks.py"),  # make train-ner
        ("pipelines/attribution/train.cfg", None),  # bench/train_attribution.py
    ],
)
def test_spacy_debug_config_accepts_the_training_configs(config: str, code: str | None) -> None:
    result = _spacy("debug", "config", config, *(("--code", code) if code else ()), "--paths.train", "t.spacy", "--paths.dev", "d.spacy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Config is valid" in result.stdout


@pytest.fixture(scope="module")
def saved(nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pipeline") / "newskg"
    nlp.to_disk(directory)
    return directory


def test_the_training_config_sources_every_component_frozen(saved: Path, nlp: Language) -> None:
    config = training_config(saved)
    names = list(config["nlp"]["pipeline"])
    assert set(nlp.pipe_names) <= set(names)
    assert all(config["components"][name] == {"source": str(saved.resolve())} for name in names)
    assert config["training"]["frozen_components"] == names
    assert "senter" not in config["training"]["annotating_components"]  # disabled in the base model


# spacy train names its output "pipeline": the tagger's check of the base model's name warns while
# the component is built, then from_disk loads the weights saved with the pipeline (asserted below)
@pytest.mark.filterwarnings("ignore:attribution tagger off")
def test_a_new_component_is_trained_by_config_on_the_whole_pipeline(saved: Path, tmp_path: Path) -> None:
    assert main([str(saved), str(tmp_path / "train.cfg")]) == 0
    config = training_config(saved)
    config["nlp"]["pipeline"] = [*config["nlp"]["pipeline"], "textcat"]
    config["components"]["textcat"] = {"factory": "textcat"}
    config["training"]["max_steps"] = 2
    config["training"]["eval_frequency"] = 1
    config.to_disk(tmp_path / "train.cfg")
    blank = spacy.blank("en")
    data = DocBin()
    for text, release in [("Velora Systems released Quill 3.", 1.0), ("The weather was fine in Leeds.", 0.0)]:
        doc = blank.make_doc(text)
        doc.cats = {"RELEASE": release, "OTHER": 1.0 - release}
        data.add(doc)
    data.to_disk(tmp_path / "data.spacy")
    paths = ("--paths.train", str(tmp_path / "data.spacy"), "--paths.dev", str(tmp_path / "data.spacy"))
    checked = _spacy("debug", "config", str(tmp_path / "train.cfg"), "--code", "kg/extract/pipeline.py", *paths)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    trained = _spacy("train", str(tmp_path / "train.cfg"), "--code", "kg/extract/pipeline.py", "--output", str(tmp_path / "out"), *paths)
    assert trained.returncode == 0, trained.stdout + trained.stderr
    result = spacy.load(tmp_path / "out" / "model-last")
    assert result.pipe_names[-1] == "textcat" and "newskg_claims" in result.pipe_names
    doc = result("Velora Systems released Quill 3 on Tuesday.")
    assert set(doc.cats) == {"RELEASE", "OTHER"} and doc._.newskg_claims is not None
    assert result.get_pipe("newskg_attribution_tagger").enabled and doc._.newskg_attribution_tags is not None
