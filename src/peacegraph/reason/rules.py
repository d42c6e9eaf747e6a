"""The inferences the graph publishes, materialised with SPARQL rules on pyoxigraph.

graph/peacegraph-inferred.ttl holds what the ontology entails about the
entities beyond what the seeds assert: class memberships (superclasses, and
the domain and range of the properties an entity is used with) and property
values (super-properties, inverses, symmetric and transitive properties).
HermiT through owlready2 computed them before (``--reasoner hermit-full``
still does); these rules compute the same set (a test compares the two on the
seeds) at the engine's speed, because the ontology uses no OWL construct
whose consequences they miss: named classes, subclass and subproperty axioms,
single-class domains and ranges, inverse, symmetric and transitive properties.
The rules refuse an ontology that uses more (property chains, equivalent
classes or properties, restrictions): add a rule, or use ``hermit-full``.

Each rule is a CONSTRUCT over the asserted graph and what has been inferred so
far that returns only what is not known yet; the rules run until nothing new
comes (a handful of rounds: the longest chain of consequences).
"""

from __future__ import annotations

import pyoxigraph as ox

from peacegraph.errors import OntologyError
from peacegraph.namespaces import ENTITY_IRI, PG_IRI, PREFIXES

_RDF, _RDFS, _OWL = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"]
_INFERRED = ox.NamedNode(PREFIXES["pg"].rstrip("#") + "/inferred")
#: Classes kept in the published inferences (as owlready2's INDIRECT_is_a was filtered).
KEPT_CLASS_NAMESPACES = tuple(PREFIXES[p] for p in ("pg", "prov", "org", "schema"))

_PROLOGUE = f"PREFIX rdf: <{_RDF}>\nPREFIX rdfs: <{_RDFS}>\nPREFIX owl: <{_OWL}>\n"

#: name -> CONSTRUCT rule (over the union of the asserted and the inferred graph)
RULES = {
    "superclass": "CONSTRUCT { ?x a ?super } WHERE { ?class rdfs:subClassOf ?super . FILTER(isIRI(?super)) ?x a ?class . FILTER NOT EXISTS { ?x a ?super } }",
    "super-property": (
        "CONSTRUCT { ?x ?super ?y } WHERE { ?p rdfs:subPropertyOf ?super . FILTER(isIRI(?super)) ?x ?p ?y . FILTER NOT EXISTS { ?x ?super ?y } }"
    ),
    "domain": "CONSTRUCT { ?x a ?class } WHERE { ?p rdfs:domain ?class . FILTER(isIRI(?class)) ?x ?p ?y . FILTER NOT EXISTS { ?x a ?class } }",
    "range": (
        "CONSTRUCT { ?y a ?class } WHERE { ?p rdfs:range ?class ; a owl:ObjectProperty . FILTER(isIRI(?class)) "
        "?x ?p ?y . FILTER(isIRI(?y)) FILTER NOT EXISTS { ?y a ?class } }"
    ),
    "inverse": (
        "CONSTRUCT { ?y ?q ?x } WHERE { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } "
        "FILTER(isIRI(?q)) ?x ?p ?y . FILTER(isIRI(?y)) FILTER NOT EXISTS { ?y ?q ?x } }"
    ),
    "symmetric": "CONSTRUCT { ?y ?p ?x } WHERE { ?p a owl:SymmetricProperty . ?x ?p ?y . FILTER(isIRI(?y)) FILTER NOT EXISTS { ?y ?p ?x } }",
    "transitive": "CONSTRUCT { ?x ?p ?z } WHERE { ?p a owl:TransitiveProperty . ?x ?p ?y . ?y ?p ?z . FILTER NOT EXISTS { ?x ?p ?z } }",
}

#: OWL vocabulary whose consequences the rules do not compute.
UNSUPPORTED = (
    "propertyChainAxiom",
    "equivalentClass",
    "equivalentProperty",
    "sameAs",
    "hasValue",
    "someValuesFrom",
    "allValuesFrom",
    "intersectionOf",
    "complementOf",
    "oneOf",
    "hasKey",
    "ReflexiveProperty",
)


def check_supported(ontology: list[ox.Triple]) -> None:
    """OntologyError naming the first OWL construct the rules would miss."""
    for t in ontology:
        for term in (t.predicate, t.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(_OWL) and term.value[len(_OWL) :] in UNSUPPORTED:
                raise OntologyError(
                    f"the ontology uses owl:{term.value[len(_OWL) :]}, whose consequences the inference rules do not compute; "
                    "add a rule to reason/rules.py or build with --reasoner hermit-full"
                )


def materialise(tbox: list[ox.Triple], abox: list[ox.Triple], max_rounds: int = 50) -> list[ox.Triple]:
    """Every triple the rules derive from ``tbox`` + ``abox`` that they do not assert, about entities.

    Kept, as the published inferences always were: class memberships of
    entities in pg:, prov:, org: and schema: classes, and pg: property values
    between entities.
    """
    check_supported(tbox)
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for part in (tbox, abox) for t in part)
    queries = [_PROLOGUE + rule for rule in RULES.values()]
    for _ in range(max_rounds):
        new = []
        for query in queries:
            new += [ox.Quad(t.subject, t.predicate, t.object, _INFERRED) for t in store.query(query, use_default_graph_as_union=True)]
        if not new:
            break
        store.extend(new)
    else:
        raise OntologyError(f"the inference rules did not settle after {max_rounds} rounds")
    out = []
    type_ = ox.NamedNode(_RDF + "type")
    for quad in store.quads_for_pattern(None, None, None, _INFERRED):
        s, p, o = quad.subject, quad.predicate, quad.object
        if not (isinstance(s, ox.NamedNode) and s.value.startswith(ENTITY_IRI)):
            continue
        if p == type_:
            if isinstance(o, ox.NamedNode) and o.value.startswith(KEPT_CLASS_NAMESPACES):
                out.append(ox.Triple(s, p, o))
        elif p.value.startswith(PG_IRI) and isinstance(o, ox.NamedNode) and o.value.startswith(ENTITY_IRI):
            out.append(ox.Triple(s, p, o))
    return out
