"""Building an :class:`~kg.articles.model.Article` from a cleaned body and its metadata: the
limits every article meets, its id and hashes."""

from __future__ import annotations

from datetime import date

from kg.articles.cleaning import bound_token_length, clean_field, clean_text
from kg.articles.dates import parse_published
from kg.articles.identity import article_id, content_hash, normalize_url
from kg.articles.model import Article, ArticleError
from kg.outlets import body_hash

#: An article longer than this (in characters, after cleaning) is reported, not extracted. Long
#: articles below it are parsed in sections (kg.extract.extractor.SECTION_CHARS), in linear time.
MAX_ARTICLE_CHARS = 3_000_000


def make_article(
    text: str,
    *,
    title: str | None,
    published: str | None,
    source: str | None,
    url: str | None,
    path: str | None,
    author: str | None,
    explicit_id: str | None,
) -> Article:
    where = path or "<text>"
    if not text.strip():
        raise ArticleError(where, None, "no article text (empty once markup and boilerplate are removed)")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(where, None, f"article is {len(text):,} characters, over the limit of {MAX_ARTICLE_CHARS:,} (MAX_ARTICLE_CHARS)")
    text = bound_token_length(text)
    for name, value in (("text", text), ("title", title), ("source", source), ("url", url), ("author", author), ("id", explicit_id)):
        if value is not None and not _is_valid_unicode(value):
            bad = next(c for c in value if 0xD800 <= ord(c) <= 0xDFFF)
            raise ArticleError(where, None, f"{name} contains a lone surrogate (\\u{ord(bad):04x}), which is not valid Unicode")
    if url is not None and (explicit_id is None or not explicit_id.strip()):
        try:
            normalize_url(url)
        except ValueError as exc:
            raise ArticleError(where, None, f"url {url[:100]!r} is not a valid URL ({exc})") from None
    return Article(
        id=article_id(explicit_id=explicit_id, url=url, text=text, title=title, source=source),
        text=text,
        title=title,
        published=published,
        source=source,
        url=url,
        path=path,
        author=author,
        content_hash=content_hash(text, title=title, published=published, source=source, url=url, author=author),
        body_hash=body_hash(text),
    )


def _is_valid_unicode(value: str) -> bool:
    """False for text with lone surrogates (JSON ``"\\ud800"``), which cannot be encoded as UTF-8."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    published: str | date | None = None,
    source: str | None = None,
    url: str | None = None,
    path: str | None = None,
    author: str | None = None,
    id: str | None = None,  # noqa: A002 - the public name matches the JSON field
    markdown: bool = True,
) -> Article:
    """Build an :class:`Article` from a body and explicit metadata (no header guessing).

    The body is cleaned with :func:`clean_text` (Markdown by default: JSON texts are Markdown);
    ``published`` is normalised with :func:`parse_published`. Raises :class:`ArticleError` when
    nothing is left of the text.
    """
    return make_article(
        clean_text(text, markdown=markdown),
        title=clean_field(title),
        published=parse_published(published),
        source=clean_field(source, markdown=False),
        url=clean_field(url, markdown=False),
        path=path,
        author=clean_field(author),
        explicit_id=id,
    )
