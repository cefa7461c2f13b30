"""Dataset readers, per-set scoring and ``kg eval`` on tiny hand-made files in each format.

Fake predictors stand in for newskg so the expected figures can be worked out by hand (the
comments show the arithmetic). One test, marked ``corpus``, runs the real pipeline on the shared
corpus when it is there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import kg.commands.eval as eval_command
from kg.cli import app
from kg.eval import ainews, conll, crossre, polnear
from kg.eval.metrics import Score
from kg.eval.predictors import Attribution, EntitySpan, NamedEntity, Relation
from kg.eval.spans import Span

REPO_ROOT = Path(__file__).parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "eval"
CORPUS = REPO_ROOT.parent / "shared" / "corpus"


def span_of(text: str, part: str, occurrence: int = 1) -> Span:
    """Character span of the n-th occurrence of ``part``."""
    start = -1
    for _ in range(occurrence):
        start = text.index(part, start + 1)
    return (start, start + len(part))


def f(value: float) -> Any:
    return pytest.approx(value, abs=1e-4)


# --- fakes -----------------------------------------------------------------------------------


class FakeAttributions:
    """Hand-written SAID predictions keyed by the first words of each fixture text."""

    def __init__(self) -> None:
        self.prefetched: list[list[str]] = []

    def prefetch(self, texts: list[str]) -> None:
        self.prefetched.append(list(texts))

    def predict_attributions(self, text: str) -> list[Attribution]:
        if text.startswith("Harbor"):
            return [
                Attribution(span_of(text, "Mayor Ana Ruiz"), span_of(text, "said"), span_of(text, 'the harbor plan was "not ready yet."')),
                Attribution(span_of(text, "its clerk"), span_of(text, "told reporters"), span_of(text, "will meet\nagain in May.")),
                Attribution(span_of(text, "Harbor council delays vote"), None, None),
            ]
        if text.startswith("Orchard"):
            return [Attribution(span_of(text, "Tom Bell"), span_of(text, "said"), span_of(text, '"We expect a big crowd,"'))]
        return []


class FakeEntities:
    def predict_entities(self, text: str) -> list[EntitySpan]:
        if text.startswith("CYCLING"):
            return [
                EntitySpan(*span_of(text, "ROSSI"), "Person"),
                EntitySpan(*span_of(text, "Marta Rossi"), "Person"),
                EntitySpan(*span_of(text, "Team Alba"), "Organization"),
                EntitySpan(*span_of(text, "Turin"), "Place"),
                EntitySpan(*span_of(text, "Marta"), "Organization"),
                EntitySpan(*span_of(text, "Team Alba"), "Organization"),  # a duplicate counts once
            ]
        start = text.index("Wei")
        return [
            EntitySpan(*span_of(text, "Acme Corp"), "Organization"),
            EntitySpan(*span_of(text, "Li Wei Bo"), "Person"),
            EntitySpan(start + 1, start + 3, "Person"),  # half a token names the whole token
        ]


class FakeNames:
    def predict_names(self, text: str) -> list[NamedEntity]:
        if "Lumen" in text:
            return [
                NamedEntity("Organization", "Lumen AI"),
                NamedEntity("Organization", "Northwind", ("Northwind Labs",)),
                NamedEntity("Organization", "Quill"),
                NamedEntity("Model", "Quill 2.5 Mini"),
                NamedEntity("Model", "Quill 2.5 mini"),
                NamedEntity("Person", "Someone Else"),
            ]
        return [NamedEntity("Organization", "Orbit Inc."), NamedEntity("Model", "Docs")]


class FakeRelations:
    def predict_relations(self, text: str) -> list[Relation]:
        if text.startswith("Dana"):
            return [
                Relation(span_of(text, "Dana Kim"), span_of(text, "Redwood United"), "AFFILIATED_WITH"),
                Relation(span_of(text, "Dana"), span_of(text, "Redwood"), "AFFILIATED_WITH"),
            ]
        if text.startswith("Redwood"):
            return [Relation(span_of(text, "Ola Berg"), span_of(text, "Redwood United"), "AFFILIATED_WITH")]
        if text.startswith("Sola"):
            return [
                Relation(span_of(text, "Sola Robotics"), span_of(text, "Mira arm"), "RELEASED"),
                Relation(span_of(text, "Sola Robotics"), span_of(text, "Mira arm"), "SAID"),
            ]
        return []


# --- PolNeAR ---------------------------------------------------------------------------------


def test_parse_ann_reads_events_roles_and_fragments() -> None:
    lines = (FIXTURES / "polnear" / "attributions" / "harbor-vote_a1b2.ann").read_text(encoding="utf-8").splitlines()
    attributions = polnear.parse_ann(lines)
    assert [a.id for a in attributions] == ["E1", "E2", "E3"]
    assert attributions[1].content[0].fragments == ((85, 97), (124, 133), (134, 147))
    assert attributions[0].source[0].label == "Source"


def test_parse_ann_maps_content2_and_sourceless_attributions() -> None:
    lines = (FIXTURES / "polnear" / "attributions" / "orchard-fair_c3d4.ann").read_text(encoding="utf-8").splitlines()
    first, second = polnear.parse_ann(lines)
    assert first.source == () and first.cue[0].fragments == ((33, 42),)
    assert second.content[0].fragments == ((82, 106),)  # Content2 is content


def test_read_polnear_groups_annotator_files_and_skips_unannotated_texts() -> None:
    docs = list(polnear.read_polnear(FIXTURES / "polnear"))
    assert [(d.name, [a.annotator for a in d.annotations]) for d in docs] == [
        ("harbor-vote", ["a1b2"]),
        ("orchard-fair", ["a1b2", "c3d4"]),
    ]
    assert len(list(polnear.read_polnear(FIXTURES / "polnear", limit=1))) == 1


def test_polnear_gold_spans_are_trimmed_merged_and_deduplicated() -> None:
    doc = next(polnear.read_polnear(FIXTURES / "polnear"))
    gold = polnear.gold_spans(doc.text, doc.annotations[0].attributions)
    text = doc.text
    assert text[slice(*span_of(text, 'the harbor plan was "not ready yet'))] in {text[a:b] for a, b in gold["content"]}
    # "The council, [its clerk told reporters,] will meet\nagain in May." -> two spans
    assert span_of(text, "The council") in gold["content"]
    assert span_of(text, "will meet\nagain in May") in gold["content"]
    assert len(gold["content"]) == 4 and len(gold["source"]) == 3


def test_polnear_scores_by_hand() -> None:
    docs = list(polnear.read_polnear(FIXTURES / "polnear"))
    fake = FakeAttributions()
    section = polnear.evaluate(docs, fake, batch_size=8)
    assert fake.prefetched == [[d.text for d in docs]]  # one batch, each text once
    exact = section["exact"]
    # harbor: source 2 right of 3 predicted, 3 gold; orchard: 1/1 vs 0/2 and 1/1 vs 1/1, weight 1/2
    #   -> correct 2 + 0.5, predicted 3 + 1, gold 3 + (2 + 1) / 2 = 4.5
    assert exact["source"]["correct_pred"] == 2.5 and exact["source"]["n_gold"] == 4.5
    assert exact["source"]["precision"] == f(2.5 / 4) and exact["source"]["recall"] == f(2.5 / 4.5)
    # cue: harbor "said" right, "told reporters" wrong (1/2 of 3 gold); orchard "said" right (1/1 of 2 gold each)
    assert exact["cue"]["precision"] == f(2 / 3) and exact["cue"]["recall"] == f(2 / 5)
    # content: harbor 2/2 of 4 gold (quotes trimmed, the line break merged); orchard 1/1 of 2 gold each
    assert exact["content"]["precision"] == f(1.0) and exact["content"]["recall"] == f(3 / 6)
    # overlap: "told reporters" now hits "told"
    assert section["overlap"]["cue"]["precision"] == f(1.0) and section["overlap"]["cue"]["recall"] == f(3 / 5)
    assert section["counts"] == {
        "texts": 2, "annotator_files": 3, "multi_annotated_texts": 1,
        "gold_attributions": 5.0, "predicted_attributions": 4,
    }
    assert 0.0 <= section["cofenet_jaccard"]["cue"] <= 1.0
    # untrimmed and in newskg's convention the fake's contents still match (same raw spans; the
    # quotation loses its marks and comma on both sides)
    for form in ("exact-untrimmed", "exact-convention"):
        assert section[form]["content"]["precision"] == f(1.0) and section[form]["content"]["recall"] == f(3 / 6)
    # direct quotations: only orchard's "We expect a big crowd," (gold in both files, predicted once)
    quotes = section["direct_quotes"]["exact"]
    assert quotes["n_gold"] == 1.0 and quotes["precision"] == f(1.0) and quotes["recall"] == f(1.0)
    table = polnear.render({"fake": section})
    assert "BERT-CofeNet" in table and "83.2" in table and "direct quotations only" in table


@pytest.mark.parametrize(
    ("text", "piece", "role", "form", "expected"),
    [
        ('"We expect a crowd," said Tom.', '"We expect a crowd,"', "content", "untrimmed", '"We expect a crowd,"'),
        ('"We expect a crowd," said Tom.', '"We expect a crowd,"', "content", "convention", "We expect a crowd"),
        ('"We expect a crowd," said Tom.', '"We expect a crowd,"', "content", "trimmed", "We expect a crowd"),
        ('He said: "It is ready." Then', '"It is ready."', "content", "convention", "It is ready."),
        ('He said: "It is ready." Then', '"It is ready."', "content", "trimmed", "It is ready"),
        ("He said prices rose 5%.", "prices rose 5%.", "content", "convention", "prices rose 5%"),
        ("He said prices rose 5%.", "prices rose 5%.", "content", "trimmed", "prices rose 5"),
        ("Tom Bell, the director, said so.", "Tom Bell, the director,", "source", "untrimmed", "Tom Bell, the director,"),
        ("Tom Bell, the director, said so.", "Tom Bell, the director,", "source", "convention", "Tom Bell, the director"),
    ],
)
def test_polnear_span_forms(text: str, piece: str, role: str, form: str, expected: str) -> None:
    span = polnear.in_form(text, *span_of(text, piece), role, form)
    assert span is not None and text[slice(*span)] == expected


@pytest.mark.parametrize(
    ("text", "piece", "direct"),
    [
        ('"We expect a crowd," said Tom.', '"We expect a crowd,"', True),
        ('"We expect a crowd," said Tom.', "We expect a crowd", True),
        ("He said we expect a crowd.", "we expect a crowd", False),
        ("The users' forum said it works.", "forum said", False),
    ],
)
def test_polnear_direct_quote(text: str, piece: str, direct: bool) -> None:
    assert polnear.is_direct_quote(text, *span_of(text, piece)) is direct


# --- CoNLL -----------------------------------------------------------------------------------


def test_read_conll_documents_sentences_and_gold() -> None:
    docs = list(conll.read_conll(FIXTURES / "conll" / "mini.txt"))
    assert len(docs) == 2
    assert docs[0].sentences[0] == ("CYCLING", "-", "ROSSI", "WINS", "STAGE")
    text, offsets = docs[0].text_and_offsets
    assert text.split("\n")[1] == "Marta Rossi of Team Alba won in Turin ."
    assert len(offsets) == 14
    assert conll.gold_entities(docs[0]) == {(2, 2, "Person"), (5, 6, "Person"), (8, 9, "Organization")}
    # IOB1: I- starts a chunk after O, B- splits two adjacent chunks of one type
    assert conll.gold_entities(docs[1]) == {(0, 1, "Organization"), (3, 4, "Person"), (5, 5, "Person")}
    assert len(list(conll.read_conll(FIXTURES / "conll" / "mini.txt", limit=1))) == 1


def test_conll_scores_by_hand() -> None:
    section = conll.evaluate(list(conll.read_conll(FIXTURES / "conll" / "mini.txt")), FakeEntities())
    # Person: ROSSI, Marta Rossi right; "Li Wei Bo" and "ei" wrong -> 2/4 predicted, 2/4 gold
    assert section["Person"]["precision"] == f(0.5) and section["Person"]["recall"] == f(0.5)
    # Organization: Team Alba, Acme Corp right, "Marta" wrong -> 2/3, 2/2
    assert section["Organization"]["precision"] == f(2 / 3) and section["Organization"]["recall"] == f(1.0)
    assert section["micro"]["n_pred"] == 7 and section["micro"]["n_gold"] == 6 and section["micro"]["correct_pred"] == 4


# --- AI news ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "entity_type", "key"),
    [
        ("Llama 3.1 405B", "Model", "llama31405b"),
        ("llama-3-1-405b", "Model", "llama31405b"),
        ("glm-4.5", "Model", "glm45"),
        ("zhipu-ai", "Organization", "zhipu"),
        ("Zhipu AI", "Organization", "zhipu"),
        ("AI21 Labs", "Organization", "ai21"),
        ("x-ai", "Organization", "xai"),
        ("Mistral AI", "Model", "mistralai"),  # suffixes are stripped for organisations only
    ],
)
def test_name_key(name: str, entity_type: str, key: str) -> None:
    assert ainews.name_key(name, entity_type) == key


def test_occurs_in_needs_word_boundaries_and_a_capital_or_digit() -> None:
    words = ainews.text_words("Meta shipped Llama 3.1 405B; teams work together.")
    assert ainews.occurs_in("llama31405b", words)
    assert ainews.occurs_in("meta", words)
    assert not ainews.occurs_in("lama", words)  # not at a word start
    assert not ainews.occurs_in("together", words)  # lowercase: a word, not a name
    assert not ainews.occurs_in("", words)


def test_read_ainews_and_gold_in_text() -> None:
    docs = list(ainews.read_ainews(FIXTURES / "ainews" / "mini.jsonl"))
    assert [d.id for d in docs] == ["d1", "d2"]
    assert list(ainews.gold_in_text(docs[0], "Organization")) == ["lumen-ai", "northwind-labs"]
    assert list(ainews.gold_in_text(docs[0], "Model")) == ["quill-2.5-mini", "breeze-7b"]
    assert list(ainews.gold_in_text(docs[1], "Organization")) == ["orbit"]
    assert len(list(ainews.read_ainews(FIXTURES / "ainews", limit=1))) == 1  # a folder works too


def test_ainews_scores_by_hand() -> None:
    section = ainews.evaluate(list(ainews.read_ainews(FIXTURES / "ainews" / "mini.jsonl")), FakeNames())
    org, model = section["Organization"], section["Model"]
    # Organization: Lumen AI, Northwind, Orbit Inc. right; Quill wrong -> P 3/4, R 3/3
    assert (org["correct_pred"], org["n_pred"], org["found_gold"], org["n_gold"]) == (3, 4, 3, 3)
    assert org["f1"] == f(2 * 0.75 / 1.75)
    # Model: the two Quill spellings are one entity and right; Docs wrong; breeze-7b missed
    assert (model["correct_pred"], model["n_pred"], model["found_gold"], model["n_gold"]) == (1, 2, 1, 2)
    assert model["top_misses"] == [("breeze-7b", 1)]
    assert org["top_false_hits"] == [("Quill", 1)] and model["top_false_hits"] == [("Docs", 1)]
    assert org["silver_labels"] == 6


def test_score_type_counts_an_alias_match() -> None:
    gold = {"northwind-labs": frozenset({"northwind"})}
    score, misses, hits = ainews.score_type(gold, [NamedEntity("Organization", "NW", ("Northwind Labs",))], "Organization")
    assert score == Score(1, 1, 1, 1) and misses == [] and hits == []


def test_organisation_names_match_slugs_with_or_without_the_suffix() -> None:
    prediction = [NamedEntity("Organization", "Mistral AI")]
    for slug in ("mistral-ai", "mistralai"):
        gold = {slug: ainews.slug_keys(slug, "Organization")}
        assert ainews.score_type(gold, prediction, "Organization")[0] == Score(1, 1, 1, 1)
    assert ainews.name_keys("Mistral AI", "Organization") == {"mistral", "mistralai"}
    assert ainews.name_keys("Mistral AI", "Model") == {"mistralai"}


# --- CrossRE ---------------------------------------------------------------------------------


def test_read_crossre_and_map_relations() -> None:
    sentences = list(crossre.read_crossre(FIXTURES / "crossre" / "news-mini.json"))
    assert len(sentences) == 4 and sentences[0].domain == "news-mini"
    assert crossre.gold_relations(sentences[0]) == {((0, 1), (6, 7), "AFFILIATED_WITH")}  # role + part-of once
    assert crossre.gold_relations(sentences[1]) == {((3, 4), (0, 1), "AFFILIATED_WITH")}  # put person first
    assert crossre.gold_relations(sentences[2]) == {((0, 1), (4, 5), "DEVELOPS")}  # physical is not scored
    assert crossre.map_relation("person", "location", "role") is None
    assert len(list(crossre.read_crossre(FIXTURES / "crossre", limit=2))) == 2


def test_crossre_scores_by_hand() -> None:
    section = crossre.evaluate(list(crossre.read_crossre(FIXTURES / "crossre" / "news-mini.json")), FakeRelations())
    # AFFILIATED_WITH: 2 right of 3 predicted ("Dana"/"Redwood" is too short), 2 gold
    assert section["AFFILIATED_WITH"]["precision"] == f(2 / 3) and section["AFFILIATED_WITH"]["recall"] == f(1.0)
    # RELEASED counts as DEVELOPS; SAID is not a scored type
    assert section["DEVELOPS"]["f1"] == f(1.0)
    assert section["micro"]["n_pred"] == 4 and section["micro"]["n_gold"] == 3
    assert section["domains"]["news-mini"]["micro"] == section["micro"]
    assert section["counts"]["sentences"] == 4


# --- CLI -------------------------------------------------------------------------------------


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    class Fake(FakeAttributions, FakeEntities, FakeNames, FakeRelations):
        pass

    monkeypatch.setattr(eval_command, "newskg_predictor", lambda **_: Fake())
    monkeypatch.setattr(eval_command, "baseline_predictor", lambda **_: FakeEntities())


runner = CliRunner()


@pytest.mark.parametrize(
    ("set_name", "path", "key"),
    [
        ("polnear", FIXTURES / "polnear", "exact"),
        ("conll", FIXTURES / "conll" / "mini.txt", "Person"),
        ("ainews", FIXTURES / "ainews" / "mini.jsonl", "Model"),
        ("crossre", FIXTURES / "crossre", "DEVELOPS"),
    ],
)
def test_cli_writes_report_and_prints_table(fakes: None, tmp_path: Path, set_name: str, path: Path, key: str) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(app, ["eval", set_name, str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["set"] == set_name and report["protocol"].startswith(f"newskg-eval/{set_name}/")
    assert report["command"].startswith(f"kg eval {set_name} ")
    assert key in report["systems"]["newskg"]
    assert set_name in result.output and "report:" in result.output


def test_cli_baseline_scores_both_systems(fakes: None, tmp_path: Path) -> None:
    out = tmp_path / "conll.json"
    result = runner.invoke(app, ["eval", "conll", str(FIXTURES / "conll" / "mini.txt"), "--out", str(out), "--baseline", "--limit", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["systems"]) == {"newskg", "spacy"}
    assert report["documents"] == 1 and report["limit"] == 1
    assert "--baseline" in report["command"] and "--limit 1" in report["command"]


def test_cli_refuses_baseline_where_spacy_has_no_such_task(fakes: None, tmp_path: Path) -> None:
    result = runner.invoke(app, ["eval", "polnear", str(FIXTURES / "polnear"), "--baseline", "--out", str(tmp_path / "x.json")])
    assert result.exit_code != 0
    assert not (tmp_path / "x.json").exists()


def test_cli_help_lists_the_sets() -> None:
    result = runner.invoke(app, ["eval", "--help"])
    assert result.exit_code == 0
    for name in ("polnear", "conll", "ainews", "crossre"):
        assert name in result.output


# --- the real pipeline on the shared corpus --------------------------------------------------


@pytest.mark.corpus
def test_ainews_on_the_corpus(tmp_path: Path) -> None:
    data = CORPUS / "ainews" / "descriptions-2023-2025.jsonl"
    if not data.is_file():
        pytest.skip(f"corpus not present at {CORPUS}")
    pytest.importorskip("kg.extract.extractor")
    out = tmp_path / "ainews.json"
    result = runner.invoke(app, ["eval", "ainews", str(data), "--limit", "20", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["documents"] == 20 and report["set"] == "ainews"
    section = report["systems"]["newskg"]
    for entity_type in ("Organization", "Model", "micro"):
        for figure in ("precision", "recall", "f1"):
            assert 0.0 <= section[entity_type][figure] <= 1.0
    assert section["Organization"]["n_gold"] > 0
    assert isinstance(section["Model"]["top_misses"], list)


@pytest.mark.parametrize(
    ("text", "gold", "predicted"),
    [
        # PolNeAR's gold keeps the quote marks and the comma or period inside them; newskg's
        # prediction is the text between the marks: one convention form for both
        ('"We expect a crowd," said Tom.', '"We expect a crowd,"', "We expect a crowd"),
        ('He said: "It is ready." Then', '"It is ready."', "It is ready."),
        ('He said: “It is ready.” Then', "“It is ready.”", "It is ready."),
        ("He said that prices rose 5%. Then", "that prices rose 5%.", "that prices rose 5%"),
        ("Tom Bell, the director, said so.", "Tom Bell, the director,", "Tom Bell, the director"),
    ],
)
def test_polnear_convention_is_one_form_for_gold_and_prediction(text: str, gold: str, predicted: str) -> None:
    role = "source" if text.startswith("Tom Bell") else "content"
    from_gold = polnear.in_form(text, *span_of(text, gold), role, "convention")
    from_prediction = polnear.in_form(text, *span_of(text, predicted), role, "convention")
    assert from_gold is not None and from_gold == from_prediction
