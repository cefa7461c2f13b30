"""What a system must answer for each benchmark: one small protocol per task.

Runners depend only on these protocols, so metric and runner tests use hand-written fakes and
real runs plug in :class:`kg.eval.newskg.NewskgPredictor` (or the bare spaCy baseline). All
offsets are character offsets into exactly the text the predictor was given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from kg.eval.spans import Span


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A typed mention: newskg type names (Person, Organization, Model, Place)."""

    start: int
    end: int
    type: str


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said what: source, cue and content spans; a part the system did not find is ``None``."""

    source: Span | None = None
    cue: Span | None = None
    content: Span | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """A typed relation between two spans, subject first (newskg claim direction)."""

    subject: Span
    object: Span
    type: str
    qualifier: str | None = None
    """RELEASED's status or AFFILIATED_WITH's role, when the system gives one."""
    names: tuple[str, ...] = ()
    """Canonical names of (subject, object) when the system resolves them, for name-level scoring."""


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """A document-level entity: its type, its canonical name and every other surface form seen."""

    type: str
    name: str
    forms: tuple[str, ...] = field(default_factory=tuple)


class EntityPredictor(Protocol):
    def predict_entities(self, text: str) -> list[EntitySpan]: ...


class AttributionPredictor(Protocol):
    def predict_attributions(self, text: str) -> list[Attribution]: ...


class RelationPredictor(Protocol):
    def predict_relations(self, text: str) -> list[Relation]: ...


class NamePredictor(Protocol):
    def predict_names(self, text: str) -> list[NamedEntity]: ...


@runtime_checkable
class Prefetching(Protocol):
    """Optional: a predictor that can process a batch of texts at once (``nlp.pipe``).

    Runners call :meth:`prefetch` with the next batch before asking about its texts one by one,
    so the pipeline runs once per document and in batches.
    """

    def prefetch(self, texts: Sequence[str]) -> None: ...
