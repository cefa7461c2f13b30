"""The article stream the ``kg extract`` and ``kg ingest`` commands share: inputs checked before
anything is written, bad inputs named, and repeated copies of one article dropped.

``ArticleInputs`` wraps :func:`kg.articles.read_articles`: it yields the good articles, reports
each bad file or line through ``on_error`` (one line each) and counts them, and drops an article
whose id was already read with the same content (the same story in two files: one article, see
docs/graph-document.md#article-identity). An article whose id was read before with *different*
content (e.g. two texts under one URL) is a bad input: named, counted and skipped.

The table of ids read keeps a 64-bit id, a 64-bit content digest and the first path per article
(about 200 bytes), so a million articles cost about 200 MB; ``max_tracked`` bounds it (older ids
are then forgotten and a repeat is left to the loader, which skips an unchanged article anyway).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.articles import Article, ArticleError, read_articles

#: Ids remembered for spotting repeated copies (an LRU table).
DEFAULT_MAX_TRACKED = 2_000_000


def missing_paths(paths: Iterable[Path | str]) -> list[str]:
    """The given paths that do not exist (named on the command line: a bad input, exit 1)."""
    return [str(p) for p in paths if not Path(p).exists()]


@dataclass
class ArticleInputs:
    """Iterate over the articles of ``paths``; see the module docstring."""

    paths: list[Path]
    on_error: Callable[[str], None]
    max_tracked: int = DEFAULT_MAX_TRACKED
    #: a file never read as input (the command's own output, written while the folder is read)
    exclude: Path | None = None
    failed: int = 0
    repeated: int = 0
    read: int = 0
    _seen: OrderedDict[int, tuple[int, str | None]] = field(default_factory=OrderedDict)

    def __iter__(self) -> Iterator[Article]:
        excluded = os.path.realpath(self.exclude) if self.exclude is not None else None
        for item in read_articles(self.paths):
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
            self._seen[key] = (digest, article.path)
            if len(self._seen) > self.max_tracked:
                self._seen.popitem(last=False)
            return False
        if earlier[0] == digest:
            self.repeated += 1
            return True
        self.failed += 1
        self.on_error(f"{article.path}: article id {article.id} was already read from {earlier[1]} with different content; this copy is skipped")
        return True
