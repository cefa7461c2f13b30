"""Canonical names and stable ids for entities.

Ids are derived from the entity type and a normalized key of its canonical name, so the same
entity gets the same id in every run and every article ("GLM-4.5", "GLM 4.5" and "glm-4.5" are
all ``model:glm-4.5``). Keys also absorb spelling that does not change what is named: an
organization's legal form ("Nimbara Robotics Inc." is ``org:nimbara-robotics``) and a version glued
to its model family stem ("Qwen3" and "Qwen 3" are ``model:qwen-3``). Which names denote the same
entity beyond spelling is decided by the extractor's naming step and :mod:`kg.resolve`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Final

from kg.schema import ENTITIES, EntityType, stored_entity_types

#: Entity type -> id prefix (``org`` in ``org:zhipu-ai``), for the types the graph stores: the
#: registry's ``id_prefix`` (kg/schema.py).
TYPE_PREFIX: Final[dict[EntityType, str]] = {t: ENTITIES[t].id_prefix for t in stored_entity_types()}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_NON_KEY = re.compile(r"[^a-z0-9.]+")


def clean_surface(text: str) -> str:
    """Collapse whitespace and drop a trailing possessive and a leading "the"."""
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    return _LEADING_THE.sub("", text).strip(" ,;:")


#: A key longer than this keeps its first MAX_KEY_CHARS - 17 characters and gets "~" and 16 hex
#: digits of the SHA-256 of the whole key: ids stay distinct and short enough for Neo4j's indexes
#: (whose entries are limited to about 8 KB), whatever a text calls a name.
MAX_KEY_CHARS = 160


def name_key(name: str) -> str:
    """Normalized key: ASCII, lowercase, runs of other characters to one hyphen, dots kept in versions.

    Bounded: a key over :data:`MAX_KEY_CHARS` ends in a hash of the whole key instead."""
    # a Unicode dash ("GPT‑5.1" with U+2011) is a hyphen, not a character to drop ("gpt5.1")
    dashed = "".join("-" if unicodedata.category(ch) == "Pd" else ch for ch in name)
    ascii_name = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode("ascii").lower()
    key = _NON_KEY.sub("-", ascii_name).strip("-.")
    key = re.sub(r"(?<![0-9])\.|\.(?![0-9])", "-", key)  # dots only between digits ("4.5")
    key = re.sub(r"-{2,}", "-", key).strip("-")
    if len(key) > MAX_KEY_CHARS:
        key = key[: MAX_KEY_CHARS - 17].rstrip("-.") + "~" + hashlib.sha256(key.encode("ascii")).hexdigest()[:16]
    return key


@lru_cache(maxsize=65_536)
def strip_corporate_suffix(name: str, suffixes: tuple[str, ...]) -> str:
    """Drop a trailing legal form ("Inc.", ", Ltd.") from an organization name, if anything remains.

    ``suffixes`` come from ``pipelines/lexicons/resolution.yml``, longest first so that
    "Co., Ltd." goes whole.
    """
    for suffix in suffixes:
        for joint in (" ", ", "):
            tail = joint + suffix
            if name.endswith(tail) and len(name) > len(tail):
                return name[: -len(tail)].rstrip(" ,")
    return name


def entity_id(entity_type: EntityType | str, canonical_name: str) -> str:
    """The stable id of an entity of a stored type: its type's id prefix and the name's key."""
    return f"{TYPE_PREFIX[entity_type]}:{name_key(canonical_name)}"


def model_entity_id(name: str, stem: str | None) -> str:
    """Id of a model name whose family ``stem`` is known: a version glued to the stem is split off.

    "Qwen3", "GPT4o" and "Llama3.1" key like "Qwen 3", "GPT-4o" and "Llama 3.1"; a stem that itself
    ends in a digit ("T5", "o3") or a tail that starts with a letter ("Kimi-K2") is left alone.
    """
    if stem and len(name) > len(stem) and name[: len(stem)].lower() == stem.lower():
        if name[len(stem)].isdigit() and not stem[-1].isdigit():
            return f"{TYPE_PREFIX[EntityType.MODEL]}:{name_key(stem)}-{name_key(name[len(stem):])}"
    return entity_id(EntityType.MODEL, name)
