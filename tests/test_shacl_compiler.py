"""The shapes compiled to SPARQL give what pySHACL gives (issue 11): the same set of (focus, path, shape, severity).

pySHACL is the reference. Every SHACL fixture (tests/shapes/, PASS and FAIL),
the seeds, and a fixture of the SHACL features our shapes do not use yet are
validated both ways; shapes the compiler cannot translate are refused when
compiled. The 10x corpus runs behind PEACEGRAPH_SLOW=1.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from peacegraph import paths
from peacegraph.validate.compiled import ShapeCompileError, load_checks, validate_store
from peacegraph.validate.shacl import load_shapes, validate

from .conftest import TESTS, rdflib_graph

FIXTURES = sorted((TESTS / "shapes").glob("*.ttl"))
COMPILER = TESTS / "shacl_compiler"
UNSUPPORTED = sorted(COMPILER.glob("unsupported.*.shapes.ttl"))


def _key(violations) -> set[tuple[str, str, str, str]]:
    return {(v.focus, v.path, v.shape, v.severity) for v in violations}


def _store(*files: Path) -> ox.Store:
    store = ox.Store()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def test_fixture_folders_are_not_empty():
    assert len(FIXTURES) >= 10 and len(UNSUPPORTED) >= 4


@pytest.mark.parametrize("case", FIXTURES, ids=[c.stem for c in FIXTURES])
def test_compiled_shapes_agree_with_pyshacl_on_fixture(case, schema):
    reference = _key(validate(schema.graph + Graph().parse(case, format="turtle"), load_shapes()))
    compiled = _key(validate_store(_store(paths.ONTOLOGY_PATH, case), load_checks()))
    assert compiled == reference
    if case.name.endswith(".FAIL.ttl"):
        assert compiled, "a FAIL fixture must give violations"


@pytest.mark.parametrize("data", ["features.data.ttl", "features.pass.data.ttl"])
def test_compiled_features_agree_with_pyshacl(data):
    shapes_path = COMPILER / "features.shapes.ttl"
    reference = _key(validate(Graph().parse(COMPILER / data, format="turtle"), Graph().parse(shapes_path, format="turtle")))
    compiled = _key(validate_store(_store(COMPILER / data), load_checks(shapes_path)))
    assert compiled == reference
    if data == "features.data.ttl":
        # Each feature is hit: targets of all four kinds, paths of every kind, a warning, a SPARQL constraint.
        ex = "http://example.org/"
        shown = {(f[len(ex) :], p.replace(ex, ""), s[len(ex) :], sev) for f, p, s, sev in reference}
        assert shown == {
            ("alice", "age", "NodeTargetShape", "Violation"),
            ("alice", "knows", "SubjectsOfShape", "Violation"),
            ("alice", "name", "SubjectsOfShape", "Warning"),
            ("bob", "nick", "ObjectsOfShape", "Violation"),
            ("bob", "partOf*", "ObjectsOfShape", "Violation"),
            ("dan", "code", "PersonShape", "Violation"),
            ("dan", "parent/parent", "PersonShape", "Violation"),
            ("dan", "partOf+", "PersonShape", "Violation"),
            ("dan", "start", "PersonShape", "Violation"),
            ("gil", "", "PersonShape", "Violation"),
            ("gil", "code", "PersonShape", "Violation"),
        }


@pytest.mark.parametrize("case", UNSUPPORTED, ids=[c.name.split(".")[1] for c in UNSUPPORTED])
def test_untranslatable_shapes_are_refused(case):
    with pytest.raises(ShapeCompileError):
        load_checks(case)


def _damaged(report, every: int) -> tuple:
    """The report's graph with every n-th data triple dropped (deterministic), so that shapes have something to find."""
    kept = [t for i, t in enumerate(report.data) if i % every]
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for part in (report.ontology, report.vocabulary, kept) for t in part)
    return rdflib_graph(report.ontology, report.vocabulary, kept), store


def test_compiled_shapes_agree_with_pyshacl_on_the_seeds(real_report):
    graph = rdflib_graph(real_report.ontology, real_report.vocabulary, real_report.data)
    assert _key(validate(graph, load_shapes())) == _key(validate_store(real_report.store, load_checks())) == set()


def test_compiled_shapes_agree_with_pyshacl_on_damaged_seeds(real_report):
    graph, store = _damaged(real_report, 37)
    reference = _key(validate(graph, load_shapes()))
    assert len(reference) > 100
    assert _key(validate_store(store, load_checks())) == reference


@pytest.mark.slow
def test_compiled_shapes_agree_with_pyshacl_on_ten_times_the_seeds(tmp_path):
    import sys

    sys.path.insert(0, str(paths.ROOT / "benchmarks"))
    from corpus import make_corpus

    from peacegraph.build import Inputs, check

    report = check(Inputs.from_seeds(make_corpus(10, tmp_path / "seeds")), reason=False)
    graph, store = _damaged(report, 37)
    reference = _key(validate(graph, load_shapes()))
    assert len(reference) > 1000
    assert _key(validate_store(store, load_checks())) == reference
