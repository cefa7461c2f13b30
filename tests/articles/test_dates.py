"""Tests for kg.articles.dates: written and ISO dates to ``YYYY-MM-DD`` (parse_published), stored ones back to dates."""

from __future__ import annotations

from datetime import date

import pytest

from kg.articles.dates import parse_published, published_date


# --------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("August 3, 2025", "2025-08-03"),
        ("Aug 04, 2025", "2025-08-04"),
        ("Aug. 4, 2025", "2025-08-04"),
        ("Sept. 9, 2024", "2024-09-09"),
        ("august 3 2025", "2025-08-03"),
        ("Monday, August 4th, 2025", "2025-08-04"),
        ("4 August 2025", "2025-08-04"),
        ("4th of August, 2025", "2025-08-04"),
        ("2025-08-04", "2025-08-04"),
        ("2025/8/4", "2025-08-04"),
        ("2025-08-04T10:00:00Z", "2025-08-04"),
        ("2023-12-06T22:22:18.156000Z", "2023-12-06"),
        ("2025-08-04T23:30:00-05:00", "2025-08-04"),  # the publisher's calendar date, not UTC
        ("2025-08-04 10:00", "2025-08-04"),
        ("Aug 4, 2025, 10:00 a.m. ET", "2025-08-04"),
        ("August 3, 2025 at 9:15 PM", "2025-08-03"),
        ("  May 1,   2024 ", "2024-05-01"),
        ("February 30, 2025", None),  # no such day
        ("2025-13-01", None),
        ("08/04/2025", None),  # US or European? ambiguous, so not guessed
        ("yesterday", None),
        ("2025", None),
        ("The deal closed on August 3, 2025.", None),  # a sentence, not a date
        ("", None),
        (None, None),
    ],
)
def test_parse_published(value: str | None, expected: str | None) -> None:
    assert parse_published(value) == expected


def test_parse_published_accepts_date_objects() -> None:
    from datetime import date, datetime

    assert parse_published(date(2025, 8, 4)) == "2025-08-04"
    assert parse_published(datetime(2025, 8, 4, 23, 59)) == "2025-08-04"


# --------------------------------------------------------------------------------------------
# The two readings of one value: what an input says (parse_published, lenient: a date is
# metadata, never a reason to lose an article) and what a graph document stores (published_date,
# strict: the loader warns and stores the article without a date, the exports leave it empty).


@pytest.mark.parametrize(
    ("value", "parsed", "stored"),
    [
        ("2024-07-24", "2024-07-24", date(2024, 7, 24)),
        ("2024-07-24T09:30:00Z", "2024-07-24", date(2024, 7, 24)),
        ("2025-08-04T23:30:00-05:00", "2025-08-04", date(2025, 8, 4)),  # the printed date, not UTC
        ("2023-12-06T22:22:18.156000Z", "2023-12-06", date(2023, 12, 6)),
        ("2024-07-24 whatever follows", None, date(2024, 7, 24)),  # a document's ISO prefix is its date
        ("July 24, 2024", "2024-07-24", ValueError),  # written dates are read from inputs only
        ("2025/8/4", "2025-08-04", ValueError),
        ("2025-02-30", None, ValueError),
        ("yesterday", None, ValueError),
        ("", None, ValueError),
        (None, None, ValueError),
        (date(2025, 8, 4), "2025-08-04", ValueError),  # a document holds strings only
        (20250804, None, ValueError),
    ],
)
def test_parse_published_and_published_date(value: object, parsed: str | None, stored: date | type[ValueError]) -> None:
    assert parse_published(value) == parsed  # type: ignore[arg-type]
    if stored is ValueError:
        with pytest.raises(ValueError, match=r"^published .* is not (a string|an ISO date)$"):
            published_date(value)
    else:
        assert published_date(value) == stored


def test_a_parsed_date_reads_back_as_the_same_day() -> None:
    """What the readers write into a graph document, the loader and exports read back unchanged."""
    for value in ("Monday, August 4th, 2025", "4 Aug 2025 10:00", "2025-08-04T23:30:00-05:00", date(2025, 8, 4)):
        parsed = parse_published(value)
        assert parsed is not None
        assert published_date(parsed).isoformat() == parsed


def test_published_date_names_the_value() -> None:
    with pytest.raises(ValueError, match=r"^published 'July 24, 2024' is not an ISO date$"):
        published_date("July 24, 2024")
    with pytest.raises(ValueError, match=r"^published 7 is not a string$"):
        published_date(7)
