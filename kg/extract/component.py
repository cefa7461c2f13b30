"""What every newskg spaCy component shares: ``pipe()`` and the data-file serialization.

A newskg component works doc by doc (``__call__``: detect, then set annotations: :class:`DocByDoc`)
or predicts on batches (:class:`InBatches`), so ``pipe()`` is written once here. Its data (the YAML lexicons and gazetteers of ``pipelines/``, a
classifier's weights) is kept in memory as the files' bytes, keyed by their path relative to the
data directory: ``to_disk`` writes them under the component's folder of ``nlp.to_disk(DIR)`` and
``from_disk`` reads them back, so ``spacy.load(DIR)`` rebuilds exactly the same objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from spacy.tokens import Doc
from spacy.util import minibatch

from kg.resources import pipelines_dir

T = TypeVar("T")


class DocByDoc:
    """``pipe()`` for components whose ``__call__`` handles one doc."""

    def __call__(self, doc: Doc) -> Doc:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


class InBatches:
    """``__call__`` and ``pipe()`` for components that predict on batches of ``batch_size`` docs
    (their ``process_batch`` annotates a list of docs and returns it)."""

    batch_size: int

    def process_batch(self, docs: list[Doc]) -> list[Doc]:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        return self.process_batch([doc])[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            yield from self.process_batch(list(batch))


def read_files(directory: Path, names: Iterable[str]) -> dict[str, bytes]:
    """The bytes of each of ``names`` (paths relative to ``directory``) that exists there."""
    return {name: (directory / name).read_bytes() for name in names if (directory / name).is_file()}


def read_tree(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory``, keyed by its relative POSIX path."""
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


class MissingDataFile(ValueError):
    """A data file a component needs is not among its files."""


def load_data(directory: str | None, names: Iterable[str], parse: Callable[[Mapping[str, bytes]], T]) -> T:
    """``parse`` of the data files ``names`` read from ``directory`` (default: the shipped
    ``pipelines/``); a missing one is a FileNotFoundError naming the directory and the file."""
    base = Path(directory) if directory else pipelines_dir()
    try:
        return parse(read_files(base, names))
    except MissingDataFile as exc:
        raise FileNotFoundError(f"{base}: {exc}") from None


def yaml_file(files: Mapping[str, bytes], relative: str, kind: str) -> Any:
    """The parsed YAML data file ``relative`` of ``files``; ``kind`` names the data in the error."""
    if relative not in files:
        raise MissingDataFile(f"{kind} data file {relative} is missing")
    return yaml.safe_load(files[relative].decode("utf-8"))


def alias_table(entries: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """surface -> canonical name, for every (name, aliases): each name and alias as written and in
    lower case (the first entry to claim a surface wins)."""
    table: dict[str, str] = {}
    for name, aliases in entries:
        for surface in (name, *aliases):
            table.setdefault(surface, name)
            table.setdefault(surface.lower(), name)
    return table


def write_files(directory: Path, files: Mapping[str, bytes]) -> None:
    for name, data in files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
