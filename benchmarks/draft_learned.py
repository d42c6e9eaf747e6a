"""Could a model learnt from the graph's own curated facts find what the drafter's rules miss? Leave-one-out, measured.

Usage: pip install scikit-learn; python3 benchmarks/draft_learned.py [--c 0.3] [--cut 0.01 --cut 0.05 ...]

An experiment, not part of the drafter (scikit-learn is not a dependency of
peacegraph). For each document D, a logistic regression is trained on the
four other documents and tested on D:

- candidates: in every sentence, every ordered pair of entities the draft
  finds there (names, resolved pronouns, descriptions) and every relation whose
  domain and range they fit: everything a reading of one sentence could say;
- features: the relation with the entities' types, the entities themselves,
  the words of the sentence and between the two mentions (crudely stemmed),
  their order and distance, how each was found, whether the ontology's
  trigger words for the relation occur, whether the rules proposed the triple
  and how sure they were, and whether the graph (without the document) holds it;
- labels: the document's curated facts quoted from that sentence.

The four training documents are drafted with a curation that never held D
(``without_document``): no fact, entity or alias of D reaches the model or its
features. Printed: recall and precision of the rules alone, the model alone
and both, per fact and sentence (as ``draft_quality.py`` counts them) and over
distinct triples, at each probability cut-off.
"""

from __future__ import annotations

import argparse
import re
import sys
import time

WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
STOP = frozenset(
    "the a an of and to in on for with by at from as that this is was were be been has have had it its their his her "
    "they he she which who or but not".split()
)


def stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def examples(draft, curation, lexicon_words, relations):
    """(sentence start, triple, features, curated?) for every pair of entities one sentence of ``draft`` names."""
    from peacegraph.curate.coverage import split_sentences
    from peacegraph.curate.gazetteer import fold
    from peacegraph.curate.leave_one_out import canonical

    doc = draft.doc
    schema = curation.schema
    known = {canonical((f.subject, f.relation.name, f.object)) for f in curation.facts if f.object and f.source != doc.id}
    facts = [f for f in curation.facts if f.source == doc.id and f.object]
    out = []
    for sentence in split_sentences(doc.text):
        first = {}
        for m in draft.mentions:
            if sentence.start <= m.start < sentence.end and m.entities[0] in curation.entities:
                first.setdefault(m.entities[0], m)
        if len(first) < 2:
            continue
        folded = fold(sentence.text).lower()
        words = {stem(w) for w in WORD.findall(sentence.text) if w.lower() not in STOP}
        rules: dict[tuple, float] = {}
        for cand in draft.candidates:
            if cand.start < sentence.end and sentence.start < cand.end:
                rules[canonical(cand.triple)] = max(rules.get(canonical(cand.triple), 0.0), cand.confidence)
        curated = {
            canonical((f.subject, f.relation.name, f.object)) for f in facts if f.span.start < sentence.end and sentence.start < f.span.end
        }
        for a, ma in first.items():
            for b, mb in first.items():
                if a == b:
                    continue
                ea, eb = curation.entities[a], curation.entities[b]
                lo, hi = (ma.end, mb.start) if ma.start < mb.start else (mb.end, ma.start)
                between = {stem(w) for w in WORD.findall(doc.text[lo:hi]) if w.lower() not in STOP}
                for prop in relations:
                    if prop.domain and not schema.fits(frozenset({ea.type_iri}), prop.domain):
                        continue
                    if prop.range and not schema.fits(frozenset({eb.type_iri}), prop.range):
                        continue
                    r = prop.name
                    triple = canonical((a, r, b))
                    f = {
                        f"r={r}": 1, f"r={r}|st={ea.type}": 1, f"r={r}|ot={eb.type}": 1, f"r={r}|s={a}": 1, f"r={r}|o={b}": 1,
                        f"r={r}|order={ma.start < mb.start}": 1, f"r={r}|dist={min(len(between) // 3, 5)}": 1,
                        f"r={r}|n={min(len(first), 6)}": 1, f"r={r}|how={ma.how[:5]}/{mb.how[:5]}": 1,
                    }  # fmt: skip
                    if triple in rules:
                        f.update({f"r={r}|rule": 1, "rule": 1, "rule-confidence": rules[triple]})
                    if triple in known:
                        f.update({f"r={r}|known": 1, "known": 1})
                    if any(w in folded for w in lexicon_words.get(r, ())):
                        f[f"r={r}|trigger"] = 1
                    f.update({f"r={r}|w={w}": 1 for w in words})
                    f.update({f"r={r}|between={w}": 1 for w in between})
                    out.append((sentence.start, triple, f, triple in curated))
    return out


