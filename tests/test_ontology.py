"""The ontology is well formed: header, labels, definitions, and the namespace module agrees with it."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, URIRef

from peacegraph.namespaces import ONTOLOGY_IRI, PG_IRI, PG_TERMS, PREFIXES

SKOS_DEFINITION = URIRef(PREFIXES["skos"] + "definition")
DCT = PREFIXES["dcterms"]


def _own_terms(graph):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted({s for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(PG_IRI)})


def test_namespace_terms_equal_ontology_terms(schema):
    declared = {str(s)[len(PG_IRI) :] for s in schema.graph.subjects() if str(s).startswith(PG_IRI)}
    assert set(PG_TERMS) == declared


def test_closed_namespace_rejects_misspelt_terms():
    from peacegraph.namespaces import PG

    assert str(PG.holdsPost) == PG_IRI + "holdsPost"
    with pytest.raises(AttributeError):
        PG.holdPost  # noqa: B018


@pytest.mark.parametrize("what", ["title", "description", "license", "creator", "created"])
def test_header_has(schema, what):
    assert schema.graph.value(URIRef(ONTOLOGY_IRI), URIRef(DCT + what)) is not None


def test_header_has_version(schema):
    onto = URIRef(ONTOLOGY_IRI)
    assert schema.graph.value(onto, OWL.versionIRI) is not None
    assert schema.graph.value(onto, OWL.versionInfo) is not None


def test_every_term_has_one_english_label_and_a_definition(schema):
    missing = []
    for term in _own_terms(schema.graph):
        labels = list(schema.graph.objects(term, RDFS.label))
        definitions = list(schema.graph.objects(term, SKOS_DEFINITION))
        if len(labels) != 1 or labels[0].language != "en" or len(definitions) != 1:
            missing.append(str(term))
    assert not missing, f"terms without exactly one English label and one definition: {missing}"


def test_labels_are_unique(schema):
    seen = {}
    for term in _own_terms(schema.graph):
        label = str(schema.graph.value(term, RDFS.label))
        seen.setdefault((label, (term, RDF.type, OWL.Class) in schema.graph), []).append(str(term))
    assert not {k: v for k, v in seen.items() if len(v) > 1}


def test_person_and_state_are_disjoint(schema):
    from peacegraph.reason.hermit import disjoint_pairs

    pairs = disjoint_pairs(schema.graph)
    state_supers = schema.superclasses[URIRef(PG_IRI + "State")]
    assert any(tuple(sorted((URIRef(PG_IRI + "Person"), s))) in pairs for s in state_supers)


def test_relations_and_qualifiers_are_indexed(schema):
    assert "holdsPost" in schema.relations and schema.relations["holdsPost"].is_object
    assert "quotation" in schema.qualifiers
    assert schema.relations["brokerOf"].role == URIRef("https://w3id.org/peacegraph/concept/role-broker")
    assert "status-signed" in schema.concepts
