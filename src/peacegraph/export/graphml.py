"""GraphML (yEd, Cytoscape desktop, Gephi), written by networkx."""

from __future__ import annotations

import io

from peacegraph.export.model import PropertyGraph
from peacegraph.export.netx import to_networkx


def graphml(graph: PropertyGraph) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8", named_key_ids=True)
    return buffer.getvalue()
