"""Candidates read off where an actor stands in a clause about a known event: its subject, or who owns the noun.

"In the war, Baku retook the region" and "Armenia and Azerbaijan made progress in the talks": no trigger word says
how the actor and the event are related, but the clause does; an actor taking part in what the clause is set in is a
side of it (partyTo) or a participant (participantIn), by the event's class (``NamingRules._side_relation``); one
acting on another actor in it ("its backing of Baku in the conflict"), or the agent of an action on it ("the handling
of the crisis by Russia"), has some role in it (involvedIn). "The two sides" with no names to point back to are the
sides the graph knows of the agreement the sentence names; a bare plural ("in peace talks") is the peace process.
Each is a rule of ``draft.RULES``: fronted-events, event-complements, acting-in-events, event-agents, unnamed-sides,
bare-talks, held-by-sides, presence-in.

A mixin of ``Drafter``, like ``TriggerRules`` and ``NamingRules``.
"""

from __future__ import annotations

import bisect

from peacegraph.curate.candidates import Candidate, Hit
from peacegraph.curate.words import AUXILIARIES, HOLDING, POSSESSIVE_PRONOUNS, PREPOSITIONS, STATE_AGENTS

#: Prepositions that set a clause in an event: "in the war", "at the summit", "during the talks", "on the talks".
SETTING = {"in", "at", "during", "on", "throughout"}
#: Nouns of an actor's being part of an event ("the presence of X in the talks", "X's involvement in the war").
PRESENCE_NOUNS = {"presence", "involvement", "engagement"}
#: Words that may stand between the holders of an event and "held" ("officials have also held").
HOLDER_FILLERS = {"have", "has", "had", "also", "jointly", "already", "recently", "repeatedly"}
#: Words after which a clause (and its subject) begins.
CLAUSE_OPENERS = {",", ";", ":", "and", "but", "as", "while", "when", "since", "because", "though", "although", "after", "before", "so"}
#: Classes of fighting, whose sides are states and armed groups, not persons.
ARMED = ("Conflict", "War", "Clash", "MilitaryOffensive")
#: Endings of nouns made from verbs ("handling", "mediation", "management", "approval", "acceptance"): they have agents.
ACTION_NOUNS = ("ing", "ion", "ment", "al", "ance", "ence")
#: What befalls people in an event ("killed during the conflict"): they were involved in it.
SUFFERING = {"killed", "wounded", "injured", "displaced", "died", "perished", "expelled", "uprooted", "detained"}
#: At most this many words between the actor and the preposition ("has been dragging its feet in").
VERB_GAP = 6
#: At most this many words between the preposition and the event ("in a 2020 war", "on these peace talks").
NOUN_GAP = 3


