"""Leave-one-out quality of `peacegraph draft` on the five curated documents.

Usage: python3 benchmarks/draft_quality.py [--doc d003] [--held-out d003 --held-out d004] [--thresholds] [--ablation]

For each document: the gazetteer without the entities and aliases only that
document introduces, the graph's facts without its facts; draft it; compare
with its curated facts (see peacegraph.curate.leave_one_out for each figure).
Prints a table per document and overall, against the issue's targets:
mention recall >= 95%, candidate-fact recall >= 50%, precision >= 50%, every
quote verbatim and unique. With --thresholds, also recall and precision at
other confidence cut-offs (the draft's own is MIN_CONFIDENCE). With
--held-out, also the rows of the documents the rules were tuned on and of the
held-out ones, apart (the fair estimate of how the drafts do on new articles).
With --ablation, recall and precision with each of the drafter's rules
(draft.RULES) turned off in turn, and with all of them off: what each buys.
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", action="append", help="only these documents (default: all)")
    parser.add_argument("--thresholds", action="store_true", help="also recall and precision at other confidence cut-offs")
    parser.add_argument("--show", action="store_true", help="print each candidate and whether it matched")
    parser.add_argument("--held-out", action="append", default=[], help="documents the rules were not tuned on (a row of their own)")
    parser.add_argument("--ablation", action="store_true", help="recall and precision with each rule of draft.RULES turned off")
    args = parser.parse_args()

    from peacegraph.curate import draft as draft_module
    from peacegraph.curate.leave_one_out import Score, percent, score_document
    from peacegraph.load.loader import load_curation

    started = time.perf_counter()
    curation = load_curation()
    loaded = time.perf_counter() - started
    doc_ids = args.doc or sorted(curation.documents)
    scores: list[Score] = [score_document(curation, d) for d in doc_ids]

    def row(name: str, group: list[Score]) -> list[str]:
        def cat(attr):
            return [v for s in group for v in getattr(s, attr)]

        cands = sum(s.candidates for s in group)
        correct = sum(s.correct for s in group)
        verbatim = sum(s.verbatim for s in group)

        def pair(attr):
            hits, total = sum(getattr(s, attr)[0] for s in group), sum(getattr(s, attr)[1] for s in group)
            return percent([True] * hits + [False] * (total - hits))

        aliases = (sum(s.new_aliases[0] for s in group), sum(s.new_aliases[1] for s in group))
        entities = (sum(s.new_entities[0] for s in group), sum(s.new_entities[1] for s in group))
        return [
            name,
            percent(cat("mentions_named")),
            percent(cat("mentions_known")),
            percent(cat("mentions_all")),
            percent(cat("facts_known")),
            percent(cat("facts_named")),
            percent([True] * correct + [False] * (cands - correct)),
            percent(cat("facts_reachable")),
            pair("triples"),
            pair("triple_precision"),
            pair("ceiling"),
            percent(cat("dates")),
            f"{verbatim}/{cands}",
            f"{aliases[0]}/{aliases[1]}",
            f"{entities[0]}/{entities[1]}",
            f"{sum(s.seconds for s in group):.2f}",
        ]

    header = [
        "doc",
        "mention recall (named)",
        "mention recall (known)",
        "mention recall (all)",
        "fact recall (both known)",
        "fact recall (both named)",
        "precision",
        "ceiling (both found)",
        "triple recall",
        "triple precision",
        "triple ceiling",
        "dates agree",
        "quotes verbatim+unique",
        "aliases found",
        "new entities found",
        "draft s",
    ]
    rows = [row(s.doc_id, [s]) for s in scores]
    if args.held_out:
        rows.append(row("tuned on", [s for s in scores if s.doc_id not in args.held_out]))
        rows.append(row("held out", [s for s in scores if s.doc_id in args.held_out]))
    rows.append(row("overall", scores))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    print(f"leave-one-out over {len(scores)} documents; min confidence {draft_module.MIN_CONFIDENCE}; seeds loaded in {loaded:.2f}s")
    for r in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))
    print("targets: mention recall >= 95%, fact recall >= 50%, precision >= 50%, every quote verbatim and unique")
    print(
        "fact recall and precision count a fact per sentence it is quoted from; the triple columns count distinct triples"
        " (quoted anywhere); the ceilings are the facts (triples) whose two ends the draft finds in one sentence"
    )
    if args.show:
        facts = {(f.subject, f.relation.name, f.object) for f in curation.facts}
        for s in scores:
            for c in s.draft.candidates:
                mark = "OK " if c.triple in facts else "-- "
                print(f"{mark}{s.doc_id} {c.confidence:.2f} {c.subject} {c.relation} {c.object} | {c.quote[:100]}")
    if args.ablation:
        print("\nrule turned off       fact recall (both known)  precision        dates agree")

        def line(name: str, rules: frozenset[str]) -> None:
            again = [score_document(curation, d, rules=rules) for d in doc_ids]
            known = [v for s in again for v in s.facts_known]
            cands, correct = sum(s.candidates for s in again), sum(s.correct for s in again)
            dates = [v for s in again for v in s.dates]
            print(f"{name:<21} {percent(known):<25} {percent([True] * correct + [False] * (cands - correct)):<16} {percent(dates)}")

        line("(none: all on)", draft_module.RULES)
        for rule in sorted(draft_module.RULES):
            line(rule, draft_module.RULES - {rule})
        line("(all off)", frozenset())
    if args.thresholds:
        print("\ncut-off  fact recall (both known)  precision")
        for cut in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            again = [score_document(curation, d, cut) for d in doc_ids]
            known = [v for s in again for v in s.facts_known]
            cands = sum(s.candidates for s in again)
            correct = sum(s.correct for s in again)
            print(f"{cut:<8} {percent(known):<25} {percent([True] * correct + [False] * (cands - correct))}")


if __name__ == "__main__":
    main()
