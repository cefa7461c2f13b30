"""kg/extract/component.py and each component's to_disk/from_disk, on ``spacy.blank("en")``; and
the layer rule: kg/extract never imports kg/resolve."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import kg.extract.pipeline  # noqa: F401  (registers newskg's factories)
import kg.resources
from kg.extract.component import alias_table, read_files, read_tree, write_files
from kg.extract.lexicon import LEXICON_FILES, lexicon_from_files, load_lexicon
from kg.extract.resolution_data import RESOLUTION_FILES, load_resolution_data

ROOT = Path(__file__).resolve().parents[2]
TEXT = "OpenAI released GPT-4o in May.\nNimbara Labs (formerly Nimbus AI) said it would follow."


def test_files_written_are_read_back_byte_for_byte(tmp_path: Path) -> None:
    files = {"a.yml": b"x: 1\n", "sub/dir/b.yml": "name: Zürich\n".encode()}
    write_files(tmp_path, files)
    assert read_tree(tmp_path) == files
    assert read_files(tmp_path, ["a.yml", "missing.yml"]) == {"a.yml": b"x: 1\n"}


@pytest.mark.parametrize(("load", "names"), [(load_lexicon, LEXICON_FILES), (load_resolution_data, RESOLUTION_FILES)])
def test_a_missing_data_file_is_named_with_its_folder(tmp_path: Path, load, names: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    write_files(tmp_path, {name: data for name, data in read_files(kg.resources.pipelines_dir(), names).items() if name != names[0]})
    with pytest.raises(FileNotFoundError, match=rf"^{tmp_path}: \w+ data file {names[0]} is missing$"):
        load(str(tmp_path))


def test_alias_table_first_entry_wins_as_written_and_lower_case() -> None:
    table = alias_table([("Nimbara Labs", ("Nimbara", "NL")), ("Nimbara Group", ("nimbara",))])
    assert table == {"Nimbara Labs": "Nimbara Labs", "nimbara labs": "Nimbara Labs", "Nimbara": "Nimbara Labs", "nimbara": "Nimbara Labs",
                     "NL": "Nimbara Labs", "nl": "Nimbara Labs", "Nimbara Group": "Nimbara Group", "nimbara group": "Nimbara Group"}  # fmt: skip


@pytest.mark.parametrize(("bare", "expected"), [("Model", "Model"), ("Organization", "Organization"), ("none", None)])
def test_what_a_bare_model_stem_names(bare: str, expected: str | None) -> None:
    files = dict(load_lexicon().files)
    files["gazetteers/models.yml"] = f"- {{stem: Zentrix, bare: {bare}}}\n".encode()
    assert [f.bare for f in lexicon_from_files(files).model_families] == [expected]


def test_a_bare_stem_of_another_type_is_refused() -> None:
    files = {**load_lexicon().files, "gazetteers/models.yml": b"- {stem: Zentrix, bare: Person}\n"}
    with pytest.raises(ValueError, match="gazetteers/models.yml: stem 'Zentrix': bare must be Model, Organization or none, not 'Person'"):
        lexicon_from_files(files)


def test_the_lexicon_and_naming_data_keep_the_files_they_were_read_from() -> None:
    lexicon, data = load_lexicon(), load_resolution_data()
    assert set(lexicon.files) == set(LEXICON_FILES) and set(data.files) == set(RESOLUTION_FILES)
    assert "Sam Altman" in lexicon.people  # gazetteers/people.yml belongs to the lexicon


def _blank_with(factory: str, config: dict | None = None) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(factory, name="component", config=config or {})
    return nlp


@pytest.mark.parametrize(
    ("factory", "state"),
    [
        ("newskg_entities_v1", lambda c: (dict(c.lexicon.files), c.lexicon.people, c.org_regex.pattern)),
        (
            "newskg_claims_v1",
            lambda c: (dict(c.lexicon.files), dict(c.resolution.files), c.classifier.weights if c.classifier else None, c.rule_confidence),
        ),
    ],
)
def test_a_component_saved_and_loaded_holds_the_same_data(factory: str, state, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = {"classifier": "relations/model.json", "confidence": {"quote": 0.9}} if factory == "newskg_claims_v1" else {}
    nlp = _blank_with(factory, config)
    nlp.to_disk(tmp_path / "saved")
    loaded = spacy.load(tmp_path / "saved")
    assert state(loaded.get_pipe("component")) == state(nlp.get_pipe("component"))
    assert [(e.text, e.label_) for e in loaded(TEXT).ents] == [(e.text, e.label_) for e in nlp(TEXT).ents]


def test_the_entity_component_reads_its_data_from_disk_not_from_pipelines(tmp_path: Path) -> None:
    nlp = _blank_with("newskg_entities_v1")
    nlp.get_pipe("component").to_disk(tmp_path / "entities")
    path = tmp_path / "entities" / "data" / "gazetteers" / "organizations.yml"
    path.write_text(path.read_text(encoding="utf-8") + "- name: Zorblax Dynamics\n", encoding="utf-8")
    before = [(e.text, e.label_) for e in nlp("Zorblax Dynamics hired OpenAI staff.").ents]
    nlp.get_pipe("component").from_disk(tmp_path / "entities")
    after = [(e.text, e.label_) for e in nlp("Zorblax Dynamics hired OpenAI staff.").ents]
    assert ("Zorblax Dynamics", "Organization") not in before and ("Zorblax Dynamics", "Organization") in after


def test_paragraph_boundaries_on_a_blank_pipeline() -> None:
    nlp = _blank_with("newskg_paragraphs_v1")
    nlp.remove_pipe("sentencizer")
    docs = list(nlp.pipe(["A heading\n\nThe body text. More", "One line"]))
    assert [t.text for t in docs[0] if t.is_sent_start] == ["A", "The"] and [t.is_sent_start for t in docs[1]][1:] == [None]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("module", sorted(p.name for p in (ROOT / "kg" / "extract").glob("*.py")))
def test_extract_never_imports_resolve(module: str) -> None:
    """Extraction is per article; resolution (cross-article) may import extract, never the reverse."""
    upward = sorted(name for name in _imports(ROOT / "kg" / "extract" / module) if name == "kg.resolve" or name.startswith("kg.resolve."))
    assert upward == []


@pytest.mark.parametrize(
    ("what", "trainer", "key"),
    [("relation", "bench/train_relations.py", "classifier"), ("affiliation", "bench/train_affiliations.py", "affiliation_classifier")],
)
def test_a_missing_pair_classifier_is_one_error_naming_the_file_and_the_fix(tmp_path: Path, what: str, trainer: str, key: str) -> None:
    from kg.extract.claims_component import _classifier

    assert _classifier(None, str(tmp_path), what, trainer, key) is None
    with pytest.raises(ValueError, match=rf"{what} classifier .*nope\.json not found \(train it with {trainer}, or set {key} = null\)"):
        _classifier("nope.json", str(tmp_path), what, trainer, key)


def test_a_configured_pair_classifier_is_read_from_the_data_folder() -> None:
    from kg.extract.claims_component import _classifier
    from kg.extract.relation_classifier import RelationClassifier

    assert isinstance(_classifier("affiliations/model.json", None, "affiliation", "x", "y"), RelationClassifier)
