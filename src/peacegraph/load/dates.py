"""Dates at the precision a source allows: a day, a month, a year, a decade, or a range between two of them.

A day, month or year is written as an XSD literal whose datatype says its
precision (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear``). What XSD cannot
say, a decade ("in the 1990s") or a loose bound ("three-decade-long" in 2023:
some year from 1988 to 1994), is written in the Library of Congress Extended
Date/Time Format (EDTF): ``"199X"`` and ``"[1988..1994]"``. Every value also
gives the first and last day it can stand for, which is what queries compare.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

#: ASCII digits only: \d would also take '２０２４' (fullwidth) or '٢٠٢٤' (Arabic-Indic), which no XSD date holds.
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")
_DECADE = re.compile(r"^([0-9]{3})0s\Z")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_TIME = "http://www.w3.org/2006/time#"
#: The datatype of decades and ranges: EDTF, as the Library of Congress publishes it.
EDTF = "http://id.loc.gov/datatypes/edtf/EDTF"
#: A decade is no OWL-Time unit; the ontology declares this one.
UNIT_DECADE = "https://w3id.org/peacegraph/concept/unit-decade"

#: precision name -> (datatype IRI, temporal unit IRI), coarsest last
PRECISIONS = {
    "day": (_XSD + "date", _TIME + "unitDay"),
    "month": (_XSD + "gYearMonth", _TIME + "unitMonth"),
    "year": (_XSD + "gYear", _TIME + "unitYear"),
    "decade": (EDTF, UNIT_DECADE),
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
    is_range: bool = False

    @property
    def datatype(self) -> str:
        """The literal's datatype IRI: XSD by precision, EDTF for decades and ranges."""
        return EDTF if self.is_range else PRECISIONS[self.precision][0]

    @property
    def lexical(self) -> str:
        """The literal's text: the date as written, or its EDTF form.

        >>> parse_time("1990s").lexical, parse_time("1988..1994").lexical, parse_time("2020-11").lexical
        ('199X', '[1988..1994]', '2020-11')
        """
        if self.is_range:
            return f"[{self.text}]"
        if self.precision == "decade":
            return self.text[:3] + "X"
        return self.text

    @property
    def time_unit(self) -> str:
        """The OWL-Time unit IRI of the precision (for a range, its coarser end's)."""
        return PRECISIONS[self.precision][1]


def parse_time(text: str) -> TimeValue:
    """Read ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, a decade ``YYY0s`` or a range ``A..B`` of those.

    Raises ``ValueError`` saying what is wrong.

    >>> parse_time("2023-02-30")
    Traceback (most recent call last):
    ...
    ValueError: '2023-02-30' is not a real date (February 2023 has 28 days)
    >>> r = parse_time("1988..1994")
    >>> (r.precision, r.earliest.isoformat(), r.latest.isoformat())
    ('year', '1988-01-01', '1994-12-31')
    >>> parse_time("２０２４")
    Traceback (most recent call last):
    ...
    ValueError: '２０２４' is not a date of the form YYYY, YYYY-MM, YYYY-MM-DD, a decade YYY0s, or a range A..B (digits 0-9)
    """
    text = text.strip()
    if ".." in text:
        return _parse_range(text)
    decade = _DECADE.match(text)
    if decade:
        first = int(decade.group(1)) * 10
        if first < 1000:
            raise ValueError(f"{text!r} has a year before 1000, which no source here covers")
        return TimeValue(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), text, "decade")
    return _parse_point(text)


def _parse_range(text: str) -> TimeValue:
    start_text, _, end_text = text.partition("..")
    if ".." in end_text or not start_text.strip() or not end_text.strip():
        raise ValueError(f"{text!r} is not a range of the form A..B (e.g. 1988..1994 or 2023-09..2023-10)")
    start, end = parse_time(start_text), parse_time(end_text)
    if start.is_range or end.is_range or "decade" in (start.precision, end.precision):
        raise ValueError(f"{text!r}: each end of a range is YYYY, YYYY-MM or YYYY-MM-DD")
    if end.latest < start.earliest:
        raise ValueError(f"{text!r} ends before it starts")
    order = list(PRECISIONS)
    precision = max(start.precision, end.precision, key=order.index)
    return TimeValue(start.earliest, end.latest, f"{start.text}..{end.text}", precision, is_range=True)


def _parse_point(text: str) -> TimeValue:
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM, YYYY-MM-DD, a decade YYY0s, or a range A..B (digits 0-9)")
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
