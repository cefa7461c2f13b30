"""train/ner/weak_labels.py: slug projection, missing vs outside tokens, gold excerpts held out."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import spacy

PATH = Path(__file__).parents[1] / "train" / "ner" / "weak_labels.py"
spec = importlib.util.spec_from_file_location("weak_labels", PATH)
assert spec is not None and spec.loader is not None
weak = importlib.util.module_from_spec(spec)
spec.loader.exec_module(weak)


@pytest.mark.parametrize(
    ("slug", "people", "text", "found"),
    [
        ("glm-4.5", False, "Zhipu shipped GLM 4.5 and glm-4.5-air.", ["GLM 4.5"]),
        ("qwen-32b", False, "Try Qwen-32B today.", ["Qwen-32B"]),
        ("jason-wei", True, "Jason Wei said so; @_jasonwei agreed.", ["Jason Wei"]),
        ("akhaliq", True, "akhaliq posted", []),
    ],
)
def test_slug_regex(slug: str, people: bool, text: str, found: list[str]) -> None:
    regex = weak.slug_regex(slug, people=people)
    matches = [m.group(0) for m in regex.finditer(text)] if regex is not None else []
    assert matches == found


def test_label_doc_marks_unlabelled_names_missing_and_common_words_outside() -> None:
    nlp = spacy.blank("en")
    text = "Update: Nimbara released Zorp-2 with Velkor."
    doc = nlp.make_doc(text)
    start = text.index("Zorp-2")
    weak.label_doc(doc, [(start, start + 6, "MODEL", "slug")], common={"update", "released", "with"})
    iob = {t.text: t.ent_iob_ for t in doc}
    assert [(e.text, e.label_) for e in doc.ents] == [("Zorp-2", "MODEL")]
    assert iob["Nimbara"] == "" and iob["Velkor"] == ""  # missing: a name nobody labelled
    assert iob["Update"] == "O" and iob["released"] == "O"  # a capitalized common word is outside


def test_the_gold_excerpts_are_held_out() -> None:
    regions, summaries = weak.excluded_regions()
    rows = [json.loads(line) for line in weak.EXCERPTS.read_text().splitlines()]
    issue_rows = [r for r in rows if "#" not in r["source"]]
    assert len(summaries) == len(rows) - len(issue_rows)
    for row in issue_rows:
        blocked = regions[Path(row["source"]).name]
        assert any(a <= row["start"] and row["end"] <= b for a, b in blocked)
    text = "\n".join(f"line {i}" for i in range(100))
    start = text.index("line 50")
    import random

    chunks = weak.issue_chunks(text, [(start, start + 3)], random.Random(1), 50)
    assert chunks and all("line 50\n" not in c + "\n" for c in chunks)


@spacy.Language.component("acme_context")
def acme_context(doc):
    doc.ents = [spacy.tokens.Span(doc, e.start, e.start + 1, label=e.label_) if e.text.startswith("Acme") else e for e in doc.ents]
    return doc


def test_polnear_silver_keeps_consistent_names_other_names_missing_the_rest_outside(tmp_path: Path) -> None:
    base = spacy.blank("en")
    ruler = base.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PERSON", "pattern": "Jane Roe"},
        {"label": "ORG", "pattern": [{"TEXT": "Acme"}, {"TEXT": "."}]},
        {"label": "PERSON", "pattern": [{"TEXT": "Acme"}, {"TEXT": "said"}]},
        {"label": "DATE", "pattern": "Tuesday"},
        {"label": "NORP", "pattern": "Democrats"},
        {"label": "LOC", "pattern": "Ohio"},
        {"label": "GPE", "pattern": "the United States"},
    ])
    (tmp_path / "a.txt").write_text("Jane Roe met Democrats in Ohio on Tuesday. Acme said no.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Jane Roe left Acme. She moved to the United States. Velkor stayed.", encoding="utf-8")
    base.add_pipe("acme_context")  # "Acme" typed two ways by its context
    docs, counts = weak.polnear_docs(base, sorted(tmp_path.glob("*.txt")))
    first, second = docs
    assert [(e.text, e.label_) for e in first.ents] == [("Jane Roe", "PERSON"), ("Ohio", "GPE")]
    iob = {t.text: t.ent_iob_ for t in first}
    assert iob["Democrats"] == "" and iob["Acme"] == ""  # another name type / an inconsistent name: missing
    assert iob["Tuesday"] == "O" and iob["met"] == "O"
    assert [(e.text, e.label_) for e in second.ents] == [("Jane Roe", "PERSON"), ("United States", "GPE")]  # no "the"
    assert {t.text: t.ent_iob_ for t in second}["Velkor"] == "O"  # what the base model leaves alone: outside
    assert counts["polnear:PERSON"] == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Push it to GitHub and open Windsurf.", [("GitHub", "PRODUCT"), ("Windsurf", "PRODUCT")]),
        ("GitHub Copilot now runs in LlamaIndex.", [("GitHub Copilot", "PRODUCT"), ("LlamaIndex", "SOFTWARE")]),
        ("Andrej Karpathy joined OpenAI.", [("Andrej Karpathy", "PERSON"), ("OpenAI", "ORG")]),
    ],
)
def test_projection_of_lists_over_gazetteers(text: str, expected: list[tuple[str, str]]) -> None:
    projector = weak.Projector()
    projector.learn_bold([])
    assert [(text[s:e], label) for s, e, label, _ in projector.candidates(text, {})] == expected
