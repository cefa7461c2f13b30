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
