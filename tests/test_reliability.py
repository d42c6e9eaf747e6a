"""Reliability: remote faults, serving, killed and concurrent builds never lose data or crash with a traceback."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pyoxigraph
import pytest
from click.testing import CliRunner

from peacegraph import paths
from peacegraph.build import Inputs, build
from peacegraph.cli import main

from .faults import fault_server
from .servers import free_port, wait_until_up


@pytest.fixture(scope="module")
def faults():
    with fault_server() as base:
        yield base


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/error500", "Internal failure: the store is on fire"),
        ("/error400", "Parse error: unexpected token near UNION"),
        ("/badjson", "not SPARQL JSON results"),
        ("/wrongjson", "without SPARQL results"),
        ("/html", "answered with HTML"),
        ("/missing", "404"),
    ],
)
def test_remote_fault_gives_clear_error_and_exit_2(faults, path, expected):
    result = CliRunner().invoke(main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", faults + path, "--timeout", "5"])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_slow_endpoint_times_out(faults):
    started = time.monotonic()
    result = CliRunner().invoke(main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", faults + "/slow", "--timeout", "1"])
    assert result.exit_code == 2
    assert "did not answer within 1 s" in result.output
    assert time.monotonic() - started < 4.5


def test_canned_question_through_faulty_endpoint(faults):
    result = CliRunner().invoke(main, ["query", "agreements", "--endpoint", faults + "/error500"])
    assert result.exit_code == 2
    assert "HTTP 500" in result.output and "store is on fire" in result.output


@pytest.mark.parametrize("path", ["/error500", "/error400"])
def test_publish_reports_what_was_not_sent(faults, path, built_dir):
    result = CliRunner().invoke(main, ["publish", "--endpoint", faults + path, "--graph-dir", str(built_dir)])
    assert result.exit_code == 2
    assert "nothing was stored" in result.output and "bytes of peacegraph.ttl were not accepted" in result.output


def test_publish_reports_what_was_sent(faults, built_dir):
    result = CliRunner().invoke(main, ["publish", "--endpoint", faults + "/ok", "--graph-dir", str(built_dir)])
    assert result.exit_code == 0, result.output
    size = (built_dir / paths.FULL_FILE_NAME).stat().st_size
    assert f"sent {size} bytes" in result.output


def test_serve_binds_loopback_read_only_and_says_so(built_dir, tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "peacegraph",
            "serve",
            "--port",
            str(port),
            "--graph-dir",
            str(built_dir),
            "--location",
            str(tmp_path / "store"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", 30)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/update",
            data=b"INSERT DATA { <x:a> <x:b> <x:c> }",
            headers={"Content-Type": "application/sparql-update"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", timeout=5) as answer:
            assert b"true" in answer.read()
    finally:
        process.terminate()
        out, _ = process.communicate(timeout=10)
    assert "READ-ONLY" in out and f"http://127.0.0.1:{port}/" in out


def _build_command(seeds, out):
    return [sys.executable, "-m", "peacegraph", "build", "--seeds", str(seeds), "--graph-dir", str(out), "--no-reason", "--quiet"]


def _loadable(folder) -> int:
    total = 0
    for name in (paths.DATA_FILE_NAME, paths.FULL_FILE_NAME):
        with open(folder / name, "rb") as handle:
            total += sum(1 for _ in pyoxigraph.parse(handle, pyoxigraph.RdfFormat.TURTLE))
    return total


def test_build_killed_at_any_point_leaves_graph_intact(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False)
    before = {n: (out / n).read_bytes() for n in (paths.DATA_FILE_NAME, paths.FULL_FILE_NAME)}
    rng = random.Random(7)
    for _ in range(6):
        process = subprocess.Popen(_build_command(mini_seeds, out))
        time.sleep(rng.uniform(0.05, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        # Same inputs, so whatever survived must be byte-identical to before, and loadable.
        assert {n: (out / n).read_bytes() for n in before} == before
        assert _loadable(out) > 0


def test_concurrent_builds_do_not_interleave(mini_seeds, tmp_path):
    import shutil

    other = tmp_path / "other"
    shutil.copytree(mini_seeds, other)
    entities = other / "facts" / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("label: Test ceasefire", "label: Other ceasefire"), encoding="utf-8")
    out = tmp_path / "graph"
    expected = {}
    for seeds in (mini_seeds, other):
        folder = tmp_path / f"expected-{seeds.name}"
        build(Inputs.from_seeds(seeds), graph_dir=folder, reason=False)
        expected[seeds.name] = {n: (folder / n).read_bytes() for n in (paths.DATA_FILE_NAME, paths.FULL_FILE_NAME)}
    for _ in range(3):
        procs = [subprocess.Popen(_build_command(s, out)) for s in (mini_seeds, other, mini_seeds, other)]
        assert all(p.wait() == 0 for p in procs)
        got = {n: (out / n).read_bytes() for n in (paths.DATA_FILE_NAME, paths.FULL_FILE_NAME)}
        assert got in expected.values(), "the two files come from different builds"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
