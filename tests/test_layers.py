"""The import layering of ``kg`` that docs/architecture.md documents, checked against the code.

The table under "## Layers" in docs/architecture.md is the source of truth: one row a package
(or top-level module) of ``kg`` with the packages it may import. These tests fail when

* a package or module of ``kg`` is missing from the table (every new package gets a place);
* code imports a package its row does not allow (an upward or sideways import), counting
  every ``import`` statement: module level, inside functions and under ``TYPE_CHECKING``;
* the table itself allows a cycle (then it would not be a layering);
* two modules of ``kg`` import each other, directly or round a longer circle.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kg"
ARCHITECTURE = ROOT / "docs" / "architecture.md"


# ------------------------------------------------------------------------------------------------
# Reading the code and the document
# ------------------------------------------------------------------------------------------------


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def kg_modules(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, package.parent): path for path in sorted(package.rglob("*.py"))}


def imported_names(source: str, module: str, is_package: bool) -> Iterator[str]:
    """Every ``kg`` module named by an import statement anywhere in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target
            # ``from kg.extract import names`` imports the module kg.extract.names
            yield from (f"{target}.{alias.name}" for alias in node.names)


def resolve_module(name: str, modules: dict[str, Path]) -> str | None:
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_names(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"):
            if name == "kg" or name.startswith("kg."):
                target = resolve_module(name, modules)
                if target and target != module:
                    targets.add(target)
        graph[module] = targets
    return graph


def unit_of(module: str) -> str:
    """The layering unit: ``kg`` itself, a top-level module or a subpackage of ``kg``."""
    return ".".join(module.split(".")[:2])


def layer_table(text: str) -> dict[str, tuple[str, set[str]]]:
    """``{unit: (layer, {units it may import})}`` from the table under "## Layers"."""
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    table: dict[str, tuple[str, set[str]]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or "`kg" not in cells[1]:
            continue
        layer, units, allowed = cells
        if "every package above" in allowed:
            may_import = set(table)
        else:
            may_import = set(re.findall(r"`(kg(?:\.\w+)?)`", allowed))
        for unit in re.findall(r"`(kg(?:\.\w+)?)`", units):
            table[unit] = (layer, may_import)
    return table


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


MODULES = kg_modules()
GRAPH = import_graph(MODULES)
TABLE = layer_table(ARCHITECTURE.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------------
# The checker itself, on made-up code
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "module", "is_package", "expected"),
    [
        ("import kg.neo4j.server", "kg.cli", False, {"kg.neo4j.server"}),
        ("from kg.neo4j import server", "kg.cli", False, {"kg.neo4j", "kg.neo4j.server"}),
        ("def f():\n    from kg.resolve.names import x", "kg.extract.a", False, {"kg.resolve.names", "kg.resolve.names.x"}),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kg.ingest import y", "kg.stats", False, {"kg.ingest", "kg.ingest.y", "typing", "typing.TYPE_CHECKING"}),
        ("from .server import z", "kg.neo4j.connection", False, {"kg.neo4j.server", "kg.neo4j.server.z"}),
        ("from . import cypher", "kg.neo4j", True, {"kg.neo4j", "kg.neo4j.cypher"}),
        ("from .. import document", "kg.neo4j.loader", False, {"kg", "kg.document"}),
    ],
)
def test_imported_names(source: str, module: str, is_package: bool, expected: set[str]) -> None:
    assert set(imported_names(source, module, is_package)) == expected


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"a"}}, []),
    ],
)
def test_cycles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert cycles(graph) == expected


def test_layer_table_parser() -> None:
    text = (
        "# x\n## Layers\n| layer | packages | may import |\n| --- | --- | --- |\n| 0 base | `kg`, `kg.schema` | — |\n"
        "| 1 input | `kg.articles` | `kg`, `kg.schema` |\n| 2 top | `kg.cli` | every package above |\n## Next\n| x | `kg.nope` | b |\n"
    )
    assert layer_table(text) == {
        "kg": ("0 base", set()),
        "kg.schema": ("0 base", set()),
        "kg.articles": ("1 input", {"kg", "kg.schema"}),
        "kg.cli": ("2 top", {"kg", "kg.schema", "kg.articles"}),
    }


# ------------------------------------------------------------------------------------------------
# The real code against the documented layers
# ------------------------------------------------------------------------------------------------


def test_every_package_has_a_layer() -> None:
    units = {unit_of(module) for module in MODULES}
    missing = sorted(units - set(TABLE))
    assert not missing, f"not placed in docs/architecture.md's layer table: {missing}"
    stale = sorted(set(TABLE) - units)
    assert not stale, f"docs/architecture.md names packages that do not exist: {stale}"


def test_no_import_outside_the_documented_layers() -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if unit_of(target) != unit_of(module) and unit_of(target) not in TABLE.get(unit_of(module), ("", set()))[1]
    )
    assert not wrong, "imports that docs/architecture.md does not allow:\n" + "\n".join(wrong)


def test_the_documented_layers_have_no_cycle() -> None:
    allowed = {unit: may_import - {unit} for unit, (_, may_import) in TABLE.items()}
    assert cycles(allowed) == []


def test_no_import_cycle_between_modules() -> None:
    assert cycles(GRAPH) == []
