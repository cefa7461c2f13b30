"""Domain knowledge loaded from the data files in ``pipelines/``: gazetteers and word lists.

Everything newskg knows about the AI industry and about how news reports speech lives in YAML
files, so it can be reviewed and extended without touching code. This module turns those files
into typed, immutable objects; components receive the directory in their config.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from kg.extract.component import alias_table, load_data, yaml_file
from kg.schema import EntityType, ReleaseStatus


#: The kinds of look-alike names, one list each (gazetteers/lookalike/KIND.txt): what looks like an
#: organization, person or model but is a product, software, benchmark or hardware.
LOOKALIKE_KINDS = ("product", "software", "benchmark", "hardware")

#: The data files a lexicon is read from, relative to its directory (from results_tables.yml on, optional).
LEXICON_FILES = (
    "gazetteers/organizations.yml", "gazetteers/models.yml", "gazetteers/not_entities.yml", "lexicons/model_names.yml",
    "lexicons/release_verbs.yml", "lexicons/reporting_verbs.yml", "lexicons/roles.yml", "lexicons/anaphors.yml",
    "lexicons/results_tables.yml", "gazetteers/people.yml", "lexicons/common_words.txt",
    *(f"gazetteers/lookalike/{kind}.txt" for kind in LOOKALIKE_KINDS),
)


def _load_yaml(files: Mapping[str, bytes], relative: str) -> Any:
    return yaml_file(files, relative, "lexicon")


@dataclass(frozen=True, slots=True)
class OrganizationEntry:
    name: str
    aliases: tuple[str, ...]
    kind: str | None


@dataclass(frozen=True, slots=True)
class ModelFamily:
    stem: str
    family: str
    developer: str | None
    bare: EntityType | None  # what the stem alone names: a Model, an Organization ("Mistral") or nothing ("none")
    case_insensitive: bool
    requires_tail: bool
    not_before_surname: bool


@dataclass(frozen=True, slots=True)
class Lexicon:
    """All of newskg's domain data, loaded once per pipeline directory."""

    organizations: tuple[OrganizationEntry, ...]
    model_families: tuple[ModelFamily, ...]
    version_patterns: tuple[str, ...]
    model_variants: frozenset[str]
    model_stop_words: frozenset[str]
    not_entities: dict[str, frozenset[str]]
    release: dict[str, Any]
    reporting: dict[str, Any]
    roles: tuple[tuple[str, ...], ...]
    role_modifiers: frozenset[str]
    affiliation_verbs: dict[str, str]
    pronouns: dict[str, frozenset[str]]
    nominal_anaphors: dict[str, frozenset[str]]
    org_alias_index: dict[str, str] = field(default_factory=dict)
    results_lines: tuple[str, ...] = ()  # regexes of results-table lines; named groups team*
    people: tuple[str, ...] = ()  # well-known people of AI news (gazetteers/people.yml)
    #: words AI news writes in lower case far more often than capitalized (lexicons/common_words.txt,
    #: made by train/ner/common_words.py): never a surname or a one-word organization
    common_words: frozenset[str] = frozenset()
    #: look-alike names (gazetteers/lookalike/{product,software,benchmark,hardware}.txt), lower case -> kind
    lookalikes: dict[str, str] = field(default_factory=dict)
    #: leading roles that name a person's organization from context ("CEO Eddie Wu"), as token tuples
    context_roles: tuple[tuple[str, ...], ...] = ()
    #: the bytes of the data files it was read from (what a component's ``to_disk`` writes)
    files: Mapping[str, bytes] = field(default_factory=dict, repr=False, compare=False)

    @property
    def release_verbs(self) -> frozenset[str]:
        return frozenset(self.release[ReleaseStatus.RELEASED]["verbs"])

    @property
    def announce_verbs(self) -> frozenset[str]:
        return frozenset(self.release[ReleaseStatus.ANNOUNCED]["verbs"])

    @property
    def plan_governors(self) -> frozenset[str]:
        return frozenset(self.release[ReleaseStatus.PLANNED]["governors"])

    @property
    def plan_modals(self) -> frozenset[str]:
        return frozenset(self.release[ReleaseStatus.PLANNED]["modals"])

    @property
    def plan_nouns(self) -> frozenset[str]:
        return frozenset(self.release[ReleaseStatus.PLANNED]["nouns"])

    @property
    def release_nouns(self) -> frozenset[str]:
        return frozenset(self.release["nominal"])

    @property
    def model_nouns(self) -> frozenset[str]:
        return frozenset(word.lower() for word in self.release["model_nouns"])

    @property
    def clausal_cues(self) -> frozenset[str]:
        return frozenset(self.reporting["clausal"])

    @property
    def nominal_cues(self) -> frozenset[str]:
        return frozenset(self.reporting["nominal"])

    @property
    def clause_only_cues(self) -> frozenset[str]:
        return frozenset(self.reporting["clause_only"])

    @property
    def infinitival_cues(self) -> frozenset[str]:
        return frozenset(self.reporting.get("infinitival", []))

    @property
    def prepositional_object_cues(self) -> dict[str, frozenset[str]]:
        return {verb: frozenset(preps) for verb, preps in self.reporting.get("prepositional_objects", {}).items()}

    @property
    def phrasal_cues(self) -> dict[str, str]:
        return dict(self.reporting["phrasal"])

    @property
    def prepositional_cues(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(words) for words in self.reporting["prepositional"])

    def canonical_organization(self, surface: str) -> str | None:
        """Canonical gazetteer name for an organization surface form, if it is a known alias."""
        return self.org_alias_index.get(surface) or self.org_alias_index.get(surface.lower())

    def family_of(self, stem: str) -> ModelFamily | None:
        for family in self.model_families:
            if family.stem == stem or (family.case_insensitive and family.stem.lower() == stem.lower()):
                return family
        return None


