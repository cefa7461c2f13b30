"""Publication dates (stdlib only): the one parser of a written ``published`` value.

:func:`parse_published` reads what an input says (ISO dates and timestamps, written English
dates, ``date`` objects) into the ISO date ``YYYY-MM-DD`` that a graph document stores, or None.
:func:`published_date` reads that stored value back as a :class:`datetime.date` for the loader
and the exports, strictly: a graph document is a contract, so a value that is not ISO is an
error there (the loader warns and stores the article without a date), not a guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime


_MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# A clock time (and zone) may follow a written date: "Aug 4, 2025, 10:00 a.m. ET".
_TIME_TAIL = r"(?:\s*(?:,|\||at|-|–|—|·)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?[a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?\)?)?)?"
_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # 2025-08-04, 2025/08/04, 2025-08-04T10:00:00Z, 2023-12-06T22:22:18.156000Z, +02:00 zones
        r"(?P<year>\d{4})[-/](?P<month_num>\d{1,2})[-/](?P<day>\d{1,2})"
        r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?)?",
        # August 3, 2025 / Aug. 4, 2025 / Monday, August 4th 2025
        _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})" + _ORDINAL + r",?\s+(?P<year>\d{4})" + _TIME_TAIL,
        # 4 August 2025 / 4th of Aug 2025 / Monday 4 August, 2025
        _WEEKDAY + r"(?P<day>\d{1,2})" + _ORDINAL + r"(?:\s+of)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME_TAIL,
    )
)


def parse_published(value: str | date | None) -> str | None:
    """Return ``value`` as an ISO date ``YYYY-MM-DD``, or None when it is not a recognisable date.

    Accepts ``date``/``datetime`` objects (YAML front matter yields those), ISO dates and
    timestamps, and written English dates. A timestamp keeps its own calendar date (no time
    zone conversion): the date the publisher printed is the one readers see. Unparseable values
    give None rather than an error because a date is metadata, not a reason to lose an article.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    candidate = " ".join(value.split())
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(candidate)
        if match is None:
            continue
        fields = match.groupdict()
        month = int(fields["month_num"]) if fields.get("month_num") else _MONTHS[fields["month"].lower()]
        try:
            return date(int(fields["year"]), month, int(fields["day"])).isoformat()
        except ValueError:  # 2025-02-30 and friends
            return None
    return None


def published_date(value: object) -> date:
    """A graph document's ``published`` (an ISO date, or a date-time whose time of day is not
    kept) as a :class:`~datetime.date`; ValueError, one line naming the value, for anything else."""
    if not isinstance(value, str):
        raise ValueError(f"published {value!r} is not a string")
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"published {value!r} is not an ISO date") from None
