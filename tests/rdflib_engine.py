"""rdflib's SPARQL engine behind the engine interface of peacegraph.query.engines, for conformance tests.

It lives under tests/ because the query path must never import rdflib; it
answers the same query text with the same parameter substitution
(``engines.substitute``), so any difference in answers is the engine's.
"""

from __future__ import annotations

from pathlib import Path

from peacegraph.query.engines import refuse_update, substitute
from peacegraph.query.results import ResultSet, Term

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class RdflibEngine:
    """An in-memory rdflib Graph loaded from Turtle files, queried with rdflib's SPARQL 1.1 engine."""

    def __init__(self, files: list[Path]):
        from rdflib import Graph

        self.graph = Graph()
        for path in files:
            self.graph.parse(path, format="turtle")

    def run(self, text: str, bindings: dict[str, Term] | None = None, timeout: float | None = None):
        refuse_update(text)
        result = self.graph.query(substitute(text, bindings or {}))
        if result.type == "ASK":
            return ResultSet(boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return result.serialize(format="turtle")
        columns = [str(v) for v in result.vars]
        rows = [{str(k): v for k, v in binding.items()} for binding in result.bindings]
        return ResultSet(columns, [{c: _term(row.get(c)) for c in columns} for row in rows])


def _term(node) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if node is None:
        return None
    if isinstance(node, URIRef):
        return Term("uri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    assert isinstance(node, Literal)
    datatype = str(node.datatype) if node.datatype is not None and not node.language else None
    if datatype == _XSD_STRING:
        datatype = None
    return Term("literal", str(node), datatype, node.language)
