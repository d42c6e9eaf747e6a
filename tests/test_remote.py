"""The same questions through --endpoint against a real Oxigraph server; publish round-trips."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from peacegraph import paths
from peacegraph.cli import main
from peacegraph.query.canned import get_query, list_queries, run
from peacegraph.query.engines import EmbeddedEngine, RemoteEngine

from .servers import oxigraph_server
from .tests_params import GOLDEN_PARAMS, canonical

QUERIES = list_queries()


@pytest.fixture(scope="module")
def endpoint(built_dir, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("store"), [built_dir / paths.FULL_FILE_NAME]) as base:
        yield base + "/query"


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_remote_rows_equal_embedded_rows(query, endpoint, built_dir):
    params = GOLDEN_PARAMS.get(query.name, {})
    local = run(query.name, params, engine=EmbeddedEngine(built_dir))
    remote = run(query.name, params, engine=RemoteEngine(endpoint, timeout=20))
    assert remote.columns == local.columns
    assert canonical(remote, query.text) == canonical(local, query.text)


def test_cli_query_with_endpoint(endpoint):
    result = CliRunner().invoke(main, ["query", "agreement-roles", "-p", "actor=Russia", "--endpoint", endpoint, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Russia" in result.output


def test_read_only_server_refuses_updates_even_when_allowed(endpoint):
    result = CliRunner().invoke(
        main, ["sparql", "INSERT DATA { <x:a> <x:b> <x:c> }", "--endpoint", endpoint.replace("/query", "/update"), "--allow-update"]
    )
    assert result.exit_code == 2
    assert "error:" in result.output


def test_publish_then_query_round_trips(built_dir, tmp_path):
    with oxigraph_server(tmp_path / "rw", read_only=False) as base:
        result = CliRunner().invoke(main, ["publish", "--endpoint", base + "/store", "--graph-dir", str(built_dir)])
        assert result.exit_code == 0, result.output
        assert "PUT" in result.output and "HTTP 20" in result.output
        local = run("agreements", engine=EmbeddedEngine(built_dir))
        remote = run("agreements", engine=RemoteEngine(base + "/query"))
        text = get_query("agreements").text
        assert canonical(remote, text) == canonical(local, text)
        count = CliRunner().invoke(
            main, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--endpoint", base + "/query", "--format", "csv"]
        )
        local_count = CliRunner().invoke(
            main, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--graph-dir", str(built_dir), "--format", "csv"]
        )
        assert count.output == local_count.output


def test_unreachable_endpoint_is_a_clear_error():
    from .servers import free_port

    port = free_port()
    result = CliRunner().invoke(main, ["query", "agreements", "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "3"])
    assert result.exit_code == 2
    assert "cannot reach" in result.output and "Traceback" not in result.output


def test_publish_to_unreachable_store_says_nothing_was_stored(built_dir):
    from .servers import free_port

    port = free_port()
    result = CliRunner().invoke(main, ["publish", "--endpoint", f"http://127.0.0.1:{port}/store", "--graph-dir", str(built_dir)])
    assert result.exit_code == 2
    assert "nothing was stored" in result.output


# ---------------------------------------------------------------------------
# Issue 15, item 1: the update guard decides by parsing, never by the first keyword
# ---------------------------------------------------------------------------

#: Updates dressed up so that a first-keyword test misses them (each emptied or changed a writable store).
UPDATE_DISGUISES = [
    "BASE<http://e/>DROP ALL",
    "\ufeffINSERT DATA { <x:a> <x:b> <x:c> }",
    "BASE <a> BASE <b> DROP ALL",
    "PREFIX a: <x:> BASE <y:> CLEAR ALL",
    "PREFIX a:<x:>DROP ALL",
    "# a comment\nDROP ALL",
    "PREFIX a: <x:>\r# note\rDELETE WHERE { ?s ?p ?o }",
    "drop   all",
    "\\u0044ROP ALL",
    "/* not a comment */ DROP ALL",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
]


def _count(base: str) -> int:
    import json
    import urllib.parse
    import urllib.request

    query = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    request = urllib.request.Request(f"{base}/query?query={query}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return int(json.load(answer)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def writable(built_dir, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("writable"), [built_dir / paths.FULL_FILE_NAME], read_only=False) as base:
        yield base


@pytest.mark.parametrize("text", UPDATE_DISGUISES, ids=range(len(UPDATE_DISGUISES)))
def test_disguised_update_is_refused_and_the_store_is_untouched(writable, text):
    before = _count(writable)
    for path in ("/update", "/query"):
        result = CliRunner().invoke(main, ["sparql", text, "--endpoint", writable + path, "--timeout", "10"])
        assert result.exit_code == 2, result.output
        assert "refused" in result.output, result.output
        assert "Traceback" not in result.output
    assert _count(writable) == before


def test_update_goes_through_when_allowed(writable):
    before = _count(writable)
    text = "\ufeffPREFIX a: <x:> BASE <y:> INSERT DATA { <x:allowed> <x:b> <x:c> }"
    result = CliRunner().invoke(main, ["sparql", text, "--endpoint", writable + "/update", "--allow-update"])
    assert result.exit_code == 0, result.output
    assert _count(writable) == before + 1
    CliRunner().invoke(main, ["sparql", "DELETE DATA { <x:allowed> <x:b> <x:c> }", "--endpoint", writable + "/update", "--allow-update"])
    assert _count(writable) == before


def test_text_that_is_neither_query_nor_update_is_refused(writable):
    before = _count(writable)
    result = CliRunner().invoke(main, ["sparql", "SELEKT * WHERE { ?s ?p ?o }", "--endpoint", writable + "/query", "--allow-update"])
    assert result.exit_code == 2
    assert "neither a query nor an update" in result.output and "refused" in result.output
    assert _count(writable) == before


# ---------------------------------------------------------------------------
# Issue 14, item 1: ad-hoc SPARQL gets the project's prefixes, on a remote endpoint too
# ---------------------------------------------------------------------------


def test_remote_sparql_has_the_project_prefixes(endpoint):
    result = CliRunner().invoke(main, ["sparql", "SELECT ?s WHERE { ?s a pg:State } ORDER BY ?s LIMIT 3", "--endpoint", endpoint])
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/peacegraph/entity/" in result.output
    assert "(3 rows)" in result.output


def test_canned_label_lookup_against_an_endpoint_without_entity_column():
    from .faults import fault_server

    with fault_server() as base:
        result = CliRunner().invoke(main, ["query", "agreement-roles", "-p", "actor=Russia", "--endpoint", base + "/no-entity"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "KeyError" not in repr(result.exception)
    # The label lookup reads one index of names (queries/lookup/names.rq): the message names the column it lacks.
    assert "lookup's answer has no 'name' column" in result.output and "Give an IRI" in result.output


def test_publish_in_batches_gives_the_store_the_whole_graph(built_dir, tmp_path):
    # Issue 11: for stores that cap a request's size, publish sends N-Triples in batches (first PUT, then POST).
    import pyoxigraph

    with oxigraph_server(tmp_path / "store", read_only=False) as base:
        result = CliRunner().invoke(
            main, ["publish", "--endpoint", base + "/store", "--chunk-triples", "1000", "--graph-dir", str(built_dir)]
        )
        assert result.exit_code == 0, result.output
        local = pyoxigraph.Store()
        local.bulk_load(path=str(built_dir / paths.FULL_NTRIPLES_FILE_NAME), format=pyoxigraph.RdfFormat.N_TRIPLES)
        from peacegraph.write.publish import batches

        assert f"each of {len(list(batches(built_dir / paths.FULL_NTRIPLES_FILE_NAME, 1000)))} batches" in result.output
        counted = CliRunner().invoke(
            main, ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--endpoint", base + "/query", "--format", "csv"]
        )
        assert counted.exit_code == 0, counted.output
        assert int(counted.stdout.splitlines()[1]) == len(local)
        remote = CliRunner().invoke(main, ["query", "agreement-roles", "--endpoint", base + "/query", "--format", "csv"])
        here = CliRunner().invoke(main, ["query", "agreement-roles", "--graph-dir", str(built_dir), "--format", "csv"])
        assert sorted(remote.stdout.splitlines()) == sorted(here.stdout.splitlines())


def test_publish_in_batches_names_the_failed_batch_and_what_the_store_holds(built_dir):
    from .faults import running_fault_server

    with running_fault_server() as server:
        result = CliRunner().invoke(
            main, ["publish", "--endpoint", server.base + "/fail-after?n=2", "--chunk-triples", "1000", "--graph-dir", str(built_dir)]
        )
    from peacegraph.write.publish import batches

    starts = [first for first, _ in batches(built_dir / paths.FULL_NTRIPLES_FILE_NAME, 1000)]
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"batch 3 (lines {starts[2]}-{starts[3] - 1} of peacegraph.nt)" in result.output and "HTTP 500" in result.output
    assert f"the store holds batches 1-2 (lines 1-{starts[2] - 1})" in result.output
    methods = [m for m, target, _, _ in server.requests if target.startswith("/fail-after")]
    assert methods == ["PUT", "POST", "POST"]


def test_batches_keep_every_blank_node_in_the_first(tmp_path):
    from peacegraph.write.publish import batches

    lines = [f"<http://e/s{i}> <http://e/p> <http://e/o> .\n" for i in range(10)]
    lines[6] = "_:b0 <http://e/p> <http://e/o> .\n"
    path = tmp_path / "g.nt"
    path.write_text("".join(lines), encoding="utf-8")
    got = [(first, len(batch)) for first, batch in batches(path, 2)]
    assert got == [(1, 7), (8, 2), (10, 1)]
    assert b"".join(line for _, batch in batches(path, 2) for line in batch) == path.read_bytes()
