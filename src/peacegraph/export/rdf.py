"""RDF serialisations of a view's triples: Turtle, N-Triples, RDF/XML (JSON-LD is in jsonld.py)."""

from __future__ import annotations


def _ntriples(triples) -> bytes:
    import pyoxigraph

    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES) or b""


def rdflib_graph(triples):
    """An rdflib Graph holding ``triples`` (pyoxigraph Triples), with the project's prefixes bound."""
    import rdflib

    from peacegraph.namespaces import bind_prefixes

    graph = rdflib.Graph()
    graph.parse(data=_ntriples(triples).decode("utf-8"), format="nt")
    return bind_prefixes(graph)


def turtle(triples) -> bytes:
    """Sorted, readable Turtle (rdflib's longturtle, as graph/ is written)."""
    from peacegraph.write.files import turtle_bytes

    return turtle_bytes(rdflib_graph(triples))


def ntriples(triples) -> bytes:
    """One triple per line, sorted, so two exports of the same view are byte-identical."""
    lines = sorted(set(_ntriples(triples).decode("utf-8").splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def rdfxml(triples) -> bytes:
    """RDF/XML, for Protégé and older tools."""
    return rdflib_graph(triples).serialize(format="xml", encoding="utf-8")
