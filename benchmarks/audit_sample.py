"""Draw a knowledge audit's sample: 80 facts, seeded, from the sorted fact ids (issue 13.3).

Run from the repository root::

    python benchmarks/audit_sample.py                    # the ids, one per line
    python benchmarks/audit_sample.py --show             # each fact with its dates, qualifiers and quote
    python benchmarks/audit_sample.py --seed 20261201    # another audit's sample

The default seed is the second audit's (the first audit's is not recorded);
the third audit used 20261201. The sample is drawn over the fact ids of the
seeds as they are when the script runs; the commit each audit drew it at is
named in docs/audit-2.md and docs/audit-3.md, so checking out that commit and
running this script with that seed gives the same 80 ids.
"""

from __future__ import annotations

import argparse
import random

from peacegraph.load.loader import Fact, load_curation

SEED = 20261130
SIZE = 80


def sample_ids(fact_ids: list[str], seed: int = SEED, size: int = SIZE) -> list[str]:
    """``size`` ids drawn without replacement from the sorted ids, in the order drawn.

    >>> sample_ids([f"f{i:02d}" for i in range(10)], seed=1, size=3) == sample_ids([f"f{i:02d}" for i in reversed(range(10))], seed=1, size=3)
    True
    """
    return random.Random(seed).sample(sorted(fact_ids), size)


def describe(fact: Fact) -> str:
    obj = fact.object if fact.object is not None else repr(fact.value)
    times = " ".join(f"{k}={v.text}" for k, v in fact.times.items())
    quals = " ".join(f"{k}={v}" for k, (_, v) in fact.qualifiers.items())
    lines = [f"{fact.id} [{fact.source}] {fact.subject} {fact.relation.name} {obj} {times} {quals}".rstrip(), f"    quote: {fact.quote}"]
    if fact.rank != "normal":
        lines.append(f"    rank: {fact.rank} ({fact.rank_reason})")
    for label, text in (("date_note", fact.date_note), ("note", fact.note)):
        if text:
            lines.append(f"    {label}: {text}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each sampled fact, not only its id")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the draw (default %(default)s; a new audit takes a new one)")
    args = parser.parse_args()
    facts = {f.id: f for f in load_curation().facts}
    for fact_id in sample_ids(list(facts), seed=args.seed):
        print(describe(facts[fact_id]) if args.show else fact_id)


if __name__ == "__main__":
    main()
