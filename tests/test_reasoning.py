"""OWL consistency with HermiT: consistent seeds pass, a clash is explained, no Java is said plainly."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef

from peacegraph.build import ontology_triples
from peacegraph.namespaces import ENTITY_IRI, PG_IRI
from peacegraph.reason import hermit as reasoning


def _triples(graph: Graph) -> list[ox.Triple]:
    return list(ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES))


@pytest.fixture(scope="module")
def ontology():
    return ontology_triples()


needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime; .ci/run installs default-jre-headless")


@needs_java
def test_real_seeds_are_consistent(real_report):
    assert real_report.reasoning.status == "consistent", real_report.reasoning.detail


@needs_java
@pytest.mark.parametrize("mode", ["summary", "full"])
def test_person_that_is_also_a_state_is_inconsistent_and_named(ontology, mode):
    data = Graph()
    who = URIRef(ENTITY_IRI + "nikol-pashinyan")
    data.add((who, RDF.type, URIRef(PG_IRI + "Person")))
    data.add((who, RDF.type, URIRef(PG_IRI + "State")))
    result = reasoning.check_consistency(ontology, _triples(data), {"nikol-pashinyan": "seeds/facts/entities.yaml:7"}, mode=mode)
    assert result.status == "inconsistent"
    assert any("seeds/facts/entities.yaml:7" in c and "nikol-pashinyan" in c and "Person" in c for c in result.culprits)


@needs_java
@pytest.mark.parametrize("mode", ["summary", "full"])
def test_type_clash_through_a_property_range_is_explained(ontology, mode):
    data = Graph()
    person = URIRef(ENTITY_IRI + "someone")
    data.add((person, RDF.type, URIRef(PG_IRI + "Person")))
    # holdsPost's range is Post, which is disjoint with Person.
    data.add((URIRef(ENTITY_IRI + "other"), URIRef(PG_IRI + "holdsPost"), person))
    result = reasoning.check_consistency(ontology, _triples(data), mode=mode)
    assert result.status == "inconsistent"
    assert any("someone" in c and "object of" in c for c in result.culprits)


def test_without_java_reasoning_is_skipped_with_reason(ontology, monkeypatch):
    monkeypatch.setattr(reasoning.shutil, "which", lambda name: None)
    result = reasoning.check_consistency(ontology, [])
    assert result.status == "skipped"
    assert "no Java runtime" in result.detail and "default-jre-headless" in result.detail
    assert result.ok


def test_reasoner_input_drops_dates_hermit_rejects(ontology, real_report):
    tbox, abox = reasoning.reasoner_input(ontology, real_report.data)
    dated = [t for t in abox if isinstance(t.object, ox.Literal) and t.object.datatype.value in reasoning.UNSUPPORTED_DATATYPES]
    assert abox and not dated
    assert any(isinstance(t.object, ox.Literal) and t.object.datatype.value in reasoning.UNSUPPORTED_DATATYPES for t in real_report.data)


@needs_java
def test_inferred_triples_are_written_apart(mini_seeds, tmp_path):
    from rdflib import Graph, URIRef

    from peacegraph import paths
    from peacegraph.build import Inputs, build

    out = tmp_path / "graph"
    build(Inputs.from_seeds(mini_seeds), graph_dir=out)
    inferred = Graph().parse(out / paths.INFERRED_FILE_NAME)
    asserted = Graph().parse(out / paths.DATA_FILE_NAME)
    ent = lambda n: URIRef(ENTITY_IRI + n)  # noqa: E731
    pg = lambda n: URIRef(PG_IRI + n)  # noqa: E731
    assert (ent("prime-minister-of-armenia"), pg("postHeldBy"), ent("nikol-pashinyan")) in inferred  # inverse
    assert (ent("armenia"), RDF.type, pg("Actor")) in inferred  # class membership
    assert (ent("united-states"), pg("involvedIn"), ent("test-ceasefire")) in inferred  # super-property
    assert not set(inferred) & set(asserted), "inferred triples must not repeat asserted ones"
    # Without reasoning, no stale inferred file is left beside new data.
    build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False)
    assert not (out / paths.INFERRED_FILE_NAME).exists()


@needs_java
def test_clash_names_the_fact_that_caused_it(ontology):
    from peacegraph.namespaces import P_IRI, PS_IRI, STATEMENT_IRI

    data = Graph()
    person, other = URIRef(ENTITY_IRI + "someone"), URIRef(ENTITY_IRI + "other")
    holds = URIRef(PG_IRI + "holdsPost")
    data.add((person, RDF.type, URIRef(PG_IRI + "Person")))
    data.add((other, holds, person))
    stmt = URIRef(STATEMENT_IRI + "d009-bad-office")
    data.add((other, URIRef(P_IRI + "holdsPost"), stmt))
    data.add((stmt, URIRef(PS_IRI + "holdsPost"), person))
    result = reasoning.check_consistency(
        ontology, _triples(data), {"d009-bad-office": "seeds/facts/d009.yaml:12", "someone": "seeds/facts/entities.yaml:3"}
    )
    assert result.status == "inconsistent"
    culprit = next(c for c in result.culprits if "someone" in c)
    assert culprit.startswith("seeds/facts/entities.yaml:3:")
    assert "in the fact at seeds/facts/d009.yaml:12" in culprit and "owl:AllDisjointClasses" in culprit


@needs_java
def test_pellet_option_gives_a_verdict_or_says_why_not(ontology):
    result = reasoning.check_consistency(ontology, [], reasoner="pellet")
    assert result.status in ("consistent", "skipped")
    if result.status == "skipped":
        assert "Pellet failed in Java" in result.detail and "--reasoner hermit" in result.detail


@needs_java
def test_rule_inferences_equal_hermits_on_the_seeds(ontology, real_report):
    """The inference rules (reason/rules.py) publish exactly what HermiT infers (issue 11)."""
    full = reasoning.check_consistency(ontology, real_report.data, infer=True, mode="full")
    assert full.status == "consistent" and full.inferred
    rules = set(real_report.reasoning.inferred)
    assert rules == set(full.inferred)


@needs_java
def test_summary_merges_individuals_and_keeps_functional_values_apart(ontology, real_report):
    tbox, abox = reasoning.reasoner_input(ontology, real_report.data)
    summary = reasoning.summarise(tbox, abox)
    individuals = {t.subject for t in abox}
    representatives = {t.subject for t in summary}
    assert len(representatives) < len(individuals)
    result = reasoning.check_consistency(ontology, real_report.data, mode="summary")
    assert result.status == "consistent" and "summary of" in result.detail, result.detail


@needs_java
def test_spurious_summary_clash_is_settled_on_the_full_data(ontology, monkeypatch):
    # A summary that merges everything into one representative clashes (a person that is a state);
    # the full data decides, and is consistent.
    def merge_all(tbox, abox):
        one = ox.NamedNode(reasoning.SUMMARY_IRI + "0")
        return [
            ox.Triple(one, t.predicate, one if isinstance(t.object, ox.NamedNode) and t.predicate.value != str(RDF.type) else t.object)
            for t in abox
        ]

    monkeypatch.setattr(reasoning, "summarise", merge_all)
    data = Graph()
    data.add((URIRef(ENTITY_IRI + "someone"), RDF.type, URIRef(PG_IRI + "Person")))
    data.add((URIRef(ENTITY_IRI + "somewhere"), RDF.type, URIRef(PG_IRI + "State")))
    result = reasoning.check_consistency(ontology, _triples(data), mode="summary")
    assert result.status == "consistent" and "spurious" in result.detail


@needs_java
@pytest.mark.parametrize("mode", ["summary", "full"])
def test_unsatisfiable_class_is_reported(ontology, mode):
    unsat = ox.NamedNode("https://w3id.org/peacegraph/ontology#PersonState")
    sub = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    extra = [
        ox.Triple(unsat, ox.NamedNode(str(RDF.type)), ox.NamedNode("http://www.w3.org/2002/07/owl#Class")),
        ox.Triple(unsat, sub, ox.NamedNode(PG_IRI + "Person")),
        ox.Triple(unsat, sub, ox.NamedNode(PG_IRI + "State")),
    ]
    result = reasoning.check_consistency([*ontology, *extra], [], mode=mode)
    assert result.status == "inconsistent"
    assert result.culprits == [unsat.value]
