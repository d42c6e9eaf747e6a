"""A drafted fact file for one document: candidate facts, new names and new entities for a curator to review.

``draft_document`` reads a document with the graph's own names (the
gazetteer) and the ontology's trigger words (``pg:trigger`` on each relation
and agreement status) and proposes:

- candidate facts: in a sentence naming two entities around a trigger, the
  subject and object placed by the relation's domain and range and by the
  sentence's order and voice ("A brokered B", "B was brokered by A"), with the
  shortest verbatim quote holding both names and the trigger (checked unique
  in the document), a date when the sentence gives one, and a confidence;
  two rules need no trigger: an office named just before a person ("Prime
  Minister Nikol Pashinyan": holdsPost) and an office named with its state
  ("Armenian Prime Minister": postIn);
- new aliases: known entities named a new way (a fuzzy match);
- new entities: capitalised names the graph does not know, with a type
  guessed from their words and neighbours and the quote where they first
  appear;
- the sentences no candidate quotes, so the curator sees what is left.

``render`` writes it all as a fact file whose records each carry a
``candidate:`` mapping (confidence, reason) that ``peacegraph accept``
removes; ``build`` never reads ``seeds/drafts/``.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from peacegraph.curate.coverage import Sentence, split_sentences
from peacegraph.curate.dating import FoundDate, find_dates
from peacegraph.curate.gazetteer import Gazetteer, Mention, demonym_of, fold
from peacegraph.load.documents import Document
from peacegraph.load.quotes import QuoteNotFound, locate
from peacegraph.load.schema import Property, Schema

#: Candidates below this confidence are left out of the draft.
MIN_CONFIDENCE = 0.5
#: A subject or object further than this many tokens from its trigger is not considered.
MAX_GAP = 14
#: At most this many relations are proposed for one pair of mentions in one sentence.
RELATIONS_PER_PAIR = 2
#: Words that join a list of names ("Armenia, Azerbaijan and Russia").
COORDINATORS = {",", "and", "or", "&", "both", "as well as"}
#: Titles before a person's name: a run of capitalised words after one is guessed to be a person.
TITLES = {
    "president", "prime", "minister", "secretary", "ambassador", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.",
    "senator", "envoy", "general", "chancellor", "king", "queen", "spokesperson", "spokesman", "spokeswoman", "deputy",
    "foreign", "defence", "defense", "chairman", "chair", "speaker", "adviser", "advisor", "commissioner", "director",
    "representative", "governor", "mayor", "leader", "premier", "vice", "assistant", "special", "senior", "former",
}  # fmt: skip
#: Verbs of saying after a name: the name is guessed to be a person's.
SAYING = {"said", "says", "told", "stated", "added", "noted", "wrote", "argued", "explained", "warned", "declared"}
#: Last words that give a new name's type (ontology class), checked in order.
TYPE_WORDS: list[tuple[str, set[str]]] = [
    ("State", {"emirates", "republic", "kingdom", "states", "federation"}),
    ("GovernmentBody", {"ministry", "department", "parliament", "assembly", "government", "cabinet", "senate", "congress", "service", "police", "army", "forces", "administration"}),
    ("MediaOutlet", {"news", "times", "post", "press", "weekly", "daily", "journal", "gazette", "tv", "radio", "politika", "tribune", "herald", "agency"}),
    ("ThinkTank", {"institute", "center", "centre", "foundation", "endowment", "council"}),
    ("InternationalOrganisation", {"union", "nations", "organization", "organisation", "alliance", "bank", "fund", "commission", "court"}),
    ("Company", {"inc", "ltd", "corp", "corporation", "company", "group", "images", "llc"}),
    ("NonGovernmentalOrganisation", {"church", "committee", "watch", "society", "red"}),
    ("Corridor", {"corridor"}),
    ("Route", {"route", "road", "railway", "highway", "pipeline", "railroad"}),
    ("Province", {"province", "oblast"}),
    ("Region", {"region"}),
    ("City", {"city"}),
    ("Village", {"village"}),
    ("Treaty", {"treaty", "statute", "convention"}),
    ("Agreement", {"agreement", "accord", "accords", "deal"}),
    ("Declaration", {"declaration"}),
    ("Summit", {"summit"}),
    ("Talks", {"talks", "negotiations"}),
    ("War", {"war"}),
    ("Conflict", {"conflict"}),
    ("Election", {"election", "elections"}),
    ("Referendum", {"referendum"}),
    ("Protest", {"protest", "protests"}),
]  # fmt: skip
_MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
#: English prepositions: as a trigger, one attaches to the words just before it ("the summit in Baku").
PREPOSITIONS = {
    "in", "at", "on", "of", "to", "from", "over", "about", "through", "via", "between", "against", "during", "after",
    "since", "within", "inside", "across", "following", "regarding", "concerning", "including",
}  # fmt: skip
#: A preposition's subject is at most this many tokens before it, its object at most this many after it.
PREPOSITION_GAP = (2, 3)
#: Words that open a clause whose subject comes after it ("Despite brokering the ceasefire, Russia ...").
FRONTING = {"despite", "after", "before", "by", "while", "having", "since", "when", "without"}
#: Nouns for people or bodies acting for a state: "Armenian officials" stand for Armenia.
STATE_AGENTS = {
    "officials", "official", "representatives", "representative", "counterparts", "counterpart", "leaders", "leader",
    "leadership", "government", "authorities", "forces", "troops", "military", "army", "diplomats", "delegation",
    "side", "ministers", "minister", "officers", "president", "negotiators", "envoys", "soldiers", "state", "people",
}  # fmt: skip
#: Relations that hold whichever way round they are said.
SYMMETRIC = {"metWith", "borders", "alliedWith"}


# ----------------------------------------------------------------------------------------------
# What a draft holds
# ----------------------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A proposed fact: subject, relation, object, where it is said, and why it is proposed."""

    subject: str
    relation: str
    object: str
    start: int
    end: int
    quote: str
    confidence: float
    reason: str
    sentence: Sentence
    date: FoundDate | None = None
    dated: bool = True  # False for offices and other standing facts, which take no date from the sentence

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.subject, self.relation, self.object)


