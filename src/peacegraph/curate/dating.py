"""Dates in a sentence, explicit or relative, resolved against the document's publication date.

The expressions are found with patterns for the usual English forms (``10
November 2020``, ``September 2023``, ``in 2020``, ``in March``, ``on Monday``,
``last year``, ``this week``); dateparser computes the calendar date, with the
publication date as its ``RELATIVE_BASE`` and a preference for the past (a
news article mostly reports what has happened). Each result keeps the
precision the words allow and a ``date_note`` saying how it was worked out.
A weekday or "this week" in an article dated only to the month cannot give a
day: the month is given instead, and the note says so.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass

from peacegraph.load.dates import TimeValue

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_YEAR = r"(?:19|20)\d{2}"

#: (kind, pattern): the first pattern that matches at a place wins, so longer forms come first.
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("day", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS}),? {_YEAR}\b")),
    ("day", re.compile(rf"\b(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?,? {_YEAR}\b")),
    ("month", re.compile(rf"\b(?:{_MONTHS}),? {_YEAR}\b")),
    (
        "day-of-year",
        re.compile(rf"\b(?:(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS}))\b(?!,? \d)"),
    ),
    ("relative-day", re.compile(rf"\b(?:[Oo]n |[Ll]ast |[Tt]his |[Nn]ext )?(?:{_WEEKDAYS})\b")),
    ("relative-day", re.compile(r"\b(?:[Yy]esterday|[Tt]oday|[Tt]his week|[Ll]ast week)\b")),
    ("relative-month", re.compile(r"\b(?:[Ll]ast|[Tt]his|[Nn]ext) month\b")),
    ("relative-year", re.compile(r"\b(?:[Ll]ast|[Tt]his|[Nn]ext|[Ee]arlier this|[Ll]ater this) year\b")),
    ("relative-year", re.compile(r"\b(?:a|one|two|three|four|five|\d+) years? ago\b")),
    (
        "month-of-year",
        re.compile(
            rf"\b(?:[Ii]n|[Oo]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Dd]uring|[Ll]ast|[Tt]his|[Ee]arly|[Ll]ate|[Mm]id-?) (?:early |late |mid-?)?(?:{_MONTHS})\b(?! \d)"
        ),
    ),
    ("year", re.compile(rf"(?<![\d-]){_YEAR}(?![\d-]|s\b|’s\b)")),
]


@dataclass(frozen=True)
class FoundDate:
    """A date expression in a text and what it resolves to."""

    start: int
    end: int
    text: str
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    note: str | None  # how a date not stated outright was resolved; None when it is explicit


def find_dates(text: str, published: TimeValue, not_after: dt.date | None = None) -> list[FoundDate]:
    """Date expressions of ``text`` resolved against the publication date, in order.

    >>> pub = TimeValue(dt.date(2025, 7, 1), dt.date(2025, 7, 31), "2025-07", "month")
    >>> [(d.text, d.value) for d in find_dates("Reached in March, signed on 10 November 2020 and last year.", pub)]
    [('in March', '2025-03'), ('10 November 2020', '2020-11-10'), ('last year', '2024')]
    >>> find_dates("On Monday they met.", pub)[0].note
    "'On Monday' in an article dated only to 2025-07: the day cannot be worked out, so the month of publication is given"
    """
    taken: list[tuple[int, int]] = []
    found: list[FoundDate] = []
    base = _base(published, not_after)
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(a < end and start < b for a, b in taken):
                continue
            resolved = _resolve(kind, match.group(0), published, base)
            if resolved is None:
                continue
            taken.append((start, end))
            found.append(FoundDate(start, end, match.group(0), *resolved))
    return sorted(found, key=lambda d: d.start)


def _base(published: TimeValue, not_after: dt.date | None) -> dt.datetime:
    last = min(published.latest, not_after) if not_after else published.latest
    return dt.datetime(last.year, last.month, last.day, 12, 0)


@functools.lru_cache(maxsize=4096)
def _parse(words: str, base: dt.datetime) -> dt.datetime | None:
    import dateparser

    return dateparser.parse(
        words,
        languages=["en"],
        settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False},
    )


def _resolve(kind: str, words: str, published: TimeValue, base: dt.datetime) -> tuple[str, str | None] | None:
    phrase = re.sub(r"^(?:[Ii]n|[Oo]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?) ", "", words)
    phrase = re.sub(r"^(?:early |late |mid-?)", "", phrase).replace(",", "")
    pub = published.text
    if kind == "year":
        return words, None
    if kind in ("day", "month"):
        when = _parse(phrase, base)
        if when is None:
            return None
        return (when.strftime("%Y-%m-%d") if kind == "day" else when.strftime("%Y-%m")), None
    if kind == "relative-day" and words.lower().endswith("week"):
        # A week is no day: give the month it falls in (when the week straddles two months, the later one).
        when = base - dt.timedelta(days=7) if words.lower().startswith("last") else base
        return when.strftime("%Y-%m"), f"'{words}' in an article of {pub}: the month of that week"
    if kind == "relative-day":
        if published.precision != "day":
            note = f"'{words}' in an article dated only to {pub}: the day cannot be worked out, so the month of publication is given"
            return base.strftime("%Y-%m"), note
        if words.lower() == "today":
            return base.strftime("%Y-%m-%d"), f"'{words}' in an article of {pub}"
        when = _parse(phrase, base)
        if when is None:
            return None
        return when.strftime("%Y-%m-%d"), f"'{words}' before the publication date {pub}, resolved by dateparser"
    if kind == "relative-month":
        when = _parse(phrase, base)
        if when is None:
            return None
        return when.strftime("%Y-%m"), f"'{words}' counted from the publication date {pub}"
    if kind == "relative-year":
        lowered = words.lower()
        if lowered.endswith("this year"):
            return str(base.year), f"'{words}' in an article of {pub}"
        when = _parse(phrase, base)
        if when is None:
            return None
        return str(when.year), f"'{words}' counted from the publication date {pub}"
    if kind == "day-of-year":
        when = _parse(phrase, base)
        if when is None:
            return None
        return when.strftime("%Y-%m-%d"), f"'{words}' with the year from the publication date {pub} (the latest such day not after it)"
    if kind == "month-of-year":
        when = _parse(phrase, base)
        if when is None:
            return None
        return when.strftime("%Y-%m"), f"'{words}' with the year from the publication date {pub} (the latest such month not after it)"
    return None


_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_ANCHORED = re.compile(
    r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+) years? (later|after|afterwards|earlier|before)\b", re.IGNORECASE
)


def find_anchored(text: str, anchor: FoundDate | None) -> list[FoundDate]:
    """ "Three years later", "a year earlier": years counted from ``anchor``, the last date the text gave before.

    >>> pub = TimeValue(dt.date(2025, 9, 1), dt.date(2025, 9, 30), "2025-09", "month")
    >>> anchor = find_dates("a ceasefire in 2020", pub)[0]
    >>> [(d.text, d.value) for d in find_anchored("But three years later, it broke.", anchor)]
    [('three years later', '2023')]
    """
    if anchor is None:
        return []
    out = []
    for match in _ANCHORED.finditer(text):
        count = int(match.group(1)) if match.group(1).isdigit() else _NUMBERS[match.group(1).lower()]
        sign = 1 if match.group(2).lower() in ("later", "after", "afterwards") else -1
        year = int(anchor.value[:4]) + sign * count
        note = f"'{match.group(0)}' counted from '{anchor.text}' ({anchor.value[:4]}), the last date given before"
        out.append(FoundDate(match.start(), match.end(), match.group(0), str(year), note))
    return out


class DocumentDates:
    """Every date expression of a text, found once; the dates of any stretch of it by offsets.

    >>> pub = TimeValue(dt.date(2025, 9, 1), dt.date(2025, 9, 30), "2025-09", "month")
    >>> dates = DocumentDates("In 2020 they fought. Three years later it broke.", pub)
    >>> [d.value for d in dates.between(0, 20)], dates.last_before(21).value
    (['2020'], '2020')
    """

    def __init__(self, text: str, published: TimeValue, not_after: dt.date | None = None):
        self.all = find_dates(text, published, not_after)
        self._starts = [d.start for d in self.all]

    def between(self, start: int, end: int) -> list[FoundDate]:
        """The dates inside [start, end), with offsets in the text."""
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.all) and self.all[i].start < end:
            if self.all[i].end <= end:
                out.append(self.all[i])
            i += 1
        return out

    def last_before(self, offset: int) -> FoundDate | None:
        i = bisect.bisect_left(self._starts, offset)
        while i > 0:
            i -= 1
            if self.all[i].end <= offset:
                return self.all[i]
        return None
