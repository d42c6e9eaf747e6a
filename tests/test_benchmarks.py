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
