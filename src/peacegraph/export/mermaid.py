"""Mermaid ``flowchart LR`` (GitHub renders it in Markdown), cut down when the graph is large."""

from __future__ import annotations

import re

from peacegraph.export.model import PropertyGraph
from peacegraph.export.style import family

#: Mermaid diagrams past this many edges are hard to read and slow to render; the rest is cut.
MAX_EDGES = 120


def text(value: str) -> str:
    """Label text for inside double quotes (``["..."]``, ``|"..."|``): one line, with entity codes for what quotes cannot hold.

    Mermaid 10 and 11 reject an unquoted label holding parentheses, brackets
    or pipes, so every label is quoted; inside quotes only a double quote,
    ``#`` (which starts an entity code), angle brackets (HTML) and a leading
    backtick (a Markdown string) need codes.

    >>> text('say "hi" | <b> (#1)')
    'say #quot;hi#quot; | #lt;b#gt; (#35;1)'
    """
    codes = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;"}
    return "".join(codes.get(ch, ch) for ch in " ".join(value.split()))


def mermaid(graph: PropertyGraph, max_edges: int = MAX_EDGES) -> bytes:
    """Nodes get ids ``n1``, ``n2`` ... (never a keyword such as ``end``); one class per kind of node."""
    edges = graph.edges
    cut = len(edges) > max_edges
    if cut:
        # Keep the facts of the best-connected nodes.
        degree: dict[str, int] = {}
        for edge in edges:
            for end in (edge.source, edge.target):
                degree[end] = degree.get(end, 0) + 1
        edges = sorted(edges, key=lambda e: (-(degree[e.source] + degree[e.target]), e.id))[:max_edges]
        edges.sort(key=lambda e: (e.source, e.key, e.target))
    shown = {e.source for e in edges} | {e.target for e in edges}
    nodes = [n for n in graph.nodes if n.id in shown or not cut]
    ids = {node.id: f"n{i}" for i, node in enumerate(nodes, 1)}
    lines = ["flowchart LR"]
    if cut:
        lines.append(f"  %% cut: {len(edges)} of {len(graph.edges)} edges and {len(nodes)} of {len(graph.nodes)} nodes shown")
        lines.append(f'  cut["{len(graph.edges) - len(edges)} more facts not shown: export a smaller view, e.g. neighbourhood"]')
    classes: dict[str, list[str]] = {}
    for node in nodes:
        lines.append(f'  {ids[node.id]}["{text(node.label)}"]')
        name, fill, _, _ = family(node)
        classes.setdefault(re.sub(r"[^A-Za-z0-9]", "", name or "Other"), [fill, []])[1].append(ids[node.id])
    for edge in edges:
        label = edge.display_label + (f" ({edge.date})" if edge.date else "")
        arrow = "-.->" if edge.modal else "-->"  # dotted: only planned or hypothetical
        lines.append(f'  {ids[edge.source]} {arrow}|"{text(label)}"| {ids[edge.target]}')
    for name, (fill, members) in sorted(classes.items()):
        lines.append(f"  classDef k{name} fill:{fill},stroke:#333,color:#000")
        lines.append(f"  class {','.join(members)} k{name}")
    return ("\n".join(lines) + "\n").encode("utf-8")
