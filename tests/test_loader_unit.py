"""Unit tests of the graph loader's database-free layers: reading, grouping, validation, row building."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg.document import ArticleRecord, ClaimRecord, DocumentError, EntityRecord, Header, MentionRecord, Record
from kg.neo4j.batching import ArticleGroup, Batch, Batcher, iter_document
from kg.neo4j.entity_registry import EntityRegistry
from kg.neo4j.rows import build_rows, entity_rows, mention_rows
from kg.neo4j.summary import LoadSummary, Problem
from kg.outlets import body_hash

FIXTURES = Path(__file__).parent / "fixtures" / "graph"
REPO = Path(__file__).resolve().parents[1]


# -- helpers ---------------------------------------------------------------------------------------


def article(aid: str, content_hash: str = "h1", published: str | None = "2024-07-23", source: str | None = "TechWire") -> ArticleRecord:
    return ArticleRecord(id=aid, title=f"Title {aid}", published=published, source=source, url=None, path=None, content_hash=content_hash, text="x" * 200)


def entity(eid: str, etype: str = "Organization", name: str | None = None, aliases: list[str] | None = None) -> EntityRecord:
    return EntityRecord(id=eid, type=etype, name=name or eid.split(":")[-1], aliases=aliases if aliases is not None else [])


def mention(eid: str, aid: str, start: int = 0, end: int = 4, text: str = "Meta", sentence: int = 0) -> MentionRecord:
    return MentionRecord(entity=eid, article=aid, start=start, end=end, text=text, sentence=sentence)


def claim(cid: str, aid: str, fact: str = "RELEASED|org:meta|model:llama|released", ctype: str = "RELEASED", subject: str | None = "org:meta", obj: str | None = "model:llama", **kw: Any) -> ClaimRecord:
    return ClaimRecord(id=cid, fact=fact, type=ctype, subject=subject, object=obj, article=aid, sentence=0, start=0, end=20, confidence=0.9, evidence="Meta released Llama.", **kw)


def run_batcher(records: list[Record | DocumentError], batch_size: int = 2, max_rows: int = 1000) -> tuple[list[Batch], LoadSummary, EntityRegistry]:
    registry = EntityRegistry()
    summary = LoadSummary()
    batcher = Batcher(registry, summary, source="doc.jsonl", batch_size=batch_size, max_rows=max_rows)
    batches = list(batcher.batches(enumerate(records, start=1)))
    return batches, summary, registry


def reasons(summary: LoadSummary) -> list[str]:
    return [str(p) for p in summary.problems]


# -- reading ---------------------------------------------------------------------------------------


def test_iter_document_keeps_line_numbers_across_blank_lines_and_bad_lines() -> None:
    header = json.dumps({"format": "newskg-graph", "version": 1, "kind": "header"})
    ent = json.dumps({"kind": "entity", "id": "org:meta", "type": "Organization", "name": "Meta"})
    lines = [header + "\n", "\n", ent + "\n", "{not json\n", "   \n", ent + "\n"]
    located = list(iter_document(lines))
    assert [n for n, _ in located] == [1, 3, 4, 6]
    assert isinstance(located[0][1], Header)
    assert isinstance(located[1][1], EntityRecord)
    assert isinstance(located[2][1], DocumentError) and located[2][1].line_no == 4
    assert isinstance(located[3][1], EntityRecord)


def test_iter_document_reports_invalid_utf8_and_goes_on() -> None:
    ent = json.dumps({"kind": "entity", "id": "org:meta", "type": "Organization", "name": "Meta"}).encode()
    located = list(iter_document([ent + b"\n", b'{"kind": "entity", "name": "\xff"}\n', ent + b"\n"]))
    assert [n for n, _ in located] == [1, 2, 3]
    error = located[1][1]
    assert isinstance(error, DocumentError) and error.reason == "not valid UTF-8"


# -- grouping --------------------------------------------------------------------------------------


def test_records_group_by_article_and_batches_close_at_batch_size() -> None:
    records: list[Record | DocumentError] = [Header(), entity("org:meta")]
    for i in range(5):
        records += [article(f"a{i}"), mention("org:meta", f"a{i}")]
    batches, summary, _ = run_batcher(records, batch_size=2)
    assert [b.article_ids for b in batches] == [["a0", "a1"], ["a2", "a3"], ["a4"]]
    assert all(len(g.mentions) == 1 and g.mentions[0].article == g.article.id for b in batches for g in b.groups)
    assert summary.records == 12 and summary.facts == 6 and summary.problem_count == 0


def test_batches_also_close_at_max_rows_without_splitting_an_article() -> None:
    records: list[Record | DocumentError] = [entity("org:meta")]
    for i in range(3):
        records.append(article(f"a{i}"))
        records += [mention("org:meta", f"a{i}", start=k, end=k + 1) for k in range(3)]
    batches, _, _ = run_batcher(records, batch_size=100, max_rows=4)
    # a0 (3 rows) stays open below 4; a1 brings the batch to 6 rows, so a2 opens a new batch.
    assert [b.article_ids for b in batches] == [["a0", "a1"], ["a2"]]
    assert sum(g.rows for g in batches[0].groups) == 6


def test_records_of_an_open_article_may_interleave() -> None:
    records: list[Record | DocumentError] = [entity("org:meta"), article("a1"), article("a2"), mention("org:meta", "a1"), mention("org:meta", "a2")]
    batches, summary, _ = run_batcher(records, batch_size=10)
    assert [len(g.mentions) for g in batches[0].groups] == [1, 1]
    assert summary.problem_count == 0


def test_record_for_an_article_already_batched_is_reported() -> None:
    records: list[Record | DocumentError] = [entity("org:meta"), article("a1"), article("a2"), mention("org:meta", "a1")]
    batches, summary, _ = run_batcher(records, batch_size=1)
    assert [b.article_ids for b in batches] == [["a1"], ["a2"]]
    assert summary.skipped == 1
    assert reasons(summary) == [
        "doc.jsonl:4: mention for article 'a1' comes after that article's batch was written; "
        "a document must list an article's mentions and claims before the next batch"
    ]


def test_unknown_article_and_unknown_entity_are_reported_and_skipped() -> None:
    records: list[Record | DocumentError] = [
        entity("org:meta"),
        article("a1"),
        mention("org:openai", "a1"),
        mention("org:meta", "a9"),
        claim("a1#c1", "a1", obj="model:nope"),
        mention("org:meta", "a1"),
    ]
    batches, summary, _ = run_batcher(records)
    assert summary.skipped == 3
    assert reasons(summary) == [
        "doc.jsonl:3: mention references unknown entity 'org:openai' (entities must be declared before they are referenced)",
        "doc.jsonl:4: mention refers to unknown article 'a9'",
        "doc.jsonl:5: claim 'a1#c1' object is unknown entity 'model:nope' (entities must be declared before they are referenced)",
    ]
    assert len(batches[0].groups[0].mentions) == 1


def test_rejected_entity_is_named_when_referenced() -> None:
    records: list[Record | DocumentError] = [entity("org:x", etype="Company"), article("a1"), mention("org:x", "a1")]
    _, summary, registry = run_batcher(records)
    assert "org:x" not in registry
    assert reasons(summary) == [
        "doc.jsonl:1: entity 'org:x' has unknown type 'Company' (expected one of Organization, Person, Model, Place)",
        "doc.jsonl:3: mention references entity 'org:x' was rejected at line 1",
    ]


def test_duplicate_article_keeps_the_first_copy_and_drops_records_of_the_second() -> None:
    records: list[Record | DocumentError] = [
        entity("org:meta"),
        article("a1"),
        mention("org:meta", "a1", start=0),
        dataclasses.replace(article("a1", content_hash="other"), text="y" * 200),  # same id, another text
        mention("org:meta", "a1", start=10),
    ]
    batches, summary, _ = run_batcher(records)
    assert len(batches) == 1 and len(batches[0].groups) == 1
    group = batches[0].groups[0]
    assert group.article.content_hash == "h1" and [m.start for m in group.mentions] == [0]
    assert summary.skipped == 2
    assert reasons(summary) == ["doc.jsonl:4: article 'a1' appears again with different content (first at line 2); this copy is ignored"]


@pytest.mark.parametrize("batch_size", [1, 2, 10])
def test_a_repeated_copy_of_an_article_is_counted_not_a_problem(batch_size: int) -> None:
    """The same article twice (same id and content, e.g. one story in two files): one copy is
    loaded, the repeat and its records are dropped quietly and counted, whatever the batching."""
    records: list[Record | DocumentError] = [
        entity("org:meta"),
        entity("model:llama", "Model"),
        article("a1"),
        mention("org:meta", "a1", start=0),
        claim("c1", "a1"),
        article("a2"),
        mention("org:meta", "a2", start=0),
        article("a1"),
        mention("org:meta", "a1", start=0),
        claim("c1", "a1"),
        article("a3"),
        mention("org:meta", "a3", start=5),
    ]
    batches, summary, _ = run_batcher(records, batch_size=batch_size)
    groups = {g.article.id: g for b in batches for g in b.groups}
    assert sorted(groups) == ["a1", "a2", "a3"]
    assert [m.start for m in groups["a1"].mentions] == [0] and [c.id for c in groups["a1"].claims] == ["c1"]
    assert [m.start for m in groups["a3"].mentions] == [5]
    assert summary.duplicate_inputs == 1 and summary.problem_count == 0 and reasons(summary) == []



def test_a_repeat_with_other_paragraph_breaks_is_the_same_article() -> None:
    first = ArticleRecord(id="a1", title="T", published=None, source=None, url=None, path="1.txt", content_hash="h1", text="One para.\n\nTwo para.")
    again = ArticleRecord(id="a1", title="T", published=None, source=None, url=None, path="2.txt", content_hash="h2", text="One para. Two para.")
    other = ArticleRecord(id="a1", title="T", published=None, source=None, url=None, path="3.txt", content_hash="h3", text="Another text.")
    batches, summary, _ = run_batcher([first, again, other])
    assert [g.article.path for b in batches for g in b.groups] == ["1.txt"]
    assert summary.duplicate_inputs == 1 and summary.skipped == 1
    assert reasons(summary) == ["doc.jsonl:3: article 'a1' appears again with different content (first at line 1); this copy is ignored"]


def test_claim_validation() -> None:
    good = claim("a1#c1", "a1")
    bad_type = claim("a1#c2", "a1", ctype="ACQUIRED")
    duplicate = claim("a1#c1", "a1")
    bad_spans = claim("a1#c3", "a1", spans={"content": [1]})
    bad_conf = claim("a1#c4", "a1")
    bad_conf.confidence = "high"  # type: ignore[assignment]
    bad_about = claim("a1#c5", "a1", ctype="SAID", fact="SAID|org:meta|-|x", obj=None, about=["org:ghost"])
    records: list[Record | DocumentError] = [
        entity("org:meta"),
        entity("model:llama", "Model"),
        article("a1"),
        good,
        bad_type,
        duplicate,
        bad_spans,
        bad_conf,
        bad_about,
    ]
    batches, summary, _ = run_batcher(records)
    assert [c.id for c in batches[0].groups[0].claims] == ["a1#c1"]
    assert [p.line for p in summary.problems] == [5, 6, 7, 8, 9]
    assert "unknown type 'ACQUIRED'" in summary.problems[0].reason
    assert "appears again (first at line 4)" in summary.problems[1].reason
    assert "spans must map" in summary.problems[2].reason
    assert "confidence must be a number" in summary.problems[3].reason
    assert "is about unknown entity 'org:ghost'" in summary.problems[4].reason


def test_bad_published_date_is_a_warning_and_the_article_still_loads() -> None:
    batches, summary, _ = run_batcher([article("a1", published="last Tuesday")])
    assert batches[0].groups[0].published is None
    assert summary.warnings == 1 and summary.skipped == 0
    assert "is not an ISO date; stored without a date" in summary.problems[0].reason


def test_malformed_fixture_reports_each_bad_line_and_keeps_the_rest() -> None:
    registry = EntityRegistry()
    summary = LoadSummary()
    seen: list[Problem] = []
    batcher = Batcher(registry, summary, source="news_malformed.jsonl", on_problem=seen.append)
    with open(FIXTURES / "news_malformed.jsonl", "rb") as f:
        batches = list(batcher.batches(iter_document(f)))
    assert [str(p).split(": ")[0] for p in seen] == [f"news_malformed.jsonl:{n}" for n in (6, 7, 9, 10)]
    assert str(seen[0]).startswith("news_malformed.jsonl:6: not valid JSON")
    assert "missing fields" in seen[3].reason
    assert summary.malformed == 2 and summary.skipped == 2
    groups = [g for b in batches for g in b.groups]
    assert [g.article.id for g in groups] == ["wire-2024-06-20-claude", "wire-2024-07-04-leaderboard"]
    assert [(len(g.mentions), len(g.claims)) for g in groups] == [(1, 1), (2, 1)]


# -- entity registry -------------------------------------------------------------------------------


def test_registry_unions_aliases_and_tracks_what_changed() -> None:
    registry = EntityRegistry()
    registry.declare(entity("org:meta", name="Meta", aliases=["Meta"]))
    assert registry.dirty == {"org:meta"}
    registry.committed(referenced=["org:meta"], refreshed=[])
    assert registry.dirty == set() and registry.written == {"org:meta"}
    registry.declare(entity("org:meta", name="Meta", aliases=["Meta"]))
    assert registry.dirty == set()  # nothing new
    registry.declare(entity("org:meta", name="Meta", aliases=["Meta Platforms", "Meta"]))
    assert registry.records["org:meta"].aliases == ["Meta", "Meta Platforms"]
    assert registry.dirty == {"org:meta"}


# -- row building ----------------------------------------------------------------------------------


def test_mention_rows_aggregate_per_article_and_entity_in_offset_order() -> None:
    group = ArticleGroup(article("a1"), 1, None)
    group.mentions = [
        mention("org:meta", "a1", 131, 135, "Meta", 1),
        mention("model:llama", "a1", 14, 23, "Llama 3.1", 0),
        mention("org:meta", "a1", 0, 4, "Meta", 0),
    ]
    assert mention_rows(group) == [
        {"entity": "org:meta", "spans": [0, 4, 131, 135], "texts": ["Meta", "Meta"], "sentences": [0, 1]},
        {"entity": "model:llama", "spans": [14, 23], "texts": ["Llama 3.1"], "sentences": [0]},
    ]


def test_build_rows_params() -> None:
    g1 = ArticleGroup(article("a1"), 1, date(2024, 7, 23))
    g1.mentions = [mention("org:meta", "a1"), mention("model:llama", "a1", 14, 23, "Llama 3.1")]
    said = claim(
        "a1#c2", "a1", fact="SAID|person:ana|-|abc", ctype="SAID", subject="person:ana", obj=None,
        statement="Open weights matter", cue="said", source_text="Ana Ruiz", direct=True, rule="quote",
        spans={"source": [30, 38], "cue": [39, 43], "speaker_title": [0, 5]}, about=["model:llama", "model:llama"],
    )
    g1.claims = [claim("a1#c1", "a1", status="released"), said]
    g2 = ArticleGroup(article("a2", source=None), 5, None)
    g2.claims = [claim("a2#c1", "a2", status="released")]

    rows = build_rows([g1, g2])
    assert rows.article_ids == ["a1", "a2"]
    # Nulls are left out (Cypher reads a missing key as null).
    # Each article also carries its normalized outlet and the hash of its body (kg/outlets.py).
    body = body_hash("x" * 200)
    assert rows.articles == [
        {"id": "a1", "title": "Title a1", "published": date(2024, 7, 23), "source": "TechWire", "content_hash": "h1", "outlet": "TechWire", "body_hash": body},
        {"id": "a2", "title": "Title a2", "content_hash": "h1", "body_hash": body},
    ]
    assert rows.mentions == [{"article": "a1", "mentions": mention_rows(g1)}]
    # One claim row per fact, whatever the number of reports, with the entities it links.
    assert rows.claims == {
        "RELEASED": [{"id": "RELEASED|org:meta|model:llama|released", "status": "released", "subject": "org:meta", "object": "model:llama"}],
        "SAID": [{"id": "SAID|person:ana|-|abc", "subject": "person:ana"}],
    }
    assert rows.about == [{"id": "SAID|person:ana|-|abc", "about": ["model:llama"]}]
    assert rows.evidence_ids == ["a1#c1", "a1#c2", "a2#c1"]
    assert [(r["article"], [e["id"] for e in r["reports"]]) for r in rows.evidence] == [("a1", ["a1#c1", "a1#c2"]), ("a2", ["a2#c1"])]
    assert rows.evidence[0]["reports"][1] == {
        "id": "a1#c2", "claim": "SAID|person:ana|-|abc",
        "sentence": 0, "start": 0, "end": 20, "confidence": 0.9, "text": "Meta released Llama.", "rule": "quote",
        "statement": "Open weights matter", "cue": "said", "source_text": "Ana Ruiz", "direct": True,
        "about": ["model:llama"], "source_start": 30, "source_end": 38, "cue_start": 39, "cue_end": 43,
    }
    assert rows.referenced == {"org:meta", "model:llama", "person:ana"}


def test_entity_rows_send_full_records_only_when_needed() -> None:
    registry = EntityRegistry()
    for record in (
        entity("org:meta", name="Meta", aliases=["Meta"]),
        entity("model:llama", "Model", name="Llama 3.1"),
        entity("person:ana", "Person", name="Ana Ruiz"),
        entity("place:paris", "Place", name="Paris"),
        entity("org:acme", name="Acme"),
    ):
        registry.declare(record)
    registry.committed(referenced=["model:llama", "org:acme"], refreshed=[])  # written earlier in this load
    referenced = {"org:meta", "model:llama", "person:ana", "org:acme"}

    rows = entity_rows(referenced, registry, missing={"org:acme"})
    # New entities in full; Llama (written, unchanged, present) not at all; Acme vanished: in full.
    assert rows.upserts == {
        "Organization": [{"id": "org:acme", "name": "Acme"}, {"id": "org:meta", "name": "Meta", "aliases": ["Meta"]}],
        "Person": [{"id": "person:ana", "name": "Ana Ruiz"}],
    }
    # Declared but not referenced by any written article: refreshed only if it exists.
    assert rows.updates == {"Place": [{"id": "place:paris", "name": "Paris"}]}
    assert rows.refreshed == {"place:paris"}


# -- command line (no server needed) -----------------------------------------------------------------


def _kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from kg.cli import app; app()", *args],
        capture_output=True, text=True, env=full_env, cwd=REPO, timeout=120,
    )


def test_load_with_unreachable_database_prints_one_line_and_exits_1() -> None:
    result = _kg("load", str(FIXTURES / "news.jsonl"), env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg load: cannot reach Neo4j at bolt://127.0.0.1:9")


def test_load_missing_file_exits_1() -> None:
    result = _kg("load", "no/such/graph.jsonl", env={"NEO4J_URI": "bolt://127.0.0.1:9"})
    assert result.returncode == 1
    assert result.stderr.strip() == "kg load: cannot read no/such/graph.jsonl: no such file"


def test_forget_with_unreachable_database_exits_1() -> None:
    result = _kg("forget", "a1", env={"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("kg forget: cannot reach Neo4j")
