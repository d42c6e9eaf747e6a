"""Build, check and question times on N times the seeds, beside the engine's own floor, with growth exponents.

Usage: python3 benchmarks/scale.py N [N ...] [--no-reason] [--no-questions] [--repeat R]

For each N the seeds are copied N times under new ids (benchmarks/corpus.py:
every quote still verbatim in its copied document) into a temporary folder,
and each of these runs in a fresh process so that its peak memory is its own:

- ``build --force`` and ``check``: wall time of each stage, total, peak RSS
  (Python, and the largest child process: the one that starts HermiT's JVM, whose peak counts the pages it shared with the build when it began), triples written;
- the floor, measured in the same run on the same output: pyoxigraph
  bulk-loading graph/peacegraph.ttl, serializing it back to Turtle, and
  running the compiled SHACL shapes on it;
- an unchanged rebuild (``peacegraph build`` again: nothing to do);
- every canned question, warm (in one process, the store loaded; median of
  --repeat runs) and cold (``peacegraph query`` as a fresh process).

``--warm-on DIR [DIR ...]`` times only the warm questions, on graph folders
already built (for instance graph/ and a 100x graph), one fresh process per
folder in turn, and prints them side by side with the ratio of the last to
the first.

Between consecutive sizes it prints the local growth exponent of each stage
(log of the time ratio over log of the size ratio: 1 is linear, 2 quadratic).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

_CHILD_BUILD = r"""
import json, resource, sys, time
from pathlib import Path
from peacegraph.build import Inputs, build, check
seeds, out, mode, reason = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
started = time.perf_counter()
if mode == "build":
    report = build(Inputs.from_seeds(seeds), graph_dir=out, reason=reason, force=True)
else:
    report = check(Inputs.from_seeds(seeds), reason=reason)
total = time.perf_counter() - started
print(json.dumps({
    "timings": report.timings, "total": total, "ok": report.ok,
    "data_triples": len(report.data), "full_triples": report.full_size,
    "facts": len(report.curation.facts), "entities": len(report.curation.entities),
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "reasoning": report.reasoning.detail,
}))
"""

_CHILD_FLOOR = r"""
import json, resource, sys, time
import pyoxigraph as ox
from peacegraph.validate.compiled import load_checks, validate_store
path = sys.argv[1]
out = {}
start = time.perf_counter(); store = ox.Store(); store.bulk_load(path=path, format=ox.RdfFormat.TURTLE); out["load"] = time.perf_counter() - start
start = time.perf_counter(); data = store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()); out["serialize"] = time.perf_counter() - start
checks = load_checks()
start = time.perf_counter(); validate_store(store, checks); out["shapes"] = time.perf_counter() - start
out["triples"] = len(store)
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""

_CHILD_WARM = r"""
import json, statistics, sys, time
sys.path.insert(0, sys.argv[3])
from tests.tests_params import GOLDEN_PARAMS, INFERRED_QUESTIONS
from peacegraph import paths
from peacegraph.query.canned import list_queries, run
from peacegraph.query.engines import EmbeddedEngine
graph, repeat = __import__("pathlib").Path(sys.argv[1]), int(sys.argv[2])
plain = EmbeddedEngine(graph)
inferred = EmbeddedEngine(graph, [graph / paths.FULL_FILE_NAME, graph / paths.INFERRED_FILE_NAME]) if (graph / paths.INFERRED_FILE_NAME).exists() else plain
plain.store; inferred.store
out = {}
for q in list_queries():
    engine = inferred if q.name in INFERRED_QUESTIONS else plain
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = run(q.name, GOLDEN_PARAMS.get(q.name, {}), engine=engine)
        times.append(time.perf_counter() - start)
        rows = len(result.rows) if hasattr(result, "rows") else 0
    out[q.name] = {"ms": statistics.median(times) * 1000, "min_ms": min(times) * 1000, "rows": rows}
print(json.dumps(out))
"""


