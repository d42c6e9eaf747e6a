"""Query speed: cold CLI against bare pyoxigraph, warm latency per question, and a local server round trip.

Usage: python3 benchmarks/query_latency.py [--repeat N] [--question NAME]

Prints medians over N runs (default 7):
- cold `peacegraph query NAME` (a fresh process) beside a bare Python script that
  loads graph/peacegraph.ttl into pyoxigraph and runs the same query text; the
  ratio is the CLI's overhead (target: at most 1.5);
- warm latency of every canned question on an already loaded embedded store;
- the HTTP round trip (the remote engine) of every question to a local `oxigraph serve-read-only`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def timed(function, repeat: int) -> float:
    values = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        values.append(time.perf_counter() - start)
    return statistics.median(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--question", default="agreement-roles")
    args = parser.parse_args()

    from peacegraph import paths
    from peacegraph.query.canned import get_query, list_queries, run
    from peacegraph.query.engines import EmbeddedEngine, RemoteEngine

    graph = paths.graph_file()
    question = get_query(args.question)
    bare = (
        "import pyoxigraph\n"
        "store = pyoxigraph.Store()\n"
        f"store.bulk_load(open({str(graph)!r}, 'rb'), pyoxigraph.RdfFormat.TURTLE)\n"
        f"rows = list(store.query(open({str(question.path)!r}, encoding='utf-8').read()))\n"
        "print(len(rows))\n"
    )
    cli = [sys.executable, "-m", "peacegraph", "query", args.question]
    # As an installed package runs: with its compiled bytecode cached. PYTHONDONTWRITEBYTECODE=1 (set on
    # some machines) makes every run compile peacegraph's modules again, ~25 ms the bare script never pays.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run_bare = lambda: subprocess.run([sys.executable, "-c", bare], check=True, capture_output=True, env=env)  # noqa: E731
    run_cli = lambda: subprocess.run(cli, check=True, capture_output=True, env=env)  # noqa: E731
    run_python = lambda: subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True, env=env)  # noqa: E731
    run_bare(), run_cli()  # warm the file cache and write the bytecode
    python_s = timed(run_python, args.repeat)
    # Paired: each CLI run beside a bare run made just before it, so a busy moment weighs on both.
    pairs = [(timed(run_bare, 1), timed(run_cli, 1)) for _ in range(args.repeat)]
    bare_s = statistics.median(b for b, _ in pairs)
    cli_s = statistics.median(c for _, c in pairs)
    ratio = statistics.median(c / b for b, c in pairs)
    print(f"graph: {graph} ({graph.stat().st_size // 1024} KiB)")
    print(f"cold, median of {args.repeat} (bare and CLI in pairs, bytecode cached):")
    print(f"  python -c pass                       {python_s * 1000:8.1f} ms")
    print(f"  bare pyoxigraph load + query         {bare_s * 1000:8.1f} ms")
    print(f"  peacegraph query {args.question:<19} {cli_s * 1000:8.1f} ms   median paired ratio to bare: {ratio:.2f} (target <= 1.5)")

    engine = EmbeddedEngine()
    engine.store  # noqa: B018 (load once)
    from tests_params import params_for  # noqa: E402  (benchmarks share the golden parameters)

    print(f"warm embedded latency per question, median of {args.repeat}:")
    warm = {}
    for q in list_queries():
        warm[q.name] = timed(lambda q=q: run(q.name, params_for(q.name), engine=engine), args.repeat)
        print(f"  {q.name:<20} {warm[q.name] * 1000:8.2f} ms")
    print(f"  median over questions {statistics.median(warm.values()) * 1000:6.2f} ms")

    from servers import oxigraph_server

    with tempfile.TemporaryDirectory() as folder, oxigraph_server(Path(folder), [graph]) as base:
        remote = RemoteEngine(base + "/query")
        print(f"HTTP round trip (remote engine) to local oxigraph server, median of {args.repeat}:")
        trips = {}
        for q in list_queries():
            trips[q.name] = timed(lambda q=q: run(q.name, params_for(q.name), engine=remote), args.repeat)
            print(f"  {q.name:<20} {trips[q.name] * 1000:8.2f} ms   ({trips[q.name] / warm[q.name]:.1f}x embedded)")
        print(f"  median over questions {statistics.median(trips.values()) * 1000:6.2f} ms")


if __name__ == "__main__":
    main()
