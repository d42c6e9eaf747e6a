"""Reliability: remote faults, serving, killed and concurrent builds never lose data or crash with a traceback."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

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
    return [
        sys.executable,
        "-m",
        "peacegraph",
        "build",
        "--seeds",
        str(seeds),
        "--graph-dir",
        str(out),
        "--no-reason",
        "--quiet",
        "--force",
    ]


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


# ===========================================================================
# Issue 15: the attacks that still got through. One section per family.
# ===========================================================================

import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402

from .conftest import MINI  # noqa: E402
from .faults import Listener, running_fault_server  # noqa: E402

HERE = Path(__file__).parent


def _clean(result) -> None:
    """A CLI run that failed the way bad input must: exit 2, one message, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


@pytest.fixture(scope="module")
def mini_graph(tmp_path_factory) -> Path:
    """graph/ built from the mini seeds (no reasoning), once per module."""
    seeds = tmp_path_factory.mktemp("mini-seeds")
    shutil.copytree(MINI, seeds, dirs_exist_ok=True)
    out = tmp_path_factory.mktemp("mini-graph") / "graph"
    build(Inputs.from_seeds(seeds), graph_dir=out, reason=False)
    return out


@pytest.fixture(scope="module")
def server():
    with running_fault_server() as running:
        yield running


@pytest.fixture
def listener():
    made = Listener()
    yield made
    made.sock.close()


# --- 3, 4: redirects are reported, never followed; publish succeeds only on 200/201/204 -----------


@pytest.mark.parametrize("code", ["301", "302", "303", "307", "308"])
def test_query_redirect_is_reported_not_followed(code):
    with running_fault_server() as first, running_fault_server() as elsewhere:
        target = elsewhere.base + "/one-row"
        result = CliRunner().invoke(
            main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", f"{first.base}/redirect{code}?to={target}"]
        )
        _clean(result)
        assert f"HTTP {code}" in result.output and target in result.output and "not followed" in result.output
        assert elsewhere.requests == []


@pytest.mark.parametrize("merge", [[], ["--merge"]], ids=["put", "post"])
@pytest.mark.parametrize("code", ["301", "302", "303", "307", "308"])
def test_publish_redirect_is_not_success(code, merge, built_dir):
    with running_fault_server() as first, running_fault_server() as elsewhere:
        target = elsewhere.base + "/created"
        endpoint = f"{first.base}/redirect{code}?to={target}"
        result = CliRunner().invoke(main, ["publish", "--endpoint", endpoint, "--graph-dir", str(built_dir), *merge])
        _clean(result)
        assert f"HTTP {code}" in result.output and target in result.output and "nothing was stored" in result.output
        assert elsewhere.requests == []


@pytest.mark.parametrize(
    "url", ["data:,hello", "file:///etc/hostname", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "//127.0.0.1/store", "http://"]
)
def test_publish_refuses_what_is_not_http(url, built_dir):
    result = CliRunner().invoke(main, ["publish", "--endpoint", url, "--graph-dir", str(built_dir)])
    _clean(result)
    assert "http(s) URL" in result.output and "HTTP None" not in result.output


@pytest.mark.parametrize(("path", "ok"), [("/ok", True), ("/created", True), ("/no-content", True), ("/accepted", False)])
def test_publish_success_only_on_200_201_204(server, path, ok, built_dir):
    result = CliRunner().invoke(main, ["publish", "--endpoint", server.base + path, "--graph-dir", str(built_dir)])
    if ok:
        assert result.exit_code == 0, result.output
    else:
        _clean(result)
        assert "HTTP 202" in result.output and "nothing was stored" not in result.output and "did not confirm" in result.output


def test_publish_sends_what_it_says(server, built_dir):
    before = len(server.requests)
    result = CliRunner().invoke(main, ["publish", "--endpoint", server.base + "/created", "--graph-dir", str(built_dir)])
    assert result.exit_code == 0, result.output
    method, target, headers, body = server.requests[before]
    assert method == "PUT" and target == "/created?default" and headers["content-type"] == "text/turtle"
    assert body == (built_dir / paths.FULL_FILE_NAME).read_bytes()
    assert f"sent {len(body)} bytes" in result.output and "HTTP 201" in result.output


def test_publish_streams_the_file_instead_of_reading_it_whole(server, built_dir, monkeypatch):
    # Issue 11: publishing 100 times the seeds held 115 MB of Turtle in memory (read_bytes) before sending a byte.
    graph_file = (built_dir / paths.FULL_FILE_NAME).resolve()
    expected = graph_file.read_bytes()
    real_read_bytes = Path.read_bytes

    def guarded(self):
        assert self.resolve() != graph_file, "publish read the whole graph file into memory"
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    before = len(server.requests)
    result = CliRunner().invoke(main, ["publish", "--endpoint", server.base + "/created", "--graph-dir", str(built_dir)])
    assert result.exit_code == 0, result.output
    method, target, headers, body = server.requests[before]
    assert headers["content-length"] == str(len(expected)) and body == expected


# --- 9, 11: broken answers and slow servers: one message, exit 2, within the deadline ---------------

