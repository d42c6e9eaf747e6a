"""Export a view of the graph to the tools people look at graphs with.

A *view* is a CONSTRUCT query in ``queries/views/`` (see :mod:`.views`). An
*exporter* turns the view into one format; every exporter is registered in
``EXPORTERS``, one small module per format (bioregistry's ``export/`` layout).
RDF exporters take the view's triples; the others take the property graph
built from them (:mod:`.model`). Heavy libraries (rdflib, networkx) are
imported inside the exporter that needs them.

>>> sorted(EXPORTERS)[:4]
['csv', 'cytoscape', 'dot', 'gexf']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peacegraph.export import cytoscape, dot, gexf, graphml, html, jsonld, mermaid, neo4j, rdf, timeline


@dataclass(frozen=True)
class Exporter:
    """One output format."""

    name: str
    suffix: str  # file suffix of the output; "" for a folder of files
    takes: str  # "rdf": the view's triples; "graph": the property graph
    render: Callable[[Any], Any]  # -> bytes, or {file name: bytes} for a folder
    description: str
    binary: bool = False

    @property
    def folder(self) -> bool:
        return self.suffix == ""


#: Format name -> exporter. The CLI's --format choices come from here.
EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", ".ttl", "rdf", rdf.turtle, "Turtle (sorted, like graph/)"),
        Exporter("ntriples", ".nt", "rdf", rdf.ntriples, "N-Triples, sorted lines"),
        Exporter("jsonld", ".jsonld", "rdf", jsonld.jsonld, "JSON-LD with a context of the project's prefixes"),
        Exporter("rdfxml", ".rdf", "rdf", rdf.rdfxml, "RDF/XML (Protégé)"),
        Exporter("graphml", ".graphml", "graph", graphml.graphml, "GraphML (yEd, Cytoscape, Gephi)"),
        Exporter("gexf", ".gexf", "graph", gexf.gexf, "GEXF with start/end on dated edges (Gephi timeline)"),
        Exporter("dot", ".dot", "graph", dot.dot, "Graphviz DOT"),
        Exporter("svg", ".svg", "graph", dot.svg, "SVG drawn by Graphviz"),
        Exporter("png", ".png", "graph", dot.png, "PNG drawn by Graphviz", binary=True),
        Exporter("mermaid", ".mmd", "graph", mermaid.mermaid, "Mermaid flowchart (GitHub Markdown); large graphs cut"),
        Exporter("cytoscape", ".json", "graph", cytoscape.cytoscape, "Cytoscape.js elements JSON"),
        Exporter("csv", "", "graph", neo4j.neo4j_csv, "nodes.csv, relationships.csv and import.cypher for Neo4j"),
        Exporter("html", ".html", "graph", html.html, "self-contained interactive page (offline)"),
        Exporter("timeline", ".svg", "graph", timeline.timeline, "SVG timeline of dated facts by actor"),
    )
}


def export(view_name: str, fmt: str, values: dict[str, str] | None = None, graph_dir: Path | None = None, engine=None):
    """Render view ``view_name`` in format ``fmt``: bytes, or {file name: bytes} for a folder format.

    Raises QueryError for an unknown view or format or a bad parameter, and
    GraphMissingError when graph/ has not been built.
    """
    from peacegraph.errors import QueryError
    from peacegraph.export.model import build_graph
    from peacegraph.export.views import get_view, run_view

    if fmt not in EXPORTERS:
        raise QueryError(f"no export format named '{fmt}'; known formats: {', '.join(EXPORTERS)}")
    exporter = EXPORTERS[fmt]
    view = get_view(view_name)
    if engine is None:
        from peacegraph.query.engines import EmbeddedEngine

        engine = EmbeddedEngine(graph_dir)
    triples = run_view(engine, view, values)
    data = triples if exporter.takes == "rdf" else build_graph(triples, view.name)
    return exporter.render(data)
