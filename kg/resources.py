"""Locate the data files that ship with newskg (``pipelines/`` and ``queries/``).

In a source checkout they sit at the repository's top level; in an installed wheel they are
package data under ``kg/_data``. Code asks this module instead of guessing paths.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the directory holding the shipped data folder ``name`` ("pipelines" or "queries")."""
    candidates = (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"newskg data folder {name!r} not found (looked in {', '.join(map(str, candidates))})")


def pipelines_dir() -> Path:
    return data_dir("pipelines")


def queries_dir() -> Path:
    return data_dir("queries")
