"""OWL consistency with HermiT: consistent seeds pass, a clash is explained, no Java is said plainly."""

from __future__ import annotations

import shutil

import pytest
from rdflib import RDF, Graph, URIRef

from peacegraph.namespaces import ENTITY_IRI, PG_IRI
from peacegraph.reason import hermit as reasoning

from .conftest import rdflib_graph

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime; .ci/run installs default-jre-headless")


@needs_java
def test_real_seeds_are_consistent(real_report):
    assert real_report.reasoning.status == "consistent", real_report.reasoning.detail


@needs_java
def test_person_that_is_also_a_state_is_inconsistent_and_named(schema):
    data = Graph()
    who = URIRef(ENTITY_IRI + "nikol-pashinyan")
    data.add((who, RDF.type, URIRef(PG_IRI + "Person")))
    data.add((who, RDF.type, URIRef(PG_IRI + "State")))
    result = reasoning.check_consistency(schema.graph, data, {"nikol-pashinyan": "seeds/facts/entities.yaml:7"})
    assert result.status == "inconsistent"
    assert any("seeds/facts/entities.yaml:7" in c and "nikol-pashinyan" in c and "Person" in c for c in result.culprits)


@needs_java
def test_type_clash_through_a_property_range_is_explained(schema):
    data = Graph()
    person = URIRef(ENTITY_IRI + "someone")
    data.add((person, RDF.type, URIRef(PG_IRI + "Person")))
    # holdsPost's range is Post, which is disjoint with Person.
    data.add((URIRef(ENTITY_IRI + "other"), URIRef(PG_IRI + "holdsPost"), person))
    result = reasoning.check_consistency(schema.graph, data)
    assert result.status == "inconsistent"
    assert any("someone" in c and "object of" in c for c in result.culprits)


def test_without_java_reasoning_is_skipped_with_reason(schema, monkeypatch):
    monkeypatch.setattr(reasoning.shutil, "which", lambda name: None)
    result = reasoning.check_consistency(schema.graph, Graph())
    assert result.status == "skipped"
    assert "no Java runtime" in result.detail and "default-jre-headless" in result.detail
    assert result.ok


def test_reasoner_input_drops_dates_hermit_rejects(schema, real_report):
    merged = reasoning.reasoner_input(schema.graph, rdflib_graph(real_report.data))
    from rdflib import XSD, Literal

    assert not any(isinstance(o, Literal) and o.datatype in (XSD.date, XSD.gYear, XSD.gYearMonth) for o in merged.objects())


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
def test_clash_names_the_fact_that_caused_it(schema):
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
        schema.graph, data, {"d009-bad-office": "seeds/facts/d009.yaml:12", "someone": "seeds/facts/entities.yaml:3"}
    )
    assert result.status == "inconsistent"
    culprit = next(c for c in result.culprits if "someone" in c)
    assert culprit.startswith("seeds/facts/entities.yaml:3:")
    assert "in the fact at seeds/facts/d009.yaml:12" in culprit and "owl:AllDisjointClasses" in culprit


@needs_java
def test_pellet_option_gives_a_verdict_or_says_why_not(schema):
    result = reasoning.check_consistency(schema.graph, Graph(), reasoner="pellet")
    assert result.status in ("consistent", "skipped")
    if result.status == "skipped":
        assert "Pellet failed in Java" in result.detail and "--reasoner hermit" in result.detail