def _families(raw: list[dict[str, Any]]) -> tuple[ModelFamily, ...]:
    families: list[ModelFamily] = []
    for entry in raw:
        stems = entry.get("stems") or [entry["stem"]]
        for stem in stems:
            families.append(
                ModelFamily(
                    stem=stem,
                    family=entry.get("family", stem),
                    developer=entry.get("developer"),
                    bare=_bare_type(stem, entry.get("bare", "none")),
                    case_insensitive=entry.get("case", "exact") == "any",
                    requires_tail=bool(entry.get("requires_tail", False)),
                    not_before_surname=bool(entry.get("not_before_surname", False)),
                )
            )
    # Longest stems first so "Code Llama" wins over "Llama" in an alternation.
    return tuple(sorted(families, key=lambda f: -len(f.stem)))


def _bare_type(stem: str, bare: str) -> EntityType | None:
    """The entity type a family stem names on its own (``bare`` in gazetteers/models.yml)."""
    if bare == "none":
        return None
    if bare not in (EntityType.MODEL, EntityType.ORGANIZATION):
        raise ValueError(f"gazetteers/models.yml: stem {stem!r}: bare must be Model, Organization or none, not {bare!r}")
    return EntityType(bare)


@cache
def load_lexicon(directory: str | None = None) -> Lexicon:
    """Load the lexicon from ``directory`` (default: the shipped ``pipelines/``)."""
    return load_data(directory, LEXICON_FILES, lexicon_from_files)


def lexicon_from_files(files: Mapping[str, bytes]) -> Lexicon:
    """The lexicon of the data files ``files`` (relative path -> bytes, see :data:`LEXICON_FILES`)."""
    base = files
    orgs_raw = _load_yaml(base, "gazetteers/organizations.yml")
    organizations = tuple(
        OrganizationEntry(name=o["name"], aliases=tuple(o.get("aliases") or ()), kind=o.get("kind")) for o in orgs_raw
    )
    alias_index = alias_table((org.name, org.aliases) for org in organizations)
    grammar = _load_yaml(base, "lexicons/model_names.yml")
    not_entities = _load_yaml(base, "gazetteers/not_entities.yml")
    roles_raw = _load_yaml(base, "lexicons/roles.yml")
    anaphors = _load_yaml(base, "lexicons/anaphors.yml")
    return Lexicon(
        organizations=organizations,
        model_families=_families(_load_yaml(base, "gazetteers/models.yml")),
        version_patterns=tuple(grammar["version_patterns"]),
        model_variants=frozenset(grammar["variants"]),
        model_stop_words=frozenset(grammar["stop_words"]),
        not_entities={key: frozenset(values) for key, values in not_entities.items()},
        release=_load_yaml(base, "lexicons/release_verbs.yml"),
        reporting=_load_yaml(base, "lexicons/reporting_verbs.yml"),
        roles=tuple(tuple(role.lower().replace("-", " - ").split()) for role in roles_raw["roles"]),
        role_modifiers=frozenset(m.lower() for m in roles_raw["modifiers"]),
        affiliation_verbs={verb.lower(): kind for kind, verbs in (roles_raw.get("affiliation_verbs") or {}).items() for verb in verbs},
        context_roles=tuple(sorted((tuple(r.lower().replace("-", " - ").split()) for r in roles_raw.get("context_roles", [])), key=len, reverse=True)),
        pronouns={key: frozenset(values) for key, values in anaphors["pronouns"].items()},
        nominal_anaphors={key: frozenset(v.lower() for v in values) for key, values in anaphors["nominals"].items()},
        org_alias_index=alias_index,
        results_lines=_results_lines(base),
        people=tuple(str(n) for n in (_load_yaml(base, "gazetteers/people.yml") or [])) if "gazetteers/people.yml" in base else (),
        common_words=_word_list(base, "lexicons/common_words.txt"),
        lookalikes=_lookalikes(base),
        files=dict(files),
    )


def _lookalikes(base: Mapping[str, bytes]) -> dict[str, str]:
    """lower-case name -> look-alike kind ("product", ...), the first list naming it winning."""
    table: dict[str, str] = {}
    for kind in LOOKALIKE_KINDS:
        for name in _list_lines(base, f"gazetteers/lookalike/{kind}.txt"):
            table.setdefault(name.lower(), kind)
    return table


def _word_list(base: Mapping[str, bytes], relative: str) -> frozenset[str]:
    """The words of an optional one-word-a-line file."""
    return frozenset(_list_lines(base, relative))


def _list_lines(base: Mapping[str, bytes], relative: str) -> list[str]:
    """The entries of an optional one-entry-a-line file, in order (``#`` starts a comment line)."""
    lines = base[relative].decode("utf-8").splitlines() if relative in base else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _results_lines(base: Mapping[str, bytes]) -> tuple[str, ...]:
    if "lexicons/results_tables.yml" not in base:
        return ()
    tables = _load_yaml(base, "lexicons/results_tables.yml")
    return tuple(line.replace("{team}", tables["team"]) for line in tables["lines"].values())


def compile_alternation(words: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of literal words, longest first (so prefixes never shadow longer words)."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))