REMOTE_FAULTS = [
    ("/deep-json", "nested too deeply"),
    ("/bindings-object", "malformed SPARQL JSON results"),
    ("/value-int", "malformed SPARQL JSON results"),
    ("/value-null", "malformed SPARQL JSON results"),
    ("/value-nan", "malformed SPARQL JSON results"),
    ("/vars-numbers", "malformed SPARQL JSON results"),
    ("/type-unknown", "malformed SPARQL JSON results"),
    ("/lone-surrogate", "malformed SPARQL JSON results"),
    ("/escape-var", "malformed SPARQL JSON results"),
    ("/boolean-false-string", "malformed SPARQL JSON results"),
    ("/bad-status-line", "not HTTP"),
    ("/many-headers", "more than 100 header"),
    ("/long-header", "header line longer than"),
    ("/truncated", "cut off"),
]


@pytest.mark.parametrize(("path", "expected"), REMOTE_FAULTS, ids=[p for p, _ in REMOTE_FAULTS])
def test_broken_remote_answer_is_one_clear_message(server, path, expected):
    result = CliRunner().invoke(main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.base + path, "--timeout", "10"])
    _clean(result)
    assert expected in result.output
    assert len(result.output) < 1200 and "\x1b" not in result.output


PUBLISH_FAULTS = [
    ("/bad-status-line", "not HTTP"),
    ("/many-headers", "more than 100 header"),
    ("/long-header", "header line longer than"),
]


@pytest.mark.parametrize(("path", "expected"), PUBLISH_FAULTS, ids=[p for p, _ in PUBLISH_FAULTS])
def test_broken_store_answer_to_publish_is_one_clear_message(server, path, expected, built_dir):
    result = CliRunner().invoke(main, ["publish", "--endpoint", server.base + path, "--graph-dir", str(built_dir)])
    _clean(result)
    assert expected in result.output


@pytest.mark.parametrize("path", ["/trickle-headers", "/trickle-body", "/stalled-body", "/slow"])
def test_remote_deadline_is_total_wall_clock(server, path):
    started = time.monotonic()
    result = CliRunner().invoke(main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.base + path, "--timeout", "2"])
    elapsed = time.monotonic() - started
    _clean(result)
    assert "did not answer within 2 s" in result.output
    assert elapsed < 4.5, elapsed


def test_publish_deadline_is_total_wall_clock(server, built_dir):
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["publish", "--endpoint", server.base + "/trickle-headers", "--graph-dir", str(built_dir), "--timeout", "2"]
    )
    _clean(result)
    assert "within 2 s" in result.output and "may or may not hold" in result.output
    assert time.monotonic() - started < 4.5


@pytest.mark.parametrize("command", [["sparql", "ASK {}"], ["query", "agreements"], ["publish", "--endpoint", "http://127.0.0.1:9/x"]])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "0", "-1", "abc"])
def test_timeout_must_be_a_bounded_positive_number(command, value):
    result = CliRunner().invoke(main, [*command, "--timeout", value])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--timeout'" in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


# --- 10: caps on answer size and rows --------------------------------------------------------------


def test_remote_answer_byte_cap(server):
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.base + "/huge", "--max-bytes", "1000000"]
    )
    _clean(result)
    assert "more than 1000000 bytes" in result.output and "--max-bytes" in result.output
    assert time.monotonic() - started < 10


def test_remote_row_cap(server):
    result = CliRunner().invoke(
        main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.base + "/many-rows?n=50", "--max-rows", "10"]
    )
    _clean(result)
    assert "more than 10 rows" in result.output and "--max-rows" in result.output
    within = CliRunner().invoke(main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.base + "/many-rows?n=50"])
    assert within.exit_code == 0 and "(50 rows)" in within.output


def test_embedded_row_cap(mini_graph):
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph), "--max-rows", "1000"])
    _clean(result)
    assert "more than 1000 rows" in result.output and "--max-rows" in result.output


def test_embedded_default_row_cap(mini_graph):
    text = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } LIMIT 1000000"
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph), "--format", "csv"])
    _clean(result)
    assert "error: the answer has more than 100000 rows; add LIMIT to the query or raise --max-rows" in result.output
    assert "the query failed" not in result.output


def test_embedded_construct_byte_cap(mini_graph):
    text = "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c }"
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph), "--max-bytes", "2000"])
    _clean(result)
    assert "more than 2000 bytes" in result.output and "--max-bytes" in result.output


# --- 16, 17: wrong results ------------------------------------------------------------------------


