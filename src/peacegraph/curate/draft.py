"""A drafted fact file for one document: candidate facts, new names and new entities for a curator to review.

``Drafter.draft`` reads a document with the graph's own names (``gazetteer``),
what the graph already says (``knowledge``), descriptions of events and
agreements linked to known ones (``descriptions``), pronouns and other words
that point back (``references``) and the ontology's trigger words
(``lexicon``), and proposes:

- candidate facts: around a trigger word, subject and object placed by the
  relation's domain and range and the sentence's order and voice
  (``trigger_rules``); without one, read off how things are named: offices,
  titles, sides, owners (``naming_rules``), or off where an actor stands in a
  clause about a known event (``clause_rules``); each with the shortest verbatim
  quote that occurs once in the document (``quoting``), a date (the
  sentence's, else the paragraph's, else the publication date, said in
  ``date_note``) and a confidence;
- new aliases and new entities (``new_names``);
- the sentences no candidate quotes, so the curator sees what is left.

``render`` writes it all as a fact file whose records each carry a
``candidate:`` mapping (confidence, reason) that ``peacegraph accept``
removes; ``build`` never reads ``seeds/drafts/``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from peacegraph.curate.candidates import SYMMETRIC, Candidate, Draft, Hit, NewAlias, NewEntity, Trigger
from peacegraph.curate.clause_rules import ClauseRules
from peacegraph.curate.coverage import Sentence, split_sentences
from peacegraph.curate.dating import DocumentDates, FoundDate, find_anchored
from peacegraph.curate.gazetteer import Gazetteer, Mention
from peacegraph.curate.knowledge import Knowledge
from peacegraph.curate.lexicon import Lexicon
from peacegraph.curate.naming_rules import NamingRules
from peacegraph.curate.new_names import NewNames
from peacegraph.curate.quoting import shortest_unique_quote
from peacegraph.curate.render import render, scalar, slug
from peacegraph.curate.routes import ROUTE_RELATIONS, described_routes
from peacegraph.curate.stance_rules import StanceRules
from peacegraph.curate.trigger_rules import TriggerRules, in_compound_adjective
from peacegraph.curate.words import BE_FORMS
from peacegraph.load.documents import Document
from peacegraph.load.quotes import QuoteNotFound
from peacegraph.load.schema import Property, Schema

__all__ = [
    "MIN_CONFIDENCE", "RULES", "SYMMETRIC", "Candidate", "Draft", "Drafter", "Lexicon", "NewAlias", "NewEntity",
    "Written", "render", "scalar", "shortest_unique_quote", "slug", "write_draft",
]  # fmt: skip


#: Candidates below this confidence are left out of the draft.
MIN_CONFIDENCE = 0.5
#: At most this many relations are proposed for one pair of mentions in one sentence.
RELATIONS_PER_PAIR = 2
#: Rules the drafter can be run without (the benchmark's --ablation measures what each buys): descriptions ("the 2020
#: ceasefire" linked to a known entity), references (pronouns, "both countries", "the former", ", which"), titles (the
#: office the graph says a titled person holds), possessive-events ("Azerbaijan's offensive": who launched it),
#: paragraph-dates (a date later in the paragraph, "three years later", else the publication date), implicit-objects
#: ("Russia's role as a mediator": of what the article is about), issues (an issue named with a place concerns it),
#: holders ("the Armenian foreign minister": the person the graph says held the office at the article's date), not-yet
#: ("if he signs the deal": no signatory, and the agreement still under negotiation), route-ends ("a corridor from A
#: through B to C": what the route connects and passes through), owned-places ("its exclave of Nakhchivan": locatedIn),
#: counterparts ("his Armenian counterpart, Ararat Mirzoyan": the office of the same title in Armenia), passive-by
#: ("the government, led by Nikol Pashinyan": a trigger ending in "by" whose subject fits only after it), recency ("the
#: country" is the state named last before it), co-objects ("met with A and B": A and B met too), quoted ('"... a peace
#: agreement," Blinken stated': what the quotation names), between-head ("the conflict between A and B over X": the
#: preposition attaches to the conflict), reordered-names ("U.S. State Department" for "United States Department of State"),
#: preposition-objects ("control of X": the object follows the preposition closely), event-nouns ("the talks between
#: Armenia and Azerbaijan": sides of the talks, not states meeting), verb-events ("Russia invaded Ukraine": the one known
#: invasion of Ukraine by Russia), fronted-events ("In the 2020 war, Baku retook ...", "the war, in which Baku retook": the
#: subject after a phrase set in an event took part in it), event-complements ("Armenia made headway on the talks", "Armenia's defeats in
#: the war": an actor beginning a clause, or owning its noun, took part in the event after "in", "on", "at", "during"),
#: acting-in-events ("its backing of Baku in the conflict": an actor acting on another in an event has a role in it),
#: event-agents ("the handling of the crisis by Russia": the agent of a noun whose object is an event has a role in it),
#: unnamed-sides ("the two sides ... a peace deal", no names to point back to: the deal's two sides the graph knows),
#: bare-talks ("dragging its feet in peace talks": a bare plural is the peace process the graph knows the subject in),
#: described-objects ("Azerbaijan demands unimpeded access": an issue said in its label's
#: words right after the verb is its object), held-events ("Blinken held talks with A and B": he hosted them),
#: clause-objects ("the mediator has been interrupted by the war": no name after a verb is a role noun's object),
#: between-sides ("restart the talks and mediate between both states": the verb is about the talks), along-with ("the EU,
#: along with the United States, helped": both did), said-aside ("If a deal is not reached, he added, ...": the speaker
#: comments on what the sentence names), demonym-bodies ("the Russian peace keeping force": a body of Russia),
#: event-objects ("Azerbaijan launched a military operation" in 2020: the one event the graph says it launched then),
#: interest-in ("Washington's interest in the region": a stance on the region), passive-agent ("A has been accused of ...
#: by B": B accused A; a passive with no "by" names no subject), state-titles ("the Russian Federation" is Russia's name),
#: infinitive-triggers ("offered to assist": the offer, not assistance), hope-for ("both countries hope for a peace deal":
#: a stance on the deal),
#: trigger-heads ("an offensive against Armenia": the trigger's own noun is the event),
#: taken-places ("A launched an offensive ... A's forces took over X": the offensive's affected place), connect-pairs
#: ("to connect A with B": both ends of the route), route-places ("routes in southern Armenia": passesThrough),
#: that-events ("That led to the exodus": the event the sentence before named last), known-regions ("A and B ... in the
#: Caucasus": locatedIn, when the graph already places them there), capitals ("between Baku and Yerevan", "Washington's",
#: "the government in Yerevan": capitalOf, once), event-verbs ("peacekeepers deployed in X": the deployment the graph
#: gives them was in X), neighbour-groups ("the neighbouring countries": the two states named before, which border each
#: other), where-clauses ("X is a region where A and B ...": A and B lie in X), owner-objects ("the Armenian capital,
#: Yerevan": the owner of the trigger noun is its object), actor-against ("Azerbaijan moved against Nagorno-Karabakh
#: last year": the one event the graph says it launched against the place that year), sided-descriptions ("Armenia and
#: Azerbaijan are locked in a bloody conflict": the one conflict, war or peace process whose known sides the sentence
#: names), process-nouns ("mediating discussions", "delayed negotiations", "diplomatic efforts": the peace process whose
#: sides the sentence, paragraph or text names most), ongoing-talks ("the ongoing talks between A and B": talks said to
#: go on are the peace process, not one round), armed-kinds ("launched a military operation" in 2020: no offensive
#: fits, so the war of that year), held-by-sides ("Armenian and Azerbaijani officials have held discussions": with
#: no "with" after it, the holders are sides of the event), presence-in ("the presence of X in these discussions",
#: "X's involvement in the war": X is involved in the event),
#: prospects ("an impending deal", "a
#: deal in sight": an agreement near but not reached is under negotiation), described-pronouns ("change its
#: constitution": a pronoun inside an issue's description leaves it described), demanded-clauses ("requested that
#: Armenia change its constitution": the issue the demanded clause describes; "demanded that A ...": not A), perceptions
#: ("A is seen by B as ...", "B views A as ...": B's stance on A), relations-with ("good relations with A", "its relations
#: with its ally, A, are strained": a stance on A of whose relations they are), attitude-adjectives ("it became less
#: inattentive to the crisis", "remained wary of Russia": a stance on what follows the adjective's preposition),
#: turning-toward ("Yerevan has been pivoting toward the West": a stance on it), fears-this ("Armenia fears this could
#: ...": a stance on the event, agreement or issue the sentence before named last), reported-clauses ("Pashinyan stated
#: that Armenia ...": the speaker comments on the event, agreement or issue the clause names, not on its first actor),
#: coordinated-verbs ("Armenia has agreed to ... but demands X": the sentence's subject, no name near the verb),
#: described-routes ("a land bridge through Armenia ... to Nakhchivan": the one known route with those places),
#: known-route-places (such a route and the places the graph gives it, named in the sentence: said again),
#: demonym-owners ("the Azerbaijani demand for X": a demonym right before a trigger noun is its subject),
#: described-concerns (an issue said in its label's words, with a place, route or event other than a state that the
#: graph says it concerns named: said again),
#: known-sides ("a lasting agreement
#: between A and B", "an A-B agreement", the noun linked to nothing: the one agreement or event of its kind the graph gives
#: both sides; its sides), heading-sides (sides read off a name, proposed once per document, again in a heading),
#: event-verb-actors ("Russian peacekeepers were deployed": the one deployment the graph gives them, they took part in it;
#: "Russia would deploy": the one its body took part in, Russia launched it),
#: noun-copula ("the inhabitants of X were Y": both ends after the trigger noun, placed by domain and range), victims
#: ("thousands of A and B have been killed during the conflict": involvedIn), with-terms ("a ceasefire was declared, with
#: peacekeepers being deployed": the deployment is one of its terms and follows from it), own-possessive ("Armenia froze
#: its ties with X": "its" is the subject's own, the object is X), hyphen-modifiers ("the Russia-backed CSTO": the name
#: before "-backed" is no object of the verb), plural-names ("The Russians announced that they would ...": "they" is
#: the plural name opening the sentence), ethnic-places ("the ethnic Armenian region", "the ethnic Armenian enclave of X":
#: the place is inhabitedBy the people the demonym's plural names), having-fronted ("Having lost the war, X ...": the
#: subject after a fronted clause, as for "-ed" and "-ing" participles), possessor-scope ("X has fallen into Russia's
#: sphere of influence": the possessor is the subject, the name before "into"/"within" the object), edge-places ("X is a
#: region on the edge of Y", "X ... separated from the main country by Armenian territory": X borders Y), help-towards
#: ("helping the two countries work towards a peace agreement": assisted the agreement too).
RULES = frozenset(
    {
        "descriptions", "references", "titles", "possessive-events", "paragraph-dates", "implicit-objects", "issues", "holders",
        "not-yet", "route-ends", "owned-places", "counterparts", "passive-by", "recency", "co-objects", "quoted", "between-head",
        "reordered-names", "preposition-objects", "event-nouns", "verb-events", "fronted-events", "event-complements", "acting-in-events", "event-agents", "unnamed-sides", "bare-talks",
        "described-objects", "held-events", "clause-objects", "between-sides", "along-with", "said-aside", "demonym-bodies", "event-objects", "interest-in", "passive-agent", "state-titles", "infinitive-triggers", "hope-for",
        "trigger-heads", "taken-places", "connect-pairs",
        "route-places", "that-events", "known-regions", "capitals", "event-verbs", "neighbour-groups", "where-clauses",
        "owner-objects", "actor-against", "sided-descriptions", "process-nouns", "ongoing-talks", "armed-kinds", "held-by-sides", "presence-in",
        "prospects", "described-pronouns", "demanded-clauses", "perceptions", "relations-with", "attitude-adjectives", "turning-toward", "fears-this", "reported-clauses", "coordinated-verbs", "described-routes", "known-route-places", "demonym-owners", "described-concerns",
        "known-sides", "heading-sides", "event-verb-actors", "noun-copula", "victims", "with-terms", "own-possessive", "hyphen-modifiers", "plural-names", "ethnic-places", "having-fronted", "possessor-scope", "edge-places", "help-towards",
    }
)  # fmt: skip


#: Stance rules (``stance_rules``) and their methods.
_STANCE_RULES = {
    "perceptions": "_perceptions", "relations-with": "_relations_with", "attitude-adjectives": "_attitude_adjectives",
    "turning-toward": "_turning_toward", "fears-this": "_fears_this", "interest-in": "_interest_in", "hope-for": "_hope_for",
}  # fmt: skip


class Drafter(TriggerRules, NamingRules, ClauseRules, StanceRules, NewNames):
    """Drafts documents against one gazetteer and schema (built once, reused for every document)."""

    def __init__(self, gazetteer: Gazetteer, schema: Schema, knowledge: Knowledge | None = None, rules: frozenset[str] = RULES):
        from spacy.matcher import PhraseMatcher

        from peacegraph.curate.descriptions import Describer
        from peacegraph.curate.holders import Holders
        from peacegraph.curate.references import Resolver

        self.gazetteer = gazetteer
        self.schema = schema
        self.lexicon = Lexicon.from_schema(schema)
        self.knowledge = knowledge or Knowledge()  # what other documents already give
        self.describer = Describer(gazetteer, schema, self.knowledge, rules)
        self.resolver = Resolver(
            gazetteer,
            schema,
            frozenset(w.split()[-1] for w in self.describer.heads),
            self.describer.place_nouns if "owned-places" in rules else frozenset(),
            "neighbour-groups" in rules,
            "plural-names" in rules,
        )
        self.holders = Holders(gazetteer, self.knowledge)
        self._event_verbs = _event_verb_forms(self.describer.heads, schema)
        self.rules = rules
        # Texts describe events, agreements, issues, offices and bodies in words ("the 2023 offensive", "Azerbaijan's
        # Foreign Ministry") as often as they name them.
        wanted = frozenset(
            schema.classes[c] for c in ("Event", "Agreement", "NegotiationIssue", "Post", "Organisation") if c in schema.classes
        )
        self._describable = frozenset(name for name, iri in schema.classes.items() if schema.fits(frozenset({iri}), wanted))
        self._trigger_matcher = PhraseMatcher(gazetteer.nlp.vocab, attr="LOWER")
        for phrase in self.lexicon.phrases:
            self._trigger_matcher.add(phrase, [gazetteer.nlp.make_doc(phrase)])

    def draft(self, doc: Document, curated: set[tuple[str, str, str]] | None = None, min_confidence: float = MIN_CONFIDENCE) -> Draft:
        """Draft ``doc``; leave out candidates below ``min_confidence`` and those in ``curated`` (already curated triples)."""
        text = doc.text
        tokens = self.gazetteer.tokens(text)
        self._tokens = tokens
        starts = [t.idx for t in tokens]
        self._starts = starts
        mentions, nested = self.gazetteer.find(text)
        sentences = split_sentences(text)
        self._sentences = sentences
        doc_dates = DocumentDates(text, doc.published, doc.not_after)
        self._doc_dates, self._text = doc_dates, text
        # Label words of events and issues are listed for the curator (a described entity the tool could not link).
        described = self.gazetteer.find_described(text, [(s.start, s.end) for s in sentences], mentions + nested, self._describable)
        if "reordered-names" in self.rules:
            mentions, nested, described = self._reordered_names(text, tokens, mentions, nested, described)
        if "state-titles" in self.rules:
            mentions = [_state_title(text, m, self.gazetteer) for m in mentions]
        covered = [(m.start, m.end) for m in mentions]
        linked: list[Mention] = []
        if "descriptions" in self.rules:
            paragraphs = _paragraphs(text)
            linked = self.describer.find(text, tokens, mentions, paragraphs, doc_dates)
        self._route_spans: set[tuple[int, int]] = set()
        if "described-routes" in self.rules:
            through = self.schema.relations.get("passesThrough")
            routes = {e for e in self.gazetteer.entities if through is not None and self._fits(e, through.domain)}
            found_routes = described_routes(text, tokens, mentions + linked, sentences, self.knowledge, routes)
            self._route_spans = {(m.start, m.end) for m in found_routes}
            linked += found_routes
        if "references" in self.rules:
            linked += self.resolver.find(text, tokens, sorted(mentions + linked, key=lambda m: m.start), sentences)
        named = mentions
        if "holders" in self.rules:
            held = self.holders.find(text, tokens, mentions, doc.published.latest)
            linked += held
            # The demonyms of "the Armenian and Azerbaijani foreign ministers" are read as the ministers, not as states.
            named = [m for m in mentions if not (m.how == "demonym" and any(h.start <= m.start and m.end <= h.end for h in held))]
        # A pronoun inside a description is part of it ("change its constitution"), not another name over it.
        inner = "described-pronouns" in self.rules
        described = [
            d for d in described
            if not any(m.start < d.end and d.start < m.end and not (inner and _inside_pronoun(m, d)) for m in linked)
        ]  # fmt: skip
        hits = [
            Hit(m, bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end))
            for m in sorted(named + linked, key=lambda m: m.start)
        ]
        self._all_hits = hits
        # Events and issues said in their label's words but not linked: a verb's direct object may still be one.
        self._described_hits = [Hit(d, bisect.bisect_left(starts, d.start), bisect.bisect_left(starts, d.end)) for d in described]
        triggers = []
        for match_id, s, e in self._trigger_matcher(tokens):
            start, end = tokens[s].idx, tokens[e - 1].idx + len(tokens[e - 1].text)
            if any(a < end and start < b for a, b in covered) or in_compound_adjective(tokens, s):
                continue
            triggers.append(Trigger(self.gazetteer.nlp.vocab.strings[match_id], s, e, start, end))
        # A shorter trigger inside a longer one of the same relations ("met" in "met with") is the same word; one of
        # other relations still counts ("signed" in "signed in": a status, and a place of signing).
        phrases = self.lexicon.phrases
        triggers = [
            t
            for t in triggers
            if not any(
                o is not t and o.first <= t.first and t.last <= o.last and (o.last - o.first) > (t.last - t.first)
                and (
                    set(phrases[t.phrase]) <= set(phrases[o.phrase])
                    # "offered to assist": the infinitive is what was offered, not done.
                    or ("infinitive-triggers" in self.rules and o.first < t.first and tokens[t.first - 1].lower_ == "to")
                )
                for o in triggers
            )
        ]  # fmt: skip
        nested_hits = [Hit(m, bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)) for m in nested]
        self._posts_placed: set[tuple[str, str]] = set()
        draft = Draft(doc, sorted(mentions + nested + described + linked, key=lambda m: (m.start, -m.end)), [], [], [], [])
        candidates: list[Candidate] = []
        before: list[Candidate] = []  # the previous sentence's candidates
        for sentence in split_sentences(text):
            in_s = [h for h in hits if sentence.start <= h.mention.start and h.mention.end <= sentence.end]
            trig_s = [t for t in triggers if sentence.start <= t.start and t.end <= sentence.end]
            nested_s = [h for h in nested_hits if sentence.start <= h.mention.start and h.mention.end <= sentence.end]
            self._nested_s = nested_s
            self._trig_s = trig_s
            # Years the sentence gives, "last year" included: which of an actor's known events it speaks of.
            self._sentence_years = {int(d.value[:4]) for d in doc_dates.between(sentence.start, sentence.end) if d.value[:4].isdigit()}
            found = self._sentence_candidates(text, tokens, sentence, in_s, trig_s, nested_s)
            found = _best_per_pair(found, self.schema)
            if "taken-places" in self.rules:
                found += self._taken_places(before, found, sentence, min_confidence)
            before = found
            dates = doc_dates.between(sentence.start, sentence.end)
            if "paragraph-dates" in self.rules:
                # "Three years later": counted from the last date the text gave before the sentence.
                anchored = find_anchored(sentence.text, doc_dates.last_before(sentence.start))
                dates = sorted(dates + [_shifted(d, sentence.start) for d in anchored], key=lambda d: d.start)
            earlier = _paragraph_date(text, sentence, doc_dates)
            if "paragraph-dates" in self.rules:
                fallback = earlier or _paragraph_date(text, sentence, doc_dates, later=True) or _publication_date(doc)
            else:
                fallback = earlier
            for cand in found:
                cand.date = (_nearest_date(cand, dates, sentence) or fallback) if cand.dated else None
            candidates += found
        kept: dict[tuple[str, str, str, int], Candidate] = {}
        for cand in candidates:
            if cand.confidence < min_confidence:
                continue
            if curated and cand.triple in curated:
                draft.skipped_known += 1
                continue
            # The sides of an agreement or event read off how it is named ("the peace deal between Armenia and
            # Azerbaijan") are background an article repeats: proposed where first said, not in every sentence.
            if cand.once and any(k[:3] == cand.triple for k in kept):
                if not ("heading-sides" in self.rules and _is_heading(text, cand.sentence)):
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

    def _reordered_names(self, text: str, tokens, mentions: list[Mention], nested: list[Mention], described: list[Mention]):
        """ "U.S. State Department" for "United States Department of State": a capitalised run of a body's label words
        right after the name of a neighbour of it in the graph is the body's name in another order. The whole is the
        mention; the neighbour's name is nested in it, as in a name the graph has."""
        by_end = {m.end: m for m in mentions}
        kept = []
        for d in described:
            words = [t for t in tokens if d.start <= t.idx < d.end]
            before = by_end.get(d.start - 1) or by_end.get(d.start)
            capitalised = all(t.text[:1].isupper() or t.lower_ in ("of", "the", "for", "and") for t in words if t.is_alpha)
            if not (before and capitalised and text[before.end : d.start].strip() == ""):
                kept.append(d)
                continue
            body = d.entity
            organisation = self.schema.classes.get("Organisation")
            if (
                organisation is None or not self._fits(body, frozenset({organisation})) or len([t for t in words if t.is_alpha]) < 2
                or not set(before.entities) & self.knowledge.neighbours.get(body, set())
            ):  # fmt: skip
                kept.append(d)
                continue
            whole = Mention(before.start, d.end, text[before.start : d.end], (body,), d.name, "reordered", 85.0)
            mentions = sorted([m for m in mentions if m is not before] + [whole], key=lambda m: m.start)
            nested = nested + [before]
        return mentions, nested, kept

    def _years_of(self, sentence: Sentence) -> set[int]:
        """The years the sentence's dates give, else the year of the last date earlier in its paragraph."""
        found = self._doc_dates.between(sentence.start, sentence.end)
        if not found:
            earlier = _paragraph_date(self._text, sentence, self._doc_dates)
            found = [earlier] if earlier else []
        return {int(d.value[:4]) for d in found if d.value[:4].isdigit()}

    def _taken_places(self, before: list[Candidate], found: list[Candidate], sentence, min_confidence: float) -> list[Candidate]:
        """ "Azerbaijan launched an offensive. Its forces took over Nagorno-Karabakh": a place an actor took in the
        sentence of an event it launched, or the next one, is the event's affected place."""
        prop = self.schema.relations.get("affectedPlace")
        if prop is None:
            return []
        launched = [c for c in before + found if c.relation == "initiated" and c.confidence >= min_confidence]
        taken = [c for c in found if c.relation == "controls" and c.confidence >= min_confidence]
        out = []
        for event in launched:
            for place in taken:
                if event.subject != place.subject or not (self._fits(event.object, prop.domain) and self._fits(place.object, prop.range)):
                    continue
                reason = f"{event.subject} launched {event.object} and took {place.object} in the same or the next sentence"
                confidence = min(event.confidence, place.confidence) * 0.8
                if known := self.knowledge.has(event.object, prop.name, place.object):
                    confidence = min(1.0, confidence + 0.2)
                    reason += f"; the graph already has it from {', '.join(known[:3])}"
                confidence = round(confidence, 2)
                start, end = (min(event.start, place.start), place.end) if event in found else (place.start, place.end)
                out.append(Candidate(event.object, prop.name, place.object, start, end, "", confidence, reason, sentence))
        return out

    def _where_clauses(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "The South Caucasus is a mountainous region ... where Armenia and Azerbaijan have ...": the places a "where"
        clause opens with lie in the place the sentence calls a region (or territory, enclave) before it."""
        prop = self.schema.relations.get("locatedIn")
        if prop is None:
            return []
        first, last = bisect.bisect_left(self._starts, sentence.start), bisect.bisect_left(self._starts, sentence.end)
        out = []
        for w in range(first + 1, last - 1):
            if tokens[w].lower_ != "where":
                continue
            nouns = [k for k in range(max(first, w - 12), w) if tokens[k].lower_ in self.describer.place_nouns]
            if not nouns:
                continue
            k = nouns[-1] - 1
            while k > first and tokens[k].is_alpha and tokens[k].is_lower and tokens[k].lower_ not in ("a", "an"):
                k -= 1  # adjectives: "a mountainous, landlocked region"
            if tokens[k].lower_ not in ("a", "an") or k - 1 < first or tokens[k - 1].lower_ not in ("is", "was", ","):
                continue
            container = next((h for h in hits if h.last == k - 1), None)
            opener = next((h for h in hits if h.first == w + 1), None)
            region = self._pick(container, prop.range) if container is not None else None
            if region is None or opener is None or self._pick(opener, prop.domain) is None:
                continue
            placed = [(opener, self._pick(opener, prop.domain))] + self._coordinated_with(opener, hits, tokens, prop.domain)
            for hit, entity in placed:
                if entity != region:
                    confidence = (hit.mention.score + container.mention.score) / 200 * 0.7
                    reason = f"'{hit.mention.text}' opens a 'where' clause about '{container.mention.text}', a {tokens[nouns[-1]].text}"
                    out.append(self._candidate(entity, prop.name, region, [hit, container], None, confidence, reason, sentence))
        return out

    def _help_towards(self, found: list[Candidate], hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "helping the two countries work towards a peace agreement": who helps others work towards an agreement or
        event assists it too."""
        prop = self.schema.relations.get("assisted")
        if prop is None:
            return []
        out, seen = [], set()
        last = bisect.bisect_left(self._starts, sentence.end)
        for cand in found:
            if cand.relation != "assisted" or (cand.subject, cand.end) in seen:
                continue
            seen.add((cand.subject, cand.end))
            k = bisect.bisect_left(self._starts, cand.end)
            toward = next((j for j in range(k, min(last, k + 4)) if tokens[j].lower_ in ("towards", "toward")), None)
            if toward is None:
                continue
            target = next((h for h in hits if toward < h.first <= toward + 4), None)
            if target is None or not all(t.is_alpha and t.is_lower for t in tokens[toward + 1 : target.first]):
                continue
            whole = self._pick(target, prop.range)
            topics = frozenset(self.schema.classes[c] for c in ("Event", "Agreement") if c in self.schema.classes)
            if whole is None or not self._fits(whole, topics):
                continue
            reason = f"{cand.subject} helps others work towards '{target.mention.text}'"
            span = (cand.start, target.mention.end)
            out.append(self._candidate(cand.subject, prop.name, whole, [], span, cand.confidence * 0.8, reason, sentence))
        return out

    def _edge_places(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "X is a region on the edge of Eastern Europe", "X, an exclave separated from the main country by Armenian
        territory": the place before the phrase borders the one it names."""
        prop = self.schema.relations.get("borders")
        if prop is None:
            return []
        first, last = bisect.bisect_left(self._starts, sentence.start), bisect.bisect_left(self._starts, sentence.end)
        out = []
        for k in range(first + 1, last - 3):
            words = [t.lower_ for t in tokens[k : k + 4]]
            if words[:2] == ["on", "the"] and words[2] in EDGES and words[3] == "of":
                start, end, how = k, k + 4, f"on the {words[2]} of"
            elif words[0] == "separated" and "by" in [t.lower_ for t in tokens[k + 1 : min(last, k + 8)]]:
                start, how = k, "separated ... by"
                end = next(j for j in range(k + 1, min(last, k + 8)) if tokens[j].lower_ == "by") + 1
            else:
                continue
            # The place named beyond: right after the phrase, or after one capitalised word ("Eastern Europe").
            beyond = next((h for h in hits if h.first in (end, end + 1) and tokens[end].text[:1].isupper()), None)
            # The place before: the nearest one not a possessor ("Azerbaijan's exclave").
            before = [h for h in hits if h.last <= start and tokens[h.last].lower_ not in ("'s", "’s")]
            here = next((h for h in reversed(before) if self._pick(h, prop.domain)), None)
            a = self._pick(here, prop.domain) if here is not None else None
            b = self._pick(beyond, prop.range) if beyond is not None else None
            if a is None or b is None or a == b:
                continue
            confidence = (here.mention.score + beyond.mention.score) / 200 * 0.7
            reason = f"'{here.mention.text}' ... {how} '{beyond.mention.text}'"
            out.append(self._candidate(a, prop.name, b, [here, beyond], None, confidence, reason, sentence, dated=False))
        return out

    def _event_verb_places(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Russian peacekeepers were deployed in the Lachin corridor": a verb made from an event class's noun
        ("deployment": deploy) next to an actor names the one event of that class the graph says the actor took part in
        or launched; the place after "in" or "to" is where it was (location)."""
        prop = self.schema.relations.get("location")
        if prop is None:
            return []
        first, last = bisect.bisect_left(self._starts, sentence.start), bisect.bisect_left(self._starts, sentence.end)
        out = []
        for i in range(first, last):
            kind = self._event_verbs.get(tokens[i].lower_)
            if kind is None:
                continue
            near = [h for h in hits if 0 <= i - h.last <= 2 and all(t.lower_ in _AUXILIARIES for t in tokens[h.last : i])]
            near += [h for h in hits if h.first == i + 1]

            def doers(entity: str) -> set[str]:
                """The entity, and with "event-verb-actors" the bodies the graph has as its own ("Russia deployed": its forces)."""
                bodies = {s_ for (s_, r, o) in self.knowledge.triples if r == "subOrganisationOf" and o == entity}
                return {entity} | (bodies if "event-verb-actors" in self.rules else set())

            events = {
                e for h in near for (s_, r, e) in self.knowledge.triples
                if s_ in doers(h.mention.entity) and r in ("participantIn", "initiated") and self._fits(e, frozenset({kind}))
            }  # fmt: skip
            if len(events) != 1:
                continue
            (event,) = events
            actor = next(
                h
                for h in near
                if any(self.knowledge.has(d, r, event) for d in doers(h.mention.entity) for r in ("participantIn", "initiated"))
            )
            acted = not any(self.knowledge.has(actor.mention.entity, r, event) for r in ("participantIn", "initiated"))
            if acted and actor.last <= i and not any(t.lower_ in BE_FORMS for t in tokens[actor.last : i]):
                # "Russia would deploy (peacekeepers)": the state whose body took part launched it.
                why = f"'{actor.mention.text}' {tokens[i].text}: {event}, the one such event the graph gives a body of it"
                span = (actor.mention.start, tokens[i].idx + len(tokens[i].text))
                out.append(
                    self._candidate(
                        actor.mention.entity, "initiated", event, [actor], span, actor.mention.score / 100 * 0.75, why, sentence
                    )
                )
            if "event-verb-actors" in self.rules:
                # The actor the verb is said of took part in the event as the graph says it did.
                for role in ("participantIn", "initiated"):
                    if self.knowledge.has(actor.mention.entity, role, event):
                        why = f"'{tokens[i].text}' names {event}, the one such event the graph gives '{actor.mention.text}'; its role"
                        span = (min(actor.mention.start, tokens[i].idx), max(actor.mention.end, tokens[i].idx + len(tokens[i].text)))
                        out.append(
                            self._candidate(
                                actor.mention.entity, role, event, [actor], span, actor.mention.score / 100 * 0.5, why, sentence
                            )
                        )
            if "with-terms" in self.rules:
                out += self._with_terms(event, actor, i, hits, tokens, sentence, first)
            after = [h for h in hits if i < h.first <= i + 4 and h is not actor]
            place = next((h for h in after if any(t.lower_ in ("in", "to", "into", "at") for t in tokens[i + 1 : h.first])), None)
            entity = self._pick(place, prop.range) if place is not None else None
            if entity is None:
                continue
            reason = f"'{tokens[i].text}' names {event}, the one such event the graph gives '{actor.mention.text}'; where it was"
            confidence = actor.mention.score / 100 * (0.75 if "event-verb-actors" in self.rules else 0.7)
            out.append(self._candidate(event, prop.name, entity, [actor, place], None, confidence, reason, sentence))
        return out

    def _with_terms(self, event: str, actor: Hit, verb: int, hits: list[Hit], tokens, sentence, first: int) -> list[Candidate]:
        """ "A ceasefire was declared, with ... Russian peacekeepers being deployed": an event a "with" clause after an
        agreement names is one of its terms (covers) and follows from it (resultOf)."""
        out = []
        commas = [k for k in range(first, actor.first) if tokens[k].lower_ == "with" and k > 0 and tokens[k - 1].text == ","]
        if not commas:
            return out
        agreement = self.schema.classes.get("Agreement")
        before = [h for h in hits if h.last <= commas[-1] and agreement and self._pick(h, frozenset({agreement}))]
        if not before:
            return out
        deal = before[0]
        whole = self._pick(deal, frozenset({agreement}))
        for relation, subject, obj in (("covers", whole, event), ("resultOf", event, whole)):
            prop = self.schema.relations.get(relation)
            if prop is None or not (self._fits(subject, prop.domain) and self._fits(obj, prop.range)):
                continue
            reason = f"'{tokens[verb].text}' names {event} in a ', with' clause after '{deal.mention.text}'"
            span = (deal.mention.start, tokens[verb].idx + len(tokens[verb].text))
            out.append(self._candidate(subject, relation, obj, [], span, deal.mention.score / 100 * 0.6, reason, sentence))
        return out

    def _fits(self, entity_id: str, allowed) -> bool:
        entity = self.gazetteer.entities.get(entity_id)
        return entity is not None and self.schema.fits(frozenset({entity.type_iri}), allowed)

    def _pick(self, hit: Hit, allowed) -> str | None:
        """The first of the mention's possible entities that fits ``allowed``; a city's own reading before a state it may stand for.

        People named by a plural demonym ("Armenians") stand for their state only as an actor, and ethnic kin
        ("ethnic Armenians", "100,000 Armenians") not even as that.
        """
        if _people(hit, self._tokens):
            before = self._tokens[max(0, hit.first - 2) : hit.first]
            if any(t.lower_ == "ethnic" or t.like_num or t.lower_ in ("thousands", "hundreds", "millions") for t in before):
                return None
            actor = self.schema.classes.get("Actor")
            if actor is None or not self.schema.fits(frozenset({actor}), allowed):
                return None
        fitting = [e for e in hit.mention.entities if self._fits(e, allowed)]
        cities = [e for e in fitting if self.gazetteer.entities[e].type == "City"]
        return (cities or fitting or [None])[0]

    def _sentence_candidates(self, text, tokens, sentence, hits: list[Hit], triggers: list[Trigger], nested) -> list[Candidate]:
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
        if "held-events" in self.rules:
            out += self._held_events(hits, tokens, sentence)
        if "demonym-bodies" in self.rules:
            out += self._demonym_bodies(hits, sentence)
        if "said-aside" in self.rules:
            out += self._said_aside(hits, tokens, sentence)
        if "prospects" in self.rules:
            out += self._prospects(hits, tokens, sentence)
        if "known-route-places" in self.rules:
            out += self._known_route_places(hits, sentence)
        if "described-concerns" in self.rules:
            out += self._described_concerns(hits, sentence)
        for rule, method in _STANCE_RULES.items():
            if rule in self.rules:
                out += getattr(self, method)(hits, tokens, sentence)
        out += self._compound(hits, nested, sentence)
        out += self._clause_sides(hits, tokens, sentence)
        if "event-verbs" in self.rules:
            out += self._event_verb_places(hits, tokens, sentence)
        if "where-clauses" in self.rules:
            out += self._where_clauses(hits, tokens, sentence)
        if "edge-places" in self.rules:
            out += self._edge_places(hits, tokens, sentence)
        if "help-towards" in self.rules:
            out += self._help_towards(out, hits, tokens, sentence)
        for outer in hits:
            inside = [h for h in nested if outer.mention.start <= h.mention.start and h.mention.end <= outer.mention.end]
            out += self._issue_named_with(outer, inside, sentence) if inside else []
        return out

    def _described_concerns(self, hits: list[Hit], sentence) -> list[Candidate]:
        """An issue said in its label's words ("unimpeded access ... to Nakhchivan") in a sentence naming what the graph
        says it concerns: the sentence says so again."""
        out = []
        issues = [h for h in self._described_hits if sentence.start <= h.mention.start and h.mention.end <= sentence.end]
        for issue in issues:
            for hit in hits:
                if not (hit.mention.end <= issue.mention.start or issue.mention.end <= hit.mention.start):
                    continue
                if self.gazetteer.entities[hit.mention.entity].type == "State":
                    continue  # states are named in nearly every sentence: being named with the issue says little
                if self.knowledge.has(issue.mention.entity, "concerns", hit.mention.entity):
                    reason = f"'{issue.mention.text}' describes {issue.mention.entity}, which the graph says concerns '{hit.mention.text}'"
                    confidence = min(issue.mention.score * 1.2, hit.mention.score) / 100 * 0.6
                    out.append(
                        self._candidate(
                            issue.mention.entity, "concerns", hit.mention.entity, [issue, hit], None, confidence, reason, sentence
                        )
                    )
        return out

    def _known_route_places(self, hits: list[Hit], sentence) -> list[Candidate]:
        """A route ``described-routes`` found in words ("a land bridge") in a sentence naming places the graph says it
        connects or passes through: the sentence says so again."""
        out = []
        through = self.schema.relations.get("passesThrough")
        if through is None:
            return []
        for route in (h for h in hits if (h.mention.start, h.mention.end) in self._route_spans):
            for hit in hits:
                for relation in ROUTE_RELATIONS:
                    if hit is not route and self.knowledge.has(route.mention.entity, relation, hit.mention.entity):
                        reason = f"'{route.mention.text}' is the route the graph says {relation} '{hit.mention.text}'"
                        confidence = min(route.mention.score, hit.mention.score) / 100 * 0.5
                        out.append(
                            self._candidate(
                                route.mention.entity, relation, hit.mention.entity, [route, hit], None, confidence, reason, sentence
                            )
                        )
        return out

    def _candidate(
        self, subject, relation, obj, hits: list[Hit], trigger_span, confidence, reason, sentence, dated: bool = True
    ) -> Candidate:
        spans = [(h.mention.start, h.mention.end) for h in hits] + ([trigger_span] if trigger_span else [])
        start, end = min(a for a, _ in spans), max(b for _, b in spans)
        names = "; ".join(
            f"'{h.mention.text}' = {e} ({h.mention.how} {h.mention.score:g})" for h, e in zip(hits, [subject, obj], strict=False)
        )
        known = self.knowledge.has(subject, relation, obj)
        if known:
            confidence = min(1.0, confidence + 0.2)
            reason += f"; the graph already has it from {', '.join(known[:3])}"
        return Candidate(subject, relation, obj, start, end, "", round(confidence, 2), f"{reason}; {names}", sentence, dated=dated)

    def _describe(self, prop: Property) -> str:
        return f"{self.schema.describe(prop.domain)} -> {self.schema.describe(prop.range)}"


#: Words that make a state's demonym its formal name ("the Russian Federation", "the Azerbaijani Republic").
STATE_TITLES = ("Federation", "Republic")


def _state_title(text: str, mention: Mention, gazetteer: Gazetteer) -> Mention:
    """ "the Russian Federation": a state's demonym followed by "Federation" or "Republic" is the state's name."""
    if mention.how != "demonym" or mention.text.endswith("s"):
        return mention
    rest = text[mention.end : mention.end + 12]
    word = next((w for w in STATE_TITLES if rest.startswith(" " + w) and not rest[len(w) + 1 : len(w) + 2].isalpha()), None)
    entity = gazetteer.entities.get(mention.entity)
    if word is None or entity is None or entity.type != "State":
        return mention
    end = mention.end + 1 + len(word)
    return Mention(mention.start, end, text[mention.start : end], mention.entities, mention.name, "extended", 90.0)


#: "on the edge of X": the place said so borders X.
EDGES = {"edge", "edges", "fringe", "fringes", "border", "borders", "outskirts", "periphery", "doorstep"}
#: Words between an actor and its verb: "peacekeepers were deployed", "forces being withdrawn".
_AUXILIARIES = {"was", "were", "is", "are", "be", "been", "being", "would", "will", "to", "had", "have", "has"}


def _event_verb_forms(heads: dict[str, list[str]], schema: Schema) -> dict[str, str]:
    """Verb forms of event classes' one-word nouns ("deployment": deploy, deployed, deploying; "withdrawal": withdraw,
    withdrawn): word -> class IRI."""
    events = frozenset({schema.classes["Event"]}) if "Event" in schema.classes else frozenset()
    forms: dict[str, str] = {}
    for noun, classes in heads.items():
        base = noun[:-4] if noun.endswith("ment") else noun[:-2] if noun.endswith("wal") else ""
        if " " in noun or len(base) < 4:
            continue
        stem = base[:-1] if base.endswith("e") else base
        for name in classes:
            if schema.fits(frozenset({schema.classes[name]}), events):
                for form in (base, base + "s", stem + "ed", stem + "ing") + ((base + "n",) if noun.endswith("wal") else ()):
                    forms[form] = schema.classes[name]
    return forms


def _inside_pronoun(mention: Mention, described: Mention) -> bool:
    """A pronoun strictly inside a description's words."""
    return mention.how == "pronoun" and described.start < mention.start and mention.end < described.end


def _people(hit: Hit, tokens) -> bool:
    """A plural demonym names people ("Armenians", "100,000 ethnic Armenians"), not the state."""
    return hit.mention.how == "demonym" and hit.mention.text.endswith("s")


def _best_per_pair(found: list[Candidate], schema: Schema) -> list[Candidate]:
    """Per pair of entities said together by one trigger, the best relations; a super-property gives way to its
    sub-property. ("Israel ... its arms supplier and the former an oil provider" says two things of one pair.)"""
    by_pair: dict[tuple, list[Candidate]] = {}
    for cand in found:
        by_pair.setdefault((frozenset((cand.subject, cand.object)), cand.start, cand.end), []).append(cand)
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


#: A heading is a line of at most this many words.
HEADING_WORDS = 16


def _is_heading(text: str, sentence: Sentence) -> bool:
    """A line of its own, short and not ending with a full stop: a title or section heading, which a reader takes in
    apart from the paragraphs around it ("What are the obstacles to an Armenia-Azerbaijan agreement?")."""
    before = text[text.rfind("\n", 0, sentence.start) + 1 : sentence.start]
    end = text.find("\n", sentence.end)
    after = text[sentence.end : len(text) if end < 0 else end]
    line = sentence.text.strip()
    return not before.strip() and not after.strip() and len(line.split()) <= HEADING_WORDS and not line.endswith(".")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between line breaks."""
    out, start = [], 0
    for found in re.finditer(r"\n", text):
        if found.start() > start:
            out.append((start, found.start()))
        start = found.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _paragraph_date(text: str, sentence: Sentence, dates: DocumentDates, later: bool = False) -> FoundDate | None:
    """The last date given earlier in the sentence's paragraph (a story keeps its time until it names another), or with
    ``later`` the first one given after the sentence in its paragraph ("The meeting ... Following the meeting in August")."""
    start = text.rfind("\n", 0, sentence.start) + 1
    end = text.find("\n", sentence.end)
    end = len(text) if end < 0 else end
    found = dates.between(sentence.end, end) if later else dates.between(start, sentence.start)
    if not found:
        return None
    pick = found[0] if later else found[-1]
    note = f"'{pick.text}' {'later' if later else 'earlier'} in the paragraph" + (f"; {pick.note}" if pick.note else "")
    return FoundDate(pick.start, pick.end, pick.text, pick.value, note)


def _shifted(date: FoundDate, by: int) -> FoundDate:
    return FoundDate(date.start + by, date.end + by, date.text, date.value, date.note)


def _publication_date(doc: Document) -> FoundDate:
    """No date in the sentence or its paragraph: the publication date, and the note says so."""
    value = doc.published.text
    note = f"no date in the sentence or its paragraph: the publication date {value}, taken as when the article says it"
    return FoundDate(0, 0, value, value, note)


def _nearest_date(cand: Candidate, dates: list[FoundDate], sentence: Sentence) -> FoundDate | None:
    """The sentence's date nearest to the candidate's words (offsets in the text)."""
    if not dates:
        return None
    middle = (cand.start + cand.end) / 2
    return min(dates, key=lambda d: abs((d.start + d.end) / 2 - middle))


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
    curated = {(f.subject, f.relation.name, f.object) for f in curation.facts if f.object and f.source == doc_id}
    drafter = Drafter(Gazetteer.from_curation(curation), curation.schema, Knowledge.from_curation(curation, without_source=doc_id))
    draft = drafter.draft(doc, curated, min_confidence)
    from peacegraph.curate.ingest import atomic_write

    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, render(draft).encode("utf-8"))
    return Written(target, draft)