class ClauseRules:
    """An actor and the event its clause is set in: "Armenia made headway on the talks", "In the war, Baku ..."."""

    def _clause_sides(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        prop = self.schema.relations.get("partyTo")
        if prop is None:
            return []
        ordered = sorted(hits, key=lambda h: h.first)
        out: list[Candidate] = []
        if "fronted-events" in self.rules:
            out += self._fronted_event(ordered, tokens, sentence, prop)
        if "event-complements" in self.rules:
            out += self._event_complement(ordered, tokens, sentence, prop)
        if "event-agents" in self.rules:
            out += self._event_agent(ordered, tokens, sentence, prop)
        if "unnamed-sides" in self.rules:
            out += self._unnamed_sides(ordered, tokens, sentence, prop)
        if "held-by-sides" in self.rules:
            out += self._held_by_sides(ordered, tokens, sentence, prop)
        if "presence-in" in self.rules:
            out += self._presence_in(ordered, tokens, sentence)
        if "victims" in self.rules:
            out += self._victims(ordered, tokens, sentence)
        return out

    def _presence_in(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "the growing presence of the United States in these discussions", "Turkey's involvement in the talks": the
        actor whose presence or involvement in an event the noun says is involved in it."""
        prop = self.schema.relations.get("involvedIn")
        if prop is None:
            return []
        first, last = self._sentence_first(sentence), bisect.bisect_left(self._starts, sentence.end)
        out: list[Candidate] = []
        for k in range(first, last):
            if tokens[k].lower_ not in PRESENCE_NOUNS:
                continue
            actor = None
            if k + 1 < last and tokens[k + 1].lower_ == "of":
                actor = next(
                    (h for h in ordered if h.first in (k + 2, k + 3) and (h.first == k + 2 or tokens[k + 2].lower_ == "the")), None
                )
                after = actor.last if actor else None
            else:
                # "Turkey's (growing) involvement", "its (growing) involvement".
                actor = next((h for h in ordered if _owns(h, k, tokens)), None)
                after = k + 1
            if actor is None or after is None or after >= last or tokens[after].lower_ not in ("in", "at", "during"):
                continue
            event = next((h for h in ordered if 1 <= h.first - after <= NOUN_GAP + 1), None)
            if event is None or not all(t.is_alpha and t.is_lower for t in tokens[after + 1 : event.first]):
                continue
            whole, subject = self._pick(event, prop.range), self._pick(actor, prop.domain)
            events = frozenset(self.schema.classes[c] for c in ("Event", "Agreement") if c in self.schema.classes)
            if not whole or not subject or whole == subject or not self._fits(whole, events):
                continue
            confidence = (actor.mention.score + event.mention.score) / 200 * 0.8
            reason = f"'{actor.mention.text}' has a '{tokens[k].text}' in '{event.mention.text}'"
            out.append(self._candidate(subject, "involvedIn", whole, [actor, event], None, confidence, reason, sentence))
        return out

    def _held_by_sides(self, ordered: list[Hit], tokens, sentence, prop) -> list[Candidate]:
        """ "Armenian and Azerbaijani officials have held numerous discussions": who hold an event with no one named
        after "with" (that is a host's, see held-events) take part in it, as sides."""
        first, last = self._sentence_first(sentence), bisect.bisect_left(self._starts, sentence.end)
        out: list[Candidate] = []
        for k in range(first, last):
            if tokens[k].lower_ not in HOLDING:
                continue
            event = next((h for h in ordered if 1 <= h.first - k <= 3), None)
            if (
                event is None
                or not self._pick(event, prop.range)
                or not all(t.is_alpha and t.is_lower for t in tokens[k + 1 : event.first])
            ):
                continue
            if event.last < len(tokens) and tokens[event.last].lower_ == "with":
                continue
            actor = next((h for h in reversed(ordered) if h.last <= k and k - h.last <= 3), None)
            if actor is None or not all(t.lower_ in STATE_AGENTS or t.lower_ in HOLDER_FILLERS for t in tokens[actor.last : k]):
                continue
            out += self._sides_of(actor, event, ordered, tokens, sentence, prop, "the holder of", 0.9)
        return out

    def _victims(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "thousands of Armenians and Azerbaijanis have been killed during the conflict": people killed, wounded or
        driven out in an event were involved in it (involvedIn), whoever they are counted by."""
        prop = self.schema.relations.get("involvedIn")
        if prop is None:
            return []
        first, last = self._sentence_first(sentence), bisect.bisect_left(self._starts, sentence.end)
        out = []
        for k in range(first + 1, last):
            if tokens[k].lower_ not in SUFFERING:
                continue
            j = k
            while j > first and tokens[j - 1].lower_ in AUXILIARIES | {"being"}:
                j -= 1
            subject = next((h for h in ordered if h.last == j), None)
            at = next((i for i in range(k + 1, min(k + 3, last)) if tokens[i].lower_ in ("during", "in")), None)
            event = next((h for h in ordered if at is not None and 0 < h.first - at <= 4), None)
            if subject is None or event is None or not all(t.is_alpha and t.is_lower for t in tokens[at + 1 : event.first]):
                continue
            whole = self._pick(event, prop.range)
            if whole is None:
                continue
            listed = [subject]
            while (before := next((h for h in ordered if h.last < listed[-1].first and h.last >= listed[-1].first - 1), None)) and tokens[
                before.last
            ].lower_ in ("and", ","):
                listed.append(before)
            for hit in listed:
                for entity in [e for e in hit.mention.entities if self._fits(e, prop.domain) and e != whole][:1]:
                    confidence = (hit.mention.score + event.mention.score) / 200 * 0.7
                    reason = f"'{hit.mention.text}' {tokens[k].text} {tokens[at].text} '{event.mention.text}': involved in it"
                    out.append(self._candidate(entity, prop.name, whole, [hit, event], None, confidence, reason, sentence))
        return out

    def _unnamed_sides(self, ordered: list[Hit], tokens, sentence, prop) -> list[Candidate]:
        """ "the two sides have resumed talks and sketched out a peace deal" with no two names before it to point back
        to: the sides are those of the one agreement or sided event the sentence names, as far as the graph knows them
        (the noun "sides" says they are parties to something; the sentence says to what)."""
        first, last = self._sentence_first(sentence), bisect.bisect_left(self._starts, sentence.end)
        covered = {i for h in ordered for i in range(h.first, h.last)}
        # "sides", "parties": the nouns among partyTo's own trigger words.
        nouns = [t for t in tokens[first + 1 : last] if t.lower_ in ("sides", "parties") and t.i not in covered]
        nouns = [t for t in nouns if tokens[t.i - 1].lower_ in ("both", "two")]
        if not nouns:
            return []
        events = {}
        for hit in ordered:
            whole = self._pick(hit, prop.range)
            if whole and self._side_relation(whole) == "partyTo" and hit.first > nouns[0].i:
                events.setdefault(whole, hit)
        if len(events) != 1:
            return []
        ((whole, hit),) = events.items()
        sides = sorted({s_ for (s_, r, o) in self.knowledge.triples if o == whole and r == "partyTo"})
        if len(sides) != 2:
            return []  # "the two sides" of an event the graph gives two sides
        noun = nouns[0]
        span = (tokens[noun.i - 1].idx, noun.idx + len(noun.text))
        confidence = hit.mention.score / 100 * 0.7
        reason = f"'{tokens[noun.i - 1].text} {noun.text}' points back to no names; the two sides the graph knows of {whole}"
        return [self._candidate(side, "partyTo", whole, [hit], span, confidence, reason, sentence) for side in sides]

    def _event_agent(self, ordered: list[Hit], tokens, sentence, prop) -> list[Candidate]:
        """ "the handling of the crisis by Russia": the agent after "by" of a noun whose object is a known event acted in
        it, in some role (involvedIn); a trigger noun ("the violation of the ceasefire by ...") says which itself."""
        out: list[Candidate] = []
        for index, event in enumerate(ordered):
            if not self._pick(event, prop.range) or event.last + 1 >= len(tokens) or tokens[event.last].lower_ != "by":
                continue
            k = event.first - 1
            while k > 0 and tokens[k].lower_ in ("the", "this", "that", "its", "their"):
                k -= 1
            noun = tokens[k - 1] if k >= 1 else None
            if noun is None or tokens[k].lower_ != "of" or not (noun.is_alpha and noun.is_lower and noun.lower_.endswith(ACTION_NOUNS)):
                continue  # an action ("the handling of"), whose agent "by" names; not "the end of the war by ..."
            if any(
                t.first < event.last and t.last > k - 1 and t.phrase not in PREPOSITIONS and self._takes_events(t) for t in self._trig_s
            ):
                continue
            agent = next((h for h in ordered[index + 1 :] if h.first in (event.last + 1, event.last + 2)), None)
            if agent is None or (agent.first == event.last + 2 and tokens[event.last + 1].lower_ != "the"):
                continue
            out += self._sides_of(agent, event, ordered, tokens, sentence, prop, "the agent after 'by' of a noun of", 0.65, "involvedIn")
        return out

    def _fronted_event(self, ordered: list[Hit], tokens, sentence, prop) -> list[Candidate]:
        """ "In a war in 2020, Baku reclaimed much of its territory", "During the talks, Armenia agreed ...": a sentence
        opening with a phrase set in a known event, then a comma; the actor right after the comma (the main clause's
        subject) took part in it."""
        out = self._relative_setting(ordered, tokens, sentence, prop)
        first = self._sentence_first(sentence)
        if first >= len(tokens) or tokens[first].lower_ not in SETTING:
            return out
        comma = next((t.i for t in tokens[first : first + 12] if t.text == ","), None)
        if comma is None:
            return out
        events = [h for h in ordered if first < h.first and h.last <= comma and self._pick(h, prop.range)]
        subject = next((h for h in ordered if h.first in (comma + 1, comma + 2)), None)
        if not events or subject is None or (subject.first == comma + 2 and tokens[comma + 1].lower_ != "the"):
            return out
        event = events[0]
        if tokens[first].i + 1 + NOUN_GAP < event.first or any(t.text[:1].isupper() for t in tokens[first + 1 : event.first]):
            return out  # the event is what the opening phrase is set in, not something named later in it
        return out + self._sides_of(subject, event, ordered, tokens, sentence, prop, "the subject after an opening phrase set in", 0.75)

    def _relative_setting(self, ordered: list[Hit], tokens, sentence, prop) -> list[Candidate]:
        """ "the 2020 war, in which Azerbaijan retook ...", "the talks, during which Armenia agreed ...": the subject of a
        relative clause set in a known event took part in it."""
        out: list[Candidate] = []
        for index, event in enumerate(ordered):
            k = event.last + (1 if tokens[event.last : event.last + 1].text == "," else 0)
            if k + 2 >= len(tokens) or tokens[k].lower_ not in SETTING or tokens[k + 1].lower_ != "which":
                continue
            if not self._pick(event, prop.range):
                continue
            subject = next((h for h in ordered[index + 1 :] if h.first in (k + 2, k + 3)), None)
            if subject is None or (subject.first == k + 3 and tokens[k + 2].lower_ != "the"):
                continue
            out += self._sides_of(subject, event, ordered, tokens, sentence, prop, "the subject of a relative clause set in", 0.75)
        return out

    def _event_complement(self, ordered: list[Hit], tokens, sentence, prop) -> list[Candidate]:
        """ "as Armenia and Azerbaijan make headway on these peace talks", "Armenia's defeats in a 2020 war": an actor
        that begins a clause (or owns the noun) and a known event after "in", "on", "at" or "during" a few words later,
        with no other name and no trigger word between (a trigger says the relation itself)."""
        out: list[Candidate] = []
        start = self._sentence_first(sentence)
        for index, actor in enumerate(ordered):
            pronoun = actor.mention.text.lower() in POSSESSIVE_PRONOUNS
            if actor.mention.how == "relative" or (pronoun and "acting-in-events" not in self.rules):
                continue
            possessive = pronoun or (actor.last < len(tokens) and tokens[actor.last].text in ("'s", "'"))
            listed = [actor] + ([] if pronoun else [h for h, _ in self._coordinated_with(actor, ordered, tokens, prop.domain)])
            head = min(listed, key=lambda h: h.first)
            # The list's first name begins the clause ("between Armenia and Azerbaijan in the war": "and" begins none).
            opens = head.first == start or (head.first > 0 and tokens[head.first - 1].lower_ in CLAUSE_OPENERS)
            if not (possessive or opens) or actor is not max(listed, key=lambda h: h.first):
                continue  # the last of a list reads on; its first begins the clause
            gap_start = actor.last + (1 if possessive and not pronoun else 0)
            later = [h for h in ordered[index + 1 :] if h.first > gap_start]
            if "bare-talks" in self.rules:
                found = self._bare_process(tokens, sentence, ordered, self._pick(actor, prop.domain))
                later = sorted(later + [h for h in found if h.first > gap_start], key=lambda h: h.first)
            event = next((h for h in later[:2] if self._pick(h, prop.range)), None)
            if event is None:
                continue
            words = tokens[gap_start : event.first]
            preposition = next((k for k in range(len(words) - 1, -1, -1) if words[k].lower_ in SETTING), None)
            if preposition is None or preposition > VERB_GAP or len(words) - preposition - 1 > NOUN_GAP:
                continue
            if words[preposition].lower_ == "on" and self._fits(event.mention.entity, self._armed()):
                continue  # "an outlook on the conflict", "a statement on the war": what is said is about it
            others = [h for h in ordered if h.first < event.first and h.last > gap_start and h is not event]
            named = {i for h in others for i in range(h.first, h.last)}
            if not all(t.is_alpha and not t.text[:1].isupper() or t.like_num or t.i in named for t in words):
                continue  # a comma, a quotation or a capitalised word between: another clause or an unknown name
            others = [h for h in others if h.mention.entity != actor.mention.entity]
            triggers = [t for t in self._trig_s if t.first < event.first and t.last > actor.first and t.phrase not in PREPOSITIONS]
            acting = None
            if others or triggers:
                # "its backing of Baku in the conflict": the actor acts on another in the event, in some role (involvedIn),
                # unless a trigger between could itself relate it to the event ("Russia mediated in the talks").
                if "acting-in-events" not in self.rules or not others or len(others) > 1:
                    continue
                if any(self._takes_events(t) for t in triggers) or tokens[others[0].first - 1].lower_ not in ("of", "to", "with", "for"):
                    continue
                acting = "involvedIn"
            reason = "owner of a noun set in" if possessive else "the subject of a clause set in"
            if acting:
                reason = f"acting on '{others[0].mention.text}' ({reason})"
            out += self._sides_of(actor, event, ordered, tokens, sentence, prop, reason, 0.7, acting)
        return out

    def _bare_process(self, tokens, sentence, ordered: list[Hit], actor: str | None) -> list[Hit]:
        """ "Azerbaijan has been dragging its feet in peace talks": a bare plural ("in talks", "in peace negotiations", no
        determiner) speaks of the talks going on, the peace process, not of one round: the one process of the head's
        kinds the graph knows the actor takes part in."""
        from peacegraph.curate.gazetteer import Mention

        process = self.schema.classes.get("PeaceProcess")
        if actor is None or process is None:
            return []
        first, last = self._sentence_first(sentence), bisect.bisect_left(self._starts, sentence.end)
        covered = {i for h in ordered for i in range(h.first, h.last)}
        out = []
        for match_id, s, e in self.describer._matcher(tokens[first:last]):
            phrase = self.gazetteer.nlp.vocab.strings[match_id]
            if s == 0 or tokens[s - 1].lower_ not in SETTING or not phrase.endswith("s") or any(i in covered for i in range(s, e)):
                continue
            members = {m for c in self.describer.heads[phrase] for m in self.describer._members.get(c, [])}
            taking = {
                m for m in members if self._fits(m, frozenset({process}))
                and any((actor, r, m) in self.knowledge.triples for r in ("partyTo", "participantIn", "involvedIn"))
            }  # fmt: skip
            if len(taking) != 1:
                continue
            (entity,) = taking
            start, end = tokens[s].idx, tokens[e - 1].idx + len(tokens[e - 1].text)
            out.append(Hit(Mention(start, end, tokens[s:e].text, (entity,), f"bare '{phrase}'", "bare", 70.0), s, e))
        return out

    def _armed(self) -> frozenset:
        return frozenset(self.schema.classes[c] for c in ARMED if c in self.schema.classes)

    def _takes_events(self, trig) -> bool:
        """True if one of the trigger's relations may take an event or agreement as its object."""
        events = frozenset(self.schema.classes[c] for c in ("Event", "Agreement") if c in self.schema.classes)
        for name in self.lexicon.phrases[trig.phrase]:
            prop = self.schema.relations.get(name)
            if prop is not None and prop.is_object and (self.schema.fits(events, prop.range) or self.schema.fits(prop.range, events)):
                return True
        return False

    def _sides_of(
        self, subject: Hit, event: Hit, ordered, tokens, sentence, prop, how: str, factor: float, relation: str | None = None
    ) -> list[Candidate]:
        whole = self._pick(event, prop.range)
        first = self._pick(subject, prop.domain)
        if not whole or not first:
            return []
        relation = relation or self._side_relation(whole)
        armed = self._armed()
        listed = [(subject, first)]
        if subject.mention.text.lower() not in POSSESSIVE_PRONOUNS:  # "Azerbaijan and its backing": "its" lists no one
            listed += self._coordinated_with(subject, ordered, tokens, prop.domain)
        out = []
        for hit, entity in listed:
            for member in self._members(hit, entity, prop.domain):
                if member == whole or (self.gazetteer.entities[member].type == "Person" and self._fits(whole, armed)):
                    continue  # a person is no side of a war ("Blinken's outlook on the conflict")
                confidence = (hit.mention.score + event.mention.score) / 200 * factor
                why = "by the kind of" if relation == self._side_relation(whole) else "a role in"
                reason = f"'{hit.mention.text}' is {how} '{event.mention.text}'; {relation}: {why} {whole}"
                known = {s_ for (s_, r, o) in self.knowledge.triples if o == whole and r == "partyTo"}
                if relation == "partyTo" and self._fits(whole, armed) and len(known) >= 2 and member not in known:
                    # A war's sides are few and the graph knows them: "Georgia stayed neutral in the war" names a bystander.
                    confidence *= 0.6
                    reason += f"; not one of the sides the graph knows ({', '.join(sorted(known))})"
                out.append(self._candidate(member, relation, whole, [hit, event], None, confidence, reason, sentence))
        return out

    def _sentence_first(self, sentence) -> int:
        return bisect.bisect_left(self._starts, sentence.start)


def _owns(hit: Hit, noun: int, tokens) -> bool:
    """True if ``hit`` is the possessor of the noun at ``noun``, with at most one lower-case word between."""
    if hit.mention.text.lower() in POSSESSIVE_PRONOUNS:
        end = hit.last
    elif hit.last < len(tokens) and tokens[hit.last].text in ("'s", "'"):
        end = hit.last + 1
    else:
        return False
    return end == noun or (end == noun - 1 and tokens[end].is_alpha and tokens[end].is_lower)
