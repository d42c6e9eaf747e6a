"""The benchmarks' synthetic corpus stays a valid input: a broken corpus makes every scale figure meaningless."""

from __future__ import annotations

import sys

from peacegraph import paths
from peacegraph.load.loader import load_curation


def test_corpus_of_two_copies_loads_with_every_quote_verbatim(tmp_path):
    # The reliability change refused YAML anchors; the corpus writer emitted them for shared values.
    sys.path.insert(0, str(paths.ROOT / "benchmarks"))
    try:
        from corpus import make_corpus
    finally:
        sys.path.remove(str(paths.ROOT / "benchmarks"))
    seeds = make_corpus(2, tmp_path / "seeds")
    curation = load_curation(seeds / "facts", seeds / "documents" / "documents.yaml")
    original = load_curation(paths.SEEDS_DIR / "facts", paths.SEEDS_DIR / "documents" / "documents.yaml")
    assert len(curation.facts) == 2 * len(original.facts)
    assert len(curation.entities) == 2 * len(original.entities)


def test_suggestions_over_many_ids_are_difflibs_own():
    # Past 2,000 choices rapidfuzz picks the candidates; the suggestion must stay the one difflib gives.
    import difflib
    import random

    from peacegraph.load.yamlsource import suggest

    rng = random.Random(7)
    words = ["ceasefire", "peace-treaty", "meeting", "pashinyan", "aliyev", "corridor", "summit", "border"]
    ids = sorted({f"d{rng.randrange(1000):03d}-{rng.choice(words)}-{rng.choice(words)}-c{rng.randrange(300)}" for _ in range(20000)})
    for typo in ["d012-ceasfire-summit-c7", "d100-meeting-aliev-c20", "d999-corridor-border-c299x", "zzzz"]:
        close = difflib.get_close_matches(typo, ids, n=1)
        assert suggest(typo, ids) == (f" (did you mean '{close[0]}'?)" if close else "")


def test_web_load_removes_its_oxigraph_store(tmp_path):
    # Seven peacegraph-bench-* stores were found in /tmp after a day of runs: the benchmark never removed them.
    import os
    import subprocess

    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(paths.ROOT / "benchmarks" / "web_load.py"), "--clients", "2", "--seconds", "0.3"],
        env=env, capture_output=True, text=True, timeout=600, cwd=paths.ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "targets: entity page p95" in done.stdout
    assert not list(tmp_path.glob("peacegraph-bench-*"))
