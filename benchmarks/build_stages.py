"""Print the wall time of `peacegraph build` on the seeds, and of each stage.

Usage: python3 benchmarks/build_stages.py [--repeat N]

Each figure is the median of N runs (default 3). The stages are timed inside
one process (load, SHACL, reasoning, write); the whole command is also timed
as a fresh process, against a bare `python3 -c pass` measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from peacegraph.build import build

    stages: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeat):
            report = build(graph_dir=Path(folder))
            for stage, seconds in report.timings.items():
                stages.setdefault(stage, []).append(seconds)
        command: list[float] = []
        bare: list[float] = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "peacegraph", "build", "--quiet", "--graph-dir", folder], check=True)
            command.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            bare.append(time.perf_counter() - start)
    print(f"triples: {len(report.data)}  facts: {len(report.curation.facts)}  entities: {len(report.curation.entities)}")
    print(f"reasoning: {report.reasoning.status}")
    print(f"{'stage':<12}{'median s':>10}")
    for stage, values in stages.items():
        print(f"{stage:<12}{statistics.median(values):>10.3f}")
    total = statistics.median(sum(v[i] for v in stages.values()) for i in range(args.repeat))
    print(f"{'all stages':<12}{total:>10.3f}")
    print(f"{'command':<12}{statistics.median(command):>10.3f}   (fresh process: python -m peacegraph build)")
    print(
        f"{'python':<12}{statistics.median(bare):>10.3f}   (baseline: python -c pass; command is {statistics.median(command) / statistics.median(bare):.0f}x)"
    )


if __name__ == "__main__":
    main()
