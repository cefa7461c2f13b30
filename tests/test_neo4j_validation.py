"""The record checks of kg.neo4j.validation (no database), and the load summary they feed."""

from __future__ import annotations

from typing import Any

import pytest

from kg.document import ClaimRecord, EntityRecord, MentionRecord
from kg.neo4j.summary import LoadSummary, Problem
from kg.neo4j.validation import MAX_INDEXED_CHARS, claim_problem, entity_problem, mention_problem


def _entity(**kw: Any) -> EntityRecord:
    return EntityRecord(**{"id": "org:meta", "type": "Organization", "name": "Meta", "aliases": [], **kw})


def _claim(**kw: Any) -> ClaimRecord:
    fields = {"id": "c1", "fact": "RELEASED|org:meta|model:llama|released", "type": "RELEASED", "subject": "org:meta", "object": "model:llama",
              "article": "a1", "sentence": 0, "start": 0, "end": 20, "confidence": 0.9, "evidence": "Meta released Llama."}  # fmt: skip
    return ClaimRecord(**{**fields, **kw})


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        ({"type": "Planet"}, "entity 'org:meta' has unknown type 'Planet'"),
        ({"id": "x" * (MAX_INDEXED_CHARS + 1)}, "characters ('xxxx"),
        ({"name": ""}, "entity 'org:meta' has no name"),
        ({"name": "M" * (MAX_INDEXED_CHARS + 1)}, "has a name of 1,001 characters"),
        ({"aliases": "Meta"}, "aliases must be a list of strings"),
        ({"aliases": ["Meta", 3]}, "aliases must be a list of strings"),
    ],
)
def test_entity_problem(changes: dict[str, Any], problem: str | None) -> None:
    found = entity_problem(_entity(**changes))
    assert (found is None) if problem is None else (found is not None and problem in found)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        ({"start": "0"}, "mention start, end and sentence must be integers"),
        ({"sentence": True}, "mention start, end and sentence must be integers"),
        ({"text": None}, "mention text must be a string"),
    ],
)
def test_mention_problem(changes: dict[str, Any], problem: str | None) -> None:
    fields = {"entity": "org:meta", "article": "a1", "start": 0, "end": 4, "text": "Meta", "sentence": 0, **changes}
    assert mention_problem(MentionRecord(**fields)) == problem


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        ({"fact": ""}, "claim 'c1' has no fact key"),
        ({"type": "INVENTED"}, "claim 'c1' has unknown type 'INVENTED'"),
        ({"end": 2.5}, "claim 'c1': start, end and sentence must be integers"),
        ({"confidence": True}, "claim 'c1': confidence must be a number"),
        ({"evidence": None}, "claim 'c1': evidence must be a string"),
        ({"about": "org:meta"}, "claim 'c1': about must be a list of entity ids"),
        ({"spans": {"subject": [0]}}, "claim 'c1': spans must map names to [start, end] offsets"),
        ({"spans": {"subject": [0, 4]}, "about": ["org:meta"]}, None),
    ],
)
def test_claim_problem(changes: dict[str, Any], problem: str | None) -> None:
    found = claim_problem(_claim(**changes))
    assert (found is None) if problem is None else (found is not None and found.startswith(problem))


def test_summary_merge_adds_counts_and_keeps_problems() -> None:
    a = LoadSummary(articles_created=2, malformed=1, problems=[Problem("x", 1, "bad")])
    b = LoadSummary(articles_created=3, skipped=2, problems=[Problem("y", None, "worse")])
    a.merge(b)
    assert a.articles_created == 5 and a.problem_count == 3
    assert [str(p) for p in a.problems] == ["x:1: bad", "y: worse"]
