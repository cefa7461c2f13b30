"""Progress of long commands (``kg extract``, ``kg ingest``, ``kg load``) on stderr.

On a terminal: a live bar with the count, the total when known, the rate and the time left. Not on
a terminal (cron, CI, a pipe): one plain line every ``every`` items or ``interval`` seconds,
whichever comes first, and one at the end, so logs show that a long run is alive and how fast it
goes. ``--quiet`` turns both off.

The total is known before the run when inputs are files of one article each (counted by listing
the inputs, which reads no file); JSON and JSON Lines files hold any number of articles, so with
them the total is left open and the line shows count and rate only.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TypeVar

T = TypeVar("T")

#: Non-terminal output: a line every this many items ...
DEFAULT_EVERY = 500
#: ... or this many seconds, whichever comes first.
DEFAULT_INTERVAL_S = 30.0

_MULTI_ARTICLE_SUFFIXES = frozenset({".json", ".jsonl"})


def count_article_files(paths: Iterable[Path | str]) -> int | None:
    """How many articles the inputs hold when every file is one article, else None."""
    from kg.articles.discovery import iter_input_files

    total = 0
    for item in iter_input_files(paths):
        if isinstance(item, Path):
            if item.suffix.lower() in _MULTI_ARTICLE_SUFFIXES:
                return None
            total += 1
    return total


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """Counts items and shows progress; use as a context manager, call :meth:`advance`."""

    def __init__(
        self,
        label: str,
        total: int | None,
        *,
        unit: str = "articles",
        quiet: bool = False,
        stream: IO[str] | None = None,
        every: int = DEFAULT_EVERY,
        interval: float = DEFAULT_INTERVAL_S,
        terminal: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self.interval = interval
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.done = 0
        self._started = time.monotonic()
        self._last_line = self._started
        self._last_count = 0
        self._bar = None
        self._task = None

    def __enter__(self) -> Progress:
        self._started = self._last_line = time.monotonic()
        if not self.quiet and self.terminal:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn()]
            self._bar = Bar(*columns, console=Console(file=self.stream), transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task(self.label, total=self.total, rate="")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
        elif not self.quiet and not self.terminal and self.done != self._last_count:
            self._line(final=True)

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def describe(self, *, final: bool = False) -> str:
        rate = self.rate
        count = f"{self.done}/{self.total} {self.unit} ({100 * self.done / self.total:.0f}%)" if self.total else f"{self.done} {self.unit}"
        text = f"{self.label}: {count}, {rate:.1f}/s, {_duration(time.monotonic() - self._started)} elapsed"
        if not final and self.total and rate > 0 and self.done < self.total:
            text += f", ETA {_duration((self.total - self.done) / rate)}"
        return text

    def _line(self, *, final: bool = False) -> None:
        print(self.describe(final=final), file=self.stream, flush=True)
        self._last_line = time.monotonic()
        self._last_count = self.done

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.update(self._task, advance=n, rate=f"{self.rate:.1f}/s")  # type: ignore[arg-type]
        elif self.done - self._last_count >= self.every or time.monotonic() - self._last_line >= self.interval:
            self._line()

    def update(self, done: int) -> None:
        """Set the count (when the caller counts itself), showing progress as :meth:`advance` does."""
        if done > self.done:
            self.advance(done - self.done)

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items``, advancing once per item."""
        for item in items:
            yield item
            self.advance()