@dataclass
class NewEntity:
    label: str
    type: str
    quote: str
    reason: str
    confidence: float
    count: int


@dataclass
class NewAlias:
    entity: str
    label: str
    known_as: str
    score: float
    quote: str


@dataclass
class Draft:
    doc: Document
    mentions: list[Mention]
    candidates: list[Candidate]
    new_aliases: list[NewAlias]
    new_entities: list[NewEntity]
    no_candidate: list[tuple[Sentence, list[str]]]
    skipped_known: int = 0  # candidates already curated from this document
    unquotable: int = 0  # candidates left out because no unique quote holds them


# ----------------------------------------------------------------------------------------------
# Trigger words, read from the ontology
# ----------------------------------------------------------------------------------------------


@dataclass
class Lexicon:
    """Trigger phrase -> the relations (and agreement statuses, as 'status:<concept>') it suggests."""

    phrases: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_schema(cls, schema: Schema) -> Lexicon:
        from rdflib import URIRef

        from peacegraph.namespaces import PG_IRI, PGC_IRI

        trigger = URIRef(PG_IRI + "trigger")
        phrases: dict[str, list[str]] = {}
        for name, prop in sorted(schema.relations.items()):
            for word in sorted(str(w) for w in schema.graph.objects(prop.iri, trigger)):
                phrases.setdefault(fold(word).lower(), []).append(name)
        for concept_id, (iri, _) in sorted(schema.concepts.items()):
            if str(iri).startswith(PGC_IRI):
                for word in sorted(str(w) for w in schema.graph.objects(iri, trigger)):
                    phrases.setdefault(fold(word).lower(), []).append("status:" + concept_id)
        return cls(phrases)

    def specificity(self, phrase: str) -> float:
        """1 for a phrase only one relation lists, less the more relations share it."""
        return 1.0 / len(self.phrases[phrase]) ** 0.5


# ----------------------------------------------------------------------------------------------
# Drafting
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    """A mention with its token positions."""

    mention: Mention
    first: int  # first token
    last: int  # one past the last token


@dataclass(frozen=True)
class _Trig:
    phrase: str
    first: int
    last: int
    start: int
    end: int


