"""Canonical names and stable ids for entities.

Ids are derived from the entity type and a normalized key of its canonical name, so the same
entity gets the same id in every run and every article ("GLM-4.5", "GLM 4.5" and "glm-4.5" are
all ``model:glm-4.5``). Cross-article resolution beyond these rules builds on this module.
"""

from __future__ import annotations

import re
import unicodedata

TYPE_PREFIX = {"Organization": "org", "Person": "person", "Model": "model", "Place": "place"}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_NON_KEY = re.compile(r"[^a-z0-9.]+")


def clean_surface(text: str) -> str:
    """Collapse whitespace and drop a trailing possessive and a leading "the"."""
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    return _LEADING_THE.sub("", text).strip(" ,;:")


def name_key(name: str) -> str:
    """Normalized key: ASCII, lowercase, runs of other characters to one hyphen, dots kept in versions."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    key = _NON_KEY.sub("-", ascii_name).strip("-.")
    key = re.sub(r"(?<![0-9])\.|\.(?![0-9])", "-", key)  # dots only between digits ("4.5")
    return re.sub(r"-{2,}", "-", key).strip("-")


def entity_id(entity_type: str, canonical_name: str) -> str:
    return f"{TYPE_PREFIX[entity_type]}:{name_key(canonical_name)}"
