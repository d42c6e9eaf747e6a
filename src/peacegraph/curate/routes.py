"""Routes described rather than named: "a land bridge through Armenia ... connecting Azerbaijan to Nakhchivan".

A route noun ("corridor", "route", "land bridge", "rail link") in a sentence that names the places the
graph says one known route connects or passes through (three or more) is that route, when no other known route shares as many.
"""

from __future__ import annotations

from peacegraph.curate.coverage import Sentence
from peacegraph.curate.gazetteer import Mention
from peacegraph.curate.knowledge import Knowledge

#: Nouns for a route (the last word; "land bridge", "rail link" keep their first word).
ROUTE_NOUNS = {"corridor", "corridors", "route", "routes", "bridge", "link", "links", "passage", "railway", "railways", "road", "highway"}
#: Words before "bridge" or "link" that make it a route ("land bridge", "rail link", "transport link").
ROUTE_MODIFIERS = {"land", "rail", "railway", "road", "transport", "transit"}
#: A route is recognised by this many of its places named with the noun: two are often just the two sides ("trade
#: routes between Armenia and Azerbaijan"); a route's ends and what it passes through are three.
MIN_SHARED_PLACES = 3
#: Relations that give a route's places.
ROUTE_RELATIONS = ("connects", "passesThrough")


def described_routes(
    text: str, tokens, mentions: list[Mention], sentences: list[Sentence], knowledge: Knowledge, routes: set[str]
) -> list[Mention]:
    """Mentions of known routes (``routes``: entity ids) said by a route noun and the places around it."""
    places: dict[str, set[str]] = {}
    for s, r, o in knowledge.triples:
        if r in ROUTE_RELATIONS and s in routes:
            places.setdefault(s, set()).add(o)
    if not places:
        return []
    out = []
    for sentence in sentences:
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
        named = {e for m in inside for e in m.entities}
        if named & set(places):
            continue  # the route is named in the sentence
        shared = sorted(((len(p & named), r) for r, p in places.items()), reverse=True)
        if not shared or shared[0][0] < MIN_SHARED_PLACES or (len(shared) > 1 and shared[1][0] == shared[0][0]):
            continue
        route = shared[0][1]
        for t in tokens:
            if not (sentence.start <= t.idx < sentence.end) or t.lower_ not in ROUTE_NOUNS:
                continue
            start = t.idx
            if t.lower_ in ("bridge", "link", "links"):
                if t.i == 0 or tokens[t.i - 1].lower_ not in ROUTE_MODIFIERS:
                    continue
                start = tokens[t.i - 1].idx
            end = t.idx + len(t)
            if any(m.start < end and start < m.end for m in inside):
                continue
            out.append(Mention(start, end, text[start:end], (route,), route, "description", 75.0))
            break  # one route noun per sentence
    return out