class Drafter:
    """Drafts documents against one gazetteer and schema (built once, reused for every document)."""

    def __init__(self, gazetteer: Gazetteer, schema: Schema, known: dict[tuple[str, str, str], list[str]] | None = None):
        self.gazetteer = gazetteer
        self.schema = schema
        self.lexicon = Lexicon.from_schema(schema)
        self.known = known or {}  # (s, r, o) -> ids of facts other documents already give
        from spacy.matcher import PhraseMatcher

        # Texts describe events, agreements, issues, offices and bodies in words ("the 2023 offensive", "Azerbaijan's
        # Foreign Ministry") as often as they name them.
        wanted = frozenset(
            schema.classes[c] for c in ("Event", "Agreement", "NegotiationIssue", "Post", "Organisation") if c in schema.classes
        )
        self._describable = frozenset(name for name, iri in schema.classes.items() if schema.fits(frozenset({iri}), wanted))
        self._trigger_matcher = PhraseMatcher(gazetteer.nlp.vocab, attr="LOWER")
        for phrase in self.lexicon.phrases:
            self._trigger_matcher.add(phrase, [gazetteer.nlp.make_doc(phrase)])

    # -- the steps ------------------------------------------------------------------------
    def draft(self, doc: Document, curated: set[tuple[str, str, str]] | None = None, min_confidence: float = MIN_CONFIDENCE) -> Draft:
        """Draft ``doc``; leave out candidates below ``min_confidence`` and those in ``curated`` (already curated triples)."""
        text = doc.text
        tokens = self.gazetteer.tokens(text)
        self._tokens = tokens
        starts = [t.idx for t in tokens]
        mentions, nested = self.gazetteer.find(text)
        sentences = split_sentences(text)
        # Described events are listed for the curator but make no candidates: on the five documents they added
        # wrong candidates and no right ones (benchmarks/draft_quality.py).
        described = self.gazetteer.find_described(text, [(s.start, s.end) for s in sentences], mentions + nested, self._describable)
        hits = [_Hit(m, bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)) for m in mentions]
        covered = [(m.start, m.end) for m in mentions]
        triggers = []
        for match_id, s, e in self._trigger_matcher(tokens):
            start, end = tokens[s].idx, tokens[e - 1].idx + len(tokens[e - 1].text)
            if not any(a < end and start < b for a, b in covered):
                triggers.append(_Trig(self.gazetteer.nlp.vocab.strings[match_id], s, e, start, end))
        # A shorter trigger inside a longer one ("met" in "met with") is the same word.
        triggers = [
            t
            for t in triggers
            if not any(o is not t and o.first <= t.first and t.last <= o.last and (o.last - o.first) > (t.last - t.first) for o in triggers)
        ]
        nested_hits = [_Hit(m, bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)) for m in nested]
        draft = Draft(doc, sorted(mentions + nested + described, key=lambda m: (m.start, -m.end)), [], [], [], [])
        candidates: list[Candidate] = []
        for sentence in split_sentences(text):
            in_s = [h for h in hits if sentence.start <= h.mention.start and h.mention.end <= sentence.end]
            trig_s = [t for t in triggers if sentence.start <= t.start and t.end <= sentence.end]
            nested_s = [h for h in nested_hits if sentence.start <= h.mention.start and h.mention.end <= sentence.end]
            found = self._sentence_candidates(text, tokens, sentence, in_s, trig_s, nested_s)
            found = _best_per_pair(found, self.schema)
            dates = find_dates(sentence.text, doc.published, doc.not_after)
            earlier = _paragraph_date(text, sentence, doc)
            for cand in found:
                cand.date = (_nearest_date(cand, dates, sentence) or earlier) if cand.dated else None
            candidates += found
        kept: dict[tuple[str, str, str, int], Candidate] = {}
        for cand in candidates:
            if cand.confidence < min_confidence:
                continue
            if curated and cand.triple in curated:
                draft.skipped_known += 1
                continue
            key = (*cand.triple, cand.sentence.start)
            if key not in kept or kept[key].confidence < cand.confidence:
                kept[key] = cand
        for cand in sorted(kept.values(), key=lambda c: (c.start, -c.confidence)):
            try:
                quote, start, end = shortest_unique_quote(text, cand.start, cand.end, cand.sentence)
            except QuoteNotFound:
                draft.unquotable += 1
                continue
            cand.quote, cand.start, cand.end = quote, start, end
            draft.candidates.append(cand)
        quoted = [(c.start, c.end) for c in draft.candidates]
        for sentence in split_sentences(text):
            if not any(a < sentence.end and sentence.start < b for a, b in quoted):
                names = sorted({m.entity for m in draft.mentions if sentence.start <= m.start < sentence.end})
                draft.no_candidate.append((sentence, names))
        draft.new_aliases = self._new_aliases(text, mentions)
        draft.new_entities = self._new_entities(text, tokens, mentions + nested, triggers)
        return draft

    def _fits(self, entity_id: str, allowed) -> bool:
        entity = self.gazetteer.entities.get(entity_id)
        return entity is not None and self.schema.fits(frozenset({entity.type_iri}), allowed)

    def _pick(self, hit: _Hit, allowed) -> str | None:
        """The first of the mention's possible entities that fits ``allowed``; a city's own reading before a state it may stand for."""
        fitting = [e for e in hit.mention.entities if self._fits(e, allowed)]
        cities = [e for e in fitting if self.gazetteer.entities[e].type == "City"]
        return (cities or fitting or [None])[0]

    def _sentence_candidates(self, text, tokens, sentence, hits: list[_Hit], triggers: list[_Trig], nested) -> list[Candidate]:
        out: list[Candidate] = []
        for trig in triggers:
            for name in self.lexicon.phrases[trig.phrase]:
                if name.startswith("status:"):
                    out += self._status(trig, name.split(":", 1)[1], hits, sentence)
                    continue
                prop = self.schema.relations[name]
                if prop.is_object:
                    out += self._around(trig, prop, hits, tokens, sentence)
        out += self._structural(hits, nested, tokens, sentence)
        out += self._compound(hits, nested, sentence)
        return out

    def _compound(self, hits: list[_Hit], nested: list[_Hit], sentence) -> list[Candidate]:
        """A name built from its sides' names ("the Armenia-Azerbaijan conflict"): each side is a party to it."""
        prop = self.schema.relations.get("partyTo")
        out = []
        for outer in hits if prop else []:
            whole = self._pick(outer, prop.range)
            if not whole:
                continue
            inside = [h for h in nested if outer.mention.start <= h.mention.start and h.mention.end <= outer.mention.end]
            sides = {self._pick(h, prop.domain) for h in inside} - {None, whole}
            if len(sides) < 2:
                continue  # "the Armenia-Azerbaijan conflict" names its sides; "the collapse of the Soviet Union" names no side
            for inner in inside:
                side = self._pick(inner, prop.domain)
                if side and side != whole:
                    confidence = (outer.mention.score + inner.mention.score) / 200 * 0.6
                    reason = f"'{inner.mention.text}' is named inside the name '{outer.mention.text}'"
                    out.append(self._candidate(side, "partyTo", whole, [inner, outer], None, confidence, reason, sentence))
        return out

    def _around(self, trig: _Trig, prop: Property, hits: list[_Hit], tokens, sentence) -> list[Candidate]:
        following = tokens[trig.last].lower_ if trig.last < len(tokens) else ""
        passive = following == "by"
        left = [h for h in hits if h.last <= trig.first][::-1]  # nearest first
        right = [h for h in hits if h.first >= trig.last]
        if following == "between" or (prop.name in SYMMETRIC and following in ("of", "among")):
            # "the meeting between A and B": both sides follow the trigger; whoever stands before it is not one of them.
            return self._between(trig, prop, right, hits, tokens, sentence)
        subject_side, object_side = (right, left) if passive else (left, right)
        preposition = trig.phrase in PREPOSITIONS
        left_gap, right_gap = PREPOSITION_GAP if preposition else (MAX_GAP, MAX_GAP)
        if preposition and not passive:
            # A preposition after a comma does not attach to what stands before the comma.
            left = [h for h in left if "," not in [t.text for t in tokens[h.last : trig.first]]]
        subject = self._nearest(subject_side, prop.domain, trig, right_gap if passive else left_gap)
        obj = self._nearest(object_side, prop.range, trig, left_gap if passive else right_gap)
        placement = "passive voice ('... by')" if passive else "active voice"
        # "said that X ...": X is what the reported clause is about only now and then.
        factor = 0.7 if following == "that" else 1.0
        if prop.name in SYMMETRIC and subject and not obj:
            # "A and B met": both names before the trigger.
            pair = [h for h in left if h is not subject[0] and self._pick(h, prop.range)]
            if pair and _coordinated(tokens, pair[0], subject[0]):
                obj = (pair[0], self._pick(pair[0], prop.range))
                placement, factor = "both names before the trigger", 0.9
        opener = tokens[trig.first - 1].lower_ if trig.first > 0 else ""
        fronted = trig.phrase.endswith(("ing", "ed")) and (opener in FRONTING or trig.first == _sentence_first_token(tokens, sentence))
        if subject is None and obj is not None and not passive and fronted:
            # "Despite brokering the ceasefire, Russia ...": the subject follows the object.
            after = [h for h in right if h.first >= obj[0].last]
            subject = self._nearest(after, prop.domain, trig, limit=MAX_GAP + 6)
            placement, factor = "subject after a fronted clause", 0.6
        if subject is None or obj is None:
            return []
        subjects = [subject] + self._coordinated_with(subject[0], hits, tokens, prop.domain)
        objects = [obj] + self._coordinated_with(obj[0], hits, tokens, prop.range)
        out = []
        for i, (s_hit, s_id) in enumerate(subjects):
            for j, (o_hit, o_id) in enumerate(objects):
                if s_id == o_id:
                    continue
                gap = max(s_hit.last, o_hit.last, trig.last) - min(s_hit.first, o_hit.first, trig.first)
                confidence = (
                    (s_hit.mention.score + o_hit.mention.score)
                    / 200
                    * self.lexicon.specificity(trig.phrase)
                    * factor
                    * (0.85 if i or j else 1.0)
                    / (1 + max(0, gap - 6) / 12)
                )
                reason = f"trigger '{trig.phrase}' ({placement}); {prop.name}: {self._describe(prop)}"
                out.append(self._candidate(s_id, prop.name, o_id, [s_hit, o_hit], (trig.start, trig.end), confidence, reason, sentence))
        return out

    def _between(self, trig: _Trig, prop: Property, right: list[_Hit], hits, tokens, sentence) -> list[Candidate]:
        first = self._nearest(right, prop.domain, trig, 3, after_between=True)
        if first is None:
            return []
        rest = [h for h in right if h.first >= first[0].last]
        second = next(((h, e) for h in rest[:2] if _coordinated(tokens, first[0], h) and (e := self._pick(h, prop.range))), None)
        if second is None or second[1] == first[1]:
            return []
        hits_pair = [first[0], second[0]]
        gap = second[0].last - trig.first
        confidence = sum(h.mention.score for h in hits_pair) / 200 * self.lexicon.specificity(trig.phrase) / (1 + max(0, gap - 6) / 12)
        reason = f"trigger '{trig.phrase}' followed by both sides; {prop.name}: {self._describe(prop)}"
        return [self._candidate(first[1], prop.name, second[1], hits_pair, (trig.start, trig.end), confidence, reason, sentence)]

    def _nearest(
        self, side: list[_Hit], allowed, trig: _Trig, limit: int = MAX_GAP, after_between: bool = False
    ) -> tuple[_Hit, str] | None:
        tokens = self._tokens
        for hit in side:
            distance = hit.first - trig.last if hit.first >= trig.last else trig.first - hit.last
            if distance > limit:
                return None
            if not after_between and hit.first >= trig.last and "between" in [t.lower_ for t in tokens[trig.last : hit.first]]:
                return None  # "welcomed the meeting between A and B": A is a side of the meeting, not what was welcomed
            if _adjective(hit, tokens):
                continue  # "Armenian officials": the officials act, not Armenia
            entity = self._pick(hit, allowed)
            if entity:
                return hit, entity
        return None

    def _coordinated_with(self, hit: _Hit, hits: list[_Hit], tokens, allowed) -> list[tuple[_Hit, str]]:
        """Names listed with ``hit`` ("Armenia and Azerbaijan", "Russia, Turkey and Iran") that also fit."""
        out = []
        for direction in (-1, 1):
            current = hit
            while True:
                ordered = sorted(hits, key=lambda h: h.first)
                index = ordered.index(current) + direction
                if not 0 <= index < len(ordered):
                    break
                other = ordered[index]
                first, second = (other, current) if direction < 0 else (current, other)
                if not tokens[first.last : second.first]:
                    current = other  # a title next to its name ("Azerbaijani President Ilham Aliyev"): one name, go on
                    continue
                if not _coordinated(tokens, first, second):
                    break
                entity = self._pick(other, allowed)
                if entity is None:
                    break
                out.append((other, entity))
                current = other
        return out

    def _status(self, trig: _Trig, concept: str, hits: list[_Hit], sentence) -> list[Candidate]:
        prop = self.schema.relations.get("status")
        if prop is None:
            return []
        near = sorted(hits, key=lambda h: min(abs(h.first - trig.last), abs(trig.first - h.last)))
        for hit in near:
            distance = min(abs(hit.first - trig.last), abs(trig.first - hit.last))
            if distance > 6:
                break
            entity = self._pick(hit, prop.domain)
            if entity:
                confidence = hit.mention.score / 100 * self.lexicon.specificity(trig.phrase) / (1 + distance / 8)
                reason = f"agreement status trigger '{trig.phrase}' next to the agreement"
                return [self._candidate(entity, "status", concept, [hit], (trig.start, trig.end), confidence, reason, sentence)]
        return []

    def _structural(self, hits: list[_Hit], nested: list[_Hit], tokens, sentence) -> list[Candidate]:
        """Offices: 'Prime Minister Nikol Pashinyan' (holdsPost) and 'Armenian Prime Minister' (postIn)."""
        out = []
        holds = self.schema.relations.get("holdsPost")
        ordered = sorted(hits, key=lambda h: h.first)
        for first, second in zip(ordered, ordered[1:], strict=False):
            between = [t.text for t in tokens[first.last : second.first]]
            if holds and between in ([], [","]):
                post_hit, person_hit = first, second
                post, person = self._pick(first, holds.range), self._pick(second, holds.domain)
                if not (post and person):
                    post_hit, person_hit = second, first
                    post, person = self._pick(second, holds.range), self._pick(first, holds.domain)
                if post and person:
                    confidence = (first.mention.score + second.mention.score) / 200 * 0.9
                    reason = "an office named next to a person (apposition)"
                    out.append(
                        self._candidate(person, "holdsPost", post, [person_hit, post_hit], None, confidence, reason, sentence, dated=False)
                    )
        # An office or a body named with its state or organisation: "Armenian Prime Minister", "U.S. Department of State".
        for name in ("postIn", "subOrganisationOf"):
            prop = self.schema.relations.get(name)
            for hit in ordered if prop else []:
                part = self._pick(hit, prop.domain)
                if not part:
                    continue
                inner = [h for h in nested if hit.mention.start <= h.mention.start and h.mention.end <= hit.mention.end]
                words = [(t.text, self._place_of_word(t.text, prop.range)) for t in tokens[hit.first : hit.last]]
                named = [(h.mention.text, self._pick(h, prop.range)) for h in inner] + words
                whole = next(((word, e) for word, e in named if e and e != part and self.gazetteer.entities[e].type != "Person"), None)
                if whole:
                    confidence = hit.mention.score / 100 * 0.85
                    reason = f"'{hit.mention.text}' is named with '{whole[0]}'"
                    out.append(self._candidate(part, name, whole[1], [hit], None, confidence, reason, sentence, dated=False))
        out += self._possessive(ordered, tokens, sentence)
        out += self._sides(ordered, tokens, sentence)
        return out

    def _sides(self, ordered: list[_Hit], tokens, sentence) -> list[Candidate]:
        """ "a peace deal between Armenia and Azerbaijan", "the war between ...": the names after 'between' are its sides."""
        prop = self.schema.relations.get("partyTo")
        out = []
        for index, hit in enumerate(ordered if prop else []):
            whole = self._pick(hit, prop.range)
            if not whole or hit.last >= len(tokens) or tokens[hit.last].lower_ != "between":
                continue
            after = ordered[index + 1 :]
            first = next((h for h in after[:1] if h.first - hit.last <= 3), None)
            if first is None:
                continue
            sides = [first] + [h for h, _ in self._coordinated_with(first, ordered, tokens, prop.domain)]
            for side in sides:
                entity = self._pick(side, prop.domain)
                if entity and entity != whole:
                    confidence = (hit.mention.score + side.mention.score) / 200 * 0.8
                    reason = f"'{side.mention.text}' named after '{hit.mention.text} between'"
                    out.append(self._candidate(entity, "partyTo", whole, [side, hit], None, confidence, reason, sentence))
        return out

    def _possessive(self, ordered: list[_Hit], tokens, sentence) -> list[Candidate]:
        """ "Armenia's southern Syunik region", "Nakhchivan, Azerbaijan's exclave": a place in a state, a body or office of it."""
        out = []
        by_kind = [(n, self.schema.relations.get(n)) for n in ("locatedIn", "subOrganisationOf", "postIn")]
        for owner in ordered:
            after = tokens[owner.last : owner.last + 1]
            if not (after and after[0].text in ("'s", "'")):
                continue
            # "A's [a few lower-case words] B" or "B, A's ...".
            right = next((h for h in ordered if h.first > owner.last and h.first - owner.last <= 3), None)
            left = next((h for h in ordered if h.last + 1 == owner.first and tokens[h.last].text == ","), None)
            for part in (right, left):
                if part is None:
                    continue
                between = tokens[owner.last + 1 : part.first]
                if part is right and not all(t.is_lower and not t.is_stop for t in between):
                    continue  # "Armenia's southern Syunik", not "Russia's invasion of Ukraine"
                for name, prop in by_kind:
                    if prop is None:
                        continue
                    subject, obj = self._pick(part, prop.domain), self._pick(owner, prop.range)
                    if subject and obj and subject != obj:
                        confidence = (part.mention.score + owner.mention.score) / 200 * 0.8
                        reason = f"'{owner.mention.text}'s' before or beside '{part.mention.text}' (possessive)"
                        out.append(self._candidate(subject, name, obj, [part, owner], None, confidence, reason, sentence, dated=False))
                        break
        return out

    def _place_of_word(self, word: str, allowed) -> str | None:
        for name in self.gazetteer.names:
            if (name.text == word or demonym_of(word, name.text)) and self._fits(name.entity, allowed):
                return name.entity
        return None

    def _candidate(
        self, subject, relation, obj, hits: list[_Hit], trigger_span, confidence, reason, sentence, dated: bool = True
    ) -> Candidate:
        spans = [(h.mention.start, h.mention.end) for h in hits] + ([trigger_span] if trigger_span else [])
        start, end = min(a for a, _ in spans), max(b for _, b in spans)
        names = "; ".join(
            f"'{h.mention.text}' = {e} ({h.mention.how} {h.mention.score:g})" for h, e in zip(hits, [subject, obj], strict=False)
        )
        known = self.known.get((subject, relation, obj))
        if known:
            confidence = min(1.0, confidence + 0.2)
            reason += f"; the graph already has it from {', '.join(known[:3])}"
        return Candidate(subject, relation, obj, start, end, "", round(confidence, 2), f"{reason}; {names}", sentence, dated=dated)

    def _describe(self, prop: Property) -> str:
        return f"{self.schema.describe(prop.domain)} -> {self.schema.describe(prop.range)}"

    # -- names ----------------------------------------------------------------------------
    def _new_aliases(self, text: str, mentions: list[Mention]) -> list[NewAlias]:
        out: dict[tuple[str, str], NewAlias] = {}
        for m in mentions:
            if m.how in ("fuzzy", "extended") and (m.entity, m.text) not in out:
                out[(m.entity, m.text)] = NewAlias(m.entity, m.text, m.name, m.score, _sentence_quote(text, m.start, m.end))
        return list(out.values())

    def _new_entities(self, text: str, tokens, mentions: list[Mention], triggers: list[_Trig]) -> list[NewEntity]:
        from spacy.lang.en.stop_words import STOP_WORDS

        from peacegraph.curate.gazetteer import capitalised_runs

        covered = [(m.start, m.end) for m in mentions]
        lower_words = {t.lower_ for t in tokens if t.text.islower()}
        sentence_starts = {s.start for s in split_sentences(text)} | {m.end() for m in re.finditer(r"\n", text)}
        found: dict[str, NewEntity] = {}
        for run in _joined_runs(tokens, capitalised_runs(tokens)):
            for piece in _uncovered_pieces(run, covered):
                piece = _trim(piece, STOP_WORDS)
                if not piece:
                    continue
                words = [t.text for t in piece]
                if len(words) == 1:
                    word = words[0].lower()
                    if (
                        word in STOP_WORDS
                        or word in _MONTHS_AND_DAYS
                        or word in TITLES
                        or (word in lower_words and piece[0].idx in sentence_starts)
                        or len(word) < 3
                        or any(demonym_of(words[0], n.text) for n in self.gazetteer.names if " " not in n.text)
                    ):
                        continue
                if len(words) > 6 or (len(words) > 3 and all(w.isupper() for w in words)):
                    continue  # a headline or a sentence in capitals, not a name
                start, end = piece[0].idx, piece[-1].idx + len(piece[-1].text)
                label = text[start:end]
                if label in found:
                    found[label].count += 1
                    continue
                type_name, reason, confidence = self._guess_type(piece, tokens)
                found[label] = NewEntity(label, type_name, _sentence_quote(text, start, end), reason, confidence, 1)
        return sorted(found.values(), key=lambda e: (-e.confidence, e.label))

    def _guess_type(self, piece, tokens) -> tuple[str, str, float]:
        words = [t.text.lower().rstrip(".") for t in piece]
        for type_name, cues in TYPE_WORDS:
            cue = next((w for w in words if w in cues), None)
            if cue and type_name in self.schema.classes:
                return type_name, f"the name contains '{cue}'", 0.7
        before = tokens[piece[0].i - 1].lower_ if piece[0].i > 0 else ""
        after = tokens[piece[-1].i + 1].lower_ if piece[-1].i + 1 < len(tokens) else ""
        if before in TITLES:
            return "Person", f"after the title '{tokens[piece[0].i - 1].text}'", 0.7
        if after in SAYING:
            return "Person", f"followed by '{after}'", 0.6
        if before in ("in", "to", "from", "near", "at", "across", "into"):
            return "Place", f"after '{before}'", 0.5
        following = [t.lower_ for t in tokens[piece[-1].i + 1 : piece[-1].i + 3]]
        if following[:1] == [","] and following[1:2] in (["a"], ["an"], ["the"]):
            return "Person", "described after a comma ('X, a ...')", 0.5
        if 2 <= len(piece) <= 3 and all(t.is_alpha and t.is_title for t in piece):
            return "Person", "two or three capitalised words", 0.35
        return "Organisation", "a capitalised name with no telling word", 0.3


