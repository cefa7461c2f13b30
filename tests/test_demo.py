"""`make demo` never mixes with the user's data: its own Neo4j instance, emptied first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def demo_recipe() -> str:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^demo:.*?\n((?:\t.*\n|.*\\\n)+)", text, re.MULTILINE)
    assert match, "no demo target"
    return match.group(1)


def test_the_demo_uses_its_own_fresh_instance() -> None:
    recipe = demo_recipe()
    assert re.search(r"kg neo4j start -i demo --fresh ", recipe)
    # every command that reads or writes the database runs in the shell that points at the demo instance
    env_at = recipe.index('eval "$$($(BIN)/kg neo4j env -i demo)"')
    for command in ("kg load", "kg resolve", "kg query"):
        positions = [m.start() for m in re.finditer(re.escape(command), recipe)]
        assert positions and all(p > env_at for p in positions), command
    shell = recipe[env_at:].split("\n\t@echo")[0]
    assert all(line.rstrip().endswith("\\") for line in shell.splitlines()[:-1]), "one shell, so the exports hold"
    assert "untouched" in recipe


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["neo4j", "start", "--fresh"], "refused for the 'default' instance"),
        (["neo4j", "env", "-i", "no-such-instance-here"], "is not running"),
    ],
)
def test_refusals_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.setenv("NEWSKG_HOME", str(tmp_path))
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "neo4j" / "instances" / "default").exists()
