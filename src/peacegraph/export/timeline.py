"""A timeline of dated facts by actor, as a standalone SVG (hover a mark for its quote and source).

One row per actor (a node whose type falls under ``pg:Actor``); a mark for
each dated fact it takes part in, placed at the first day its date can stand
for and drawn as a bar to the last day when that is later (a month, a year,
an interval; an interval with no end runs to the right edge). A fact without
a date of its own takes the date of the event at its other end, when that
event has one (``pg:date``, ``pg:startDate``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

from peacegraph.export.model import Edge, Node, PropertyGraph, date_span
from peacegraph.export.style import colour

WIDTH = 1200
LEFT = 210
RIGHT = 40
LANE = 22
TOP = 70
CHAR = 6.2  # average width of one character at font-size 11, in px


@dataclass
class Item:
    actor: Node
    start: dt.date
    end: dt.date
    open_end: bool
    text: str
    tooltip: str
    colour: str
    modal: bool = False  # planned or hypothetical: drawn hollow


def _event_span(node: Node) -> tuple[str, str] | None:
    for key in ("date", "startDate"):
        if key in node.attributes:
            span = date_span(node.attributes[key].split(";")[0].strip())
            if span:
                end = (
                    date_span(node.attributes["endDate"])[1]
                    if "endDate" in node.attributes and date_span(node.attributes["endDate"])
                    else span[1]
                )
                return span[0], end
    return None


def items(graph: PropertyGraph) -> list[Item]:
    """The dated facts of the graph, one per actor taking part in them."""
    index = {n.id: n for n in graph.nodes}
    found: list[Item] = []
    for edge in graph.edges:
        ends = [index[edge.source], index[edge.target]]
        span, open_end = _edge_span(edge, ends)
        if span is None:
            continue
        for i, actor in enumerate(ends):
            if not actor.is_a("Actor"):
                continue
            other = ends[1 - i]
            # Read from the actor's row: "signatory of X", or "X office in" turned round as "office in <- X".
            text = f"{edge.display_label} {other.label}" if i == 0 else f"{edge.display_label} \u2190 {other.label}"
            tooltip = "\n".join(
                filter(
                    None,
                    [
                        f"{ends[0].label} {edge.display_label} {ends[1].label}",
                        edge.date or f"(date of {other.label})",
                        *[f"\u201c{q}\u201d" for q in edge.quotes],
                        *[f"\u2014 {s}" for s in edge.sources],
                    ],
                )
            )
            found.append(
                Item(
                    actor,
                    dt.date.fromisoformat(span[0]),
                    dt.date.fromisoformat(span[1]),
                    open_end,
                    text,
                    tooltip,
                    colour(other),
                    edge.modal,
                )
            )
    return sorted(found, key=lambda it: (it.actor.label, it.start, it.text))


def _edge_span(edge: Edge, ends: list[Node]) -> tuple[tuple[str, str] | None, bool]:
    if edge.start or edge.end:
        start = edge.start or edge.end
        return (start, edge.end or start), edge.end is None  # type: ignore[return-value]
    for node in ends:
        if node.is_a("Event"):
            span = _event_span(node)
            if span:
                return span, False
    return None, False


def timeline(graph: PropertyGraph) -> bytes:
    found = items(graph)
    title = f"peacegraph: {graph.view} \u2014 dated facts by actor"
    if not found:
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="80" font-family="Helvetica, Arial, sans-serif">'
            f'<text x="20" y="30" font-size="16">{escape(title)}</text>'
            '<text x="20" y="58" font-size="12" fill="#666">No dated facts involving an actor in this view.</text></svg>\n'
        )
        return svg.encode("utf-8")
    first = min(it.start for it in found)
    last = max(max(it.end for it in found), first + dt.timedelta(days=1))
    lo = dt.date(first.year, 1, 1)
    hi = dt.date(last.year + 1, 1, 1)
    span_days = (hi - lo).days
    x = lambda day: LEFT + (WIDTH - LEFT - RIGHT) * (day - lo).days / span_days  # noqa: E731

    # Put each actor's marks in lanes so labels do not overlap; a label that would run
    # off the right edge goes to the left of its mark.
    rows: list[tuple[Node, list[list[tuple[Item, float, float, bool]]]]] = []
    for item in found:
        if not rows or rows[-1][0].id != item.actor.id:
            rows.append((item.actor, []))
        lanes = rows[-1][1]
        x0 = x(item.start)
        x1 = max(x(hi) if item.open_end else x(item.end), x0)
        width = CHAR * len(item.text)
        left_label = max(x1, x0 + 4) + 6 + width > WIDTH - 12
        lo_x, hi_x = (x0 - 10 - width, x1) if left_label else (x0 - 5, max(x1, x0 + 4) + 6 + width)
        for lane in lanes:
            if all(hi_x + 4 < a or lo_x > b + 4 for _, a, b, _ in lane):
                lane.append((item, lo_x, hi_x, left_label))
                break
        else:
            lanes.append([(item, lo_x, hi_x, left_label)])

    height = TOP + sum(len(lanes) * LANE + 10 for _, lanes in rows) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="20" y="28" font-size="16" font-weight="bold">{escape(title)}</text>',
    ]
    step = max(1, (hi.year - lo.year) // 12)
    for year in range(lo.year, hi.year + 1, step):
        gx = x(dt.date(year, 1, 1))
        out.append(f'<line x1="{gx:.1f}" y1="{TOP - 12}" x2="{gx:.1f}" y2="{height - 20}" stroke="#e3e3e3"/>')
        out.append(f'<text x="{gx:.1f}" y="{TOP - 18}" text-anchor="middle" fill="#555">{year}</text>')
    y = TOP
    for actor, lanes in rows:
        block = len(lanes) * LANE
        out.append(f'<rect x="10" y="{y - 4}" width="{WIDTH - 20}" height="{block + 4}" fill="#f6f6f6" rx="3"/>')
        out.append(f'<circle cx="22" cy="{y + LANE / 2 - 2}" r="5" fill="{colour(actor)}" stroke="#333" stroke-width="0.5"/>')
        out.append(f'<text x="32" y="{y + LANE / 2 + 2}" font-weight="bold">{escape(actor.label)}</text>')
        for n, lane in enumerate(lanes):
            cy = y + n * LANE + LANE / 2 - 2
            for item, _, _, left_label in lane:
                x0 = x(item.start)
                x1 = max(x(hi) if item.open_end else x(item.end), x0)
                out.append("<g>")
                out.append(f"<title>{escape(item.tooltip)}</title>")
                if x1 - x0 >= 4:
                    dash = ' stroke-dasharray="3,2"' if item.open_end else ""
                    out.append(
                        f'<rect x="{x0:.1f}" y="{cy - 4}" width="{x1 - x0:.1f}" height="8" rx="2" fill="{item.colour}" fill-opacity="0.55" stroke="#333" stroke-width="0.5"{dash}/>'
                    )
                fill = "#ffffff" if item.modal else item.colour
                out.append(
                    f'<circle cx="{x0:.1f}" cy="{cy}" r="4.5" fill="{fill}" stroke="{item.colour if item.modal else "#333"}" stroke-width="{1.5 if item.modal else 0.7}"/>'
                )
                if left_label:
                    out.append(f'<text x="{x0 - 8:.1f}" y="{cy + 4}" text-anchor="end" fill="#222">{escape(item.text)}</text>')
                else:
                    out.append(f'<text x="{max(x1, x0 + 4) + 6:.1f}" y="{cy + 4}" fill="#222">{escape(item.text)}</text>')
                out.append("</g>")
        y += block + 10
    out.append(
        f'<text x="{WIDTH - RIGHT}" y="{height - 6}" text-anchor="end" fill="#888" font-size="10">{escape("hover a mark for its quote and source; a hollow mark is planned or hypothetical")}</text>'
    )
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")
