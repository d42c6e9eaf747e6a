"""Colours and shapes by kind of node, shared by the DOT, HTML, Mermaid and timeline exports."""

from __future__ import annotations

from peacegraph.export.model import Node

#: (category, colour, Graphviz shape, Cytoscape shape): the first category a node's type falls under wins.
FAMILIES: tuple[tuple[str, str, str, str], ...] = (
    ("State", "#4c78a8", "ellipse", "ellipse"),
    ("Person", "#f58518", "ellipse", "ellipse"),
    ("Organisation", "#54a24b", "ellipse", "ellipse"),
    ("Post", "#b279a2", "note", "round-tag"),
    ("Agreement", "#e45756", "box", "round-rectangle"),
    ("Event", "#eeca3b", "diamond", "diamond"),
    ("Route", "#9d755d", "hexagon", "hexagon"),
    ("Place", "#72b7b2", "hexagon", "hexagon"),
    ("NegotiationIssue", "#ff9da6", "octagon", "octagon"),
)
#: Colour and shapes of nodes of no listed family (concepts such as an agreement status).
OTHER = ("", "#bab0ac", "box", "tag")


def family(node: Node) -> tuple[str, str, str, str]:
    """The (category, colour, Graphviz shape, Cytoscape shape) of a node.

    >>> family(Node("ent:x", "x", "x", "Region", categories=["Region", "Place", "Territory"]))[:2]
    ('Place', '#72b7b2')
    """
    for entry in FAMILIES:
        if entry[0] in node.categories:
            return entry
    return OTHER


def colour(node: Node) -> str:
    return family(node)[1]
