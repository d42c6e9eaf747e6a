"""How good a draft is: draft each curated document with what the graph knew without it, and compare.

For document D, the gazetteer leaves out the entities only D's records use
(and the entities defined in D's own ``dNNN-extra.yaml`` that nothing else
uses) and the aliases only D introduces (its ``source`` is D, or it is written
in D and in no other document); D's facts are left out of what the graph
already knows. The draft of D is then compared with D's curated facts:

- mention recall: the curated subjects and objects (entities) that the draft
  finds in the sentences of the fact's quote, counted once per entity and
  sentence, over three denominators: all of them, the known ones (in the
  reduced gazetteer), and the known ones that the sentence names by one of
  their curated names;
- candidate-fact recall: curated subject-relation-object triples (entity or
  concept objects) proposed by a candidate whose quote lies in the same
  sentences, over the facts whose subject and object are both known, and
  over those whose subject and object are both named in the sentence;
- precision: candidates that match a curated fact of D (same triple, quote
  in the sentences of that fact's quote);
- the same two over distinct triples, as the issue words them ("curated
  triples among the candidates"): a triple the article gives in three
  sentences counts once, and is found if any candidate proposes it, with a
  quote anywhere in the document; a candidate triple is right if the
  curators took it from the document at all;
- the co-mention ceilings: the known facts whose subject and object the draft
  finds in the fact's sentences, and the curated triples (both known) whose
  two ends it finds together in some sentence: the most that pairing what
  one sentence names can reach, whichever relation it picks;
- date agreement: of the matched candidates whose curated fact has a date,
  those whose date equals it (``date``, ``start`` or ``end``);
- quotes: candidates whose quote occurs verbatim and once in D.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from peacegraph.curate.coverage import split_sentences
from peacegraph.curate.draft import RULES, Draft, Drafter
from peacegraph.curate.gazetteer import Gazetteer, fold
from peacegraph.curate.knowledge import Knowledge
from peacegraph.load.loader import Curation, Fact
from peacegraph.load.quotes import QuoteNotFound, locate

SYMMETRIC = {"metWith", "borders", "alliedWith"}


@dataclass
class Score:
    doc_id: str
    mentions_all: list[bool] = field(default_factory=list)
    mentions_known: list[bool] = field(default_factory=list)
    mentions_named: list[bool] = field(default_factory=list)
    facts_known: list[bool] = field(default_factory=list)
    facts_named: list[bool] = field(default_factory=list)
    facts_reachable: list[bool] = field(default_factory=list)  # of facts_known: both ends found in the fact's sentences
    candidates: int = 0
    correct: int = 0
    dates: list[bool] = field(default_factory=list)
    verbatim: int = 0
    seconds: float = 0.0
    new_aliases: tuple[int, int] = (0, 0)  # (proposed among the dropped ones the text uses, dropped ones the text uses)
    new_entities: tuple[int, int] = (0, 0)
    triples: tuple[int, int] = (0, 0)  # (distinct curated triples, both known, that a candidate proposes; all of them)
    triple_precision: tuple[int, int] = (0, 0)  # (distinct candidate triples the curators took from the document; all of them)
    ceiling: tuple[int, int] = (0, 0)  # (distinct curated triples, both known, whose two ends one sentence names; all of them)
    draft: Draft | None = None


def dropped(curation: Curation, doc_id: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """The entities and (entity, alias) pairs only ``doc_id`` introduces."""
    users: dict[str, set[str]] = {}
    for fact in curation.facts:
        refs = {fact.subject, fact.object} | {v for p, v in fact.qualifiers.values() if p.is_object}
        for ref in refs - {None}:
            users.setdefault(ref, set()).add(fact.source)
    for doc in curation.documents.values():
        for ref in (doc.author, doc.editor, doc.publisher):
            if ref:
                users.setdefault(ref, set()).add(doc.id)
    entities = set()
    for entity in curation.entities.values():
        used = users.get(entity.id, set())
        own_file = entity.file.rsplit("/", 1)[-1].startswith(doc_id)
        if used == {doc_id} or (not used and own_file):
            entities.add(entity.id)
    texts = {d: fold(doc.text) for d, doc in curation.documents.items()}
    aliases = set()
    for entity in curation.entities.values():
        for alias in entity.aliases:
            if alias.source == doc_id:
                aliases.add((entity.id, alias.label))
            elif alias.source is None:
                pattern = re.compile(r"(?<!\w)" + re.escape(fold(alias.label)) + r"(?!\w)")
                where = {d for d, text in texts.items() if pattern.search(text)}
                if where == {doc_id}:
                    aliases.add((entity.id, alias.label))
    return frozenset(entities), frozenset(aliases)


def without_document(curation: Curation, doc_id: str) -> Curation:
    """The curation as if ``doc_id`` had never been added: its document, its facts, the entities and aliases only it
    introduces are gone (for drafting the other documents with nothing of it, as a model trained on them must be)."""
    from dataclasses import replace

    gone_entities, gone_aliases = dropped(curation, doc_id)
    entities = {
        e.id: replace(e, aliases=[a for a in e.aliases if (e.id, a.label) not in gone_aliases])
        for e in curation.entities.values()
        if e.id not in gone_entities
    }
    return replace(
        curation,
        documents={k: v for k, v in curation.documents.items() if k != doc_id},
        entities=entities,
        facts=[f for f in curation.facts if f.source != doc_id],
    )


def canonical(triple: tuple[str, str, str]) -> tuple[str, str, str]:
    """A symmetric relation's triple one way round, so "A metWith B" and "B metWith A" are one triple."""
    subject, relation, obj = triple
    return (min(subject, obj), relation, max(subject, obj)) if relation in SYMMETRIC else triple


