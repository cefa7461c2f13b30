"""Stream extraction results out as one graph document, and summarize them for people.

Entities recur across articles; the writer emits an entity line the first time it is seen and
again only when an article adds aliases, so a document stays small and still streams (every
entity line precedes the mentions and claims that reference it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from kg.document import EntityRecord, Header, Record, write_records
from kg.extract.extractor import ArticleResult


@dataclass
class ExtractionSummary:
    articles: int = 0
    failed: int = 0
    repeated: int = 0  # inputs that repeat an article already read (skipped)
    entities: Counter[str] = field(default_factory=Counter)  # type -> distinct entities
    claims: Counter[str] = field(default_factory=Counter)  # type -> reports
    mentions_by_entity: Counter[str] = field(default_factory=Counter)
    entity_names: dict[str, str] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def add(self, result: ArticleResult) -> None:
        self.articles += 1
        for entity in result.entities:
            if entity.id not in self.entity_names:
                self.entity_names[entity.id] = entity.name
                self.entities[entity.type] += 1
        for mention in result.mentions:
            self.mentions_by_entity[mention.entity] += 1
        for claim in result.claims:
            self.claims[claim.type] += 1
            if len(self.examples) < 12 and claim.type in ("RELEASED", "AFFILIATED_WITH"):
                self.examples.append(self._describe(claim.type, claim.subject, claim.object, claim.status or claim.role))

    def _describe(self, kind: str, subject: str | None, obj: str | None, qualifier: str | None) -> str:
        name = lambda eid: self.entity_names.get(eid or "", eid or "?")  # noqa: E731
        return f"{name(subject)} -{kind}{f' ({qualifier})' if qualifier else ''}-> {name(obj)}"

    def render(self) -> str:
        lines = [f"articles: {self.articles} extracted, {self.failed} failed, {self.repeated} repeated input(s) skipped"]
        lines.append("entities: " + ", ".join(f"{n} {t}" for t, n in sorted(self.entities.items())) if self.entities else "entities: none")
        lines.append("claims:   " + ", ".join(f"{n} {t}" for t, n in sorted(self.claims.items())) if self.claims else "claims:   none")
        top = ", ".join(f"{self.entity_names.get(e, e)} ({n})" for e, n in self.mentions_by_entity.most_common(8))
        if top:
            lines.append(f"most mentioned: {top}")
        lines.extend(f"  {example}" for example in self.examples)
        return "\n".join(lines)


class GraphDocumentWriter:
    """Writes a header, then each article's records, de-duplicating entity lines."""

    def __init__(self, out: IO[str], model: str | None = None) -> None:
        self.out = out
        self._aliases: dict[str, frozenset[str]] = {}
        write_records([Header(model=model)], out)

    def write(self, result: ArticleResult) -> None:
        write_records(self._records(result), self.out)

    def _records(self, result: ArticleResult) -> Iterator[Record]:
        for record in result.records():
            if isinstance(record, EntityRecord):
                known = self._aliases.get(record.id)
                aliases = frozenset(record.aliases)
                if known is not None and aliases <= known:
                    continue
                merged = (known or frozenset()) | aliases
                self._aliases[record.id] = merged
                record = EntityRecord(id=record.id, type=record.type, name=record.name, aliases=sorted(merged), attributes=record.attributes)
            yield record
