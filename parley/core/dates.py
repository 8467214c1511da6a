"""Dates with honest precision (pure: no Django).

"January 2015" is a month, not 1 January 2015. A PartialDate is stored as the ISO prefix that
is known: ``2015``, ``2015-01`` or ``2015-01-25``. Those strings sort chronologically, so the
database can order by them directly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


class PartialDateError(ValueError):
    """Raised for a string that is not a valid partial date; the message says why."""


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise PartialDateError otherwise."""
        match = _ISO_PARTIAL.match(text.strip())
        if not match:
            raise PartialDateError(f"'{text}' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None  # the pattern requires four digits
        cls._check(year, month, day, text)
        return cls(year, month, day)

    @staticmethod
    def _check(year: int, month: int | None, day: int | None, text: str) -> None:
        if month is not None and not 1 <= month <= 12:
            raise PartialDateError(f"'{text}' has no month {month}")
        if day is not None and month is not None:
            try:
                dt.date(year, month, day)
            except ValueError:
                raise PartialDateError(f"'{text}' is not a day of the calendar") from None

    def sort_key(self) -> tuple[int, int, int]:
        """Return a key that orders a month before its days and a year before its months."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    def iso(self) -> str:
        """Return the stored form: only the parts that are known."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def human(self) -> str:
        """Return the date as a reader says it: '2015', 'January 2015', '25 May 2015'."""
        if self.month is None:
            return str(self.year)
        month = MONTHS[self.month - 1]
        return f"{month} {self.year}" if self.day is None else f"{self.day} {month} {self.year}"


def human_range(start: PartialDate | None, end: PartialDate | None) -> str:
    """Return a date range as a reader says it: '6–9 April 2015', 'from 25 May 2015'."""
    if start is None and end is None:
        return "date unknown"
    if start is None:
        assert end is not None
        return f"until {end.human()}"
    if end is None:
        return f"from {start.human()}"
    if start == end:
        return start.human()
    if _same_month(start, end) and start.day is not None and end.day is not None:
        return f"{start.day}–{end.human()}"
    return f"{start.human()} – {end.human()}"


def _same_month(start: PartialDate, end: PartialDate) -> bool:
    return (start.year, start.month) == (end.year, end.month) and start.month is not None