def test_boolean_false_is_false(server):
    result = CliRunner().invoke(main, ["sparql", "ASK { ?s ?p ?o }", "--endpoint", server.base + "/boolean-false"])
    assert result.exit_code == 0 and result.output.strip() == "false"
    string = CliRunner().invoke(main, ["sparql", "ASK { ?s ?p ?o }", "--endpoint", server.base + "/boolean-false-string"])
    _clean(string)
    assert "true" not in string.output


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_terminal_escapes_in_answers_are_not_printed_raw(server, fmt):
    result = CliRunner().invoke(
        main, ["sparql", "SELECT ?x WHERE { ?x ?p ?o }", "--endpoint", server.base + "/terminal-escape", "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    assert "ALERT" in result.output
    assert not any(ch in result.output for ch in "\x1b\x07\x9b")


def test_terminal_escapes_in_error_bodies_are_not_printed_raw(server):
    server.script["/evil-error"] = b"HTTP/1.1 500 Oops\r\nContent-Length: 12\r\n\r\n\x1b[2Jgotcha\x07\x07"
    result = CliRunner().invoke(main, ["sparql", "ASK {}", "--endpoint", server.base + "/evil-error"])
    _clean(result)
    assert "gotcha" in result.output and "\x1b" not in result.output and "\x07" not in result.output


# --- 7: SERVICE never calls out from the embedded engine unless allowed ------------------------------

SERVICE_TEXTS = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { #\rSERVICE <{url}> { ?s ?p ?o }\n}",
    "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)#>'''\nSERVICE <{url}> { ?s ?p ?o }\n#'''\n}",
    "PREFIX x: <{url}#> SELECT * WHERE { BIND(x:a AS ?g) SERVICE ?g { ?s ?p ?o } VALUES ?g {{ <{url}> }} }",
    "\ufeffSELECT * WHERE { SeRvIcE <{url}> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("template", SERVICE_TEXTS, ids=range(len(SERVICE_TEXTS)))
def test_service_is_refused_in_the_embedded_engine(template, listener, mini_graph):
    text = template.replace("{url}", listener.url).replace("{{", "{").replace("}}", "}")
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph), "--timeout", "10"])
    time.sleep(0.2)
    assert listener.hits == 0, result.output
    _clean(result)
    assert "SERVICE" in result.output and "--allow-service" in result.output


def test_service_runs_when_allowed(listener, mini_graph):
    text = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph), "--allow-service", "--timeout", "10"])
    assert result.exit_code == 0, result.output
    assert listener.hits >= 1


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service WHERE { ?service a pg:State }",
        'SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(?l, "Security Service")) }',
        "SELECT ?s WHERE { ?s ?p ?o } # SERVICE <http://example.org/> in a comment",
    ],
)
def test_the_word_service_elsewhere_is_not_refused(text, mini_graph):
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph)])
    assert result.exit_code == 0, result.output


