"""The property graph as a networkx MultiDiGraph, for GraphML and GEXF.

networkx's GraphML and GEXF writers refuse lists and None, so list values are
joined with ``"; "`` and missing values left out.
"""

from __future__ import annotations

from peacegraph.export.model import PropertyGraph

#: Joins list values in one attribute.
SEPARATOR = "; "


def to_networkx(graph: PropertyGraph, dynamic: bool = False):
    """A ``networkx.MultiDiGraph``: one node per entity, one keyed edge per fact.

    With ``dynamic``, dated edges get ``start`` and ``end`` (ISO dates), which
    networkx writes as GEXF spells for Gephi's timeline.
    """
    import networkx as nx

    from peacegraph.export.progress import track
    from peacegraph.export.style import colour

    nxg = nx.MultiDiGraph(name=f"peacegraph {graph.view}".strip())
    for node in graph.nodes:
        attrs = {
            "label": node.label,
            "type": node.type,
            "type_label": node.type_label,
            "iri": node.iri,
            "categories": SEPARATOR.join(node.categories),
            "aliases": SEPARATOR.join(node.aliases),
            "colour": colour(node),
        }
        attrs.update({f"pg_{k}": v for k, v in node.attributes.items()})
        nxg.add_node(node.id, **attrs)
    for edge in track(graph.edges, "writing edges"):
        attrs = {
            "id": edge.id,
            "label": edge.label,
            "predicate": edge.predicate,
            "date": edge.date,
            "roles": SEPARATOR.join(edge.roles),
            "modalities": SEPARATOR.join(edge.modalities),
            "sources": SEPARATOR.join(edge.sources),
            "source_ids": SEPARATOR.join(edge.source_ids),
            "quotes": SEPARATOR.join(edge.quotes),
            "statements": SEPARATOR.join(edge.statements),
        }
        if dynamic:
            if edge.start:
                attrs["start"] = edge.start
            if edge.end:
                attrs["end"] = edge.end
        nxg.add_edge(edge.source, edge.target, key=edge.id, **attrs)
    return nxg
