"""What a load or forget did: counts from Neo4j's own counters, and the problems found on the way."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

#: Problems kept in a summary for display; all of them are counted.
MAX_KEPT_PROBLEMS = 1_000


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the input that was not loaded as given, located as ``source:line``."""

    source: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class LoadSummary:
    """What a load or forget did. Counts of graph changes come from Neo4j's own counters."""

    articles_created: int = 0
    articles_updated: int = 0
    articles_unchanged: int = 0
    articles_forgotten: int = 0
    articles_not_found: int = 0
    entities_created: int = 0
    entities_removed: int = 0
    claims_created: int = 0
    claims_removed: int = 0
    evidence_created: int = 0
    evidence_removed: int = 0
    mentions_created: int = 0
    mentions_removed: int = 0
    #: DUPLICATE_OF links made between articles that share a body hash (copies, syndication)
    duplicates_linked: int = 0
    #: articles given again in the same input (same id and content): skipped, not a problem
    duplicate_inputs: int = 0
    records: int = 0
    facts: int = 0
    malformed: int = 0
    skipped: int = 0
    warnings: int = 0
    batches: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def problem_count(self) -> int:
        """Malformed lines + skipped records + warnings (values stored differently than given)."""
        return self.malformed + self.skipped + self.warnings

    @property
    def articles_seen(self) -> int:
        return self.articles_created + self.articles_updated + self.articles_unchanged

    def note(self, problem: Problem) -> None:
        if len(self.problems) < MAX_KEPT_PROBLEMS:
            self.problems.append(problem)

    def merge(self, other: LoadSummary) -> None:
        """Add ``other``'s counts (and kept problems) into this summary."""
        for f in fields(self):
            if f.name == "problems":
                for problem in other.problems:
                    self.note(problem)
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