# --- 9: the embedded engine honours the deadline; its child dies with its parent ---------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _run_slow_canned(queries: Path, graph: Path, timeout: str) -> subprocess.CompletedProcess:
    script = (
        "import sys; from pathlib import Path; from peacegraph import paths; paths.QUERIES_DIR = Path(sys.argv[1]);"
        "from peacegraph.cli import main; main(['query', 'slow', '--graph-dir', sys.argv[2], '--timeout', sys.argv[3]])"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(queries), str(graph), timeout],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the canned query ran on past its --timeout")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def test_canned_query_timeout_stops_the_embedded_engine(tmp_path, mini_graph):
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "slow.rq").write_text("#+ summary: a cross product\n" + SLOW + "\n", encoding="utf-8")
    started = time.monotonic()
    done = _run_slow_canned(queries, mini_graph, "2")
    assert done.returncode == 2, done.stderr
    assert "time limit" in done.stderr and "Traceback" not in done.stderr
    assert time.monotonic() - started < 15


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_query_child_dies_with_its_parent(mini_graph):
    parent = subprocess.Popen(
        [sys.executable, "-m", "peacegraph", "sparql", SLOW, "--graph-dir", str(mini_graph), "--timeout", "600"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while not children and time.monotonic() < deadline:
            time.sleep(0.1)
            children = _children(parent.pid)
        assert children, "the query never started in a child process"
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 5
        while any(_alive(c) for c in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(c) for c in children), "the query child outlived its parent"
    finally:
        for child in children:
            if _alive(child):
                os.kill(child, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()


# --- 12: a truncated or corrupt graph/ is a message, not a traceback ---------------------------------


@pytest.fixture
def corrupt_graph(mini_graph, tmp_path) -> Path:
    broken = tmp_path / "graph"
    shutil.copytree(mini_graph, broken)
    for name in (paths.FULL_FILE_NAME, paths.DATA_FILE_NAME):
        data = (broken / name).read_bytes()
        (broken / name).write_bytes(data[: len(data) // 2])
    (broken / paths.INFERRED_FILE_NAME).write_bytes(b"@prefix x: <http://x/> .\nx:a x:b \xff\xfe unterminated")
    return broken


@pytest.mark.parametrize(
    "command",
    [
        ["query", "agreements"],
        ["sparql", "ASK { ?s ?p ?o }"],
        ["sparql", "ASK { ?s ?p ?o }", "--inferred"],
        ["export", "agreements", "--format", "mermaid"],
    ],
    ids=["query", "sparql", "inferred", "export"],
)
def test_corrupt_graph_is_a_clear_message(command, corrupt_graph):
    result = CliRunner().invoke(main, [*command, "--graph-dir", str(corrupt_graph)])
    _clean(result)
    assert "is not valid Turtle" in result.output and "peacegraph build" in result.output


def test_corrupt_inferred_file_alone_is_a_clear_message(mini_graph, tmp_path):
    graph = tmp_path / "graph"
    shutil.copytree(mini_graph, graph)
    (graph / paths.INFERRED_FILE_NAME).write_bytes(b"<http://x/a> <http://x/b> ")
    result = CliRunner().invoke(main, ["sparql", "ASK { ?s ?p ?o }", "--inferred", "--graph-dir", str(graph)])
    _clean(result)
    assert paths.INFERRED_FILE_NAME in result.output and "is not valid Turtle" in result.output


# --- 2, 6, 12: graph/ switches in one step; the lock is never a way to clobber a file ------------------

OLD = {paths.DATA_FILE_NAME: "old data\n", paths.FULL_FILE_NAME: "old full\n", paths.INFERRED_FILE_NAME: "old inferred\n"}
NEW = {paths.DATA_FILE_NAME: "new data\n", paths.FULL_FILE_NAME: "new full\n", paths.INFERRED_FILE_NAME: None}

#: Runs write_files(NEW) in a child that stops dead after its Nth file-system step, for the test to SIGKILL it there.
PAUSING_WRITER = """
import json, os, shutil, sys, time
from pathlib import Path
import peacegraph.write.files as files
pause_at, steps = int(sys.argv[2]), [0]
def wrap(owner, name):
    real = getattr(owner, name)
    def step(*args, **kwargs):
        result = real(*args, **kwargs)
        steps[0] += 1
        if steps[0] == pause_at:
            print("PAUSED", name, flush=True)
            time.sleep(600)
        return result
    setattr(owner, name, step)
for owner, name in [(os, "replace"), (os, "rename"), (os, "fsync"), (os, "unlink"), (os, "rmdir"), (os, "link"), (os, "mkdir"),
                    (shutil, "rmtree"), (files, "_exchange")]:
    if hasattr(owner, name):
        wrap(owner, name)
new = {k: (None if v is None else v.encode()) for k, v in json.loads(sys.argv[3]).items()}
files.write_files(new, Path(sys.argv[1]))
print("DONE", flush=True)
"""


def _graph_state(graph: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in graph.iterdir() if not p.name.startswith(".")}


def _generation(files: dict[str, str | None]) -> dict[str, str]:
    return {k: v for k, v in files.items() if v is not None}


def test_killed_write_never_leaves_graph_mixed(tmp_path):
    from peacegraph.write.files import write_files

    graph = tmp_path / "repo" / "graph"
    paused = 0
    for pause_at in range(1, 60):
        write_files({k: (None if v is None else v.encode()) for k, v in OLD.items()}, graph)
        assert _graph_state(graph) == _generation(OLD)
        child = subprocess.Popen(
            [sys.executable, "-c", PAUSING_WRITER, str(graph), str(pause_at), json.dumps(NEW)], stdout=subprocess.PIPE, text=True
        )
        line = child.stdout.readline()
        child.kill()
        child.wait()
        child.stdout.close()
        state = _graph_state(graph) if graph.is_dir() else {}
        assert state in (_generation(OLD), _generation(NEW)), f"killed at step {pause_at} ({line.strip()}): graph/ is {state}"
        if line.startswith("DONE"):
            break
        paused += 1
    else:
        pytest.fail("the writer never finished")
    assert paused >= 5, "too few steps to test"
    # The next write cleans what the killed ones left behind.
    write_files({k: (None if v is None else v.encode()) for k, v in NEW.items()}, graph)
    assert sorted(p.name for p in graph.parent.iterdir()) == [".graph.lock", "graph"]
    assert _graph_state(graph) == _generation(NEW) and not [p for p in graph.iterdir() if p.name.startswith(".")]


def test_stale_temporaries_of_the_old_writer_are_removed(tmp_path):
    from peacegraph.write.files import write_files

    graph = tmp_path / "graph"
    graph.mkdir()
    (graph / f".{paths.FULL_FILE_NAME}.abc123.tmp").write_text("half a file")
    (graph / ".build.lock").write_text("")
    write_files({paths.FULL_FILE_NAME: b"full\n"}, graph)
    assert sorted(p.name for p in graph.iterdir()) == [paths.FULL_FILE_NAME]


def test_files_the_build_does_not_name_stay_in_graph(tmp_path):
    """Files the build did not name stay; the swap must not lose a README someone put in graph/."""
    from peacegraph.write.files import write_files

    graph = tmp_path / "graph"
    graph.mkdir()
    (graph / "README.md").write_text("what these files are\n")
    write_files({paths.FULL_FILE_NAME: b"full\n"}, graph)
    assert (graph / "README.md").read_text() == "what these files are\n"


def _two_seed_sets(mini_seeds: Path, tmp_path: Path) -> list[Path]:
    other = tmp_path / "other"
    shutil.copytree(mini_seeds, other)
    entities = other / "facts" / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace("label: Test ceasefire", "label: Other ceasefire"), encoding="utf-8")
    return [mini_seeds, other]


def _random_kills(mini_seeds: Path, tmp_path: Path, kills: int) -> None:
    seed_sets = _two_seed_sets(mini_seeds, tmp_path)
    expected = []
    for seeds in seed_sets:
        folder = tmp_path / f"expected-{seeds.name}" / "graph"
        build(Inputs.from_seeds(seeds), graph_dir=folder, reason=False)
        expected.append(_graph_state(folder))
    out = tmp_path / "out" / "graph"
    build(Inputs.from_seeds(seed_sets[0]), graph_dir=out, reason=False)
    rng = random.Random(24)
    for i in range(kills):
        process = subprocess.Popen(_build_command(seed_sets[(i + 1) % 2], out))
        time.sleep(rng.uniform(0.3, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _graph_state(out) in expected, f"kill {i}: graph/ mixes two builds"
        assert _loadable(out) > 0
    build(Inputs.from_seeds(seed_sets[0]), graph_dir=out, reason=False)
    assert sorted(p.name for p in out.parent.iterdir()) == [".graph.lock", "graph"]


def test_random_kills_between_different_builds_never_mix_them(mini_seeds, tmp_path):
    _random_kills(mini_seeds, tmp_path, 4)


@pytest.mark.slow
def test_many_random_kills_between_different_builds(mini_seeds, tmp_path):
    _random_kills(mini_seeds, tmp_path, 48)


def test_symlinked_lock_is_never_followed(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    build(Inputs.from_seeds(mini_seeds), graph_dir=out, reason=False)
    victim = tmp_path / "precious.txt"
    victim.write_text("do not truncate me\n")
    (out / ".build.lock").symlink_to(victim)  # where the lock used to live
    result = CliRunner().invoke(main, ["build", "--seeds", str(mini_seeds), "--graph-dir", str(out), "--no-reason", "--quiet", "--force"])
    assert victim.read_text() == "do not truncate me\n"
    assert result.exit_code == 0, result.output
    lock = tmp_path / ".graph.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to(victim)
    result = CliRunner().invoke(main, ["build", "--seeds", str(mini_seeds), "--graph-dir", str(out), "--no-reason", "--quiet", "--force"])
    _clean(result)
    assert "symbolic link" in result.output and str(lock) in result.output
    assert victim.read_text() == "do not truncate me\n"


def test_lock_that_is_a_fifo_does_not_hang(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    os.mkfifo(tmp_path / ".graph.lock")
    started = time.monotonic()
    result = CliRunner().invoke(main, ["build", "--seeds", str(mini_seeds), "--graph-dir", str(out), "--no-reason", "--quiet"])
    _clean(result)
    assert "not a regular file" in result.output and time.monotonic() - started < 60


def test_read_only_graph_dir_is_a_message_and_stays(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    seed_sets = _two_seed_sets(mini_seeds, tmp_path)
    build(Inputs.from_seeds(seed_sets[0]), graph_dir=out, reason=False)
    before = _graph_state(out)
    out.chmod(0o555)
    try:
        result = CliRunner().invoke(main, ["build", "--seeds", str(seed_sets[1]), "--graph-dir", str(out), "--no-reason", "--quiet"])
        _clean(result)
        assert "read-only" in result.output and "graph/ was left as it was" in result.output
        assert _graph_state(out) == before
    finally:
        out.chmod(0o755)
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".graph")) in ([".graph.lock"], [])


def test_full_disk_during_build_is_a_message_and_graph_stays(mini_seeds, tmp_path):
    out = tmp_path / "graph"
    seed_sets = _two_seed_sets(mini_seeds, tmp_path)
    build(Inputs.from_seeds(seed_sets[0]), graph_dir=out, reason=False)
    before = _graph_state(out)

    def small_files():
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    done = subprocess.run(_build_command(seed_sets[1], out), preexec_fn=small_files, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "File too large" in done.stderr and "graph/ was left as it was" in done.stderr
    assert _graph_state(out) == before
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".graph")) == [".graph.lock"]


# --- 5, 8, 13: seeds that try to read outside seeds/documents/ or to exhaust the loader -----------------


def _check(seeds: Path, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "peacegraph", "check", "--seeds", str(seeds), "--no-reason"],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def _point_document_at(seeds: Path, file: str) -> None:
    meta = seeds / "documents" / "documents.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("file: mini.txt", f"file: {file}"), encoding="utf-8")


def test_document_symlink_out_of_the_folder_is_refused(mini_seeds, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text((MINI / "documents" / "mini.txt").read_text(encoding="utf-8") + "TOKEN=hunter2\n", encoding="utf-8")
    (mini_seeds / "documents" / "link.txt").symlink_to(secret)
    _point_document_at(mini_seeds, "link.txt")
    done = _check(mini_seeds)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "document file 'link.txt' is outside the documents folder" in done.stderr and "hunter2" not in done.stderr


def test_document_symlink_inside_the_folder_is_fine(mini_seeds):
    (mini_seeds / "documents" / "sub").mkdir()
    shutil.move(mini_seeds / "documents" / "mini.txt", mini_seeds / "documents" / "sub" / "mini.txt")
    (mini_seeds / "documents" / "mini.txt").symlink_to(Path("sub") / "mini.txt")
    done = _check(mini_seeds)
    assert done.returncode == 0, done.stderr


def test_document_fifo_does_not_hang(mini_seeds):
    os.mkfifo(mini_seeds / "documents" / "pipe.txt")
    _point_document_at(mini_seeds, "pipe.txt")
    done = _check(mini_seeds, timeout=60)
    assert done.returncode == 2
    assert "document file 'pipe.txt' is not a regular file" in done.stderr


def test_document_over_the_size_limit_is_refused(mini_seeds):
    done = _check(mini_seeds, {"PEACEGRAPH_MAX_DOCUMENT_BYTES": "100"})
    assert done.returncode == 2
    assert "document file 'mini.txt' is larger than 100 bytes" in done.stderr and "PEACEGRAPH_MAX_DOCUMENT_BYTES" in done.stderr
    assert _check(mini_seeds).returncode == 0


def test_yaml_file_over_the_size_limit_is_refused(mini_seeds):
    done = _check(mini_seeds, {"PEACEGRAPH_MAX_YAML_BYTES": "200"})
    assert done.returncode == 2
    assert "is larger than 200 bytes" in done.stderr and "PEACEGRAPH_MAX_YAML_BYTES" in done.stderr


@pytest.mark.parametrize("name", ["PEACEGRAPH_MAX_YAML_BYTES", "PEACEGRAPH_MAX_DOCUMENT_BYTES", "PEACEGRAPH_MAX_YAML_DEPTH"])
@pytest.mark.parametrize("value", ["lots", "-5", "0", "1e9"])
def test_bad_limit_setting_is_a_message(mini_seeds, name, value):
    result = CliRunner().invoke(main, ["check", "--seeds", str(mini_seeds), "--no-reason"], env={name: value})
    _clean(result)
    assert f"{name} must be a whole number above 0" in result.output


def test_fact_id_with_trailing_space_named_by_a_disagreement(mini_seeds):
    facts = mini_seeds / "facts" / "m001.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("- id: m001-armenia-signed", '- id: "m001-armenia-signed "')
    text += (
        "disagreements:\n  - id: who-signed\n    about: test-ceasefire\n    description: who signed first\n"
        "    kind: disagreement-contradiction\n"
        '    statements: ["m001-armenia-signed ", m001-azerbaijan-signed]\n'
    )
    facts.write_text(text, encoding="utf-8")
    done = _check(mini_seeds)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr


def test_yaml_alias_bomb_is_refused_fast(mini_seeds):
    """The attack's 486-byte bomb (9 levels of 9 aliases): refused at the first anchor, in well under a second of loading."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    (mini_seeds / "facts" / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.monotonic()
    done = _check(mini_seeds, timeout=60)
    assert done.returncode == 2 and "bomb.yaml:1: YAML anchor '&a0' is not allowed" in done.stderr
    assert time.monotonic() - started < 30


# --- 7, 18: serve refuses SERVICE, serves exactly the current graph, cleans up, reports a busy port ------


class Served:
    """`peacegraph serve` in a child process, with its own TMPDIR to see what it leaves behind."""

    def __init__(self, graph: Path, tmp: Path, *extra: str):
        self.port = free_port()
        self.tmpdir = tmp / "tmpdir"
        self.tmpdir.mkdir(exist_ok=True)
        self.base = f"http://127.0.0.1:{self.port}"
        command = [
            sys.executable,
            "-m",
            "peacegraph",
            "serve",
            "--engine",
            "oxigraph",
            "--port",
            str(self.port),
            "--graph-dir",
            str(graph),
            *extra,
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(self.tmpdir)}
        )

    def __enter__(self):
        try:
            wait_until_up(self.base + "/query?query=ASK%7B%7D", 30)
        except RuntimeError:
            self.process.kill()
            raise AssertionError(self.process.communicate()) from None
        return self

    def stop(self, sig=signal.SIGTERM) -> tuple[str, str]:
        self.process.send_signal(sig)
        try:
            return self.process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.communicate()

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.stop()

    def get(self, query: str, accept: str = "application/sparql-results+json") -> tuple[int, bytes]:
        import urllib.parse

        request = urllib.request.Request(f"{self.base}/query?query={urllib.parse.quote(query)}", headers={"Accept": accept})
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def post(self, query: str, content_type: str = "application/sparql-query") -> tuple[int, bytes]:
        data = query.encode() if content_type == "application/sparql-query" else ("query=" + urllib.parse.quote(query)).encode()
        request = urllib.request.Request(f"{self.base}/query", data=data, headers={"Content-Type": content_type}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def count(self) -> int:
        status, body = self.get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


import urllib.parse  # noqa: E402


def _triples(path: Path) -> int:
    with open(path, "rb") as handle:
        return len(set(pyoxigraph.parse(handle, pyoxigraph.RdfFormat.TURTLE)))


@pytest.mark.parametrize("how", ["get", "post", "form"])
def test_serve_refuses_service(how, mini_graph, tmp_path, listener):
    with Served(mini_graph, tmp_path) as served:
        text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        if how == "get":
            status, body = served.get(text)
        elif how == "post":
            status, body = served.post(text)
        else:
            status, body = served.post(text, "application/x-www-form-urlencoded")
        time.sleep(0.2)
        assert listener.hits == 0
        assert status == 403 and b"SERVICE" in body
        assert served.count() == _triples(mini_graph / paths.FULL_FILE_NAME)


def test_serve_allows_service_when_asked(mini_graph, tmp_path, listener):
    with Served(mini_graph, tmp_path, "--allow-service") as served:
        served.get(f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}")
        time.sleep(0.2)
        assert listener.hits >= 1


def test_serve_still_serves_its_query_page_and_refuses_writes(mini_graph, tmp_path):
    with Served(mini_graph, tmp_path) as served:
        with urllib.request.urlopen(served.base + "/", timeout=10) as page:
            assert page.status == 200 and b"<html" in page.read().lower()
        for path, method in (("/update", "POST"), ("/store", "PUT"), ("/store", "POST"), ("/query", "DELETE")):
            request = urllib.request.Request(served.base + path, data=b"INSERT DATA { <x:a> <x:b> <x:c> }", method=method)
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=10)
            assert refused.value.code in (403, 404, 405)
        status, body = served.post("INSERT DATA { <x:a> <x:b> <x:c> }")
        assert status == 400
        assert served.count() == _triples(mini_graph / paths.FULL_FILE_NAME)


def test_serve_location_serves_exactly_the_current_graph(mini_seeds, tmp_path):
    seed_sets = _two_seed_sets(mini_seeds, tmp_path)
    other = seed_sets[1] / "facts" / "entities.yaml"
    other.write_text(other.read_text(encoding="utf-8") + "  - id: extra-state\n    type: State\n    label: Extra State\n", encoding="utf-8")
    graphs = []
    for i, seeds in enumerate(seed_sets):
        graph = tmp_path / f"g{i}" / "graph"
        build(Inputs.from_seeds(seeds), graph_dir=graph, reason=False)
        graphs.append(graph)
    location = tmp_path / "store"
    for graph in (graphs[0], graphs[1], graphs[0]):
        with Served(graph, tmp_path, "--location", str(location)) as served:
            assert served.count() == _triples(graph / paths.FULL_FILE_NAME)


def test_serve_location_that_is_not_a_store_is_refused(mini_graph, tmp_path):
    location = tmp_path / "mine"
    location.mkdir()
    (location / "thesis.tex").write_text("years of work\n")
    port = free_port()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "peacegraph",
            "serve",
            "--engine",
            "oxigraph",
            "--port",
            str(port),
            "--graph-dir",
            str(mini_graph),
            "--location",
            str(location),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "not empty" in done.stderr
    assert (location / "thesis.tex").read_text() == "years of work\n"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_serve_leaves_no_temporary_store(sig, mini_graph, tmp_path):
    with Served(mini_graph, tmp_path) as served:
        assert list(served.tmpdir.iterdir()), "the store should live in TMPDIR while serving"
        served.stop(sig)
    assert list(served.tmpdir.iterdir()) == []


def test_serve_killed_takes_its_server_along_and_the_next_run_cleans_up(mini_graph, tmp_path):
    with Served(mini_graph, tmp_path) as served:
        served.stop(signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(served.base + "/query?query=ASK%7B%7D", timeout=1).close()
            except OSError:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the oxigraph server outlived peacegraph serve")
    with Served(mini_graph, tmp_path) as again:
        assert len(list(again.tmpdir.iterdir())) == 1
        again.stop()
    assert list(again.tmpdir.iterdir()) == []


def test_serve_on_a_busy_port_is_one_line(mini_graph, tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "peacegraph", "serve", "--engine", "oxigraph", "--port", str(port), "--graph-dir", str(mini_graph)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "TMPDIR": str(tmp_path)},
        )
    finally:
        busy.close()
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "already in use" in lines[0], done.stderr
    assert "Serving" not in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_serve_timeout_must_be_bounded(mini_graph, tmp_path):
    for value in ("0", "-3", "nan", "999999999"):
        done = subprocess.run(
            [sys.executable, "-m", "peacegraph", "serve", "--graph-dir", str(mini_graph), "--port", str(free_port()), "--timeout", value],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "TMPDIR": str(tmp_path)},
        )
        assert done.returncode == 2 and "--timeout" in done.stderr


# --- issue 14, item 1: ad-hoc SPARQL gets the project's prefixes; syntax errors point at the spot ----------


def test_readme_example_runs_with_predeclared_prefixes(mini_graph):
    result = CliRunner().invoke(main, ["sparql", "SELECT ?s WHERE { ?s a pg:State }", "--graph-dir", str(mini_graph)])
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/peacegraph/entity/armenia" in result.output


def test_a_declared_prefix_wins_over_the_predeclared_one(mini_graph):
    text = "PREFIX pg: <http://example.org/other#> SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:State }"
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph), "--format", "csv"])
    assert result.exit_code == 0 and result.output.split() == ["n", "0"]


def test_sparql_prefixes_lists_them():
    from peacegraph.namespaces import PREFIXES

    result = CliRunner().invoke(main, ["sparql", "--prefixes"])
    assert result.exit_code == 0
    for prefix, iri in PREFIXES.items():
        assert f"PREFIX {prefix}: <{iri}>" in result.output


def test_sparql_help_says_prefixes_are_predeclared():
    result = CliRunner().invoke(main, ["sparql", "--help"])
    assert "predeclared" in result.output and "--prefixes" in result.output


def test_remote_gets_only_missing_prefix_lines(server):
    before = len(server.requests)
    text = "PREFIX pg: <http://example.org/mine#> SELECT ?s WHERE { ?s a pg:State ; rdfs:label ?l }"
    result = CliRunner().invoke(main, ["sparql", text, "--endpoint", server.base + "/ok"])
    assert result.exit_code == 0, result.output
    body = urllib.parse.parse_qs(server.requests[before][3].decode())["query"][0]
    assert body.count("PREFIX pg:") == 1 and "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in body
    assert "PREFIX ent:" not in body


def test_syntax_error_is_one_line_then_the_line_and_a_caret(mini_graph):
    import re

    text = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?x >) ?y }"
    result = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph)])
    _clean(result)
    lines = result.output.rstrip("\n").splitlines()
    assert len(lines) == 3 and len(lines[0]) < 200, lines
    found = re.match(r"error: SPARQL syntax error at line (\d+), column (\d+): expected ", lines[0])
    assert found, lines[0]
    line, column = int(found.group(1)), int(found.group(2))
    assert line == 3
    assert lines[1] == "  " + text.splitlines()[2]
    assert lines[2] == "  " + " " * (column - 1) + "^"


def test_build_with_a_fifo_among_the_inputs_does_not_hang(mini_seeds, tmp_path):
    """The build hashes its inputs before it loads them (nothing changed, nothing rebuilt): that must not read a FIFO either."""
    os.mkfifo(mini_seeds / "facts" / "pipe.yaml")
    os.mkfifo(mini_seeds / "documents" / "pipe.txt")
    done = subprocess.run(_build_command(mini_seeds, tmp_path / "graph"), capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr


# --- 10: answers are streamed where the format allows, and say the same as when they are not ------------


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "markdown", "table"])
def test_streamed_answer_is_what_the_buffered_one_is(fmt, mini_graph):
    from peacegraph.query.engines import make_engine
    from peacegraph.query.results import RowStream, render, render_pieces

    text = "SELECT * WHERE { ?s ?p ?o FILTER(isIRI(?s) && !isBlank(?o)) VALUES ?copy { 1 2 } } ORDER BY ?copy ?s ?p ?o"
    buffered = make_engine(graph_dir=mini_graph).run(text)
    streamed = make_engine(graph_dir=mini_graph).run(text, stream=True)
    assert isinstance(streamed, RowStream) and len(buffered.rows) > 4000  # three chunks or more
    if fmt == "table":
        return  # never streamed: the widths need every row
    assert "".join(render_pieces(streamed.columns, streamed.chunks, fmt)) == render(buffered, fmt)
    cli = CliRunner().invoke(main, ["sparql", text, "--graph-dir", str(mini_graph), "--format", fmt])
    assert cli.exit_code == 0 and cli.stdout_bytes.decode() == render(buffered, fmt) + "\n"


def test_streamed_answer_still_stops_at_the_row_cap(mini_graph):
    result = CliRunner().invoke(
        main, ["sparql", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "--graph-dir", str(mini_graph), "--format", "csv", "--max-rows", "5000"]
    )
    _clean(result)
    assert "the answer has more than 5000 rows" in result.output
    assert result.output.count("\r\n") <= 5001  # what was written before the cap: the header and at most 5,000 rows


# --- 7 on the web engine (issue 16's serve default): SERVICE refused at the door and in the engine behind it ----


@pytest.fixture(scope="module")
def web_app():
    from peacegraph.web.app import create_app
    from peacegraph.web.catalog import Catalog

    from .web_fixtures import client

    return client(create_app(catalog=Catalog(), timeout=5.0))


@pytest.mark.parametrize("template", SERVICE_TEXTS, ids=range(len(SERVICE_TEXTS)))
def test_web_sparql_endpoint_never_calls_out(template, listener, web_app):
    text = template.replace("{url}", listener.url).replace("{{", "{").replace("}}", "}")
    answer = web_app.get("/sparql", params={"query": text})
    time.sleep(0.2)
    assert listener.hits == 0, answer.text
    assert answer.status_code in (400, 403) and "SERVICE" in answer.text


@pytest.mark.parametrize("template", SERVICE_TEXTS, ids=range(len(SERVICE_TEXTS)))
def test_web_service_guard_itself_sees_through_comments_and_fake_iris(template, listener):
    from peacegraph.web.sparql import Refused, refuse_service

    with pytest.raises(Refused):
        refuse_service(template.replace("{url}", listener.url).replace("{{", "{").replace("}}", "}"))


def test_web_serve_on_a_busy_port_is_one_line(tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    try:
        done = subprocess.run(
            [sys.executable, "-m", "peacegraph", "serve", "--port", str(port)], capture_output=True, text=True, timeout=120
        )
    finally:
        busy.close()
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "already in use" in lines[0], done.stderr
    assert "Serving" not in done.stdout


def test_without_rename_exchange_the_fallback_switches_and_the_next_build_recovers(tmp_path, monkeypatch):
    """Where renameat2(RENAME_EXCHANGE) is missing: two renames; a crash between them is undone by the next write."""
    import peacegraph.write.files as files

    def no_exchange(first, second):
        raise files._NoExchange

    graph = tmp_path / "graph"
    encoded = {k: (None if v is None else v.encode()) for k, v in OLD.items()}
    files.write_files(encoded, graph)
    monkeypatch.setattr(files, "_exchange", no_exchange)
    files.write_files({k: (None if v is None else v.encode()) for k, v in NEW.items()}, graph)
    assert _graph_state(graph) == _generation(NEW)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.lock", "graph"]
    # Killed between the two renames: graph/ set aside, the complete new generation not yet in place.
    os.rename(graph, tmp_path / ".graph.old-99999")
    shutil.copytree(tmp_path / ".graph.old-99999", tmp_path / ".graph.new-99999")
    (tmp_path / ".graph.new-99999" / paths.DATA_FILE_NAME).write_text("half-switched\n")
    with files.build_lock(graph):
        files._recover(graph)
    assert _graph_state(graph) == _generation(NEW), "the set-aside generation is put back"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.lock", "graph"]
    files.write_files(encoded, graph)
    assert _graph_state(graph) == _generation(OLD)
