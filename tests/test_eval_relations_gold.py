"""``kg eval ainews-relations``: name-level relation scoring on gold excerpts, with a fake predictor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.eval import relations_gold as rg
from kg.eval.predictors import Relation

TEXT = "Nimbara AI released Corvid-3 and Corvid-3 Mini. Jane Roe from Nimbara AI said Orbit's Lumo-2 is a fine-tune of Corvid-3."


def _at(needle: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return [start, start + len(needle)]


def _corpus(tmp_path: Path) -> Path:
    issues = tmp_path / "shared" / "corpus" / "ainews" / "issues-2023-2025"
    issues.mkdir(parents=True)
    (issues / "25-01-01-test.md").write_text("---\ntitle: t\n---\n" + TEXT, encoding="utf-8")
    gold = tmp_path / "work" / "bench" / "gold.jsonl"
    gold.parent.mkdir(parents=True)
    relations = [
        {"type": "RELEASED", "head": _at("Nimbara AI"), "tail": _at("Corvid-3"), "status": "released"},
        {"type": "RELEASED", "head": _at("Nimbara AI"), "tail": _at("Corvid-3 Mini"), "status": "released"},
        {"type": "DEVELOPS", "head": _at("Orbit"), "tail": _at("Lumo-2")},
        {"type": "AFFILIATED_WITH", "head": _at("Jane Roe"), "tail": _at("Nimbara AI", 1)},
        {"type": "DERIVED_FROM", "head": _at("Lumo-2"), "tail": _at("Corvid-3", 2)},
    ]
    line = {"id": "x1", "split": "dev", "source": "issues-2023-2025/25-01-01-test.md", "start": 0, "end": len(TEXT), "entities": [], "relations": relations}
    other = {**line, "id": "x2", "split": "test", "relations": []}
    gold.write_text(json.dumps(line) + "\n" + json.dumps(other) + "\n", encoding="utf-8")
    return gold


def _span(needle: str, nth: int = 0) -> tuple[int, int]:
    a, b = _at(needle, nth)
    return (a, b)


class FakePredictor:
    def predict_relations(self, text: str) -> list[Relation]:
        assert text == TEXT
        return [
            # right pair, right status; the same pair again as DEVELOPS counts once
            Relation(_span("Nimbara AI"), _span("Corvid-3"), "RELEASED", "released"),
            Relation(_span("Nimbara AI"), _span("Corvid-3"), "DEVELOPS"),
            # right pair by its canonical name, wrong status
            Relation(_span("Nimbara AI"), _span("Corvid-3 Mini"), "RELEASED", "announced", ("Nimbara", "Corvid 3 Mini")),
            # wrong pair: the base model credited to the derivative's maker
            Relation(_span("Orbit"), _span("Corvid-3", 2), "RELEASED", "released"),
            # "Orbit's" as written matches "Orbit"
            Relation((TEXT.index("Orbit's"), TEXT.index("Orbit's") + 7), _span("Lumo-2"), "DEVELOPS"),
            Relation(_span("Jane Roe"), _span("Nimbara AI", 1), "AFFILIATED_WITH"),
        ]


def test_scores_by_names(tmp_path: Path) -> None:
    docs = list(rg.read_gold(_corpus(tmp_path), split="dev"))
    assert [d.id for d in docs] == ["x1"]
    section = rg.evaluate(docs, FakePredictor())
    om = section["org→model"]
    assert (om["correct_pred"], om["n_pred"], om["n_gold"]) == (3, 4, 3)
    assert section["RELEASED"]["n_gold"] == 2 and section["RELEASED"]["correct_pred"] == 2
    assert section["status"] == {"accuracy": 0.5, "right": 1, "matched": 2}
    assert section["AFFILIATED_WITH"]["f1"] == 1.0
    assert section["DERIVED_FROM"]["recall"] == 0.0
    assert ["wrong", "org→model", "orbit", "corvid3"] in section["errors"]["x1"]


@pytest.mark.parametrize(
    ("name", "relation_type", "part", "key"),
    [
        ("Mistral AI", "RELEASED", "head", "mistral"),
        ("Alibaba's", "DEVELOPS", "head", "alibaba"),
        ("GLM 4.5", "RELEASED", "tail", "glm45"),
        ("Qwen3-VL-Embedding", "RELEASED", "tail", "qwen3vlembedding"),
    ],
)
def test_keys(name: str, relation_type: str, part: str, key: str) -> None:
    assert rg.key(name, relation_type, part) == key


def test_missing_source_is_one_line_error(tmp_path: Path) -> None:
    gold = _corpus(tmp_path)
    (tmp_path / "shared" / "corpus" / "ainews" / "issues-2023-2025" / "25-01-01-test.md").unlink()
    from kg.cli import app

    result = CliRunner().invoke(app, ["eval", "ainews-relations", str(gold), "--split", "dev", "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 1
    assert "25-01-01-test.md" in result.output and "Traceback" not in result.output


def test_split_only_for_this_set(tmp_path: Path) -> None:
    from kg.cli import app

    result = CliRunner().invoke(app, ["eval", "crossre", str(tmp_path), "--split", "dev"])
    assert result.exit_code != 0 and "--split" in result.output
