"""The naming data files in ``pipelines/``, loaded once into typed, immutable objects.

Used at extraction time (the extractor's naming step: places, model aliases, corporate suffixes,
product words, alias cues) and by cross-article resolution (:mod:`kg.resolve`, which imports it).

What counts as the same entity or the same statement is domain knowledge that analysts review and
correct (``pipelines/gazetteers/places.yml``, ``models_aliases.yml``, ``do_not_merge.yml`` and
``pipelines/lexicons/resolution.yml``); code only applies it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.extract.component import alias_table, load_data, yaml_file

PLACES_FILE = "gazetteers/places.yml"
MODEL_ALIASES_FILE = "gazetteers/models_aliases.yml"
DO_NOT_MERGE_FILE = "gazetteers/do_not_merge.yml"
SETTINGS_FILE = "lexicons/resolution.yml"
RESOLUTION_FILES = (PLACES_FILE, MODEL_ALIASES_FILE, DO_NOT_MERGE_FILE, SETTINGS_FILE)


@dataclass(frozen=True, slots=True)
class StatementSettings:
    """How SAID statements are compared (see :mod:`kg.resolve.statements`)."""

    content_pos: frozenset[str]
    ignore_lemmas: frozenset[str]
    negations: frozenset[str]
    number_words: dict[str, str]
    opposites: frozenset[tuple[str, str]]
    threshold: float
    min_shared: int


@dataclass(frozen=True, slots=True)
class ResolutionData:
    """Every alias table, word list and veto that resolution uses."""

    places: dict[str, str]  # surface (as written and lower-cased) -> canonical place name
    demonyms: dict[str, str]  # "Chinese" -> "China" (statement comparison only)
    model_aliases: dict[str, str]  # surface (as written and lower-cased) -> canonical model name
    corporate_suffixes: tuple[str, ...]  # longest first
    legal_form_names: frozenset[str]  # names that are a legal form, never shortened
    product_nouns: dict[str, str]  # lower-cased word(s) after an org name -> product suffix
    alias_cues: tuple[tuple[str, str], ...]  # (cue, rule), longest cue first
    cross_article_rules: frozenset[str]
    cross_article_min_acronym: int
    blocked_entities: frozenset[frozenset[str]]
    blocked_statements: frozenset[frozenset[str]]
    statements: StatementSettings
    #: the bytes of the data files it was read from (what a component's ``to_disk`` writes)
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    def canonical_place(self, surface: str) -> str | None:
        return self.places.get(surface) or self.places.get(surface.lower())

    def canonical_model(self, surface: str) -> str | None:
        return self.model_aliases.get(surface) or self.model_aliases.get(surface.lower())

    def entities_blocked(self, first: str, second: str) -> bool:
        """True when an analyst listed this pair of entity ids in ``do_not_merge.yml``."""
        return frozenset((first, second)) in self.blocked_entities

    def statements_blocked(self, first: str, second: str) -> bool:
        return frozenset((first, second)) in self.blocked_statements


def _read(files: Mapping[str, bytes], relative: str) -> Any:
    return yaml_file(files, relative, "resolution")


def _alias_table(entries: list[dict[str, Any]]) -> dict[str, str]:
    """surface -> canonical, for every name and alias of a gazetteer (as written and in lower case)."""
    return alias_table((entry["name"], entry.get("aliases") or ()) for entry in entries or ())


def _pairs(raw: list[list[str]] | None) -> frozenset[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for pair in raw or ():
        if len(pair) != 2 or pair[0] == pair[1]:
            raise ValueError(f"{DO_NOT_MERGE_FILE}: expected a pair of two different ids, got {pair!r}")
        pairs.add(frozenset(pair))
    return frozenset(pairs)


@cache
def load_resolution_data(directory: str | None = None) -> ResolutionData:
    """Load the resolution data from ``directory`` (default: the shipped ``pipelines/``)."""
    return load_data(directory, RESOLUTION_FILES, resolution_data_from_files)


def resolution_data_from_files(files: Mapping[str, bytes]) -> ResolutionData:
    """The resolution data of the files ``files`` (relative path -> bytes, see :data:`RESOLUTION_FILES`)."""
    base = files
    settings = _read(base, SETTINGS_FILE)
    blocked = _read(base, DO_NOT_MERGE_FILE) or {}
    cues = [(cue.lower(), rule) for rule, words in settings["learned_alias_cues"].items() for cue in words]
    stmt = settings["statements"]
    places = _read(base, PLACES_FILE)
    return ResolutionData(
        places=_alias_table(places),
        demonyms={d: p["name"] for p in places for d in p.get("demonyms") or ()},
        model_aliases=_alias_table(_read(base, MODEL_ALIASES_FILE)),
        corporate_suffixes=tuple(sorted(settings["corporate_suffixes"], key=len, reverse=True)),
        legal_form_names=frozenset(settings.get("legal_form_names") or ()),
        product_nouns={k.lower(): v for k, v in settings["product_nouns"].items()},
        alias_cues=tuple(sorted(cues, key=lambda c: -len(c[0]))),
        cross_article_rules=frozenset(settings["cross_article_rules"]),
        cross_article_min_acronym=int(settings.get("cross_article_min_acronym", 3)),
        blocked_entities=_pairs(blocked.get("entities")),
        blocked_statements=_pairs(blocked.get("statements")),
        statements=StatementSettings(
            content_pos=frozenset(stmt["content_pos"]),
            ignore_lemmas=frozenset(str(w).lower() for w in stmt["ignore_lemmas"]),
            negations=frozenset(str(w).lower() for w in stmt["negations"]),
            number_words={str(k).lower(): str(v) for k, v in stmt["number_words"].items()},
            opposites=frozenset((str(a).lower(), str(b).lower()) for a, b in stmt["opposites"]),
            threshold=float(stmt["threshold"]),
            min_shared=int(stmt["min_shared"]),
        ),
        files=dict(files),
    )
