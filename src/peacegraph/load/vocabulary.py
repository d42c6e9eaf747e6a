"""The p:, ps: and pq: properties of the statement pattern, generated from the ontology.

For every relation ``pg:R`` the graph uses ``p:R`` (subject -> statement node)
and ``ps:R`` (statement node -> object or value); for every qualifier
``pg:Q`` it uses ``pq:Q``. Declaring them (object or datatype property, label,
definition, domain and range) keeps the graph OWL 2 DL, so the OWL API and
Protégé read every statement link, and ``pg:claimProperty``,
``pg:statementProperty`` and ``pg:qualifierProperty`` lead from a relation to
its statement properties, as ``wikibase:claim`` does in Wikidata. Nothing here
is curated: adding a relation to the ontology is enough.
"""

from __future__ import annotations

import pyoxigraph as ox

from peacegraph.load.schema import Property, Schema
from peacegraph.load.triples import LABEL, TYPE, claim_property, qualifier_property, statement_property
from peacegraph.namespaces import PG_IRI, PREFIXES

_OWL, _RDFS = PREFIXES["owl"], PREFIXES["rdfs"]
OBJECT_PROPERTY = ox.NamedNode(_OWL + "ObjectProperty")
DATATYPE_PROPERTY = ox.NamedNode(_OWL + "DatatypeProperty")
DEFINITION = ox.NamedNode(PREFIXES["skos"] + "definition")
DOMAIN = ox.NamedNode(_RDFS + "domain")
RANGE = ox.NamedNode(_RDFS + "range")
ASSERTION = ox.NamedNode(PG_IRI + "Assertion")


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def vocabulary_triples(schema: Schema) -> list[ox.Triple]:
    """Declarations of p:R, ps:R for each relation and pq:Q for each qualifier, sorted by name."""
    out: list[ox.Triple] = []
    for name, prop in sorted(schema.relations.items()):
        source = ox.NamedNode(str(prop.iri))
        kind = OBJECT_PROPERTY if prop.is_object else DATATYPE_PROPERTY
        claim, value = claim_property(name), statement_property(name)
        out += [
            ox.Triple(source, ox.NamedNode(PG_IRI + "claimProperty"), claim),
            ox.Triple(source, ox.NamedNode(PG_IRI + "statementProperty"), value),
            ox.Triple(claim, TYPE, OBJECT_PROPERTY),
            ox.Triple(claim, LABEL, _en(f"{prop.label} (statement)")),
            ox.Triple(claim, DEFINITION, _en(f"Leads from a fact's subject to the statement node of a '{prop.label}' fact.")),
            ox.Triple(claim, RANGE, ASSERTION),
            ox.Triple(value, TYPE, kind),
            ox.Triple(value, LABEL, _en(f"{prop.label} (statement value)")),
            ox.Triple(value, DEFINITION, _en(f"Leads from the statement node of a '{prop.label}' fact to its object or value.")),
            ox.Triple(value, DOMAIN, ASSERTION),
        ]
        out += _range(value, prop)
    qualifiers = {**schema.qualifiers, **schema.time_qualifiers}
    for name, prop in sorted(qualifiers.items()):
        source = ox.NamedNode(str(prop.iri))
        qualifier = qualifier_property(name)
        out += [
            ox.Triple(source, ox.NamedNode(PG_IRI + "qualifierProperty"), qualifier),
            ox.Triple(qualifier, TYPE, OBJECT_PROPERTY if prop.is_object else DATATYPE_PROPERTY),
            ox.Triple(qualifier, LABEL, _en(f"{prop.label} (qualifier)")),
            ox.Triple(qualifier, DEFINITION, _en(f"The qualifier '{prop.label}' on a statement node.")),
            ox.Triple(qualifier, DOMAIN, ASSERTION),
        ]
        out += _range(qualifier, prop)
    return out


def _range(node: ox.NamedNode, prop: Property) -> list[ox.Triple]:
    """The range of the generated property: the source property's single named class, if it has one."""
    if prop.is_object and len(prop.range) == 1:
        (cls,) = prop.range
        if not str(cls).endswith("#Thing"):
            return [ox.Triple(node, RANGE, ox.NamedNode(str(cls)))]
    return []
