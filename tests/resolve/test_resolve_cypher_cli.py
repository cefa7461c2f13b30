"""Hygiene of the resolution layer's Cypher and its command line without a database."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.resolve import cypher

runner = CliRunner()


def test_every_resolve_statement_takes_data_as_parameters() -> None:
    statements = [v for k, v in vars(cypher).items() if k.isupper() and isinstance(v, str) and ("MATCH" in v or "MERGE" in v)]
    assert len(statements) > 20
    for statement in statements:
        assert "{{" not in statement and "}}" not in statement and "%s" not in statement
        # data comes in as parameters; a list collected by the statement itself (`said`) is no data
        assert not re.search(r"UNWIND (?![$]|named\b|said\b)", statement), statement


def test_resolve_with_the_database_down_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    monkeypatch.setenv("NEO4J_PASSWORD", "x")
    result = runner.invoke(app, ["resolve"])
    assert result.exit_code == 1
    assert "bolt://127.0.0.1:1" in result.stderr and "Traceback" not in result.output
