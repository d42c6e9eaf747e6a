"""What the graph already says about its entities, from documents other than the one being drafted.

The drafter reads a new article in the light of the graph: a fact another
document gives raises a candidate's confidence; an event's neighbours and
years tell "the 2020 ceasefire" from "the truce of 1994"; the offices a person
is known to hold turn "Prime Minister Nikol Pashinyan" into holdsPost even
when the text names no state. Built from the loader's ``Curation`` without
one source (the document being drafted, or held out by the benchmark).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from peacegraph.load.loader import Curation

#: An office's holder the graph gives for a date at most this far from the article's is taken to hold it then: terms of
#: office run for years, and a graph records them at the dates its articles give.
HOLDER_REACH_DAYS = 730
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTH_NAMES) + r")\s+(?:\d{1,2}(?:[-–]\d{1,2})?,?\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"\b\d{1,2}(?:[-–]\d{1,2})?\s+(" + "|".join(_MONTH_NAMES) + r")\s+((?:19|20)\d\d)\b", re.IGNORECASE)


@dataclass
class Knowledge:
    """Facts of the graph by triple, and per entity its neighbours, years, offices and number of facts."""

    triples: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)  # (s, r, o) -> fact ids
    neighbours: dict[str, set[str]] = field(default_factory=dict)
    years: dict[str, set[int]] = field(default_factory=dict)  # years its names give: what it is known by
    fact_years: dict[str, set[int]] = field(default_factory=dict)  # years of the dated facts about it
    months: dict[str, set[str]] = field(default_factory=dict)  # "YYYY-MM" its names or its own date give
    posts: dict[str, list[str]] = field(default_factory=dict)  # person -> offices the graph says they held
    holders: dict[str, list[tuple[str, dt.date, dt.date]]] = field(default_factory=dict)  # office -> (person, from, to)
    weight: dict[str, int] = field(default_factory=dict)  # entity -> number of facts about it

    @classmethod
    def from_curation(cls, curation: Curation, without_source: str | None = None, entities=None) -> Knowledge:
        """The graph's facts except those of ``without_source``, about ``entities`` (default: all of the curation's).

        Labels and aliases give years too ("2020 Nagorno-Karabakh ceasefire agreement", "... (September 2023)").
        """
        entities = curation.entities if entities is None else entities
        schema = curation.schema
        happenings = frozenset(schema.classes[c] for c in ("Event", "Agreement") if c in schema.classes)
        dated = {e.id for e in entities.values() if schema.fits(frozenset({e.type_iri}), happenings)}
        known = cls()
        for entity in entities.values():
            for name in [entity.label, *(a.label for a in entity.aliases)]:
                known.years.setdefault(entity.id, set()).update(int(y) for y in _YEAR.findall(name))
                for pattern in (_MONTH_YEAR, _DAY_MONTH_YEAR):
                    for month, year in pattern.findall(name):
                        known.months.setdefault(entity.id, set()).add(f"{year}-{_MONTH_NAMES.index(month.lower()) + 1:02d}")
        for fact in curation.facts:
            if fact.source == without_source or fact.subject not in entities:
                continue
            known.weight[fact.subject] = known.weight.get(fact.subject, 0) + 1
            years = {t.earliest.year for t in fact.times.values()} | {t.latest.year for t in fact.times.values()}
            if fact.value_time is not None and fact.relation.name in ("date", "startDate", "endDate"):
                # The event's own date: as telling as a year in its name.
                known.years.setdefault(fact.subject, set()).update({fact.value_time.earliest.year, fact.value_time.latest.year})
                if fact.value_time.precision in ("month", "day"):
                    known.months.setdefault(fact.subject, set()).add(fact.value_time.earliest.strftime("%Y-%m"))
            if not fact.object:
                continue
            known.triples.setdefault((fact.subject, fact.relation.name, fact.object), []).append(fact.id)
            if fact.object not in entities:
                continue
            known.weight[fact.object] = known.weight.get(fact.object, 0) + 1
            known.neighbours.setdefault(fact.subject, set()).add(fact.object)
            known.neighbours.setdefault(fact.object, set()).add(fact.subject)
            # A dated fact dates the event or agreement it is about, not the actor or the office.
            for ref in {fact.subject, fact.object} & dated:
                known.fact_years.setdefault(ref, set()).update(years)
            if fact.relation.name == "holdsPost" and fact.object not in known.posts.get(fact.subject, []):
                known.posts.setdefault(fact.subject, []).append(fact.object)
            if fact.relation.name == "holdsPost":
                for when in fact.times.values():
                    known.holders.setdefault(fact.object, []).append((fact.subject, when.earliest, when.latest))
        return known

    def has(self, subject: str, relation: str, obj: str) -> list[str]:
        return self.triples.get((subject, relation, obj), [])

    def holder_at(self, office: str, day: dt.date, within_days: int = HOLDER_REACH_DAYS) -> str | None:
        """The person the graph says held ``office`` nearest to ``day`` (within ``within_days``), or None."""
        best: tuple[int, str] | None = None
        for person, earliest, latest in self.holders.get(office, []):
            gap = 0 if earliest <= day <= latest else min(abs((day - earliest).days), abs((day - latest).days))
            if gap <= within_days and (best is None or gap < best[0]):
                best = (gap, person)
        return best[1] if best else None