def evaluate(curation, doc_id, draft, predicted, use_rules: bool):
    """(fact hits, facts, right candidates, candidates) per sentence, and the same over distinct triples."""
    from peacegraph.curate.coverage import split_sentences
    from peacegraph.curate.leave_one_out import canonical, dropped, triple_scores

    sentences = split_sentences(draft.doc.text)
    gone, _ = dropped(curation, doc_id)
    facts = [f for f in curation.facts if f.source == doc_id and f.object]

    def sentence_starts(span_start, span_end):
        return {s.start for s in sentences if s.start < span_end and span_start < s.end}

    proposed = set(predicted)
    if use_rules:
        proposed |= {(s, canonical(c.triple)) for c in draft.candidates for s in sentence_starts(c.start, c.end)}
    known = [
        f for f in facts if all((r in curation.entities and r not in gone) or r in curation.schema.concepts for r in (f.subject, f.object))
    ]
    hits = sum(
        any((s, canonical((f.subject, f.relation.name, f.object))) in proposed for s in sentence_starts(f.span.start, f.span.end))
        for f in known
    )
    right = sum(
        any(canonical((f.subject, f.relation.name, f.object)) == t and s in sentence_starts(f.span.start, f.span.end) for f in facts)
        for s, t in proposed
    )
    triples = triple_scores(
        {(f.subject, f.relation.name, f.object) for f in known},
        {(f.subject, f.relation.name, f.object) for f in facts},
        {t for _, t in proposed},
    )
    return (hits, len(known), right, len(proposed)), triples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, default=0.3, help="inverse regularisation strength of the logistic regression")
    parser.add_argument("--cut", type=float, action="append", help="probability cut-offs (default 0.005 to 0.3)")
    args = parser.parse_args()
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit("this experiment needs scikit-learn: pip install scikit-learn")

    from peacegraph.curate.leave_one_out import score_document, without_document
    from peacegraph.curate.lexicon import Lexicon
    from peacegraph.load.loader import load_curation

    started = time.perf_counter()
    curation = load_curation()
    lexicon = Lexicon.from_schema(curation.schema)
    lexicon_words: dict[str, set[str]] = {}
    for phrase, names in lexicon.phrases.items():
        for name in names:
            lexicon_words.setdefault(name, set()).add(phrase)
    relations = [p for p in curation.schema.relations.values() if p.is_object]
    docs = sorted(curation.documents)
    cuts = args.cut or [0.005, 0.01, 0.02, 0.05, 0.1, 0.3]
    runs = {}
    for held in docs:
        reduced = without_document(curation, held)
        train = []
        for other in docs:
            if other != held:
                train += examples(score_document(reduced, other).draft, reduced, lexicon_words, relations)
        draft = score_document(curation, held).draft
        test = examples(draft, curation, lexicon_words, relations)
        vectorizer = DictVectorizer()
        model = LogisticRegression(C=args.c, max_iter=3000)
        model.fit(vectorizer.fit_transform([f for _, _, f, _ in train]), [y for *_, y in train])
        probabilities = model.predict_proba(vectorizer.transform([f for _, _, f, _ in test]))[:, 1]
        runs[held] = (draft, [(s, t, p) for (s, t, _, _), p in zip(test, probabilities, strict=True)])
        print(f"{held}: trained on {len(train)} pairs ({sum(y for *_, y in train)} curated), tested on {len(test)}", file=sys.stderr)

    def line(name, cut, use_rules):
        totals = [0, 0, 0, 0]
        triple_totals = [0, 0, 0, 0]
        for held, (draft, scored) in runs.items():
            predicted = {(s, t) for s, t, p in scored if cut is not None and p >= cut}
            per_fact, ((th, tn), (tr, tp)) = evaluate(curation, held, draft, predicted, use_rules)
            totals = [a + b for a, b in zip(totals, per_fact, strict=True)]
            triple_totals = [a + b for a, b in zip(triple_totals, (th, tn, tr, tp), strict=True)]
        h, n, r, p = totals
        th, tn, tr, tp = triple_totals
        print(
            f"{name:<14} {'' if cut is None else cut:<7} {100 * h / n:5.1f}% ({h}/{n})  {100 * r / max(p, 1):5.1f}% ({r}/{p})"
            f"   {100 * th / tn:5.1f}% ({th}/{tn})  {100 * tr / max(tp, 1):5.1f}% ({tr}/{tp})"
        )

    print(f"leave-one-out over {len(docs)} documents, C={args.c}, {time.perf_counter() - started:.1f}s")
    print("candidates     cut-off fact recall      precision          triple recall    triple precision")
    line("rules", None, True)
    for cut in cuts:
        line("model", cut, False)
    for cut in cuts:
        line("rules + model", cut, True)


if __name__ == "__main__":
    main()
