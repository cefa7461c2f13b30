"""Who published an article, and which reports are independent of each other.

Corroboration counts **independent outlets**, so the loader, the exporters, ``kg stats`` and
``kg resolve`` all key an article the same way:

* its **outlet**: the ``source`` metadata normalized (Unicode NFKC, inner spaces collapsed,
  surrounding quotes and punctuation dropped; compared case-insensitively, so "BBC News" and
  "bbc  news" are one outlet), else the **registered domain** of its
  URL (``https://www.bbc.co.uk/news/x`` and ``http://news.bbc.co.uk/y`` are both ``bbc.co.uk``),
  else ``None``: the *unknown outlet*. Every article without either is the same unknown outlet,
  so articles of unknown origin never corroborate each other;
* its **body hash** (:func:`body_hash`): the case-folded letters and digits of the text. Articles with the
  same body from several outlets are syndicated copies (a wire story run by many sites): they are
  one report, counted for the outlet of the earliest copy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

try:  # the public-suffix list ships with `tld`, which trafilatura (via courlan) already requires
    from tld import get_fld as _get_fld
except ImportError:  # pragma: no cover - tld is in requirements.lock
    _get_fld = None

#: What the Cypher and the reports call the outlet of an article that names none.
UNKNOWN_OUTLET = "unknown outlet"

_NOT_WORD = re.compile(r"[\W_]+")

_SPACES = re.compile(r"\s+")
#: punctuation around a source name that does not tell outlets apart ("BBC News." / "“Reuters”")
_EDGE_PUNCTUATION = "\"'“”‘’«».,;:()[]{}<>|-–—·"


def normalize_source(source: str | None) -> str | None:
    """The outlet name of a ``source`` value (case kept, for display), or None when it is empty."""
    if source is None:
        return None
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", source)).strip().strip(_EDGE_PUNCTUATION).strip()
    return text or None


def registered_domain(url: str | None) -> str | None:
    """The registered domain (eTLD+1) of a URL, lower-case, or None (no URL, no host, an IP)."""
    if not url or not url.strip():
        return None
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        host = (urlsplit(text).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host or "." not in host or host.replace(".", "").isdigit():
        return None
    if _get_fld is not None:
        domain = _get_fld("http://" + host, fail_silently=True)
        if domain:
            return domain.lower()
    return host.removeprefix("www.")


def outlet_name(source: str | None, url: str | None) -> str | None:
    """The normalized outlet: the source, else the URL's registered domain; None if unknown.

    Stored as ``Article.outlet``; two outlets are the same when their names are equal ignoring case
    (:func:`outlet_key`)."""
    return normalize_source(source) or registered_domain(url)


def outlet_key(name: str | None) -> str:
    """What outlet names are compared by (lower case); ``""`` is the unknown outlet."""
    return name.lower() if name else ""


def display_outlets(names: list[str | None]) -> list[str]:
    """The distinct outlets among ``names``, one name per outlet (the smallest spelling), sorted."""
    chosen: dict[str, str] = {}
    for name in names:
        if name:
            key = outlet_key(name)
            chosen[key] = min(chosen.get(key, name), name)
    return sorted(chosen.values())


def body_hash(text: str | None) -> str | None:
    """The body's near-duplicate key: NFKC, case-folded, letters and digits only (16 hex digits of
    SHA-256); same words, same hash, whatever the spacing, punctuation or paragraph breaks. ``None``
    for an empty body. The one definition: article identity (``kg.articles``), the loader's
    ``DUPLICATE_OF`` links and corroboration's syndicated copies all use it."""
    if not text or not text.strip():
        return None
    key = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def independent_keys(articles: list[tuple[str, str | None, str | None, str | None]]) -> dict[str, str]:
    """``{article id: outlet name it counts for}`` for ``(id, outlet, body_hash, published)`` tuples.

    The outlet of the earliest article with the same body (by publication date, then id; undated
    last), else the article's own outlet; ``""`` stands for the unknown outlet. Two reports are
    independent when these differ (:func:`outlet_key`).
    """
    origin: dict[str, tuple[tuple[bool, str, str], str]] = {}
    for article_id, outlet, digest, published in articles:
        if digest is None:
            continue
        rank = (published is None, published or "", article_id)
        if digest not in origin or rank < origin[digest][0]:
            origin[digest] = (rank, outlet or "")
    return {
        article_id: origin[digest][1] if digest is not None else (outlet or "")
        for article_id, outlet, digest, _ in articles
    }


# --------------------------------------------------------------------------------------------
# What counts as a statement

#: Words that cannot carry a statement on their own: pronouns, relatives, determiners,
#: prepositions, auxiliaries, fillers ("declined to comment").
CONTENTLESS_WORDS: tuple[str, ...] = tuple(
    sorted(
        set(
            """
            it its this that these those which who whom whose what whatever whichever there here
            he she they we i you him her them us me one ones so yes no not such something anything
            nothing everything as well too also the a an and or but then thus is was be s are were am
            been being to by of in on for with at from about into than if when would will could should
            may might can has have had do does did more very all any some now still just only comment
            """.split()
        )
    )
)

#: A statement without a content clause, as one regular expression that Python (``fullmatch``)
#: and Cypher (``=~``, Java syntax, whole-string) read alike: at most two words, or only the
#: words above, with any punctuation between. ``queries/corroborated-claims.cypher``
#: and ``queries/contradictions.cypher`` carry this literal; tests/test_corroboration.py keeps them
#: in step.
_FILLER = r"(?:\b(?:" + "|".join(CONTENTLESS_WORDS) + r")\b\W*)*"
CONTENTLESS_STATEMENT = r"(?is)\W*(?:(?:\w+\W*){0,2}|" + _FILLER + ")"
_CONTENTLESS = re.compile(CONTENTLESS_STATEMENT)
#: Longer statements are taken to say something without the expression (a contentless one is a
#: few words; the check then costs a regular expression only for short statements, in Cypher too).
CONTENTLESS_MAX_CHARS = 40


def has_content_clause(statement: str | None) -> bool:
    """Whether a reported statement says something: "It", "which", "he", "that is so", "to
    comment", "by 2006" do not.

    A statement needs at least three words, one of which is not a pronoun, relative,
    determiner, preposition, auxiliary or filler. Statements without one never reach
    corroboration or contradictions.
    """
    if not statement:
        return False
    return len(statement) > CONTENTLESS_MAX_CHARS or _CONTENTLESS.fullmatch(statement) is None