# ----------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------


def _adjective(hit: _Hit, tokens) -> bool:
    """A demonym describing a thing ("Armenian territory", "Armenian and Azerbaijani roads"), not people acting for the
    state ("Armenian officials", "Azerbaijani forces"), which stand for the state."""
    if hit.mention.how != "demonym" or hit.last >= len(tokens):
        return False
    after = tokens[hit.last : hit.last + 3]
    noun = None
    if after[0].is_lower and after[0].is_alpha and after[0].lower_ not in ("and", "or"):
        noun = after[0]
    elif len(after) == 3 and after[0].lower_ in ("and", "or") and after[1].text[:1].isupper() and after[2].is_lower:
        noun = after[2]
    return noun is not None and noun.lower_ not in STATE_AGENTS


def _sentence_first_token(tokens, sentence: Sentence) -> int:
    return next((t.i for t in tokens if t.idx >= sentence.start), 0)


def _coordinated(tokens, first: _Hit, second: _Hit) -> bool:
    """True if only list words ("and", ",", "or") stand between two mentions."""
    between = [t.lower_ for t in tokens[first.last : second.first]]
    return bool(between) and len(between) <= 3 and all(w in COORDINATORS or w in ("as", "well") for w in between)


def _best_per_pair(found: list[Candidate], schema: Schema) -> list[Candidate]:
    """Per pair of entities in a sentence, the best relations; a super-property gives way to its sub-property."""
    by_pair: dict[frozenset, list[Candidate]] = {}
    for cand in found:
        by_pair.setdefault(frozenset((cand.subject, cand.object)), []).append(cand)
    out = []
    for group in by_pair.values():
        best: dict[tuple[str, str, str], Candidate] = {}
        for cand in group:
            key = (
                cand.triple
                if cand.relation not in SYMMETRIC
                else (min(cand.subject, cand.object), cand.relation, max(cand.subject, cand.object))
            )
            if key not in best or best[key].confidence < cand.confidence:
                best[key] = cand
        ranked = sorted(best.values(), key=lambda c: -c.confidence)
        names = {c.relation for c in ranked}
        ranked = [c for c in ranked if not _has_sub_property(c.relation, names, schema)]
        out += ranked[:RELATIONS_PER_PAIR]
    return out