def triple_scores(curated_known: set, curated_all: set, proposed: set) -> tuple[tuple[int, int], tuple[int, int]]:
    """(recall, precision) over distinct triples: curated triples (both ends known) among the proposed ones, and
    proposed triples among all curated ones; each as (hits, total).

    >>> triple_scores({("a", "metWith", "b"), ("a", "partyTo", "x")}, {("a", "metWith", "b"), ("a", "partyTo", "x"), ("n", "partyTo", "x")},
    ...               {("b", "metWith", "a"), ("n", "partyTo", "x"), ("a", "borders", "b")})
    ((1, 2), (2, 3))
    """
    known = {canonical(t) for t in curated_known}
    every = {canonical(t) for t in curated_all}
    proposed = {canonical(t) for t in proposed}
    return (len(known & proposed), len(known)), (len(proposed & every), len(proposed))


def _names_in(curation: Curation, entity_id: str, text: str) -> bool:
    entity = curation.entities[entity_id]
    folded = fold(text).lower()
    return any(
        re.search(r"(?<!\w)" + re.escape(fold(n).lower()) + r"(?!\w)", folded) for n in [entity.label, *(a.label for a in entity.aliases)]
    )


def _matches(fact: Fact, subject: str, relation: str, obj: str) -> bool:
    if fact.relation.name != relation:
        return False
    if (fact.subject, fact.object) == (subject, obj):
        return True
    return relation in SYMMETRIC and (fact.object, fact.subject) == (subject, obj)


