"""Issue 13, parts 3 to 5: what the second audit and the curation work changed, held by tests.

The seeds themselves are checked by the loader, the shapes and the quality
rules; these tests hold the modelling decisions that a later edit could undo
without any of those noticing.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from peacegraph.namespaces import DOCUMENT_IRI, ENTITY_IRI, PG_IRI
from peacegraph.query.canned import run
from peacegraph.query.engines import EmbeddedEngine


def _ent(name: str) -> ox.NamedNode:
    return ox.NamedNode(ENTITY_IRI + name)


def _pg(name: str) -> ox.NamedNode:
    return ox.NamedNode(PG_IRI + name)


@pytest.mark.parametrize(
    ("document", "relation", "value"),
    [
        ("d002", "hasAuthor", _ent("haley-nelson")),
        ("d002", "hasPublisher", _ent("caspian-policy-center")),
        ("d003", "hasAuthor", _ent("jayaditya-sinha")),
        ("d003", "hasEditor", _ent("annika-lilja")),
        ("d002", "datePublished", ox.Literal("2023-05-10", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))),
    ],
)
def test_what_a_document_prints_about_itself_is_a_fact_about_the_document(real_report, document, relation, value):
    assert ox.Triple(ox.NamedNode(DOCUMENT_IRI + document), _pg(relation), value) in set(real_report.data)


def test_one_route_under_its_sources_names(real_report):
    entities = real_report.curation.entities
    assert not {"trump-route", "zangezur-corridor", "rail-route-southeastern-armenia"} & set(entities)
    route = entities["nakhchivan-route"]
    named_by = {alias.label: alias.source for alias in route.aliases}
    assert named_by["Trump Route"] == "d000" and named_by["Zangezur Corridor"] == "d001"
    assert {f.source for f in real_report.curation.facts if f.subject == "nakhchivan-route"} == {"d000", "d001", "d003", "d004"}


def test_the_caucasus_is_not_the_south_caucasus(real_report):
    facts = {f.id: f for f in real_report.curation.facts}
    # d003 places conflicts of Georgians, Abkhazians and Chechens in "The Caucasus region", not in the South Caucasus.
    assert facts["d003-caucasus-ethnic-conflicts"].object == "caucasus"
    assert "Caucasus" not in {a.label for a in real_report.curation.entities["south-caucasus"].aliases}


@pytest.fixture(scope="module")
def engine(built_dir):
    return EmbeddedEngine(built_dir)


def test_control_as_of_reaches_back_before_2020(engine):
    # d004's "In the 1990s, Armenians gained control of parts of Azerbaijan" now has the decade as its start.
    rows = run("control-as-of", {"asOf": "1995-06-01"}, engine=engine).values()
    assert {(r["controller"], r["from"]) for r in rows} == {("Armenians", "199X"), ("Armenia", "[1990..1994]")}
    assert not run("control-as-of", {"asOf": "1987-06-01"}, engine=engine).values()