def _has_sub_property(name: str, others: set[str], schema: Schema) -> bool:
    from rdflib import RDFS

    prop = schema.relations[name]
    for other in others - {name}:
        if (schema.relations[other].iri, RDFS.subPropertyOf, prop.iri) in schema.graph:
            return True
    return False


def _paragraph_date(text: str, sentence: Sentence, doc: Document) -> FoundDate | None:
    """The last date given earlier in the sentence's paragraph: a story keeps its time until it names another."""
    start = text.rfind("\n", 0, sentence.start) + 1
    before = find_dates(text[start : sentence.start], doc.published, doc.not_after)
    if not before:
        return None
    last = before[-1]
    note = f"'{last.text}' earlier in the paragraph" + (f"; {last.note}" if last.note else "")
    return FoundDate(last.start + start, last.end + start, last.text, last.value, note)


def _nearest_date(cand: Candidate, dates: list[FoundDate], sentence: Sentence) -> FoundDate | None:
    if not dates:
        return None
    middle = (cand.start + cand.end) / 2 - sentence.start
    return min(dates, key=lambda d: abs((d.start + d.end) / 2 - middle))


def shortest_unique_quote(text: str, start: int, end: int, sentence: Sentence) -> tuple[str, int, int]:
    """The span [start, end) widened word by word, within its sentence, until it occurs once in ``text``.

    Raises ``QuoteNotFound`` when even the whole sentence occurs more than once.

    >>> shortest_unique_quote("A met B. A met B today.", 0, 7, Sentence(0, 8, "A met B."))
    ('A met B.', 0, 8)
    """

    def unique(a: int, b: int) -> bool:
        try:
            locate(text[a:b], text)
            return True
        except QuoteNotFound:
            return False

    while not unique(start, end):
        if start <= sentence.start and end >= sentence.end:
            raise QuoteNotFound("even the whole sentence occurs more than once", "quote a longer passage by hand")
        right = _next_word_end(text, end, sentence.end)
        left = _previous_word_start(text, start, sentence.start)
        if right != end and unique(start, right):
            return text[start:right], start, right
        if left != start and unique(left, end):
            return text[left:end], left, end
        start, end = left, right
    return text[start:end], start, end


