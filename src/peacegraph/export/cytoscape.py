"""Cytoscape.js JSON: ``{"elements": {"nodes": [{"data": ...}], "edges": [{"data": ...}]}}``.

networkx's ``cytoscape_data`` gives edges no ids, so the elements are written
here. The same data drives the interactive HTML page.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from peacegraph.export.model import PropertyGraph
from peacegraph.export.style import family


def elements(graph: PropertyGraph) -> dict:
    """The Cytoscape.js elements of a property graph."""
    nodes = []
    for node in graph.nodes:
        name, fill, _, shape = family(node)
        nodes.append(
            {
                "data": {
                    "id": node.id,
                    "label": node.label,
                    "type": node.type,
                    "type_label": node.type_label,
                    "family": name,
                    "color": fill,
                    "shape": shape,
                    "iri": node.iri,
                    "aliases": node.aliases,
                    "categories": node.categories,
                    "attributes": node.attributes,
                }
            }
        )
    edges = []
    for edge in graph.edges:
        edges.append(
            {
                "data": {
                    "id": edge.id,
                    "source": edge.source,
                    "target": edge.target,
                    "label": edge.display_label,
                    "predicate": edge.predicate,
                    "date": edge.date,
                    "modal": edge.modal,
                    "start": edge.start,
                    "end": edge.end,
                    "facts": [asdict(e) for e in edge.evidence],
                }
            }
        )
    return {"elements": {"nodes": nodes, "edges": edges}}


def cytoscape(graph: PropertyGraph) -> bytes:
    data = {"data": {"name": f"peacegraph {graph.view}".strip()}, **elements(graph)}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