def score_document(curation: Curation, doc_id: str, min_confidence: float | None = None, rules: frozenset[str] = RULES) -> Score:
    """Draft ``doc_id`` with the graph as it was without it (only ``rules`` on), and score the draft against its curated facts."""
    doc = curation.documents[doc_id]
    gone_entities, gone_aliases = dropped(curation, doc_id)
    gazetteer = Gazetteer.from_curation(curation, gone_entities, gone_aliases, without_source=doc_id)
    started = time.perf_counter()
    knowledge = Knowledge.from_curation(curation, without_source=doc_id, entities=gazetteer.entities)
    drafter = Drafter(gazetteer, curation.schema, knowledge, rules)
    draft = drafter.draft(doc) if min_confidence is None else drafter.draft(doc, min_confidence=min_confidence)
    score = Score(doc_id, seconds=time.perf_counter() - started, draft=draft)
    sentences = split_sentences(doc.text)
    facts = [f for f in curation.facts if f.source == doc_id and f.object]

    def sentences_of(fact: Fact):
        return [s for s in sentences if s.start < fact.span.end and fact.span.start < s.end]

    found_at: dict[int, set[str]] = {}
    for m in draft.mentions:
        for s in sentences:
            if s.start <= m.start < s.end:
                found_at.setdefault(s.start, set()).update(m.entities)
    seen: set[tuple[str, int]] = set()
    for fact in facts:
        where = sentences_of(fact)
        text = " ".join(s.text for s in where)
        for ref in (fact.subject, fact.object):
            if ref not in curation.entities or (ref, where[0].start) in seen:
                continue
            seen.add((ref, where[0].start))
            hit = any(ref in found_at.get(s.start, set()) for s in where)
            score.mentions_all.append(hit)
            if ref not in gone_entities:
                score.mentions_known.append(hit)
                if _names_in(curation, ref, text):
                    score.mentions_named.append(hit)
    for fact in facts:
        where = sentences_of(fact)
        lo, hi = where[0].start, where[-1].end
        known = all(r in gazetteer.entities or r in curation.schema.concepts for r in (fact.subject, fact.object))
        if not known:
            continue
        hit = any(_matches(fact, c.subject, c.relation, c.object) and c.start < hi and lo < c.end for c in draft.candidates)
        score.facts_known.append(hit)
        found = set().union(*(found_at.get(s.start, set()) for s in where)) | set(curation.schema.concepts)
        score.facts_reachable.append(fact.subject in found and fact.object in found)
        text = doc.text[lo:hi]
        named = all(r in curation.schema.concepts or _names_in(curation, r, text) for r in (fact.subject, fact.object))
        if named:
            score.facts_named.append(hit)
    known_triples = {
        (f.subject, f.relation.name, f.object)
        for f in facts
        if all(r in gazetteer.entities or r in curation.schema.concepts for r in (f.subject, f.object))
    }
    score.triples, score.triple_precision = triple_scores(
        known_triples, {(f.subject, f.relation.name, f.object) for f in facts}, {c.triple for c in draft.candidates}
    )
    together: set[tuple[str, str]] = set()
    for s in sentences:
        named = {e for m in draft.mentions if s.start <= m.start < s.end for e in m.entities}
        together |= {(a, b) for a in named for b in named}
    reachable = {t for t in known_triples if (t[0], t[0] if t[2] in curation.schema.concepts else t[2]) in together}
    score.ceiling = (len({canonical(t) for t in reachable}), len({canonical(t) for t in known_triples}))
    score.candidates = len(draft.candidates)
    for cand in draft.candidates:
        matched = [
            f
            for f in facts
            if _matches(f, cand.subject, cand.relation, cand.object)
            and any(s.start < cand.end and cand.start < s.end for s in sentences_of(f))
        ]
        if matched:
            score.correct += 1
            curated_dates = {t.text for f in matched for t in f.times.values()}
            if curated_dates:
                score.dates.append(cand.date is not None and cand.date.value in curated_dates)
        try:
            span = locate(cand.quote, doc.text)
            score.verbatim += span.start == cand.start
        except QuoteNotFound:
            pass
    used_aliases = [(e, a) for e, a in gone_aliases if e in gazetteer.entities and a in doc.text]
    proposed = {(a.entity, a.label) for a in draft.new_aliases}
    score.new_aliases = (sum(1 for pair in used_aliases if pair in proposed), len(used_aliases))
    used_entities = [e for e in gone_entities if curation.entities[e].label in doc.text]
    labels = {e.label for e in draft.new_entities}
    score.new_entities = (sum(1 for e in used_entities if curation.entities[e].label in labels), len(used_entities))
    return score


def percent(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):.1f}% ({sum(values)}/{len(values)})" if values else "n/a"