def _next_word_end(text: str, end: int, limit: int) -> int:
    found = re.match(r"\s*\S+", text[end:limit])
    return end + found.end() if found else limit


def _previous_word_start(text: str, start: int, limit: int) -> int:
    found = re.search(r"\S+\s*$", text[limit:start])
    return limit + found.start() if found else limit


def _sentence_quote(text: str, start: int, end: int) -> str:
    for sentence in split_sentences(text):
        if sentence.start <= start and end <= sentence.end:
            try:
                quote, _, _ = shortest_unique_quote(text, sentence.start, sentence.end, sentence)
                return quote
            except QuoteNotFound:
                return sentence.text
    return text[start:end]


def _joined_runs(tokens, runs: list[list]) -> list[list]:
    """Runs joined across 'of', 'for', 'on' and 'the' ("Carnegie Endowment for International Peace")."""
    joined: list[list] = []
    for run in runs:
        if joined:
            prev = joined[-1]
            gap = tokens[prev[-1].i + 1 : run[0].i]
            if len(gap) == 1 and gap[0].lower_ in ("of", "for", "on") or [t.lower_ for t in gap] in (["of", "the"], ["for", "the"]):
                joined[-1] = prev + list(gap) + run
                continue
        joined.append(list(run))
    return joined


def _uncovered_pieces(run: list, covered: list[tuple[int, int]]) -> list[list]:
    pieces: list[list] = [[]]
    for token in run:
        if any(a <= token.idx < b for a, b in covered):
            pieces.append([])
        else:
            pieces[-1].append(token)
    return [p for p in pieces if p]


