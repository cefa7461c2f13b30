"""``kg extract`` end to end through the CLI: files in, graph document out, bad input reported."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from kg.cli import app
from kg.document import read_records

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
runner = CliRunner()


def read_document(path: Path) -> list:
    with path.open(encoding="utf-8") as handle:
        return list(read_records(handle))


def test_extract_examples_writes_a_graph_document(tmp_path: Path) -> None:
    out = tmp_path / "graph.jsonl"
    result = runner.invoke(app, ["extract", str(EXAMPLES), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    records = read_document(out)
    assert records[0].kind == "header" and records[0].version == 1
    articles = [r for r in records if r.kind == "article"]
    assert len(articles) == 4
    assert {a.published for a in articles} == {"2025-07-28", "2025-08-04", "2025-08-05", "2025-08-06"}
    entities = {r.id: r for r in records if r.kind == "entity"}
    claims = [r for r in records if r.kind == "claim"]
    # every reference points at an entity line that came before it
    seen: set[str] = set()
    for record in records:
        if record.kind == "entity":
            seen.add(record.id)
        elif record.kind == "mention":
            assert record.entity in seen
        elif record.kind == "claim":
            assert record.subject is None or record.subject in seen
            assert record.object is None or record.object in seen
    released = {(c.subject, c.object, c.status) for c in claims if c.type == "RELEASED"}
    assert ("org:alibaba", "model:wan-2.2", "released") in released
    assert ("org:openai", "model:gpt-5", "planned") in released
    assert ("org:openai", "model:gpt-oss-120b", "released") in released
    # the same fact reported by two articles shares one fact key
    glm = [c for c in claims if c.type == "RELEASED" and c.object == "model:glm-4.5"]
    assert len({c.article for c in glm}) == 2 and len({c.fact for c in glm}) == 1
    assert "Meta Platforms" in entities["org:meta"].aliases
    said = [c for c in claims if c.type == "SAID" and c.direct]
    assert any((c.source_text or "").startswith("Lena Okafor") and c.subject == "person:lena-okafor" for c in said)


def test_extract_to_stdout_and_table(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(EXAMPLES / "2025-08-04-meta-openness.txt"), "-o", "-", "-q"])
    assert result.exit_code == 0
    kinds = [json.loads(line)["kind"] for line in result.stdout.splitlines()]
    assert kinds[0] == "header" and "claim" in kinds
    table = runner.invoke(app, ["extract", str(EXAMPLES / "2025-08-04-meta-openness.txt"), "-o", str(tmp_path / "g.jsonl"), "--format", "table"])
    assert table.exit_code == 0
    assert "articles: 1 extracted, 0 failed" in table.stdout


def test_bad_inputs_are_reported_and_the_rest_extracted(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 news\n\nZhipu AI introduced GLM-4.5.".encode("latin-1"))
    (tmp_path / "empty.md").write_text("   \n")
    (tmp_path / "broken.jsonl").write_text('{"text": "Alibaba launched Wan 2.2."}\n{not json\n')
    (tmp_path / "good.txt").write_text("Good news\n\nMoonshot AI open-sourced Kimi K2.\n")
    out = tmp_path / "graph.jsonl"
    result = runner.invoke(app, ["extract", str(tmp_path), "-o", str(out), "-q"])
    assert result.exit_code == 1
    errors = result.stderr
    assert "binary.txt" in errors and "latin1.txt" in errors and "empty.md" in errors
    assert "broken.jsonl:2" in errors
    assert "Traceback" not in result.output
    records = read_document(out)
    titles = {r.title for r in records if r.kind == "article"}
    assert "Good news" in titles
    assert sum(1 for r in records if r.kind == "article") == 2  # good.txt and the good JSON line


def test_unknown_model_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(EXAMPLES), "-o", str(tmp_path / "g.jsonl"), "--model", "no_such_model_xyz"])
    assert result.exit_code == 1
    assert "no_such_model_xyz" in result.stderr and "Traceback" not in result.output
