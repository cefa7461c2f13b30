"""A per-article time budget: extraction that runs past it raises :class:`ArticleTimeout`.

The budget is CPU time (``ITIMER_PROF``: user + system time of the process, signalled with
``SIGPROF``), so a busy machine does not make ordinary articles miss it and a run gives the same
result whatever else runs beside it. It works in the main thread of a process (the CLI, and the
local worker processes, whose tasks run in their main thread); elsewhere (a Dask worker's
thread, a nested budget) the call simply runs unbounded. Python delivers the signal between
bytecodes, so code stuck inside one C call is stopped when that call returns: the readers and
the tokenizer guard (:data:`kg.articles.cleaning.MAX_TOKEN_CHARS`) keep such calls short.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: CPU seconds every article (or batch of articles) may take, plus SECONDS_PER_10K_CHARS per
#: 10,000 characters: far above what ordinary text needs (about 0.4 s per 10,000 characters; a
#: page of punctuation, one token a character, about 5 s), so only pathological input reaches
#: it. ``NEWSKG_ARTICLE_SECONDS`` overrides the base.
BASE_SECONDS = 30.0
SECONDS_PER_10K_CHARS = 10.0


class ArticleTimeout(Exception):
    """Extraction of an article ran past its time budget."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"extraction took over {seconds:.0f} s of CPU time, the article's time budget")


def seconds_for(chars: int) -> float:
    """The time budget for ``chars`` characters of text."""
    base = float(os.environ.get("NEWSKG_ARTICLE_SECONDS") or BASE_SECONDS)
    return base + SECONDS_PER_10K_CHARS * chars / 10_000


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ArticleTimeout` in the block once ``seconds`` have passed (see the module doc)."""
    if (
        seconds is None
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_PROF)[0] > 0  # an outer budget is running: it rules
    ):
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise ArticleTimeout(seconds)

    previous = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, max(0.001, seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
