"""kg eval ainews-gold: offset gold read against a corpus folder, exact-match scoring, confusions, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg.commands.eval as eval_command
from kg.cli import app
from kg.eval.ainews_gold import GoldError, GoldExcerpt, evaluate, read_gold, score_excerpt
from kg.eval.predictors import EntitySpan

ISSUE = "---\ntitle: t\ncompanies: [acme-labs]\n---\n# Heading\nAcme Labs shipped Zorp-2 7B on Hexa. @zed_dev liked it in ZorpChat.\nOther line.\n"
SUMMARY = {"id": "s1", "text": "**Nimbus AI** released **Zorp-3**.", "companies": [], "models": []}


def _at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "ainews"
    (root / "issues").mkdir(parents=True)
    (root / "issues" / "a.md").write_text(ISSUE, encoding="utf-8")
    (root / "summaries.jsonl").write_text(json.dumps(SUMMARY) + "\n", encoding="utf-8")
    monkeypatch.setenv("NEWSKG_AINEWS_DIR", str(root))
    body = ISSUE.split("---\n", 2)[2]
    line_start = body.index("Acme")
    line_end = body.index("\nOther")
    entities = [[*_at(body, name), kind] for name, kind in (("Acme Labs", "ORG"), ("Zorp-2 7B", "MODEL"), ("Hexa", "HARDWARE"), ("@zed_dev", "HANDLE"), ("ZorpChat", "PRODUCT"))]
    rows = [
        {"id": "x0", "split": "dev", "source": "issues/a.md", "start": line_start, "end": line_end, "entities": entities, "relations": []},
        {"id": "x1", "split": "test", "source": "summaries.jsonl#s1", "start": 0, "end": len(SUMMARY["text"]),
         "entities": [[*_at(SUMMARY["text"], "Nimbus AI"), "ORG"], [*_at(SUMMARY["text"], "Zorp-3"), "MODEL"]], "relations": []},
    ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return gold


@pytest.mark.parametrize(("split", "ids"), [("dev", ["x0"]), ("test", ["x1"]), ("all", ["x0", "x1"])])
def test_read_gold_by_split_with_text_from_the_corpus(corpus: Path, split: str, ids: list[str]) -> None:
    excerpts = list(read_gold(corpus, split=split))
    assert [e.id for e in excerpts] == ids
    for excerpt in excerpts:
        texts = {excerpt.text[s:e] for s, e, _ in excerpt.entities}
        assert texts <= {"Acme Labs", "Zorp-2 7B", "Hexa", "@zed_dev", "ZorpChat", "Nimbus AI", "Zorp-3"}
    if split == "dev":
        assert excerpts[0].text.startswith("Acme Labs shipped") and excerpts[0].text.endswith("ZorpChat.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "x0"}\n', "not a gold excerpt"),
        ("not json\n", "not a gold excerpt"),
        ('{"id": "x0", "split": "dev", "source": "issues/missing.md", "start": 0, "end": 5, "entities": []}\n', "no such corpus file"),
        ('{"id": "x0", "split": "dev", "source": "issues/a.md", "start": 0, "end": 5, "entities": [[0, 50, "ORG"]]}\n', "outside excerpt"),
    ],
)
def test_bad_gold_is_a_clear_error(corpus: Path, tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match=message):
        list(read_gold(bad, split="dev"))


TEXT = "Acme Labs shipped Zorp-2 7B via ZorpChat."
GOLD = GoldExcerpt("x", "dev", "s", TEXT, ((0, 9, "ORG"), (18, 27, "MODEL"), (32, 40, "PRODUCT")))


@pytest.mark.parametrize(
    ("predicted", "counts", "confusion", "boundary"),
    [
        # all right
        ([(0, 9, "Organization"), (18, 27, "Model")], {"ORG": (1, 1, 1), "MODEL": (1, 1, 1)}, {}, {}),
        # a product taken for a model, a model cut short
        ([(18, 24, "Model"), (32, 40, "Model")], {"ORG": (0, 0, 1), "MODEL": (0, 2, 1)}, {"MODEL -> PRODUCT": 1}, {"MODEL": 1}),
        # an organization typed as a person
        ([(0, 9, "Person")], {"ORG": (0, 0, 1), "PERSON": (0, 1, 0)}, {"PERSON -> ORG": 1}, {}),
    ],
)
def test_score_excerpt(predicted: list[tuple[int, int, str]], counts: dict[str, tuple[int, int, int]], confusion: dict[str, int], boundary: dict[str, int]) -> None:
    result = score_excerpt(GOLD, predicted)
    for kind, (correct, n_pred, n_gold) in counts.items():
        score = result["scores"][kind]
        assert (score.correct_pred, score.n_pred, score.n_gold) == (correct, n_pred, n_gold)
    assert dict(result["confusion"]) == confusion
    assert dict(result["boundary"]) == boundary


class FakeEntities:
    def predict_entities(self, text: str) -> list[EntitySpan]:
        return [EntitySpan(*_at(text, "Acme Labs"), "Organization"), EntitySpan(*_at(text, "ZorpChat"), "Model")] if "Acme" in text else []


def test_evaluate_micro_and_confusions(corpus: Path) -> None:
    section = evaluate(list(read_gold(corpus, split="all")), FakeEntities())
    assert section["ORG"]["n_gold"] == 2 and section["ORG"]["correct_pred"] == 1
    assert section["MODEL"]["n_pred"] == 1 and section["MODEL"]["correct_pred"] == 0
    assert section["micro"]["n_pred"] == 2 and section["micro"]["precision"] == 0.5
    assert section["confusion"] == {"MODEL -> PRODUCT": 1} and section["confused_with_confusable"] == 1
    assert section["counts"]["documents"] == 2


runner = CliRunner()


def test_cli_ainews_gold_report(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eval_command, "newskg_predictor", lambda **_: FakeEntities())
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["eval", "ainews-gold", str(corpus), "--split", "test", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["set"] == "ainews-gold" and report["gold_split"] == "test" and report["documents"] == 1
    assert "--split test" in report["command"]


@pytest.mark.parametrize(("args", "message"), [(["--split", "train"], "one of dev, test, all"), (["--split", "dev"], None)])
def test_cli_split_errors(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str | None) -> None:
    monkeypatch.setattr(eval_command, "newskg_predictor", lambda **_: FakeEntities())
    result = runner.invoke(app, ["eval", "ainews-gold", str(corpus), "--out", str(tmp_path / "r.json"), *args])
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0 and message in result.output


def test_cli_split_only_for_the_gold_sets(tmp_path: Path) -> None:
    conll = Path(__file__).parent / "fixtures" / "eval" / "conll" / "mini.txt"
    result = runner.invoke(app, ["eval", "conll", str(conll), "--split", "dev", "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 2 and "conll has no --split" in result.output


def test_cli_bad_gold_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus: Path) -> None:
    monkeypatch.setattr(eval_command, "newskg_predictor", lambda **_: FakeEntities())
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nope\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "ainews-gold", str(bad), "--out", str(tmp_path / "r.json")])
    assert result.exit_code == 1 and "error:" in result.output and "Traceback" not in result.output
