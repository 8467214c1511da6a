"""PartialDate keeps the precision the sources give: a month is not its first day."""

from __future__ import annotations

import pytest

from parley.core.dates import PartialDate, PartialDateError, Precision, human_range


@pytest.mark.parametrize(
    ("text", "precision", "human"),
    [
        ("2015", Precision.YEAR, "2015"),
        ("2015-01", Precision.MONTH, "January 2015"),
        ("2015-05-25", Precision.DAY, "25 May 2015"),
    ],
)
def test_parse_keeps_precision(text, precision, human):
    date = PartialDate.parse(text)
    assert date.precision is precision
    assert date.human() == human
    assert date.iso() == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2015-13", "no month 13"),
        ("2015-02-30", "not a day of the calendar"),
        ("May 2015", "use YYYY, YYYY-MM or YYYY-MM-DD"),
        ("15-01-01", "use YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_parse_rejects_with_a_reason(text, message):
    with pytest.raises(PartialDateError, match=message):
        PartialDate.parse(text)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2015-04-06", "2015-04-09", "6–9 April 2015"),
        ("2015-05-25", None, "from 25 May 2015"),
        (None, None, "date unknown"),
        ("2015-01", "2015-01", "January 2015"),
        ("2014-12-30", "2015-01-02", "30 December 2014 – 2 January 2015"),
        (None, "2015", "until 2015"),
    ],
)
def test_human_range(start, end, expected):
    parse = lambda text: PartialDate.parse(text) if text else None  # noqa: E731
    assert human_range(parse(start), parse(end)) == expected


def test_iso_strings_sort_chronologically():
    """The database orders partial dates as strings; that must equal calendar order."""
    texts = ["2015-05-25", "2015", "2015-01", "2014-12-31", "2015-04-06"]
    by_string = sorted(texts)
    by_date = sorted(texts, key=lambda t: PartialDate.parse(t).sort_key())
    assert by_string == by_date
