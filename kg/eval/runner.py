"""The loop every set shares: feed documents to a predictor in batches, one call per document."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from kg.eval.predictors import Prefetching

D = TypeVar("D")
P = TypeVar("P")

Tick = Callable[[], None]
"""Called once per finished document (drives the progress bar)."""


def batched(items: Iterable[D], size: int) -> Iterator[list[D]]:
    """Consecutive lists of at most ``size`` items."""
    iterator = iter(items)
    while batch := list(islice(iterator, max(1, size))):
        yield batch


def predict_each(
    docs: Iterable[D],
    text_of: Callable[[D], str],
    predict: Callable[[str], P],
    predictor: object,
    *,
    batch_size: int = 16,
    tick: Tick | None = None,
) -> Iterator[tuple[D, P]]:
    """Yield ``(doc, prediction)``, letting a :class:`Prefetching` predictor see each batch first."""
    for batch in batched(docs, batch_size):
        if isinstance(predictor, Prefetching):
            predictor.prefetch([text_of(doc) for doc in batch])
        for doc in batch:
            yield doc, predict(text_of(doc))
            if tick is not None:
                tick()
