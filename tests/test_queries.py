"""Canned questions: headers, parameters, golden answers on the seed graph, injection, formats.

Golden rows live in tests/golden/<question>.json and are compared as sets.
Regenerate them after a curation change with PEACEGRAPH_UPDATE_GOLDEN=1, then
read the diff: a golden file is only as good as the review it got.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from peacegraph import paths
from peacegraph.cli import main
from peacegraph.errors import QueryError
from peacegraph.query.canned import get_query, list_queries, run
from peacegraph.query.engines import EmbeddedEngine
from peacegraph.query.results import ResultSet, Term

from .conftest import TESTS
from .tests_params import GOLDEN_PARAMS, INFERRED_QUESTIONS, canonical

QUERIES = list_queries()
GOLDEN = TESTS / "golden"
UPDATE = os.environ.get("PEACEGRAPH_UPDATE_GOLDEN") == "1"


def test_there_are_at_least_twenty_questions():
    assert len(QUERIES) >= 20


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_header_and_parameters(query):
    assert query.summary and query.description and query.tags, f"{query.path}: needs #+ summary, description and tags"
    for param in query.params:
        assert re.match(r"^[A-Za-z][A-Za-z0-9]*$", param.name), f"{query.path}: grlc parameter names are letters and digits"
    for name in query.defaults:
        assert name in {p.name for p in query.params}, f"{query.path}: default for unknown parameter {name}"
    projected = re.search(r"SELECT(.*?)WHERE", query.text, re.S)
    if projected:
        assert not re.search(r"\?__?[A-Za-z]+_", projected.group(1)), "parameters must not be projected"


@pytest.fixture(scope="module")
def engine(built_dir):
    return EmbeddedEngine(built_dir)


@pytest.fixture(scope="module")
def inferred_engine(built_dir):
    return EmbeddedEngine(built_dir, [built_dir / paths.FULL_FILE_NAME, built_dir / paths.INFERRED_FILE_NAME])


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_golden_rows(query, engine, inferred_engine):
    chosen = inferred_engine if query.name in INFERRED_QUESTIONS else engine
    result = run(query.name, GOLDEN_PARAMS.get(query.name, {}), engine=chosen)
    assert isinstance(result, ResultSet)
    golden = GOLDEN / f"{query.name}.json"
    rows = sorted(canonical(result, query.text))
    if UPDATE or not golden.exists():
        if not UPDATE:
            pytest.fail(f"{golden} is missing; run with PEACEGRAPH_UPDATE_GOLDEN=1 and review it")
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(
            json.dumps({"params": GOLDEN_PARAMS.get(query.name, {}), "columns": result.columns, "rows": rows}, indent=1, ensure_ascii=False)
            + "\n",
            encoding="utf-8",
        )
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert expected["columns"] == result.columns
    assert {tuple(r) for r in expected["rows"]} == set(rows)
    assert rows, f"question {query.name} answers nothing on the seed graph"


def test_inference_adds_transitive_places(engine, inferred_engine):
    asserted = canonical(run("located-within", GOLDEN_PARAMS["located-within"], engine=engine))
    inferred = canonical(run("located-within", GOLDEN_PARAMS["located-within"], engine=inferred_engine))
    assert asserted < inferred, "the reasoner should add places located within transitively"


def test_parameter_accepts_label_alias_iri_and_prefixed_name(engine):
    by_label = run("agreement-roles", {"actor": "Russia"}, engine=engine).as_set()
    assert by_label
    assert run("agreement-roles", {"actor": "ent:russia"}, engine=engine).as_set() == by_label
    assert run("agreement-roles", {"actor": paths_entity("russia")}, engine=engine).as_set() == by_label
    assert run("agreement-roles", {"actor": "moscow"}, engine=engine).as_set() == by_label  # an alias, any case


def paths_entity(name: str) -> str:
    from peacegraph.namespaces import ENTITY_IRI

    return ENTITY_IRI + name


def test_unknown_label_lists_close_accepted_values(engine):
    with pytest.raises(QueryError) as raised:
        run("agreement-roles", {"actor": "Rusia"}, engine=engine)
    assert "closest names: Russia" in str(raised.value)


def test_required_parameter_missing(engine):
    with pytest.raises(QueryError, match="needs parameter 'entity'"):
        run("entity", {}, engine=engine)


def test_bad_date_parameter(engine):
    with pytest.raises(QueryError, match="real date written YYYY-MM-DD"):
        run("control-as-of", {"asOf": "2021-02-30"}, engine=engine)


HOSTILE = [
    'Russia" } UNION { ?s ?p ?o } #',
    "Russia' . ?s ?p ?o . FILTER('1'",
    "x > y",
    "line\nbreak",
    "} UNION {",
    "\\u0022 escape",
    '"""triple"""',
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_literal_values_are_bound_as_one_term(value, engine):
    # A label lookup with hostile text finds nothing and says so; nothing is injected.
    with pytest.raises(QueryError, match="no entity has the label or alias"):
        run("agreement-roles", {"actor": value}, engine=engine)
    term = Term.literal(value)
    found = engine.run("SELECT ?x WHERE { BIND(?v AS ?x) }", {"v": term})
    assert found.values() == [{"x": value}]


@pytest.mark.parametrize("value", ["https://w3id.org/peacegraph/entity/russia> } UNION { ?s ?p ?o", "http://x/a b", 'http://x/"q"'])
def test_hostile_iri_values_are_refused(value, engine):
    with pytest.raises(QueryError, match="not a valid IRI"):
        run("agreement-roles", {"actor": value}, engine=engine)


def test_hostile_string_parameter_changes_only_the_value(built_dir):
    # The timeline's date parameters are typed: anything but a date is refused.
    result = CliRunner().invoke(main, ["query", "timeline", "-p", 'from=2020-01-01" } #', "--graph-dir", str(built_dir)])
    assert result.exit_code == 2 and "real date" in result.output


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_output_formats(fmt, built_dir):
    result = CliRunner().invoke(main, ["query", "agreement-roles", "--format", fmt, "--graph-dir", str(built_dir)])
    assert result.exit_code == 0, result.output
    out = result.output
    if fmt == "json":
        data = json.loads(out)
        assert data["head"]["vars"][:3] == ["agreement", "role", "actor"]
        assert all(b["agreement"]["type"] == "literal" for b in data["results"]["bindings"])
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][:3] == ["agreement", "role", "actor"] and len(rows) > 1
    elif fmt == "tsv":
        assert out.splitlines()[0].startswith("?agreement\t?role\t?actor")
    elif fmt == "markdown":
        assert out.startswith("| agreement | role | actor |")
    else:
        assert out.splitlines()[0].split()[:3] == ["agreement", "role", "actor"]


def test_sparql_construct_prints_turtle(built_dir):
    from rdflib import Graph

    text = "PREFIX pg: <https://w3id.org/peacegraph/ontology#> CONSTRUCT { ?a pg:brokerOf ?b } WHERE { ?a pg:brokerOf ?b }"
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(built_dir)])
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.output, format="turtle")) >= 1


def test_sparql_ask(built_dir):
    result = CliRunner().invoke(main, ["sparql", "ASK { ?s ?p ?o }", "--graph-dir", str(built_dir)])
    assert result.exit_code == 0 and result.output.strip() == "true"


def test_sparql_update_is_refused(built_dir):
    result = CliRunner().invoke(main, ["sparql", "INSERT DATA { <x:a> <x:b> <x:c> }", "--graph-dir", str(built_dir)])
    assert result.exit_code == 2 and "update operations are refused" in result.output


def test_sparql_syntax_error_points_at_line_and_column(built_dir):
    result = CliRunner().invoke(main, ["sparql", "SELECT ?s\nWHERE { ?s ?p }", "--graph-dir", str(built_dir)])
    assert result.exit_code == 2
    assert "line 2, column" in result.output and "WHERE { ?s ?p }" in result.output


def test_sparql_runaway_query_is_stopped(built_dir):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = CliRunner().invoke(main, ["sparql", text, "--timeout", "1", "--graph-dir", str(built_dir)])
    assert result.exit_code == 2
    assert "time limit" in result.output


def test_sparql_from_file(tmp_path, built_dir):
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/peacegraph/ontology#State> }", encoding="utf-8")
    result = CliRunner().invoke(main, ["sparql", "-f", str(path), "--format", "csv", "--graph-dir", str(built_dir)])
    assert result.exit_code == 0 and int(result.output.splitlines()[1]) >= 5


def test_missing_graph_is_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["query", "agreements", "--graph-dir", str(tmp_path)])
    assert result.exit_code == 2 and "run 'peacegraph build' first" in result.output


def test_query_path_imports_no_rdflib_pyshacl_or_owlready2(built_dir):
    code = (
        "import sys\n"
        "from peacegraph.cli import main\n"
        f"try:\n    main(['query', 'agreement-roles', '--graph-dir', {str(built_dir)!r}], standalone_mode=False)\n"
        "finally:\n"
        "    heavy = sorted(m for m in ('rdflib', 'pyshacl', 'owlready2') if m in sys.modules)\n"
        "    print('HEAVY', heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout


def test_python_api_rows(built_dir):
    from peacegraph.query.canned import rows

    found = rows("agreement-roles", graph_dir=built_dir, actor="Russia")
    assert found and all(r["actor"] == "Russia" for r in found)


def test_get_query_refuses_path_tricks():
    with pytest.raises(QueryError):
        get_query("../pyproject")
