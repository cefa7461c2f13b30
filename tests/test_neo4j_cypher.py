"""The homes of Cypher: every statement lives in one module per purpose, and is fixed text.

Homes: load (``kg.neo4j.cypher``), admin (``kg.neo4j.admin_cypher``), resolve
(``kg.resolve.cypher``), export (``kg.export.cypher``), plus the analysts' ``queries/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from kg.export import cypher as export_cypher
from kg.neo4j import admin_cypher
from kg.neo4j import cypher as load_cypher
from kg.resolve import cypher as resolve_cypher

REPO = Path(__file__).resolve().parents[1]
HOMES = {
    "kg/neo4j/cypher.py",
    "kg/neo4j/admin_cypher.py",
    "kg/resolve/cypher.py",
    "kg/export/cypher.py",
}
#: A Cypher clause opening a line or a string literal (how a statement reads in Python source).
_CLAUSE = re.compile(r"""(?:^\s*|["']\s*)(?:OPTIONAL MATCH|MATCH|MERGE|UNWIND|CALL|CREATE|DETACH DELETE|RETURN)[ (]""")


def _statements(module: ModuleType) -> list[str]:
    statements = [v for k, v in vars(module).items() if k.isupper() and isinstance(v, str) and k not in ("ENTITY_LABELS",)]
    statements += [s for k, v in vars(module).items() if k.isupper() and isinstance(v, dict) for s in v.values() if isinstance(s, str) and "\n" in s]
    return statements


def test_every_load_statement_takes_data_as_parameters() -> None:
    statements = _statements(load_cypher)
    assert len(statements) > 25
    for statement in statements:
        # Fixed text: no formatting leftovers, and batch input only through parameters.
        assert "{{" not in statement and "}}" not in statement and "%s" not in statement
        assert not re.search(r"UNWIND (?![$]|row\.|coalesce|named)", statement), statement


@pytest.mark.parametrize(("module", "at_least"), [(admin_cypher, 4), (export_cypher, 7), (resolve_cypher, 10)])
def test_the_other_homes_hold_fixed_statements(module: ModuleType, at_least: int) -> None:
    statements = [s for s in _statements(module) if re.search(r"\b(MATCH|RETURN|CALL|MERGE|UNWIND)\b", s)]
    assert len(statements) >= at_least
    for statement in statements:
        assert "{{" not in statement and "}}" not in statement and "%s" not in statement


def _inline_cypher(path: Path) -> list[str]:
    return [f"{path.relative_to(REPO)}:{n}: {line.strip()}" for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if _CLAUSE.search(line)]


def test_no_cypher_outside_its_homes() -> None:
    found = [hit for path in sorted((REPO / "kg").rglob("*.py")) if str(path.relative_to(REPO)) not in HOMES for hit in _inline_cypher(path)]
    assert found == []


def test_the_detector_sees_inline_cypher(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        'Q = """\nMATCH (n)\nRETURN n\n"""\nsession.run("CALL dbms.components() YIELD name")\nMATCHES = ("exact",)  # MATCH in a comment\n',
        encoding="utf-8",
    )
    hits = [n for n, line in enumerate(sample.read_text(encoding="utf-8").splitlines(), 1) if _CLAUSE.search(line)]
    assert hits == [2, 3, 5]
