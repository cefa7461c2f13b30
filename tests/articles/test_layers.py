"""Tests for the layering of kg.articles: each module imports only modules below it, so the
package has no import cycle (the order is the one kg/articles/__init__.py describes)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kg.articles

PACKAGE = Path(kg.articles.__file__).parent
#: lowest first: a module may import the ones before it, never one after it
ORDER = ("model", "dates", "boilerplate", "identity", "cleaning", "headers", "build", "discovery", "decoding", "html_pages", "readers")


def imported_siblings(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            names = [node.module]
            if node.module == "kg.articles":
                names = [f"kg.articles.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name.split(".")[2] for name in names if name.startswith("kg.articles."))
    return found


def test_every_module_is_in_the_order() -> None:
    assert {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"} == set(ORDER)


@pytest.mark.parametrize("module", ORDER)
def test_module_imports_only_lower_modules(module: str) -> None:
    lower = set(ORDER[: ORDER.index(module)])
    assert imported_siblings(module) <= lower, f"kg.articles.{module} imports {sorted(imported_siblings(module) - lower)}, which are not below it"


def test_the_package_init_imports_nothing() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    assert not [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