def _child(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(copies: int, reason: bool, questions: bool, repeat: int) -> dict:
    from corpus import make_corpus

    with tempfile.TemporaryDirectory(prefix=f"peacegraph-scale-{copies}x-") as folder:
        seeds = make_corpus(copies, Path(folder) / "seeds")
        graph = Path(folder) / "graph"
        result: dict = {"copies": copies}
        result["build"] = _child(_CHILD_BUILD, str(seeds), str(graph), "build", "1" if reason else "0")
        result["check"] = _child(_CHILD_BUILD, str(seeds), str(graph), "check", "1" if reason else "0")
        result["floor"] = _child(_CHILD_FLOOR, str(graph / "peacegraph.ttl"))
        command = [sys.executable, "-m", "peacegraph", "build", "--quiet", "--seeds", str(seeds), "--graph-dir", str(graph)]
        if not reason:
            command.append("--no-reason")
        start = time.perf_counter()
        subprocess.run(command, check=True)
        result["unchanged_rebuild"] = time.perf_counter() - start
        if questions:
            result["warm"] = _child(_CHILD_WARM, str(graph), str(repeat), str(HERE.parent))
            result["cold"] = _cold(graph)
        return result


def _cold(graph: Path) -> dict:
    sys.path.insert(0, str(HERE.parent))
    from peacegraph.query.canned import list_queries
    from tests.tests_params import GOLDEN_PARAMS

    out = {}
    for q in list_queries():
        args = [sys.executable, "-m", "peacegraph", "query", q.name, "--graph-dir", str(graph), "--format", "csv"]
        for key, value in GOLDEN_PARAMS.get(q.name, {}).items():
            args += ["-p", f"{key}={value}"]
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        out[q.name] = (time.perf_counter() - start) * 1000
    return out


def _exponent(a: float, b: float, na: int, nb: int) -> str:
    if a <= 0 or b <= 0 or na == nb:
        return "-"
    return f"{math.log(b / a) / math.log(nb / na):.2f}"


def report(results: list[dict]) -> None:
    print("\n## Build (fresh process per size; seconds)\n")
    stages = sorted(
        {s for r in results for s in r["build"]["timings"]}, key=["load", "shacl", "inference", "reasoning", "qc", "write"].index
    )
    print(
        "| corpus | triples | "
        + " | ".join(stages)
        + " | total | peak RSS (build / largest child) | floor: load | floor: serialize | floor: shapes | unchanged rebuild |"
    )
    print("|---" * (len(stages) + 8) + "|")
    for r in results:
        b, f = r["build"], r["floor"]
        cells = " | ".join(f"{b['timings'].get(s, 0):.2f}" for s in stages)
        print(
            f"| {r['copies']}x | {b['full_triples']:,} | {cells} | {b['total']:.2f} | {b['rss_mb']:.0f} MB / {b['child_rss_mb']:.0f} MB "
            f"| {f['load']:.2f} | {f['serialize']:.2f} | {f['shapes']:.2f} | {r['unchanged_rebuild']:.2f} |"
        )
    print("\nStage time over its floor (load: pyoxigraph bulk load of the output; write: serializing it; shacl: the compiled shapes):\n")
    for r in results:
        b, f = r["build"]["timings"], r["floor"]
        print(
            f"- {r['copies']}x: load {b['load'] / f['load']:.1f}x, write {b.get('write', 0) / f['serialize']:.1f}x, "
            f"shacl {b['shacl'] / f['shapes']:.1f}x; reasoning: {r['build']['reasoning']}"
        )
    print("\n## Check (seconds)\n")
    for r in results:
        c = r["check"]
        print(
            f"- {r['copies']}x: "
            + ", ".join(f"{k} {v:.2f}" for k, v in c["timings"].items())
            + f"; total {c['total']:.2f}; peak RSS {c['rss_mb']:.0f} MB"
        )
    if len(results) > 1:
        print("\n## Growth exponents (build stages)\n")
        for a, b in zip(results, results[1:], strict=False):
            pairs = ", ".join(
                f"{s} {_exponent(a['build']['timings'].get(s, 0), b['build']['timings'].get(s, 0), a['copies'], b['copies'])}"
                for s in stages
            )
            print(
                f"- {a['copies']}x -> {b['copies']}x: {pairs}, total {_exponent(a['build']['total'], b['build']['total'], a['copies'], b['copies'])}"
            )
    if all("warm" in r for r in results):
        print("\n## Canned questions (ms; warm: median in one process; cold: a fresh `peacegraph query`)\n")
        names = sorted(results[0]["warm"])
        print("| question | " + " | ".join(f"{r['copies']}x warm | {r['copies']}x cold | rows" for r in results) + " |")
        print("|---" * (1 + 3 * len(results)) + "|")
        for name in names:
            cells = " | ".join(f"{r['warm'][name]['ms']:.1f} | {r['cold'][name]:.0f} | {r['warm'][name]['rows']}" for r in results)
            print(f"| {name} | {cells} |")


def warm_on(graphs: list[Path], repeat: int) -> None:
    """The warm questions on built graph folders, side by side: median (min) ms, rows, last over first."""
    runs = []
    for graph in graphs:
        print(f"timing the questions on {graph} ...", file=sys.stderr, flush=True)
        runs.append(_child(_CHILD_WARM, str(graph.resolve()), str(repeat), str(HERE.parent)))
    print(f"# warm questions ({os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d')}; median (min) of {repeat} runs, ms)\n")
    print("| question | " + " | ".join(f"{g} | rows" for g in graphs) + " | last / first |")
    print("|---" * (2 + 2 * len(graphs)) + "|")
    for name in sorted(runs[0]):
        cells = " | ".join(f"{r[name]['ms']:.1f} ({r[name]['min_ms']:.1f}) | {r[name]['rows']}" for r in runs)
        print(f"| {name} | {cells} | {runs[-1][name]['ms'] / runs[0][name]['ms']:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*")
    parser.add_argument("--warm-on", type=Path, nargs="+", metavar="DIR", help="Only time the warm questions on these built graph folders.")
    parser.add_argument("--no-reason", action="store_true")
    parser.add_argument("--no-questions", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="Also write the raw figures here.")
    args = parser.parse_args()
    if args.warm_on:
        warm_on(args.warm_on, args.repeat)
        return
    if not args.sizes:
        parser.error("give the sizes to measure (1 10 100 ...) or --warm-on DIR ...")
    results = []
    for n in args.sizes:
        print(f"measuring {n}x ...", file=sys.stderr, flush=True)
        results.append(measure(n, not args.no_reason, not args.no_questions, args.repeat))
    print(f"# scale benchmark ({os.cpu_count()} CPUs; {time.strftime('%Y-%m-%d')})")
    report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
