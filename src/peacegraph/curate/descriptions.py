"""Events, agreements and places a text describes instead of naming: "the 2020 ceasefire", "a peace deal", "the country".

A description is a class's head noun (the class's ``rdfs:label`` and its
``pg:trigger`` words in the ontology: "ceasefire", "truce", "offensive",
"peace talks", "country", "region" ...) with what stands around it: a
possessor ("Azerbaijan's swift offensive"), a year ("the 2020 ceasefire",
"the offensive in September 2023"), names ("the Armenia-Azerbaijan peace
deal", "the war against Ukraine"). It is linked to a known entity of that
class (or a subclass) by how well the entity fits:

- a year of the description must be one of the entity's years (in its name,
  its own date, or the dates of the graph's facts about it);
- names in the description should be the entity's neighbours in the graph or
  words of its label;
- the entities and years of the surrounding paragraph count a little;
- an entity the document has already named or described is what a definite
  description most likely means, and the nearer the more likely.

Events and agreements may be linked on their first mention ("signed a
ceasefire" in a paragraph about 2020); places and actors ("the country", "the
region") only to one the document has already named. A description is linked
only when one entity clearly fits best; its score says how clearly.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from functools import cached_property

from peacegraph.curate.dating import DocumentDates, find_anchored
from peacegraph.curate.gazetteer import Gazetteer, Mention, fold
from peacegraph.curate.knowledge import Knowledge
from peacegraph.curate.words import PREPOSITIONS
from peacegraph.load.schema import Schema

#: Classes whose descriptions may mean an entity the text has not named before (things that happen or are agreed).
FIRST_MENTION_CLASSES = ("Event", "Agreement", "Route")
#: Prepositions that carry a description's modifiers after its head ("the ceasefire of 2020", "the war against Ukraine").
MODIFIER_PREPOSITIONS = {"of", "in", "between", "with", "against", "over", "on", "for", "from", "to"}
#: Words before a head that end a description on the left.
LEFT_STOPS = {"a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our", "any", "every", "each"}
DEFINITE = {"the", "this", "that", "these", "those", "its", "their", "his", "her", "our"}
INDEFINITE = {"a", "an", "any", "every", "each"}
#: Words before a head that say it is not one already known.
NEW_REFERENT = {"another", "other", "new", "next", "future", "any", "every", "each"}
#: Score a definite description's most recent possible antecedent gains over earlier ones (English prefers the nearer);
#: more than the graph-weight term sets apart two states the article has named, so recency decides between them.
RECENCY = 1.5
#: Score lost for each name in a description that the entity's label and neighbours do not explain.
UNRELATED_NAME = 1.0
#: Relations that make an actor a side of an event or agreement.
SIDE_RELATIONS = ("partyTo", "participantIn")
#: Plain English nouns of negotiating that, without a name, speak of the peace process going on.
PROCESS_NOUNS = {"discussions", "dialogue", "negotiations", "peacemaking"}
PROCESS_PAIRS = {
    ("diplomatic", "efforts"),
    ("negotiation", "table"),
    ("negotiating", "table"),
    ("diplomatic", "process"),
    ("negotiation", "process"),
    ("negotiating", "process"),
    ("peace", "efforts"),
}
#: Words that say talks go on over time: such talks are a process, not one round of it.
ONGOING = {"ongoing", "continuing", "continued", "continuous", "protracted", "long-running", "lengthy", "years-long"}
#: Classes of lasting events and agreements whose sides tell them apart (a country is at war with few others).
SIDED_CLASSES = ("Conflict", "War", "PeaceProcess", "PeaceAgreement", "Ceasefire", "MilitaryOffensive")
#: The best entity must beat the second by this much (in score points) to be linked.
MARGIN = 1.0
#: ... and reach this score (half a point: a sole fitting entity with one weak clue, a neighbour or the paragraph's year, is
#: linked; the margin still keeps out descriptions two entities fit).
MIN_SCORE = 0.5


@dataclass(frozen=True)
class Clues:
    """What stands in and around a description: names and years in it, entities and years of its paragraph."""

    names: set[tuple[str, ...]]
    years: set[int]
    months: set[str]  # "YYYY-MM" of dates given to the month or day
    words: set[str]  # its other content words ("foreign ministers"), cut to five letters
    context: set[str]
    context_years: set[int]
    context_months: set[str]
    position: int
    definite: bool  # "the", "this", "its" ...
    indefinite: bool  # "a", "an", "any"
    latest: str | None = None  # of the entities it may mean, the one named or described last before it


@dataclass(frozen=True)
class Head:
    """A head-noun phrase of some classes, as found in a text (token positions)."""

    phrase: str
    classes: tuple[str, ...]
    first: int
    last: int


class Describer:
    """Finds and links descriptions, for one gazetteer, schema and knowledge of the graph."""

    def __init__(self, gazetteer: Gazetteer, schema: Schema, knowledge: Knowledge, rules: frozenset[str] = frozenset({"recency"})):
        from rdflib import RDFS, URIRef
        from spacy.matcher import PhraseMatcher

        from peacegraph.namespaces import PG_IRI

        self.gazetteer = gazetteer
        self.schema = schema
        self.knowledge = knowledge
        self.rules = rules
        trigger = URIRef(PG_IRI + "trigger")
        self.heads: dict[str, list[str]] = {}
        for name, iri in sorted(schema.classes.items()):
            words = {str(w) for w in schema.graph.objects(iri, trigger)}
            if words:
                words |= {str(w) for w in schema.graph.objects(iri, RDFS.label)}
            for word in sorted(words):
                self.heads.setdefault(fold(word).lower(), []).append(name)
        self._matcher = PhraseMatcher(gazetteer.nlp.vocab, attr="LOWER")
        for phrase in self.heads:
            self._matcher.add(phrase, [gazetteer.nlp.make_doc(phrase)])
        # A class with subclasses ("agreement", "event") is too general to pick out an entity on its own.
        self._generic = {
            n for n, iri in schema.classes.items() if any(iri in sup and sub != iri for sub, sup in schema.superclasses.items())
        }
        first = frozenset(schema.classes[c] for c in FIRST_MENTION_CLASSES if c in schema.classes)
        self._first_mention = {name for name, iri in schema.classes.items() if schema.fits(frozenset({iri}), first)}
        self._members: dict[str, list[str]] = {}
        for name, iri in schema.classes.items():
            self._members[name] = sorted(
                e.id for e in gazetteer.entities.values() if schema.fits(frozenset({e.type_iri}), frozenset({iri}))
            )

    @cached_property
    def place_nouns(self) -> frozenset[str]:
        """One-word head nouns of the kinds of place below a state ("region", "exclave", "territory", "corridor")."""
        place = self.schema.classes.get("Place")
        big = frozenset(self.schema.classes[c] for c in ("State", "City") if c in self.schema.classes)
        if place is None:
            return frozenset()
        out = set()
        for word, classes in self.heads.items():
            iris = [frozenset({self.schema.classes[c]}) for c in classes]
            if " " not in word and any(self.schema.fits(i, frozenset({place})) and not self.schema.fits(i, big) for i in iris):
                out.add(word)
        return frozenset(out)

    def find(self, text: str, tokens, mentions: list[Mention], paragraphs: list[tuple[int, int]], dates: DocumentDates) -> list[Mention]:
        """Descriptions in ``text`` linked to entities, in order; ``mentions`` are the names found (not overlapped)."""
        covered = [(m.start, m.end) for m in mentions]
        heads: list[Head] = []
        for match_id, s, e in self._matcher(tokens):
            start, end = tokens[s].idx, tokens[e - 1].idx + len(tokens[e - 1].text)
            if any(a < end and start < b for a, b in covered):
                continue
            if tokens[s].text[:1].isupper() and s > 0 and tokens[s - 1].text[:1].isupper() and not tokens[s - 1].is_sent_start:
                continue  # inside a capitalised name the graph does not know ("Eurasia Peace Institute")
            if e < len(tokens) and tokens[e].text == "-" and not tokens[e - 1].whitespace_:
                continue  # "state-affiliated", "peace-keeping": part of a compound word
            phrase = self.gazetteer.nlp.vocab.strings[match_id]
            heads.append(Head(phrase, tuple(self.heads[phrase]), s, e))
        # The longest head wins ("peace talks" over "talks", "ceasefire agreement" over "agreement").
        heads = [
            h
            for h in heads
            if not any(o is not h and o.first <= h.first and h.last <= o.last and o.last - o.first > h.last - h.first for o in heads)
        ]
        heads.sort(key=lambda h: h.first)
        found: list[Mention] = []
        seen: list[tuple[int, str]] = [(m.start, e) for m in mentions for e in m.entities[:1]]
        if "recency" in self.rules:
            # A capital named for itself also names its state for what comes after ("For Yerevan, ... The small
            # nation"): the state is a possible antecedent of "the country" from there on.
            seen += [(m.start, state) for m in mentions for state in self.gazetteer.capitals.get(m.entity, ())]
        for head in heads:
            mention = self._link(text, tokens, head, mentions, paragraphs, seen, dates)
            if mention is None and "armed-kinds" in self.rules and head.classes == ("MilitaryOffensive",):
                # "launched a military operation" when no offensive fits: writers call a war's fighting so too.
                mention = self._link(text, tokens, dataclasses.replace(head, classes=("War",)), mentions, paragraphs, seen, dates)
            if mention:
                found.append(mention)
                seen.append((mention.start, mention.entity))
        if "process-nouns" in self.rules:
            found = sorted(found + self._process_nouns(text, tokens, mentions, found, paragraphs), key=lambda m: m.start)
        return found

    def _process_nouns(self, text: str, tokens, mentions: list[Mention], found: list[Mention], paragraphs) -> list[Mention]:
        """ "numerous discussions on how to end the conflict", "mediating discussions", "to broker peace": a plain English
        noun of negotiating, with no name of its own, is the peace process whose sides (as the graph knows them) the
        sentence names most, else the paragraph, else the whole text, when one process clearly leads."""
        process = self.schema.classes.get("PeaceProcess")
        if process is None:
            return []
        members = self._members.get("PeaceProcess", [])
        taken = [(m.start, m.end) for m in mentions + found]
        out: list[Mention] = []
        for i, token in enumerate(tokens):
            word = token.lower_
            size = 2 if i + 1 < len(tokens) and (word, tokens[i + 1].lower_) in PROCESS_PAIRS else 1
            if size == 1 and word not in PROCESS_NOUNS:
                continue
            last = tokens[i + size - 1]
            start, end = token.idx, last.idx + len(last.text)
            if any(a < end and start < b for a, b in taken):
                continue
            after = tokens[i + size] if i + size < len(tokens) else None
            if after is not None and after.is_alpha and after.is_lower and not after.is_stop and after.lower_ not in PREPOSITIONS:
                continue  # "dialogue partners", "negotiations resumed": it modifies another noun, or a verb follows
            before = tokens[i - 1].lower_ if i > 0 else ""
            if before == "peace":
                continue  # "peace negotiations": the ontology's own head, which descriptions and bare-talks read
            if before in NEW_REFERENT or before in INDEFINITE or token.text[:1].isupper() and not token.is_sent_start:
                continue  # "new negotiations", "a dialogue", "Peace Institute": not the process going on
            entity = self._process_of(text, start, mentions, paragraphs, members)
            if entity:
                label = self.gazetteer.entities[entity].label
                out.append(Mention(start, end, text[start:end], (entity,), label, "description", 70.0))
        return out

    def _process_of(self, text: str, start: int, mentions: list[Mention], paragraphs, members: list[str]) -> str | None:
        """The one process whose known sides the sentence, else the paragraph, else the text names most often."""
        if not members:
            return None
        para = next(((p, q) for p, q in paragraphs if p <= start < q), (0, len(text)))
        sentence = next(((p, q) for p, q in _sentence_spans(text, para) if p <= start < q), para)
        sides = {e: {s for (s, r, o) in self.knowledge.triples if o == e and r in SIDE_RELATIONS} for e in members}
        for a, b in (sentence, para, (0, len(text))):
            named = [m.entities[0] for m in mentions if a <= m.start < b and m.entities]
            if b - a < len(text):
                named = list(set(named))  # in a sentence or paragraph, two sides named; in the text, the most named
            counts = sorted(((sum(n in sides[e] for n in named), e) for e in members), reverse=True)
            if counts[0][0] >= (2 if b - a < len(text) else 1) and (len(counts) == 1 or counts[0][0] > counts[1][0]):
                return counts[0][1]
        return None

    # -- linking one description ---------------------------------------------------------------
    def _link(self, text, tokens, head: Head, mentions, paragraphs, seen, all_dates: DocumentDates) -> Mention | None:
        first, last = self._extent(tokens, head)
        if first == head.first and last == head.last:
            return None  # a bare noun ("avoided conflict", "talks matter") speaks of the kind, not of one of them
        a, b = tokens[first].idx, tokens[last - 1].idx + len(tokens[last - 1].text)
        start, end = tokens[head.first].idx, tokens[head.last - 1].idx + len(tokens[head.last - 1].text)
        names = {m.entities for m in mentions if a <= m.start and m.end <= b}  # each with its readings ("Baku": city, state)
        years = {int(y) for y in re.findall(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])", text[a:b])}
        dates = all_dates.between(a, b)
        years |= {int(d.value[:4]) for d in dates}
        months = {d.value[:7] for d in dates if len(d.value) >= 7}
        para = next(((p, q) for p, q in paragraphs if p <= start < q), (0, len(text)))
        context = {e for m in mentions if para[0] <= m.start < para[1] and not (a <= m.start < b) for e in m.entities[:1]}
        context_dates = all_dates.between(para[0], start)
        context_dates += find_anchored(text[para[0] : start], all_dates.last_before(para[0]))  # "three years later"
        context_years = {int(d.value[:4]) for d in context_dates}
        # The sentence's months ("Following the meeting in August, the EU welcomed the summit").
        sentence = next(((p, q) for p, q in _sentence_spans(text, para) if p <= start < q), (a, b))
        context_months = {d.value[:7] for d in all_dates.between(*sentence) if len(d.value) >= 7}
        if any(t.lower_ in NEW_REFERENT for t in tokens[max(0, first - 1) : head.first]):
            return None  # "another war", "a new agreement", "any deal": not one the graph knows
        determiner = tokens[first].lower_ if first < head.first else ""
        head_words = _words(head.phrase)
        words = {w for t in tokens[first:last] if not any(m.start <= t.idx < m.end for m in mentions) for w in _words(t.text)} - head_words
        clue = Clues(
            names, years, months, words, context, context_years, context_months, start, determiner in DEFINITE, determiner in INDEFINITE
        )
        if "ongoing-talks" in self.rules and "Talks" in head.classes and "PeaceProcess" in self._members:
            if any(t.lower_ in ONGOING for t in tokens[first : head.first]):
                # "the ongoing talks between Armenia and Azerbaijan": talks that go on are the process, not one round.
                head = dataclasses.replace(head, classes=("PeaceProcess",))
        members = sorted({e for cls in head.classes for e in self._members.get(cls, [])})
        if "recency" in self.rules:
            # The member named or described last before the description: "Azerbaijan has been stalling, because the
            # country's leader ..." points back to Azerbaijan, not to a state named earlier.
            member_set = set(members)
            before = [(p, e) for p, e in seen if p < start and e in member_set]
            clue = dataclasses.replace(clue, latest=max(before)[1] if before else None)
        generic = all(c in self._generic for c in head.classes)
        anaphoric_only = not any(c in self._first_mention for c in head.classes)
        if anaphoric_only and not clue.definite:
            return None  # "a region", "state-affiliated": only "the region", "this country" point back
        rarity = self._rarity
        scored: list[tuple[float, float, str]] = []
        for entity in members:
            evidence = self._evidence(entity, clue, seen, rarity, anaphoric_only, generic)
            if evidence is not None:
                scored.append((evidence, evidence + 0.3 * math.log1p(self.knowledge.weight.get(entity, 0)), entity))
        scored.sort(key=lambda r: (-r[1], r[2]))
        margin = scored[0][1] - (scored[1][1] if len(scored) > 1 else 0.0) if scored else 0.0
        if not scored or scored[0][0] < MIN_SCORE or margin < MARGIN:
            if "sided-descriptions" in self.rules:
                return self._by_sides(text, head, start, end, sentence, mentions, members, clue)
            return None
        entity = scored[0][2]
        score = round(min(90.0, 55.0 + 10.0 * margin), 1)
        return Mention(start, end, text[start:end], (entity,), self.gazetteer.entities[entity].label, "description", score)

    def _by_sides(self, text, head: Head, start, end, sentence, mentions, members, clue: Clues) -> Mention | None:
        """ "Armenia and Azerbaijan have been locked in a bloody conflict": a description no clue picks out is the one
        entity of its class whose sides, as the graph knows them, are two of the actors the sentence names (and whose
        years do not contradict the description's)."""
        if not all(c in SIDED_CLASSES for c in head.classes):
            return None  # talks, summits and visits are many, and often ones the graph does not know yet
        actors = {m.entities[0] for m in mentions if sentence[0] <= m.start < sentence[1] and m.entities}
        if len(actors) < 2:
            return None
        fitting = []
        for entity in members:
            sides = {s for s in actors if any((s, r, entity) in self.knowledge.triples for r in SIDE_RELATIONS)}
            years = self.knowledge.years.get(entity, set()) | self.knowledge.fact_years.get(entity, set())
            if len(sides) >= 2 and not (clue.years and not clue.years & years):
                fitting.append(entity)
        if len(fitting) != 1:
            return None
        entity = fitting[0]
        return Mention(start, end, text[start:end], (entity,), self.gazetteer.entities[entity].label, "description", 60.0)

    def _evidence(self, entity: str, clue: Clues, seen, rarity: dict[str, float], anaphoric_only: bool, generic: bool) -> float | None:
        """How well ``entity`` fits the description's clues (None: it cannot be meant), before its weight in the graph."""
        known = self.knowledge
        earlier = [p for p, e in seen if e == entity and p < clue.position]
        if anaphoric_only and not earlier:
            return None
        own_years = known.years.get(entity, set())
        own_months = known.months.get(entity, set())
        if clue.months and own_months and not any(min(own_months) <= m <= max(own_months) for m in clue.months):
            return None  # "the summit in August" is not the meeting of July
        fact_years = known.fact_years.get(entity, set())
        label_words = _words(self.gazetteer.entities[entity].label)
        strong = 0.0  # clues of the description itself: its year, names that are words of the entity's label
        score = 0.0
        if clue.years:
            if clue.years & own_years:
                strong += 3.0
            elif clue.years & fact_years:
                strong += 1.5
            elif own_years:
                return None  # "the 2020 ceasefire" is not the 1994 truce
            else:
                score -= 1.0
        strong += min(3.0, float(len(clue.words & label_words)))
        neighbours = known.neighbours.get(entity, set())
        for readings in clue.names:
            if entity in readings:
                continue
            if any(_words(self.gazetteer.entities[n].label) & label_words for n in readings if n in self.gazetteer.entities):
                strong += 2.0
            elif set(readings) & neighbours:
                score += 2.0 * max(rarity.get(n, 0.0) for n in set(readings) & neighbours)
            else:
                score -= UNRELATED_NAME  # "Trump's summit at the White House" is not a summit the graph links to neither
        if earlier and not clue.indefinite:
            # Named or described before: a definite description points back, the nearer the likelier.
            score += (2.5 if clue.definite else 1.5) if clue.position - max(earlier) < 1500 else 1.0
            score += RECENCY if clue.definite and entity == clue.latest else 0.0
        if anaphoric_only:
            return score
        if generic and not strong and not (earlier and clue.definite):
            return None  # "an agreement", "the deals": too general to pick one out without a year, a name or an antecedent
        score += min(2.0, sum(rarity.get(n, 0.0) for n in neighbours & clue.context))
        if clue.context_years and clue.context_years & (own_years | fact_years):
            score += 1.0
        elif clue.context_years and own_years:
            score -= 1.0  # the paragraph speaks of other years than the entity's own
        if clue.context_months and own_months and not any(min(own_months) <= m <= max(own_months) for m in clue.context_months):
            score -= 1.5  # the sentence speaks of another month
        return score + strong

    @cached_property
    def _rarity(self) -> dict[str, float]:
        """How telling a neighbour is, 0 to 1: the fewer entities of the graph it is linked to, the more (an inverse
        document frequency: Armenia, linked to nearly everything, tells little; Lachin corridor tells much)."""
        counts: dict[str, int] = {}
        for neighbours in self.knowledge.neighbours.values():
            for n in neighbours:
                counts[n] = counts.get(n, 0) + 1
        total = max(2, len(self.knowledge.neighbours))
        return {n: math.log(total / c) / math.log(total) for n, c in counts.items()}

    def _extent(self, tokens, head: Head) -> tuple[int, int]:
        """Token span of the description: modifiers before the head back to a determiner, and prepositional ones after it."""
        first = head.first
        while first > 0 and first > head.first - 5:
            prev = tokens[first - 1]
            if prev.lower_ in LEFT_STOPS:
                first -= 1
                break
            if prev.is_punct and prev.text not in ("-", "'s", "'") or prev.is_stop and prev.lower_ not in ("'s",) or prev.is_space:
                break
            first -= 1
        last = head.last
        if last + 1 < len(tokens) and tokens[last].lower_.endswith("ed") and tokens[last + 1].lower_ in MODIFIER_PREPOSITIONS:
            last += 1  # "a truce signed in 2021", "the deal reached in March": a participle's phrase describes it too
        if last < len(tokens) and tokens[last].lower_ in MODIFIER_PREPOSITIONS:
            stop = min(len(tokens), last + 12)
            end = last + 1
            while end < stop and not (tokens[end].is_punct and tokens[end].text not in ("-", "'s")) and not tokens[end].is_space:
                end += 1
            last = end
        return first, last


def _sentence_spans(text: str, paragraph: tuple[int, int]) -> list[tuple[int, int]]:
    from peacegraph.curate.coverage import split_sentences

    start, end = paragraph
    return [(start + s.start, start + s.end) for s in split_sentences(text[start:end])]


def _words(label: str) -> set[str]:
    """Content words of a label, cut to five letters (as the gazetteer's described matching does)."""
    from peacegraph.curate.gazetteer import keywords

    return keywords(label)
