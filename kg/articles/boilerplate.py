"""Site boilerplate data (``pipelines/boilerplate.yml``), loaded and compiled once per process:
lines to drop, footers to cut, date labels of header lines and URL tracking parameters."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from kg.resources import pipelines_dir

BOILERPLATE_FILE = "boilerplate.yml"


@dataclass(frozen=True, slots=True)
class Boilerplate:
    line: re.Pattern[str] | None
    cut: re.Pattern[str] | None
    date_label: re.Pattern[str]
    tracking_parameters: tuple[str, ...]


def _flatten_patterns(groups: Any, key: str) -> list[str]:
    if groups is None:
        return []
    if isinstance(groups, Mapping):
        return [pattern for group in groups.values() for pattern in _flatten_patterns(group, key)]
    if isinstance(groups, list) and all(isinstance(p, str) for p in groups):
        return list(groups)
    raise ValueError(f"{BOILERPLATE_FILE}: {key!r} must be lists of regex strings, optionally grouped")


def _union(patterns: list[str], source: str) -> re.Pattern[str] | None:
    for pattern in patterns:  # compile one by one so a bad entry is named in the error
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{source}: bad regex {pattern!r}: {exc}") from None
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def load_boilerplate() -> Boilerplate:
    """Load and compile ``pipelines/boilerplate.yml`` once per process."""
    path = pipelines_dir() / BOILERPLATE_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    labels = sorted(_flatten_patterns(data.get("date_labels"), "date_labels"), key=len, reverse=True)
    label_alternation = "|".join(re.escape(label) for label in labels) or r"(?!x)x"
    return Boilerplate(
        line=_union(_flatten_patterns(data.get("line_patterns"), "line_patterns"), str(path)),
        cut=_union(_flatten_patterns(data.get("cut_patterns"), "cut_patterns"), str(path)),
        date_label=re.compile(rf"(?:{label_alternation})\b\s*:?\s*", re.IGNORECASE),
        tracking_parameters=tuple(p.lower() for p in _flatten_patterns(data.get("url_tracking_parameters"), "url_tracking_parameters")),
    )