def _trim(piece: list, stop_words) -> list:
    """Drop leading titles and stop words and trailing joiners ("President X" -> "X", "X of" -> "X")."""
    while piece and (piece[0].lower_ in stop_words or piece[0].lower_.rstrip(".") in TITLES or piece[0].text in ("-", "'s")):
        piece = piece[1:]
    while piece and (piece[-1].lower_ in stop_words or piece[-1].text in ("-", "'s")):
        piece = piece[:-1]
    return piece


# ----------------------------------------------------------------------------------------------
# Writing the draft file
# ----------------------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z0-9(][^\n#:'\"`{}\[\],&*!|>%@]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when safe, else double-quoted (JSON escapes are YAML escapes).

    >>> scalar("Nikol Pashinyan"), scalar("yes"), scalar("a: b"), scalar("“quoted”")
    ('Nikol Pashinyan', '"yes"', '"a: b"', '"“quoted”"')
    """
    if _PLAIN.match(value) and value == value.strip() and value.lower() not in _RESERVED and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def slug(text: str, limit: int = 40) -> str:
    """An id fragment: lower-case ASCII words joined by '-'.

    >>> slug("Recep Tayyip Erdoğan’s visit")
    'recep-tayyip-erdogan-s-visit'
    """
    words = re.findall(r"[a-z0-9]+", fold(text).lower())
    out = "-".join(words)
    if len(out) > limit:
        # Cut at a word boundary, so ids read "prime-minister-of" rather than "prime-minister-of-armeni".
        out = out[: limit + 1].rsplit("-", 1)[0] if "-" in out[: limit + 1] else out[:limit]
    return out.strip("-") or "x"


def render(draft: Draft) -> str:
    """The draft as a fact file whose records carry ``candidate:`` (accept removes it)."""
    doc = draft.doc
    lines = [
        f"# Draft of {doc.id}: {json.dumps(doc.title, ensure_ascii=False)} (published {doc.published.text}), written by `peacegraph draft {doc.id}`.",
        "# Every record below is a candidate: check it against the document, delete it, correct it, or add your own.",
        "# Each 'candidate:' mapping says how sure the tool is and why; `peacegraph accept " + doc.id + "` drops it and moves",
        f"# the records into seeds/facts/{doc.id}.yaml (facts) and seeds/facts/{doc.id}-extra.yaml (entities, aliases),",
        "# only if every record passes the build's checks. 'mentions:' and 'no_candidate:' are for reading; accept ignores them.",
        f"# {len(draft.candidates)} candidate facts, {len(draft.new_aliases)} new aliases, {len(draft.new_entities)} new entities;"
        f" {len(draft.no_candidate)} sentences with no candidate.",
        "",
    ]
    used_ids: set[str] = set()

    def unique(base: str) -> str:
        candidate, n = base, 2
        while candidate in used_ids:
            candidate, n = f"{base}-{n}", n + 1
        used_ids.add(candidate)
        return candidate

    lines.append("entities:")
    if not draft.new_entities:
        lines[-1] = "entities: []"
    for ent in draft.new_entities:
        lines += [
            f"  - id: {unique(slug(ent.label))}",
            f"    type: {ent.type}",
            f"    label: {scalar(ent.label)}",
            "    candidate:",
            f"      confidence: {ent.confidence:.2f}",
            f"      reason: {scalar(f'a name the graph does not know, seen {ent.count} time(s); type guessed from {ent.reason}')}",
            f"      first_quote: {scalar(ent.quote)}",
        ]
    lines += ["", "aliases:" if draft.new_aliases else "aliases: []"]
    for alias in draft.new_aliases:
        lines += [
            f"  - entity: {alias.entity}",
            f"    label: {scalar(alias.label)}",
            f"    source: {doc.id}",
            f"    note: {scalar(f'the spelling {doc.id} uses')}",
            "    candidate:",
            f"      confidence: {alias.score / 100:.2f}",
            f"      reason: {scalar(f'close to the known name {alias.known_as!r} (rapidfuzz ratio {alias.score:g})')}",
            f"      first_quote: {scalar(alias.quote)}",
        ]
    lines += ["", "facts:" if draft.candidates else "facts: []"]
    for cand in draft.candidates:
        relation_words = re.sub(r"([A-Z])", r" \1", cand.relation)
        fact_id = unique(f"{doc.id}-{slug(cand.subject, 24)}-{slug(relation_words, 20)}-{slug(cand.object, 24)}")
        lines += [
            f"  - id: {fact_id}",
            f"    subject: {cand.subject}",
            f"    relation: {cand.relation}",
            f"    object: {cand.object}",
        ]
        if cand.date:
            lines.append(f"    date: {cand.date.value}")
            note = cand.date.note or f"'{cand.date.text}' in the sentence"
            lines.append(f"    date_note: {scalar(note)}")
        lines += [
            f"    source: {doc.id}",
            f"    quote: {scalar(cand.quote)}",
            "    candidate:",
            f"      confidence: {cand.confidence:.2f}",
            f"      reason: {scalar(cand.reason)}",
        ]
    lines += ["", "# Every known entity the text names, how, and how often (for reading; not moved by accept).", "mentions:"]
    by_entity: dict[str, dict[tuple[str, str, float], int]] = {}
    for m in draft.mentions:
        forms = by_entity.setdefault(m.entity, {})
        forms[(m.text, m.how, m.score)] = forms.get((m.text, m.how, m.score), 0) + 1
    for entity, forms in sorted(by_entity.items()):
        found = ", ".join(f"{text!r} {how} {score:g} x{n}" for (text, how, score), n in sorted(forms.items()))
        lines += [f"  - entity: {entity}", f"    found: {scalar(found)}"]
    if not by_entity:
        lines[-1] = "mentions: []"
    lines += [
        "",
        "# Sentences no candidate quotes: write facts for them, or record them under 'justified:' with a reason.",
        "no_candidate:" if draft.no_candidate else "no_candidate: []",
    ]
    for sentence, names in draft.no_candidate:
        lines.append(f"  - quote: {scalar(sentence.text)}")
        if names:
            lines.append(f"    mentions: {scalar(', '.join(names))}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------
# The command's work: draft one document of the seeds into seeds/drafts/
# ----------------------------------------------------------------------------------------------


@dataclass
class Written:
    path: Path
    draft: Draft


def write_draft(doc_id: str, seeds_dir: Path | None = None, force: bool = False, min_confidence: float = MIN_CONFIDENCE) -> Written:
    """Draft document ``doc_id`` of the seeds into ``drafts/<doc_id>.yaml``; raise PeacegraphError on bad input."""
    from peacegraph import paths
    from peacegraph.errors import PeacegraphError
    from peacegraph.load.documents import display_path
    from peacegraph.load.loader import load_curation
    from peacegraph.load.yamlsource import suggest

    where = paths.seed_paths(seeds_dir)
    target = where.drafts / f"{doc_id}.yaml"
    if target.exists() and not force:
        raise PeacegraphError(
            f"{display_path(target)} already exists (it may hold your edits); accept it, delete it, or use --force to overwrite it"
        )
    curation = load_curation(where.facts, where.documents_metadata)
    doc = curation.documents.get(doc_id)
    if doc is None:
        raise PeacegraphError(
            f"unknown document '{doc_id}'; add it with 'peacegraph add-document PATH' or use an id from documents.yaml"
            + suggest(doc_id, list(curation.documents))
        )
    known: dict[tuple[str, str, str], list[str]] = {}
    curated: set[tuple[str, str, str]] = set()
    for fact in curation.facts:
        if fact.object:
            if fact.source == doc_id:
                curated.add((fact.subject, fact.relation.name, fact.object))
            else:
                known.setdefault((fact.subject, fact.relation.name, fact.object), []).append(fact.id)
    drafter = Drafter(Gazetteer.from_curation(curation), curation.schema, known)
    draft = drafter.draft(doc, curated, min_confidence)
    from peacegraph.curate.ingest import atomic_write

    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, render(draft).encode("utf-8"))
    return Written(target, draft)
