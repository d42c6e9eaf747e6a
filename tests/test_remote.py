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
