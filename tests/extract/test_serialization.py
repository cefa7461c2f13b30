"""``nlp.to_disk(DIR)`` then ``spacy.load(DIR)`` gives exactly the same extraction, and the saved
data (not the shipped ``pipelines/``) is what the loaded pipeline uses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
import yaml
from spacy.language import Language

from kg.document import to_json
from kg.extract.extractor import extract_text
from kg.extract.pipeline import claim_finder, rule_confidence

ROOT = Path(__file__).resolve().parents[2]
LONG = (ROOT / "tests" / "fixtures" / "ainews_long.md").read_text(encoding="utf-8")
TEXTS = {
    "release": "Velora Systems released Quill 3 on Tuesday. \"It reads whole repositories,\" said Mara Lindqvist, chief executive of Velora Systems.",
    "aliases": "Nimbara Labs (formerly Nimbus AI) launched Tessera 2. The Allen Institute for AI (AI2) released OLMo 2, and AI2 said data would follow.",
    "people": "Jonas Ekberg joined Nimbara Labs as head of research after six years at Google DeepMind, the company said.",
    "ainews-long": LONG,
    # over kg.extract.extractor.SECTION_TOKENS: parsed in sections
    "ainews-sectioned": "\n\n".join(LONG.replace("3/4/2025", f"3/{day}/2025") for day in range(4, 10)),
}


@pytest.fixture(scope="module")
def saved(nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("saved") / "newskg"
    nlp.to_disk(directory)
    return directory


@pytest.fixture(scope="module")
def reloaded(saved: Path) -> Language:
    return spacy.load(saved)


def _records(nlp: Language, text: str) -> list[str]:
    return [to_json(r) for r in extract_text(nlp, text, source="test").records()]


@pytest.mark.parametrize("name", list(TEXTS))
def test_a_saved_and_loaded_pipeline_extracts_exactly_the_same_records(nlp: Language, reloaded: Language, name: str) -> None:
    before = _records(nlp, TEXTS[name])
    assert any('"type":"Organization"' in r.replace(" ", "") for r in before)  # a real extraction, not an empty one
    assert _records(reloaded, TEXTS[name]) == before


def test_the_loaded_pipeline_has_the_same_components_and_rule_confidence(nlp: Language, reloaded: Language) -> None:
    assert reloaded.pipe_names == nlp.pipe_names
    assert rule_confidence(reloaded) == rule_confidence(nlp) and rule_confidence(nlp)["quote"] == 0.9
    assert "newskg" not in reloaded.meta  # configuration lives in the components' config


def test_the_saved_data_is_what_the_loaded_pipeline_uses(saved: Path, tmp_path: Path) -> None:
    """Edit the data written by to_disk: the loaded components read the edit, not pipelines/."""
    copy = tmp_path / "edited"
    shutil.copytree(saved, copy)
    for component in ("newskg_entities", "newskg_claims"):
        path = copy / component / "data" / "gazetteers" / "organizations.yml"
        orgs = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump([*orgs, {"name": "Zorblax Dynamics", "aliases": ["Zorblax"]}]), encoding="utf-8")
    classifier = copy / "newskg_claims" / "relations.json"
    weights = json.loads(classifier.read_text(encoding="utf-8"))
    classifier.write_text(json.dumps({**weights, "bias": 7.5}), encoding="utf-8")
    edited = spacy.load(copy)
    assert edited.get_pipe("newskg_entities").lexicon.canonical_organization("Zorblax") == "Zorblax Dynamics"
    finder = claim_finder(edited)
    assert finder is not None and finder.lexicon.canonical_organization("zorblax") == "Zorblax Dynamics"
    assert finder.classifier is not None and finder.classifier.bias == 7.5
    original = spacy.load(saved)
    assert original.get_pipe("newskg_entities").lexicon.canonical_organization("Zorblax") is None


def test_every_newskg_component_declares_what_it_assigns_and_nothing_it_requires_is_missing(nlp: Language) -> None:
    ours = [name for name in nlp.pipe_names if name.startswith("newskg_")]
    assert len(ours) == 5
    for name in ours:
        assert nlp.get_pipe_meta(name).assigns, name
    problems = nlp.analyze_pipes(pretty=False)["problems"]
    assert {name: problems[name] for name in ours} == {name: [] for name in ours}


def test_spacy_load_finds_the_factories_without_importing_kg(saved: Path) -> None:
    """The ``spacy_factories`` entry points (pyproject.toml) let plain spaCy load a saved pipeline."""
    import subprocess
    import sys

    script = (
        "import sys, spacy\n"
        "assert not any(m == 'kg' or m.startswith('kg.') for m in sys.modules)\n"
        f"nlp = spacy.load({str(saved)!r})\n"
        "doc = nlp('Velora Systems released Quill 3 on Tuesday.')\n"
        "print(' '.join(nlp.pipe_names)); print(len(doc._.newskg_claims.releases))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    names, releases = done.stdout.split("\n")[:2]
    assert {"newskg_ner", "newskg_entities", "newskg_claims"} <= set(names.split())
    assert int(releases) == 1
