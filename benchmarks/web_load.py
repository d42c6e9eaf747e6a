"""Load on `peacegraph serve`: 50 concurrent clients over a mixed load, against bare `oxigraph serve` in the same run.

    python3 benchmarks/web_load.py [--clients 50] [--seconds 20] [--graph-dir graph/]

Starts both servers on free 127.0.0.1 ports (the web app as `peacegraph serve`
would, in its own process; Oxigraph's read-only server on the same graph),
warms the web app (every entity page once, so the page cache is full, as it
is after the first visit of each page), then runs closed-loop clients: each
client sends a request, waits for the answer, sends the next (keep-alive, no
think time), for a fixed time. The mix: entity pages 40 %, search as a reader
types 30 %, a canned question 15 %, a SPARQL query 15 %. Then, one kind at a
time with the same number of clients, the SPARQL query to the web app's
/sparql and to bare Oxigraph, and the canned question as a REST call to the
web app and its SPARQL (parameter bound) to bare Oxigraph. Prints throughput
and p50/p95/p99 latency per kind, and the ratios to Oxigraph. Also prints the time to render each entity page the first
time (what a page costs before it is cached), in process.

The load generator runs on the same 2 cores as the servers (a hand-written
HTTP/1.1 client on asyncio, to take as little of them as it can); figures
from a busy machine are slower, so the load average is printed too. Traffic
goes to 127.0.0.1 only; every loop is bounded by time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from peacegraph import paths  # noqa: E402
from peacegraph.web.server import load_store, oxigraph_binary  # noqa: E402

SPARQL = (
    "PREFIX pg: <https://w3id.org/peacegraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?person ?label WHERE { ?person a pg:Person ; rdfs:label ?label } ORDER BY ?label"
)
QUESTION = ("leaders", {"org": "ent:armenia"})
#: What readers type, keystroke by keystroke, misspellings included.
TYPED = ["Karabakh", "Pashinian", "Turkiye", "Zangezur", "Blinken", "Aliyev", "Washington", "ceasefire", "Nakhchivan", "Lachin"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {seconds} s")


class Connection:
    """A keep-alive HTTP/1.1 connection to 127.0.0.1: GET a path, read the answer (Content-Length bodies)."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def get(self, path: str, accept: str = "*/*") -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: {accept}\r\n\r\n".encode())
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length, chunked, close = 0, False, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.reader = self.writer = None
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def run_clients(port: int, pick, clients: int, seconds: float) -> dict[str, list[float]]:
    """Closed-loop clients for ``seconds``; returns latencies (s) per kind. A non-200 answer fails the run."""
    latencies: dict[str, list[float]] = {}
    stop = time.monotonic() + seconds

    async def client(number: int):
        rng = random.Random(number)
        connection = Connection(port)
        try:
            while time.monotonic() < stop:
                kind, path, accept = pick(rng)
                started = time.perf_counter()
                status = await connection.get(path, accept)
                latencies.setdefault(kind, []).append(time.perf_counter() - started)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
        finally:
            connection.close()

    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def table(title: str, latencies: dict[str, list[float]], seconds: float) -> list[str]:
    lines = [f"\n{title}", "| kind | requests | req/s | p50 ms | p95 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|"]
    total = 0
    for kind, values in latencies.items():
        total += len(values)
        lines.append(
            f"| {kind} | {len(values)} | {len(values) / seconds:.0f} | {1000 * statistics.median(values):.1f} | "
            f"{1000 * percentile(values, 95):.1f} | {1000 * percentile(values, 99):.1f} |"
        )
    lines.append(f"| all | {total} | {total / seconds:.0f} | | | |")
    return lines


def cold_render_times(graph_dir: Path | None) -> list[str]:
    """Render every entity page once in process, uncached: what a page costs the first time it is asked for."""
    from peacegraph.web.catalog import Catalog
    from peacegraph.web.pages import Pages

    started = time.perf_counter()
    catalog = Catalog(graph_dir=graph_dir)
    built = time.perf_counter() - started
    pages = Pages(catalog)
    times = []
    for entity in catalog.entities.values():
        t = time.perf_counter()
        pages.entity(entity)
        times.append(time.perf_counter() - t)
    return [
        f"\nstartup (store load + web queries + search index): {built * 1000:.0f} ms",
        f"first render of an entity page, uncached, {len(times)} pages: median {1000 * statistics.median(times):.1f} ms, "
        f"p95 {1000 * percentile(times, 95):.1f} ms, max {1000 * max(times):.1f} ms",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--graph-dir", type=Path, default=None)
    args = parser.parse_args()
    graph = paths.graph_file(args.graph_dir)

    lines = [
        f"# web_load: {args.clients} clients, {args.seconds:g} s per phase, {os.cpu_count()} cores, load average before {os.getloadavg()[0]:.2f}"
    ]
    lines += cold_render_times(args.graph_dir)

    from peacegraph.query.canned import bind, get_query
    from peacegraph.query.engines import EmbeddedEngine, substitute
    from peacegraph.web.catalog import Catalog

    catalog = Catalog(graph_dir=args.graph_dir)
    entity_ids = sorted(catalog.entities)
    question = get_query(QUESTION[0])
    question_sparql = substitute(question.text, bind(EmbeddedEngine(args.graph_dir), question, QUESTION[1]))
    prefixes = [word[:n] for word in TYPED for n in range(3, len(word) + 1)]

    web_port, oxi_port = free_port(), free_port()
    command = [sys.executable, "-m", "peacegraph", "serve", "--port", str(web_port)]
    if args.graph_dir:
        command += ["--graph-dir", str(args.graph_dir)]
    # The store is removed with its folder, after the server that reads it has stopped (finally below).
    folder = tempfile.TemporaryDirectory(prefix="peacegraph-bench-")
    store = Path(folder.name)
    load_store(store, [graph])
    web = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    oxigraph = subprocess.Popen(
        [oxigraph_binary(), "serve-read-only", "--location", str(store), "--bind", f"127.0.0.1:{oxi_port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_up(f"http://127.0.0.1:{web_port}/health")
        wait_up(f"http://127.0.0.1:{oxi_port}/query?query=ASK%7B%7D")
        sparql_path = "/sparql?" + urllib.parse.urlencode({"query": SPARQL})
        question_path = f"/questions/{QUESTION[0]}?" + urllib.parse.urlencode(QUESTION[1])
        # Warm up: every entity page once (the cache then holds them, as after a first visit), and each other URL.
        for entity_id in entity_ids:
            urllib.request.urlopen(f"http://127.0.0.1:{web_port}/entity/{entity_id}").read()
        for path in (sparql_path, question_path, "/api/search?q=kar"):
            urllib.request.urlopen(f"http://127.0.0.1:{web_port}{path}").read()

        json_results = "application/sparql-results+json"

        def web_mix(rng: random.Random):
            roll = rng.random()
            if roll < 0.40:
                return "entity page", f"/entity/{rng.choice(entity_ids)}", "text/html"
            if roll < 0.70:
                return "search", "/api/search?q=" + urllib.parse.quote(rng.choice(prefixes)), "application/json"
            if roll < 0.85:
                return "canned question page", question_path, "text/html"
            return "SPARQL (web /sparql)", sparql_path, json_results

        latencies = asyncio.run(run_clients(web_port, web_mix, args.clients, args.seconds))
        lines += table(f"peacegraph serve, mixed load, {args.clients} clients", latencies, args.seconds)

        oxi_free = "/query?" + urllib.parse.urlencode({"query": SPARQL})
        oxi_question = "/query?" + urllib.parse.urlencode({"query": question_sparql})

        def only(kind, path):
            return lambda rng: (kind, path, json_results)

        web_sparql = asyncio.run(run_clients(web_port, only("SPARQL (web /sparql)", sparql_path), args.clients, args.seconds))
        lines += table(f"peacegraph serve, the SPARQL query only, {args.clients} clients", web_sparql, args.seconds)
        oxi_sparql = asyncio.run(run_clients(oxi_port, only("SPARQL (oxigraph /query)", oxi_free), args.clients, args.seconds))
        lines += table(f"bare oxigraph serve-read-only, the same SPARQL query, {args.clients} clients", oxi_sparql, args.seconds)
        api_path = f"/api/{QUESTION[0]}?" + urllib.parse.urlencode(QUESTION[1])
        web_api = asyncio.run(run_clients(web_port, only("canned question (web /api)", api_path), args.clients, args.seconds))
        lines += table(
            f"peacegraph serve, the canned question as REST API call only (answers kept per question and parameters), {args.clients} clients",
            web_api,
            args.seconds,
        )
        oxi_api = asyncio.run(run_clients(oxi_port, only("its SPARQL (oxigraph /query)", oxi_question), args.clients, args.seconds))
        lines += table(f"bare oxigraph serve-read-only, the canned question's SPARQL, {args.clients} clients", oxi_api, args.seconds)

        def ratio(ours: list[float], theirs: list[float]) -> str:
            return (
                f"p50 {statistics.median(ours) / statistics.median(theirs):.2f}x, p95 {percentile(ours, 95) / percentile(theirs, 95):.2f}x, "
                f"throughput {len(ours) / len(theirs):.2f}x"
            )

        lines.append(
            "\nratios to bare oxigraph in this run (same query, same clients; below 1x latency and above 1x throughput is better):"
        )
        lines.append(f"  free SPARQL: {ratio(web_sparql['SPARQL (web /sparql)'], oxi_sparql['SPARQL (oxigraph /query)'])}")
        lines.append(
            f"  canned question (the web app answers from its cache, Oxigraph runs the query): "
            f"{ratio(web_api['canned question (web /api)'], oxi_api['its SPARQL (oxigraph /query)'])}"
        )
        entity = latencies["entity page"]
        search = latencies["search"]
        lines.append(
            f"targets: entity page p95 {1000 * percentile(entity, 95):.1f} ms (target <= 50), search p95 {1000 * percentile(search, 95):.1f} ms (target <= 20)"
        )
        lines.append(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        for process in (web, oxigraph):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        folder.cleanup()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
