"""Dates at the precision a source allows: a year, a month or a day."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

#: ASCII digits only: \d would also take '２０２４' (fullwidth) or '٢٠٢٤' (Arabic-Indic), which no XSD date holds.
_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

#: precision name -> (XSD datatype local name, OWL-Time unit local name)
PRECISIONS = {
    "year": ("gYear", "unitYear"),
    "month": ("gYearMonth", "unitMonth"),
    "day": ("date", "unitDay"),
}


@dataclass(frozen=True, order=True)
class TimeValue:
    """A date with its precision, and the first and last day it can stand for.

    >>> t = parse_time("2024-02")
    >>> (t.precision, t.earliest.isoformat(), t.latest.isoformat())
    ('month', '2024-02-01', '2024-02-29')
    """

    earliest: dt.date
    latest: dt.date
    text: str
    precision: str

    @property
    def xsd_type(self) -> str:
        return PRECISIONS[self.precision][0]

    @property
    def time_unit(self) -> str:
        return PRECISIONS[self.precision][1]


def parse_time(text: str) -> TimeValue:
    """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` saying what is wrong.

    >>> parse_time("2023-02-30")
    Traceback (most recent call last):
    ...
    ValueError: '2023-02-30' is not a real date (February 2023 has 28 days)
    >>> parse_time("２０２４")
    Traceback (most recent call last):
    ...
    ValueError: '２０２４' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD (digits 0-9)
    """
    match = _PATTERN.fullmatch(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD (digits 0-9)")
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if year < 1000:
        raise ValueError(f"{text!r} has a year before 1000, which no source here covers")
    if month is None:
        return TimeValue(dt.date(year, 1, 1), dt.date(year, 12, 31), text.strip(), "year")
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} has month {month:02d}; months run from 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return TimeValue(dt.date(year, month, 1), dt.date(year, month, last), text.strip(), "month")
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise ValueError(f"{text!r} is not a real date ({name} {year} has {last} days)")
    when = dt.date(year, month, day)
    return TimeValue(when, when, text.strip(), "day")
