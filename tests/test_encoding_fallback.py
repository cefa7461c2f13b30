"""--encoding-fallback: files that are not UTF-8 are an error by default, and with the option are read
in the named encoding with one warning (kg.articles.decoding.Fallback, kg extract / kg ingest)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.articles.decoding import Fallback, check_fallback_encoding
from kg.articles.model import Article, ArticleError
from kg.articles.readers import read_articles
from kg.cli import app
from kg.inputs import ArticleInputs

runner = CliRunner()

# Our own text, in legacy single-byte encodings: "é" is 0xe9, "£" 0xa3, "’" 0x92 (cp1252 only).
BODY = "Zoë Müller said the café in Zürich charged £5.\n\nIt’s a fair price, she said."
CASES = [
    ("latin1.txt", "latin-1", ("Headline\n\n" + BODY.replace("’", "'")).encode("latin-1"), BODY.replace("’", "'")),
    ("cp1252.txt", "cp1252", ("Headline\n\n" + BODY).encode("cp1252"), BODY),
    ("cp1252.md", "cp1252", ("# Headline\n\n" + BODY).encode("cp1252"), BODY),
    ("cp1252.json", "cp1252", json.dumps({"title": "Headline", "text": BODY}, ensure_ascii=False).encode("cp1252"), BODY),
    ("cp1252.jsonl", "cp1252", (json.dumps({"title": "Headline", "text": BODY}, ensure_ascii=False) + "\n").encode("cp1252"), BODY),
    ("latin1.html", "latin-1", f"<html><body><article><p>{BODY.replace('’', chr(39))}</p></article></body></html>".encode("latin-1"), None),
]


def read(path: Path, fallback: Fallback | None) -> list[Article | ArticleError]:
    return list(read_articles([path], fallback=fallback))


@pytest.mark.parametrize(("name", "encoding", "data", "text"), CASES, ids=[c[0] for c in CASES])
def test_not_utf8_is_an_error_by_default_and_read_with_a_warning_with_the_fallback(tmp_path: Path, name: str, encoding: str, data: bytes, text: str | None) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    (error,) = read(path, None)
    assert isinstance(error, ArticleError) and "not valid UTF-8" in error.reason
    warnings: list[str] = []
    (article,) = read(path, Fallback(check_fallback_encoding(encoding), warnings.append))
    assert isinstance(article, Article), article
    if text is not None:
        assert article.text == text
    else:  # HTML: the main text, as trafilatura finds it
        assert "Zoë Müller" in article.text and "£5" in article.text
    (warning,) = warnings
    assert str(path) in warning and f"read as {check_fallback_encoding(encoding)}" in warning


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("nul.txt", "Café\x00 menu".encode("latin-1"), "looks like a binary file"),
        ("utf16.txt", "Headline\n\nCafé.".encode("utf-16"), "file is UTF-16 encoded"),
        ("undefined-in-cp1252.txt", b"Headline\n\nA \x81 byte cp1252 leaves undefined \xe9.", "nor cp1252 (byte 0x81 at offset 12)"),
    ],
)
def test_the_fallback_still_refuses_binary_wide_and_undecodable_files(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    warnings: list[str] = []
    (error,) = read(path, Fallback("cp1252", warnings.append))
    assert isinstance(error, ArticleError) and reason in error.reason, error
    assert warnings == []


def test_valid_utf8_never_warns_and_inputs_thread_the_fallback(tmp_path: Path) -> None:
    (tmp_path / "a-utf8.txt").write_text("Headline\n\n" + BODY, encoding="utf-8")
    (tmp_path / "b-cp1252.txt").write_bytes(("Other\n\n" + BODY).encode("cp1252"))
    warnings: list[str] = []
    errors: list[str] = []
    inputs = ArticleInputs([tmp_path], on_error=errors.append, fallback=Fallback("cp1252", warnings.append))
    articles = list(inputs)
    assert [a.text for a in articles] == [BODY, BODY] and inputs.failed == 0 and errors == []
    assert len(warnings) == 1 and "b-cp1252.txt" in warnings[0]


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("cp1252", "cp1252"), ("Windows-1252", "cp1252"), ("latin1", "iso8859-1"), ("ISO-8859-15", "iso8859-15")],
)
def test_encoding_names_are_canonical(name: str, canonical: str) -> None:
    assert check_fallback_encoding(name) == canonical


@pytest.mark.parametrize(("name", "reason"), [("no-such-codec", "unknown encoding"), ("utf-16", "not an ASCII-compatible"), ("base64", "not an ASCII-compatible"), ("rot13", "not an ASCII-compatible")])
def test_bad_encoding_names_are_refused(name: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        check_fallback_encoding(name)


# The commands


@pytest.fixture
def cp1252_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("OpenAI releases a model\n\nOpenAI released GPT-5 on Monday, the company said.", encoding="utf-8")
    (folder / "legacy.txt").write_bytes("Caf\u00e9 owner speaks\n\nZo\u00eb M\u00fcller, who runs the caf\u00e9, said prices rise.".encode("cp1252"))
    return folder


@pytest.mark.parametrize(
    ("extra", "code", "stderr_has", "articles"),
    [
        ([], 1, "legacy.txt: not valid UTF-8", 1),
        (["--encoding-fallback", "cp1252"], 0, "warning: ", 2),
        (["--encoding-fallback", "latin-1"], 0, "read as iso8859-1", 2),
    ],
    ids=["default-error", "cp1252", "latin-1"],
)
def test_extract_exit_codes_and_warning(tmp_path: Path, cp1252_folder: Path, extra: list[str], code: int, stderr_has: str, articles: int) -> None:
    out = tmp_path / "g.jsonl"
    result = runner.invoke(app, ["extract", str(cp1252_folder), "-o", str(out), "-q", "-p", "1", *extra])
    assert result.exit_code == code, result.output
    assert stderr_has in result.stderr and "Traceback" not in result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    texts = [r["text"] for r in records if r.get("kind") == "article"]
    assert len(texts) == articles
    if articles == 2:
        assert any("Zoë Müller" in t for t in texts)
        assert sum("legacy.txt" in line and "warning" in line for line in result.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", [["extract", "-o", "{out}"], ["ingest"]], ids=["extract", "ingest"])
@pytest.mark.parametrize("codec", ["no-such-codec", "utf-16"])
def test_a_bad_encoding_is_a_usage_error(tmp_path: Path, cp1252_folder: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], codec: str) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # nothing is reached: the option is checked first
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    out = tmp_path / "g.jsonl"
    args = [a.format(out=out) for a in command]
    result = runner.invoke(app, [args[0], str(cp1252_folder), *args[1:], "--encoding-fallback", codec])
    assert result.exit_code == 2, result.output
    assert "--encoding-fallback" in result.stderr and codec in result.stderr and "Traceback" not in result.output
    assert not out.exists()
