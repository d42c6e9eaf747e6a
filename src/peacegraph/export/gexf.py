"""GEXF for Gephi, with ``start``/``end`` on dated edges so Gephi's timeline can play the history."""

from __future__ import annotations

import io

from peacegraph.export.model import PropertyGraph
from peacegraph.export.netx import to_networkx


def gexf(graph: PropertyGraph) -> bytes:
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_gexf(to_networkx(graph, dynamic=True), buffer, encoding="utf-8", version="1.2draft")
    return buffer.getvalue()
