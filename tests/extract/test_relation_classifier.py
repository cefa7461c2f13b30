"""The learned (organization, model) classifier: features, training, loading, and its claims."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language

from kg.extract import relation_classifier as rc
from kg.extract.extractor import extract_text


def _candidates(nlp: Language, text: str) -> list[rc.Candidate]:
    return list(rc.candidates(nlp(text)))


def test_features_are_context_only(nlp: Language) -> None:
    [candidate] = _candidates(nlp, "Qwen3 Coder from Alibaba is touted as a solid alternative.")
    feats = rc.features(candidate)
    assert "order=mo" in feats and "b=from" in feats
    assert not any("qwen" in f.lower() or "alibaba" in f.lower() for f in feats)


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("Alibaba released Qwen3 and Meta praised Llama 4.", 4),
        ("Nothing here names a model.", 0),
    ],
)
def test_candidates_pair_organizations_with_models_of_a_sentence(nlp: Language, text: str, pairs: int) -> None:
    assert len(_candidates(nlp, text)) == pairs


def test_training_separates_a_toy_set() -> None:
    examples = [(["b=from", "order=mo"], 1)] * 20 + [(["b=vs", "order=mo"], 0)] * 20
    model = rc.train(examples)
    positive = model.bias + sum(model.weights.get(f, 0.0) for f in ["b=from", "order=mo"])
    negative = model.bias + sum(model.weights.get(f, 0.0) for f in ["b=vs", "order=mo"])
    assert positive > 0 > negative


def test_saved_model_loads_back(tmp_path: Path) -> None:
    model = rc.RelationClassifier({"b=from": 2.0}, -1.0)
    rc.save(model, tmp_path / "m.json", {"note": "test"})
    again = rc.RelationClassifier.load(tmp_path / "m.json")
    assert again.weights == {"b=from": 2.0} and again.bias == -1.0


def test_a_broken_model_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"weights": {}}), encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json"):
        rc.RelationClassifier.load(path)


def test_shipped_model_and_threshold_give_scored_claims(nlp: Language) -> None:
    finder = nlp.get_pipe("newskg_claims")
    assert finder.classifier is not None and 0.5 < finder.classifier_threshold <= 1.0
    result = extract_text(nlp, "Qwen3 Coder from Alibaba is touted as a solid alternative to Claude Sonnet 4.")
    for claim in result.claims:
        if claim.rule == "classifier":
            assert claim.confidence >= finder.classifier_threshold - 0.25


def test_classifier_claims_appear_only_above_the_threshold(nlp: Language) -> None:
    finder = nlp.get_pipe("newskg_claims")
    text = "Users compared Alibaba Qwen2.5-Max with DeepSeek V3 and found Tencent Hunyuan-Large slower."
    saved = finder.classifier_threshold, finder.min_confidence
    try:
        finder.min_confidence = 0.0
        finder.classifier_threshold = 0.0
        low = [c for c in extract_text(nlp, text).claims if c.rule == "classifier"]
        finder.classifier_threshold = 1.01
        high = [c for c in extract_text(nlp, text).claims if c.rule == "classifier"]
    finally:
        finder.classifier_threshold, finder.min_confidence = saved
    assert low and not high


def test_derived_from_reaches_the_exported_graph(nlp: Language) -> None:
    from kg.export.document_source import graph_from_records
    from kg.export.json_graph import graph_to_data

    result = extract_text(nlp, "Magistral 1.2 is a fine-tune of Mistral Small 3.2.")
    data = graph_to_data(graph_from_records(result.records()))
    names = {n["id"]: n["name"] for n in data["nodes"]}
    derived = [(names[link["source"]], names[link["target"]]) for link in data["links"] if link["type"] == "DERIVED_FROM"]
    assert derived == [("Magistral 1.2", "Mistral Small 3.2")]
