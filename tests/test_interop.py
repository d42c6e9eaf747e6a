"""Other tools read the built graph whole: the OWL API (Protégé's parser) and owlready2 (issue 13.1).

The OWL API test compiles a small driver (tests/owlapi/LoadReport.java) against
Debian's libowlapi-java and counts the triples its RDF parser could not turn
into OWL axioms: reserved vocabulary such as rdf:subject on statement nodes
would show up there.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from peacegraph import paths
from peacegraph.namespaces import ENTITY_IRI, P_IRI, PQ_IRI, PS_IRI, STATEMENT_IRI

from .conftest import TESTS

OWLAPI_JAR = Path("/usr/share/java/owlapi-distribution.jar")
needs_owlapi = pytest.mark.skipif(
    not OWLAPI_JAR.is_file() or shutil.which("javac") is None,
    reason="needs Debian libowlapi-java and a JDK (javac); .ci/run installs both",
)


@pytest.fixture(scope="module")
def owlapi_report(built_dir, tmp_path_factory) -> dict[str, int]:
    classes = tmp_path_factory.mktemp("owlapi")
    source = TESTS / "owlapi" / "LoadReport.java"
    subprocess.run(["javac", "-cp", "/usr/share/java/*", "-d", str(classes), str(source)], check=True, capture_output=True)
    done = subprocess.run(
        ["java", "-cp", f"/usr/share/java/*:{classes}", "LoadReport", str(built_dir / paths.FULL_FILE_NAME), P_IRI, PS_IRI, PQ_IRI],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = {}
    for line in done.stdout.splitlines():
        *key, value = line.split()
        report[" ".join(key)] = int(value)
    return report


@needs_owlapi
def test_owlapi_parses_every_triple(owlapi_report):
    assert owlapi_report["unparsed"] == 0


@needs_owlapi
def test_owlapi_keeps_every_statement_link(owlapi_report, real_report):
    facts = len(real_report.curation.facts)
    # One p: link per fact (subject -> statement node), one ps: link per entity- or concept-valued fact.
    # The driver counts by IRI prefix, and p: is a prefix of ps: and pq:.
    under_p = owlapi_report[f"namespace {P_IRI}"]
    ps_links, pq_links = owlapi_report[f"namespace {PS_IRI}"], owlapi_report[f"namespace {PQ_IRI}"]
    object_valued = sum(1 for f in real_report.curation.facts if f.object is not None)
    assert under_p - ps_links - pq_links == facts
    assert ps_links == object_valued
    links = under_p
    assert owlapi_report["type ObjectPropertyAssertion"] > links


def test_owlready2_loads_the_ntriples_file(built_dir):
    import owlready2

    world = owlready2.World()
    onto = world.get_ontology((built_dir / paths.FULL_NTRIPLES_FILE_NAME).as_uri()).load(format="ntriples")
    armenia = world[ENTITY_IRI + "armenia"]
    assert armenia is not None and onto is not None
    claim = world[P_IRI + "borders"]
    statements = {s.iri for s in claim[armenia]}
    assert STATEMENT_IRI + "d004-armenia-borders-iran" in statements
