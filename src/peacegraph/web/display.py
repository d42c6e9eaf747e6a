"""How values read on a page: dates at their precision, literals, prefixed names. Pure functions, no I/O."""

from __future__ import annotations

import calendar
import re

from peacegraph.namespaces import PREFIXES

_XSD = PREFIXES["xsd"]
_EDTF = PREFIXES["edtf"] + "EDTF"
_POINT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def human_date(value: str) -> str:
    """A date as people write it, at the precision it has (XSD day, month, year; EDTF decade and range).

    >>> human_date("2020-11-10"), human_date("2020-11"), human_date("2020")
    ('10 November 2020', 'November 2020', '2020')
    >>> human_date("199X"), human_date("[1988..1994]"), human_date("[2023-09..2023-10]")
    ('the 1990s', '1988 to 1994', 'September 2023 to October 2023')
    >>> human_date("sometime")
    'sometime'
    """
    text = value.strip()
    if text.startswith("[") and text.endswith("]") and ".." in text:
        start, _, end = text[1:-1].partition("..")
        return f"{human_date(start)} to {human_date(end)}"
    if re.fullmatch(r"\d{3}X", text):
        return f"the {text[:3]}0s"
    match = _POINT.match(text)
    if not match:
        return text
    year, month, day = match.groups()
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return text
    if day is None:
        return f"{calendar.month_name[int(month)]} {year}"
    return f"{int(day)} {calendar.month_name[int(month)]} {year}"


def is_date_type(datatype: str | None) -> bool:
    """True for the datatypes dates come in.

    >>> is_date_type("http://www.w3.org/2001/XMLSchema#gYearMonth"), is_date_type(None)
    (True, False)
    """
    return datatype in (_XSD + "date", _XSD + "gYear", _XSD + "gYearMonth", _EDTF)


def date_span(point: str, start: str, end: str) -> str:
    """A statement's time as one phrase: its point in time, or its start and end.

    >>> date_span("2020-11", "", ""), date_span("", "2020-09-27", "2020-11-10"), date_span("", "1988", "")
    ('November 2020', '27 September 2020 to 10 November 2020', 'from 1988')
    >>> date_span("", "", "2023")
    'until 2023'
    """
    if point:
        return human_date(point)
    if start and end:
        return f"{human_date(start)} to {human_date(end)}"
    if start:
        return f"from {human_date(start)}"
    if end:
        return f"until {human_date(end)}"
    return ""


def local_id(iri: str, base: str) -> str | None:
    """The id of an IRI in a namespace, or None when it is not in it (or the id is not a plain one).

    >>> local_id("https://w3id.org/peacegraph/entity/armenia", "https://w3id.org/peacegraph/entity/")
    'armenia'
    >>> local_id("https://w3id.org/peacegraph/entity/a/alias/1", "https://w3id.org/peacegraph/entity/") is None
    True
    """
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    return rest if ID.fullmatch(rest) else None


#: The ids peacegraph mints (entities, documents, statements, disagreements): what a URL may carry.
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,199}")
