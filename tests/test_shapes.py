"""SHACL shapes, tested with examples that pass and examples that fail (UCO style).

Results are compared as sets of (focus node, path, node shape), never as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from peacegraph.namespaces import PREFIXES
from peacegraph.validate.shacl import SHAPES_IRI, load_shapes, validate

from .conftest import TESTS

CASES = sorted((TESTS / "shapes").glob("*.ttl"))
_EXPECT = re.compile(r"^# expect: (.+)$", re.M)


def _expand(term: str) -> str:
    if term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    prefix, _, local = term.partition(":")
    table = {**PREFIXES, "pgs": SHAPES_IRI}
    if prefix in table and not term.startswith("^"):
        return table[prefix] + local
    return term


def _normal(focus: str, path: str, shape: str) -> tuple[str, str, str]:
    # "-" stands for no path: a SPARQL-based constraint reports the focus node alone.
    return (_expand(focus), "" if path == "-" else path, _expand(shape))


def test_cases_exist():
    assert any(c.name.endswith(".PASS.ttl") for c in CASES)
    assert len([c for c in CASES if c.name.endswith(".FAIL.ttl")]) >= 6


@pytest.fixture(scope="module")
def shapes():
    return load_shapes()


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_shape_case(case: Path, shapes, schema):
    text = case.read_text(encoding="utf-8")
    expected = set()
    for line in _EXPECT.findall(text):
        if line.strip() != "none":
            focus, path, shape = line.split()
            expected.add(_normal(focus, path, shape))
    data = Graph().parse(data=text, format="turtle")
    violations = validate(schema.graph + data, shapes)
    got = {(_expand(v.focus) if not v.focus.startswith("http") else v.focus, v.path, _expand(v.shape)) for v in violations}
    if case.name.endswith(".PASS.ttl"):
        assert not expected, "a PASS case must expect nothing"
        assert got == set(), "\n".join(map(str, violations))
    else:
        assert expected, "a FAIL case must list what it expects"
        assert got == expected, "\n".join(map(str, violations))
