"""JSON-LD with a context made from ``namespaces.PREFIXES``, so keys read ``rdfs:label``, ``pg:signatoryOf``."""

from __future__ import annotations

import json

from peacegraph.namespaces import PREFIXES

#: Short keys for the properties people read most.
TERMS: dict[str, dict[str, str]] = {
    "label": {"@id": "rdfs:label"},
    "altLabel": {"@id": "skos:altLabel"},
    "title": {"@id": "dcterms:title"},
    "quote": {"@id": "oa:exact"},
}


def context() -> dict:
    """The JSON-LD context: every prefix of ``PREFIXES`` plus a few short terms.

    >>> context()["ent"]
    'https://w3id.org/peacegraph/entity/'
    """
    return {**PREFIXES, **TERMS}


def jsonld(triples) -> bytes:
    """Compacted JSON-LD; the ``@graph`` sorted by ``@id`` so the output is stable."""
    from peacegraph.export.rdf import rdflib_graph

    ctx = context()
    text = rdflib_graph(triples).serialize(format="json-ld", context=ctx, auto_compact=True)
    data = json.loads(text)
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data["@graph"].sort(key=lambda item: str(item.get("@id", "")))
    if isinstance(data, dict):
        data["@context"] = ctx
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
