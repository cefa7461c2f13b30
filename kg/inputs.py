"""The article stream the ``kg extract`` and ``kg ingest`` commands share: inputs checked before
anything is written, bad inputs named, and repeated copies of one article dropped.

``ArticleInputs`` wraps :func:`kg.articles.readers.read_articles`: it yields the good articles, reports
each bad file or line through ``on_error`` (one line each) and counts them, and drops an article
whose id was already read with the same text (the same story in two files, perhaps with other
paragraph breaks: one article, see docs/graph-document.md#article-identity). An article whose id
was read before with a *different* text (e.g. two texts under one URL) is a bad input: named,
counted and skipped.

The table of ids read keeps a 64-bit id, a 64-bit content digest and the first path per article
(about 200 bytes), so a million articles cost about 200 MB; ``max_tracked`` bounds it (older ids
are then forgotten and a repeat is left to the loader, which skips an unchanged article anyway).
"""

from __future__ import annotations

import itertools
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.articles.decoding import Fallback
from kg.articles.model import Article, ArticleError
from kg.articles.readers import read_articles

#: Ids remembered for spotting repeated copies (an LRU table).
DEFAULT_MAX_TRACKED = 2_000_000


def missing_paths(paths: Iterable[Path | str]) -> list[str]:
    """The given paths that do not exist (named on the command line: a bad input, exit 1);
    web addresses are not paths and never missing here."""
    from kg.sources import is_url

    return [str(p) for p in paths if not is_url(p) and not Path(p).exists()]


@dataclass
class WebInputs:
    """The URLs of a run and how they are fetched (see :mod:`kg.sources`)."""

    urls: list[str]
    state_path: Path | None
    refetch: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def open(self):  # type: ignore[no-untyped-def]
        from kg.sources import Fetcher, SourceState

        self.state = SourceState(self.state_path) if self.refetch else SourceState.load(self.state_path)
        self.fetcher = Fetcher()
        return self

    def articles(self) -> Iterator[Article | ArticleError]:
        from kg.sources import url_articles

        return url_articles(self.urls, self.fetcher, self.state, counts=self.counts)

    def finish(self, *, save: bool) -> None:
        self.fetcher.close()
        if save:
            self.state.save()

    def describe(self) -> str:
        c = self.counts
        return (
            f"web: {self.fetcher.requests} request(s), {c.get('not_modified', 0)} not modified, "
            f"{c.get('items_unchanged', 0)} feed item(s) already fetched"
        )


def split_inputs(arguments: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Command-line inputs split into paths and web addresses, in the order given."""
    from kg.sources import is_url

    paths: list[Path] = []
    urls: list[str] = []
    for argument in arguments:
        (urls.append(str(argument)) if is_url(argument) else paths.append(Path(argument)))
    return paths, urls


@dataclass
class ArticleInputs:
    """Iterate over the articles of ``paths``; see the module docstring."""

    paths: list[Path]
    on_error: Callable[[str], None]
    web: WebInputs | None = None
    max_tracked: int = DEFAULT_MAX_TRACKED
    #: a file never read as input (the command's own output, written while the folder is read)
    exclude: Path | None = None
    #: how to read files that are not UTF-8 (``--encoding-fallback``); None: each is a bad input
    fallback: Fallback | None = None
    failed: int = 0
    repeated: int = 0
    read: int = 0
    _seen: OrderedDict[int, tuple[int, str | None, str | None]] = field(default_factory=OrderedDict)

    def __iter__(self) -> Iterator[Article]:
        excluded = os.path.realpath(self.exclude) if self.exclude is not None else None
        items: Iterable[Article | ArticleError] = read_articles(self.paths, fallback=self.fallback) if self.paths else ()
        if self.web is not None and self.web.urls:
            items = itertools.chain(items, self.web.articles())
        for item in items:
            if excluded is not None and os.path.realpath((item.path or "").split("#")[0]) == excluded:
                continue
            if isinstance(item, ArticleError):
                self.failed += 1
                self.on_error(str(item))
                continue
            if self._repeat(item):
                continue
            self.read += 1
            yield item

    def _repeat(self, article: Article) -> bool:
        key = int(article.id.removeprefix("a-"), 16) if article.id.startswith("a-") else hash(article.id)
        digest = int(article.content_hash[:16], 16)
        earlier = self._seen.get(key)
        if earlier is None:
            self._seen[key] = (digest, article.body_hash, article.path)
            if len(self._seen) > self.max_tracked:
                self._seen.popitem(last=False)
            return False
        if earlier[0] == digest or (article.body_hash is not None and earlier[1] == article.body_hash):
            # the same article again; at most its layout (paragraph breaks) or metadata differ
            self.repeated += 1
            return True
        self.failed += 1
        self.on_error(f"{article.path}: article id {article.id} was already read from {earlier[2]} with a different text; this copy is skipped")
        return True


@dataclass
class Prepared:
    """A command's inputs, checked: paths that exist, the web part, and how many were bad."""

    paths: list[Path]
    web: WebInputs | None
    bad: int

    @property
    def empty(self) -> bool:
        return not self.paths and (self.web is None or not self.web.urls)


def prepare_inputs(
    arguments: Iterable[str | Path], url_files: Iterable[Path], *, state: Path | None, refetch: bool, on_error: Callable[[str], None]
) -> Prepared:
    """Split arguments into paths and URLs, read ``--urls`` files, and name what is missing."""
    from kg.sources import read_url_file

    paths, urls = split_inputs(arguments)
    bad = 0
    for path in missing_paths(paths):
        on_error(f"{path}: no such file or folder")
        bad += 1
    paths = [p for p in paths if p.exists()]
    for url_file in url_files:
        try:
            urls.extend(read_url_file(url_file))
        except ArticleError as exc:
            on_error(str(exc))
            bad += 1
    web = WebInputs(list(dict.fromkeys(urls)), state, refetch) if urls else None
    return Prepared(paths, web, bad)


def open_web(prepared: Prepared, on_error: Callable[[str], None]) -> bool:
    """Open the fetcher and the state file of a run with URLs; False (reported) when the state
    file cannot be used."""
    if prepared.web is None:
        return True
    from kg.sources.state import StateError

    try:
        prepared.web.open()
    except StateError as exc:
        on_error(str(exc))
        return False
    return True


def close_web(prepared: Prepared, *, save: bool, echo: Callable[[str], None]) -> None:
    """Close the fetcher; save the conditional-request state only after a finished run."""
    if prepared.web is not None and hasattr(prepared.web, "fetcher"):
        prepared.web.finish(save=save)
        if save:
            echo(prepared.web.describe())
