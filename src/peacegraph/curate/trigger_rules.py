"""Candidates a trigger word gives: subject and object placed around it by domain, range, order and voice.

A mixin of ``Drafter``: the methods read the drafter's gazetteer, schema, lexicon, rules and the document's tokens.
"""

from __future__ import annotations

import bisect
import re

from peacegraph.curate.candidates import NAME_HOWS, SYMMETRIC, Candidate, Hit, Trigger
from peacegraph.curate.words import (
    AUXILIARIES,
    BE_FORMS,
    CONCLUDED_STATUSES,
    CONCLUDING_RELATIONS,
    COORDINATORS,
    FRONTING,
    HOLDING,
    LOCATIVE,
    NOT_YET,
    POSSESSIVE_PRONOUNS,
    PREPOSITION_GAP,
    PREPOSITIONS,
    PROSPECT_AFTER,
    PROSPECT_BEFORE,
    QUOTE_MARKS,
    ROLE_NOUN_ENDINGS,
    ROLE_NOUNS,
    SAYING,
    STATE_AGENTS,
)
from peacegraph.load.schema import Property

#: Relations of saying: what a reported clause ("stated that ...") is about is their object.
SAYING_RELATIONS = {"commentsOn", "hasStanceOn"}
#: A subject or object further than this many tokens from its trigger is not considered.
MAX_GAP = 14
#: Relations that bring together everyone named with them: a meeting with A and B is a meeting of A with B as well.
GATHERINGS = {"metWith"}
#: Adverbs and auxiliaries that may stand between an opening "that" and its verb ("That also led to", "This in turn has").
_LINKING = {"also", "then", "later", "soon", "in", "turn", "itself", "has", "have", "had", "will", "would", "may", "might"}


class TriggerRules:
    """A trigger and the names around it: "A brokered B", "B was brokered by A", "the meeting between A and B"."""

    def _around(self, trig: Trigger, prop: Property, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        if prop.name in CONCLUDING_RELATIONS and "not-yet" in self.rules and self._not_yet(trig, sentence):
            return []  # "if he signs the deal": no one has signed it
        if prop.name in SYMMETRIC and "neighbour-groups" in self.rules:
            # "the neighbouring countries": a group whose own words are the trigger says it of its members.
            group = next((h for h in hits if h.mention.how == "group" and h.first <= trig.first and trig.last <= h.last), None)
            if group is not None:
                return self._within_group(trig, prop, group, sentence)
        following = tokens[trig.last].lower_ if trig.last < len(tokens) else ""
        passive = following == "by"
        left = [h for h in hits if h.last <= trig.first][::-1]  # nearest first
        right = [h for h in hits if h.first >= trig.last]
        if trig.phrase.endswith(" by") and "passive-by" in self.rules:
            # "the government, led by Nikol Pashinyan": a trigger ending in "by" is passive when its subject fits only
            # after it ("a region inhabited by Armenians" keeps its subject before).
            passive = self._nearest(left, prop.domain, trig) is None and self._nearest(right, prop.domain, trig) is not None
        if following in ("of", "in") and "noun-copula" in self.rules:
            found = self._noun_copula(trig, prop, hits, tokens, sentence)
            if found:
                return found
        if following == "between" or (prop.name in SYMMETRIC and following in ("of", "among")):
            # "the meeting between A and B": both sides follow the trigger; whoever stands before it is not one of them.
            found = self._between(trig, prop, right, hits, tokens, sentence)
            if not found and "between-sides" in self.rules and not trig.phrase.endswith(ROLE_NOUN_ENDINGS):
                found = self._between_sides(trig, prop, left, hits, tokens, sentence)
            return found
        if not passive and "passive-agent" in self.rules and self._passive_participle(trig):
            # "Azerbaijan has been accused of using drones ... by the Armenian government": the agent follows a later
            # "by"; the name before the verb is what was done to. Without a "by", no one is said to have done it.
            agent = self._later_by(trig, sentence)
            if agent is None:
                return []
            if agent > trig.last:
                by = Trigger(trig.phrase, agent, agent + 1, trig.start, trig.end)  # distances counted from the "by"
                subject = self._nearest([h for h in right if h.first > agent], prop.domain, by, PREPOSITION_GAP[1])
                obj = self._nearest(left, prop.range, trig, PREPOSITION_GAP[0] + 1)
                if subject is None or obj is None:
                    return []
                # Scored as if the agent stood right after the verb: the words between are the verb's own complement.
                confidence = (subject[0].mention.score + obj[0].mention.score) / 200 * self.lexicon.specificity(trig.phrase) * 0.8
                reason = f"trigger '{trig.phrase}' (passive voice, the agent after a later 'by'); {prop.name}: {self._describe(prop)}"
                return [
                    self._candidate(s_id, prop.name, o_id, [subject[0], obj[0]], (trig.start, trig.end), confidence, reason, sentence)
                    for s_id in self._members(subject[0], subject[1], prop.domain)
                    for o_id in self._members(obj[0], obj[1], prop.range)
                    if s_id != o_id
                ]
        subject_side, object_side = (right, left) if passive else (left, right)
        preposition = trig.phrase in PREPOSITIONS
        left_gap, right_gap = PREPOSITION_GAP if preposition else (MAX_GAP, MAX_GAP)
        if " " in trig.phrase and trig.phrase.split()[-1] in PREPOSITIONS and "preposition-objects" in self.rules:
            # "interest in the region", "control of Nagorno-Karabakh": the object of a trigger ending in a preposition
            # follows that preposition closely, as a preposition's own would (its subject may stand further back).
            right_gap = PREPOSITION_GAP[1] + 2
        if preposition and not passive:
            # A preposition after a comma does not attach to what stands before the comma.
            left = [h for h in left if "," not in [t.text for t in tokens[h.last : trig.first]]]
        if not passive and "references" in self.rules:
            role = self._possessor_of_role(trig, left, tokens)
            if role is not None:
                # "Israel ... its major arms supplier", "its Armenian partner": whose supplier or partner it is, is the
                # object; the subject is named with the role noun, or stands before.
                owner, holder = role
                owned = self._pick(owner, prop.range)
                if holder is not None:
                    subject = (holder, self._pick(holder, prop.domain)) if self._pick(holder, prop.domain) else None
                else:
                    subject = self._nearest([h for h in left if h.last <= owner.first], prop.domain, trig, left_gap)
                if owned and subject:
                    return self._pairs(
                        trig, prop, [subject], [(owner, owned)], hits, tokens, sentence, "possessor of the role noun is the object", 0.9
                    )
        subject = self._nearest(subject_side, prop.domain, trig, right_gap if passive else left_gap)
        if preposition and not passive and "between-head" in self.rules:
            # "the conflict between Armenia and Azerbaijan over Nagorno-Karabakh": the preposition after a "between"
            # phrase attaches to the noun before "between", not to its last side.
            head = self._head_before_between(trig, hits, tokens)
            if head is not None and (entity := self._pick(head, prop.domain)):
                subject = (head, entity)
        placement = "passive voice ('... by')" if passive else "active voice"
        if subject is None and not passive and "that-events" in self.rules:
            event = self._demonstrative_event(trig, prop, sentence)
            if event is not None:
                subject, placement = event, "'that' opening the sentence: the event the sentence before named last"
        if subject is None and not passive and "trigger-heads" in self.rules:
            # "an offensive against Armenia", "the attack on X": the trigger's own noun names the event it is said of.
            head = next((h for h in hits if trig.first <= h.first and h.last < trig.last), None)
            if head is not None and (entity := self._pick(head, prop.domain)):
                subject, placement = (head, entity), "the trigger's own noun is the subject"
        shared = False
        if subject is None and not passive and "coordinated-verbs" in self.rules:
            subject = self._shared_subject(trig, prop, hits, sentence)
            if subject is not None:
                placement, shared = "the sentence's subject, shared by a verb after 'but' or 'and'", True
        if "hyphen-modifiers" in self.rules and not passive:
            # "the Russia-backed CSTO": a name run into a participle modifies the noun after it; it is not the object.
            object_side = [h for h in object_side if not _hyphen_modifier(h, tokens)]
        obj = self._nearest(object_side, prop.range, trig, left_gap if passive else right_gap)
        if obj is not None and subject is not None and "own-possessive" in self.rules and obj[1] == subject[1]:
            if obj[0].mention.text.lower() in POSSESSIVE_PRONOUNS and obj[0].first >= trig.last:
                # "Armenia has frozen its ties with the CSTO": "its" is the subject's own; the object comes after.
                obj = self._nearest([h for h in object_side if h is not obj[0]], prop.range, trig, right_gap)
        if obj is not None and not passive and "clause-objects" in self.rules and _role_noun(trig.phrase):
            # "Russia's role as a mediator has been interrupted by its war": a verb after the role noun starts the
            # clause's predicate; what follows it is not what the noun is a role in.
            if obj[0].first >= trig.last and any(t.lower_ in AUXILIARIES for t in tokens[trig.last : obj[0].first]):
                obj = None
        if (obj is None or subject is None) and not passive and "owner-objects" in self.rules:
            owned = self._owner_object(trig, prop, hits, tokens)
            if owned is not None:
                obj, placement = owned, "the owner named before the trigger noun"
                if subject is None or subject[0] is owned[0]:
                    # "the Armenian capital, Yerevan": the name in apposition after the noun.
                    after = next((h for h in right if h.first == trig.last + 1 and tokens[trig.last].text == ","), None)
                    subject = (after, self._pick(after, prop.domain)) if after and self._pick(after, prop.domain) else None
        # "said that X ...": X is what the reported clause is about only now and then.
        factor = 0.7 if following == "that" else 1.0
        if prop.name in SYMMETRIC and subject and not obj:
            # "A and B met": both names before the trigger.
            pair = [h for h in left if h is not subject[0] and self._pick(h, prop.range)]
            if pair and _coordinated(tokens, pair[0], subject[0]):
                obj = (pair[0], self._pick(pair[0], prop.range))
                placement, factor = "both names before the trigger", 0.9
            elif subject[0].mention.how == "group":
                # "the two sides met": the members of the group with each other.
                return self._within_group(trig, prop, subject[0], sentence)
        if obj is None and subject is not None and not passive:
            # "Nagorno-Karabakh, a region that both countries claim": the relative pronoun before the subject is the object.
            relative = next((h for h in hits if h.mention.how == "relative" and 0 <= subject[0].first - h.last <= 1), None)
            if relative is not None and (entity := self._pick(relative, prop.range)):
                obj, placement = (relative, entity), "object of a relative clause"
        opener = tokens[trig.first - 1].lower_ if trig.first > 0 else ""
        fronted = trig.phrase.endswith(("ing", "ed")) and (
            opener in FRONTING or trig.first == bisect.bisect_left(self._starts, sentence.start)
        )
        # "Having lost the war, Pashinyan ...": "having" opens a fronted clause whatever the participle's ending.
        fronted = fronted or ("having-fronted" in self.rules and opener == "having")
        if subject is None and obj is not None and not passive and fronted:
            # "Despite brokering the ceasefire, Russia ...": the subject follows the object.
            after = [h for h in right if h.first >= obj[0].last]
            subject = self._nearest(after, prop.domain, trig, limit=MAX_GAP + 6)
            placement, factor = "subject after a fronted clause", 0.6
        if subject is not None and not passive and "described-objects" in self.rules:
            described = self._described_object(trig, prop)
            if described is not None and (obj is None or described[0].first < obj[0].first):
                obj, placement, factor = described, "an event or issue said in its label's words right after the trigger", 0.9
        if subject is not None and not passive and prop.name == "demands" and "demanded-clauses" in self.rules:
            clause = self._demanded_clause(trig, prop)
            if clause is not None:
                obj, placement, factor = clause, "the issue a demanded clause describes ('demands that A change ...')", 0.9
            elif obj is not None and tokens[trig.last].lower_ == "that" and obj[0].first == trig.last + 1:
                obj = None  # "demanded that Armenia ...": the subject of what is demanded, not the demand
        if subject is not None and not passive and prop.name in SAYING_RELATIONS and "reported-clauses" in self.rules:
            reported = self._reported_topic(trig, prop, sentence)
            if reported is not None:
                obj, placement, factor = reported[0], "the event, agreement or issue the reported clause names", reported[1]
        if subject is not None and obj is None and not passive and "possessor-scope" in self.rules:
            # "The Caucasus has fallen into Russia's sphere of influence": the possessor of the trigger noun is the
            # subject; what was brought into (or lies within) its scope is the name before the preposition.
            owned = subject[0].last + 1 == trig.first and tokens[subject[0].last].lower_ in ("'s", "’s")
            k = subject[0].first - 1
            if owned and k > 0 and tokens[k].lower_ in ("into", "within", "under", "in", "inside"):
                earlier = [h for h in left if h.last <= k and h is not subject[0]]
                found = self._nearest(earlier, prop.range, Trigger(trig.phrase, k, k + 1, trig.start, trig.end))
                if found is not None and found[1] != subject[1]:
                    obj, placement, factor = found, "the name brought into the scope of the trigger noun's possessor", 0.9
        if subject is not None and obj is None and not passive and "quoted" in self.rules:
            quoted = self._quoted_object(trig, prop, subject, hits)
            if quoted is not None:
                obj, placement, factor = quoted, "what the quotation before the speaker names", 0.7
        if subject is not None and obj is None and not passive and prop.name == "initiated":
            found = self._event_of_verb(trig, subject, right, sentence) if "verb-events" in self.rules else []
            if not found and "event-objects" in self.rules:
                found = self._known_event_object(trig, subject, right, sentence)
            if found:
                return found
        if subject is not None and obj is None and "implicit-objects" in self.rules:
            return self._implicit_object(trig, prop, subject, sentence)
        if subject is None and not passive and prop.name == "directedAgainst" and "actor-against" in self.rules:
            # "Azerbaijan moved against the enclave of Nagorno-Karabakh": an actor, not an event, just before "against":
            # the one event the graph says it launched against the place (of the sentence's year, if it gives one).
            actor = self._nearest(left, frozenset({self.schema.classes["Actor"]}), trig, 2) if "Actor" in self.schema.classes else None
            if actor is not None:
                return self._event_of_verb(trig, actor, right, sentence, limit=PREPOSITION_GAP[1] + 4)
        if subject is None and obj is not None and not passive and prop.name == "locatedIn" and "known-regions" in self.rules:
            return self._known_region(trig, prop, obj, left, sentence)
        if subject is None or obj is None:
            return []
        # (A subject from the sentence before, for "that-events", or an object said in its label's words, has no list here.)
        subjects = [subject] + (self._coordinated_with(subject[0], hits, tokens, prop.domain) if subject[0] in hits else [])
        objects = [obj] + (self._coordinated_with(obj[0], hits, tokens, prop.range) if obj[0] in hits else [])
        if prop.name == "connects" and not passive and "connect-pairs" in self.rules:
            objects += self._second_end(obj, hits, tokens, prop.range)
        if shared:
            # The shared subject is far by position only: scored by the distance from the verb to its object, and less.
            near, far = max(obj[0].last, trig.last) - min(obj[0].first, trig.first), obj[0].last - subject[0].first
            factor *= 0.8 * (1 + max(0, far - 6) / 12) / (1 + max(0, near - 6) / 12)
        out = self._pairs(trig, prop, subjects, objects, hits, tokens, sentence, placement, factor)
        through = self.schema.relations.get("passesThrough")
        if prop.name == "locatedIn" and through is not None and "route-places" in self.rules:
            # "train routes in southern Armenia": a route lies in a place by passing through it (the ontology's own
            # definition of a route); for a route, "in" means nothing else, so its ambiguity costs nothing.
            routes = [(h, e) for h, e in subjects if self._fits(e, through.domain)]
            if routes:
                out = [c for c in out if not self._fits(c.subject, through.domain)]
                factor *= 0.7 / self.lexicon.specificity(trig.phrase)
                out += self._pairs(trig, through, routes, objects, hits, tokens, sentence, "a route in a place", factor)
        if prop.name in GATHERINGS and "co-objects" in self.rules:
            # "Blinken met with Bayramov and Mirzoyan": the two he met with met each other at the same meeting.
            # Persons only: "met with Armenian and Azerbaijani officials" says nothing of the two states meeting.
            members = [(h, e) for h, e0 in objects for e in self._members(h, e0, prop.range) if self.gazetteer.entities[e].type == "Person"]
            for k, (a_hit, a) in enumerate(members):
                for b_hit, b in members[k + 1 :]:
                    if a != b:
                        pair = self._pairs(
                            trig,
                            prop,
                            [(a_hit, a)],
                            [(b_hit, b)],
                            hits,
                            tokens,
                            sentence,
                            "both after the trigger, met together",
                            factor * 0.9,
                        )
                        out += pair
        return out

    def _between_sides(self, trig: Trigger, prop: Property, left: list[Hit], hits, tokens, sentence) -> list[Candidate]:
        """ "helped restart the peace talks and mediate between both states": a verb whose object is an event or
        agreement, followed by the sides rather than by one, is about the event the sentence names before it, else
        about what the article is about (as a role noun with no object is)."""
        subject = self._nearest(left, prop.domain, trig)
        if subject is None:
            return []
        event = next((h for h in left if self._pick(h, prop.range) and not self._pick(h, prop.domain)), None)
        if event is None or event.last <= subject[0].first or trig.first - event.last > MAX_GAP:
            # Nothing named between the subject and the verb: the article's topic, if "implicit-objects" may say it.
            return self._implicit_object(trig, prop, subject, sentence, verb=True) if "implicit-objects" in self.rules else []
        subjects = [subject] + self._coordinated_with(subject[0], hits, tokens, prop.domain)
        placement = "the event named before a verb followed by the sides"
        return self._pairs(trig, prop, subjects, [(event, self._pick(event, prop.range))], hits, tokens, sentence, placement, 0.8)

    def _said_aside(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "If a peace agreement is not reached, he added, Armenia ...": a speaker and a verb of saying set off by
        commas (or closing the sentence) say the rest of the sentence; the speaker comments on the event, agreement
        or issue it names, the nearest before the aside, else after it."""
        prop = self.schema.relations.get("commentsOn")
        if prop is None:
            return []
        topics = frozenset(self.schema.classes[c] for c in ("Event", "Agreement", "NegotiationIssue") if c in self.schema.classes)
        out = []
        for speaker in hits:
            k = speaker.last
            if k + 1 >= len(tokens) or tokens[k].lower_ not in SAYING or speaker.first == 0:
                continue
            if tokens[speaker.first - 1].text != "," or tokens[k + 1].text not in (",", "."):
                continue
            subject = self._pick(speaker, prop.domain)
            if subject is None or speaker.mention.how == "group":
                continue
            inside = [h for h in hits if h is not speaker and h.mention.how != "group" and self._fits(h.mention.entity, topics)]
            before = [h for h in inside if h.last < speaker.first][::-1]
            after = [h for h in inside if h.first > k + 1]
            topic = next(((h, e) for h in before + after if (e := self._pick(h, prop.range)) and self._fits(e, topics)), None)
            if topic is None or topic[1] == subject:
                continue
            confidence = (speaker.mention.score + topic[0].mention.score) / 200 * 0.75
            reason = f"'{speaker.mention.text} {tokens[k].text}' set off by commas: the rest of the sentence is what was said"
            span = (tokens[k].idx, tokens[k].idx + len(tokens[k]))
            out.append(self._candidate(subject, "commentsOn", topic[1], [speaker, topic[0]], span, confidence, reason, sentence))
        return out

    def _passive_participle(self, trig: Trigger) -> bool:
        """A trigger in "-ed" right after a form of "be" ("has been accused", "was mediated")."""
        return trig.phrase.endswith("ed") and " " not in trig.phrase and trig.first > 0 and self._tokens[trig.first - 1].lower_ in BE_FORMS

    def _later_by(self, trig: Trigger, sentence) -> int | None:
        """The index of the first "by" after the trigger in its clause (up to a semicolon or the sentence's end)."""
        end = min(bisect.bisect_left(self._starts, sentence.end), trig.last + 2 * MAX_GAP)
        for k in range(trig.last, end):
            word = self._tokens[k].lower_
            if word in (";", ":"):
                return None
            if word == "by":
                return k
        return None

    def _noun_copula(self, trig: Trigger, prop: Property, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "the inhabitants in Nagorno-Karabakh were mostly ethnic Armenians": a trigger noun after "the", its
        complement after "of" or "in", a form of "be", and the name after it: the two ends are the complement and that
        name, placed by domain and range (both stand after the trigger)."""
        if trig.first == 0 or tokens[trig.first - 1].lower_ != "the" or trig.last - trig.first != 1:
            return []
        inner = next(
            (h for h in hits if h.first == trig.last + 1 or (h.first == trig.last + 2 and tokens[trig.last + 1].lower_ == "the")), None
        )
        if inner is None or inner.last >= len(tokens) or tokens[inner.last].lower_ not in BE_FORMS:
            return []
        k = inner.last + 1
        while k < len(tokens) and k < inner.last + 4 and tokens[k].is_alpha and tokens[k].is_lower and not any(h.first == k for h in hits):
            k += 1  # "predominantly", "mostly"
        outer = next((h for h in hits if h.first == k), None)
        if outer is None:
            return []
        for subject, obj in ((inner, outer), (outer, inner)):
            s_id, o_id = self._pick(subject, prop.domain), self._pick(obj, prop.range)
            if s_id and o_id and s_id != o_id:
                confidence = (subject.mention.score + obj.mention.score) / 200 * self.lexicon.specificity(trig.phrase) * 0.8
                reason = f"'the {trig.phrase} {tokens[trig.last].text} {inner.mention.text}' is '{outer.mention.text}'; {prop.name}: {self._describe(prop)}"
                return [self._candidate(s_id, prop.name, o_id, [subject, obj], (trig.start, trig.end), confidence, reason, sentence)]
        return []

    def _held_events(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Blinken held peace talks with the Armenian and Azerbaijani ministers": who holds (convenes, chairs) an
        event with two or more others, named right before the verb, is its host; not when the graph has the holder
        as a side of the event. Events said in their label's words count."""
        prop = self.schema.relations.get("hostOf")
        if prop is None:
            return []
        first = bisect.bisect_left(self._starts, sentence.start)
        last = bisect.bisect_left(self._starts, sentence.end)
        events = sorted(
            [h for h in hits + self._described_hits if sentence.start <= h.mention.start and h.mention.end <= sentence.end],
            key=lambda h: (h.first, -h.last),  # the longest of those starting together: "peace talks", not "peace"
        )
        out = []
        for k in range(first, last):
            if tokens[k].lower_ not in HOLDING:
                continue
            event = next((h for h in events if 0 <= h.first - (k + 1) <= 2), None)
            if event is None or not all(t.is_alpha and t.is_lower for t in tokens[k + 1 : event.first]):
                continue
            if event.last >= len(tokens) or tokens[event.last].lower_ != "with":
                continue
            entity = self._pick(event, prop.range)
            host = next((h for h in hits if h.last in (k, k - 1) and (k == h.last or tokens[k - 1].lower_ in ("has", "had", "have"))), None)
            if entity is None or host is None or (subject := self._pick(host, prop.domain)) is None:
                continue
            # The others: a group ("the two ministers") or two names listed together right after "with".
            after = [h for h in hits if h.first == event.last + 1 or (h.first == event.last + 2 and tokens[event.last + 1].lower_ == "the")]
            if not after:
                continue
            others = set(after[0].mention.entities) if after[0].mention.how == "group" else {after[0].mention.entity}
            if after[0].mention.how != "group":
                others |= {e for _, e in self._coordinated_with(after[0], hits, tokens, prop.domain)}
            if len(others - {subject}) < 2:
                continue
            if any(self.knowledge.has(subject, r, entity) for r in ("participantIn", "partyTo")):
                continue
            confidence = (host.mention.score + event.mention.score) / 200 * 0.8
            reason = f"'{host.mention.text}' {tokens[k].text} '{event.mention.text}' with two or more others: the host"
            out.append(
                self._candidate(
                    subject, "hostOf", entity, [host, event], (tokens[k].idx, tokens[k].idx + len(tokens[k])), confidence, reason, sentence
                )
            )
        return out

    def _described_object(self, trig: Trigger, prop: Property) -> tuple[Hit, str] | None:
        """ "demands unimpeded access to ...": an event, agreement or issue the drafter found only by its label's words
        is the trigger's direct object when it follows the trigger with at most two lower-case words (determiners,
        adjectives) between them."""
        tokens = self._tokens
        topics = frozenset(self.schema.classes[c] for c in ("Event", "Agreement", "NegotiationIssue") if c in self.schema.classes)
        for hit in self._described_hits:
            between = tokens[trig.last : hit.first]
            if hit.first < trig.last or len(between) > 2:
                continue
            if not all(t.is_alpha and t.is_lower for t in between):
                continue
            entity = self._pick(hit, prop.range)
            if entity and self._fits(entity, topics):
                return hit, entity
        return None

    def _shared_subject(self, trig: Trigger, prop: Property, hits: list[Hit], sentence) -> tuple[Hit, str] | None:
        """ "Armenia has agreed to open trade routes ... but demands recognition": a verb after "but", "and" or "yet"
        with no name near before it shares the sentence's subject, the name opening the sentence before a verb."""
        tokens = self._tokens
        first = bisect.bisect_left(self._starts, sentence.start)
        k = trig.first - 1
        while k > first and tokens[k].lower_ in ("also", "still", "now", "then"):
            k -= 1
        # (A dash glued to a word before it stays in its token: 'peace"-but'.)
        if k <= first or tokens[k].lower_.rsplit("-", 1)[-1] not in ("but", "and", "yet") or not trig.phrase.endswith(("s", "ed")):
            return None
        opener = next((h for h in hits if h.first <= first + 1 and h.last < k), None)
        if opener is None or tokens[opener.last].lower_ not in AUXILIARIES:
            return None
        entity = self._pick(opener, prop.domain)
        return (opener, entity) if entity else None

    def _reported_topic(self, trig: Trigger, prop: Property, sentence) -> tuple[tuple[Hit, str] | None, float] | None:
        """ "Pashinyan stated (to parliament) that Armenia ...": what a speaker comments on is the event, agreement or
        issue the reported clause names (first), not the actor that opens it. None if no "that" follows the verb."""
        tokens = self._tokens
        last = bisect.bisect_left(self._starts, sentence.end)
        that = next((k for k in range(trig.last, min(last, trig.last + 6)) if tokens[k].lower_ == "that"), None)
        if that is None or any(t.is_punct for t in tokens[trig.last : that]):
            return None
        topics = frozenset(self.schema.classes[c] for c in ("Event", "Agreement", "NegotiationIssue") if c in self.schema.classes)
        inside = sorted((h for h in self._all_hits + self._described_hits if that < h.first < last), key=lambda h: h.first)
        for hit in inside:
            entity = self._pick(hit, prop.range)
            if entity and self._fits(entity, topics) and hit.mention.how != "group":
                return (hit, entity), 0.8
        return None, 1.0

    def _demanded_clause(self, trig: Trigger, prop: Property) -> tuple[Hit, str] | None:
        """ "requested that Armenia change its constitution", "demanding Baku withdraw its troops": what is demanded is a
        clause whose subject is named right after the trigger (after "that", if any); an issue said in its label's words
        right after that subject, the clause's verb first, is the object."""
        tokens = self._tokens
        start = trig.last + 1 if trig.last < len(tokens) and tokens[trig.last].lower_ == "that" else trig.last
        actor = self.schema.classes.get("Actor")
        opener = next((h for h in self._all_hits if h.first == start), None)
        if actor is None or opener is None or self._pick(opener, frozenset({actor})) is None:
            return None
        topics = frozenset(self.schema.classes[c] for c in ("NegotiationIssue",) if c in self.schema.classes)
        for hit in self._described_hits:
            if hit.first in (opener.last, opener.last + 1) and tokens[hit.first].is_lower:
                entity = self._pick(hit, prop.range)
                if entity and self._fits(entity, topics):
                    return hit, entity
        return None

    def _event_of_verb(self, trig: Trigger, subject: tuple[Hit, str], right: list[Hit], sentence, limit: int = 0) -> list[Candidate]:
        """ "Russia invaded Ukraine in February 2022": an event named only by its verb is the one known event the graph
        says the subject launched against the place named after the verb (and, when the sentence gives a year, of that
        year); the subject initiated it and it was directed against the place. None found, or two: nothing."""
        target = self._nearest(right, frozenset({self.schema.classes["Place"]}), trig, limit or PREPOSITION_GAP[1])
        if target is None or "Place" not in self.schema.classes:
            return []
        against = ("directedAgainst", "affectedPlace", "location")
        years = {int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", sentence.text)}
        if "actor-against" in self.rules:
            years |= getattr(self, "_sentence_years", set())  # "last year", worked out from the publication date
        known = self.knowledge
        events = {
            e for (s_, r, e) in known.triples if s_ == subject[1] and r == "initiated"
            and any((e, a, target[1]) in known.triples for a in against)
            and (not years or years & (known.years.get(e, set()) | known.fact_years.get(e, set())))
        }  # fmt: skip
        if len(events) != 1 or "directedAgainst" not in self.schema.relations:
            return []
        (event,) = events
        reason = f"'{trig.phrase}' names no event; {event} is the one the graph says {subject[1]} launched against {target[1]}"
        confidence = subject[0].mention.score / 100 * 0.75
        span = (trig.start, trig.end)
        return [
            self._candidate(subject[1], "initiated", event, [subject[0]], span, confidence, reason, sentence),
            self._candidate(event, "directedAgainst", target[1], [target[0]], span, confidence, reason, sentence),
        ]

    def _known_event_object(self, trig: Trigger, subject: tuple[Hit, str], right: list[Hit], sentence) -> list[Candidate]:
        """ "In September 2020, Azerbaijan initiated an armed campaign": an event named by a common noun ("campaign",
        "operation", the last words of the describer's event heads) right after the verb is the one event the graph
        says the subject launched in the year the sentence (else its paragraph) gives; against the place named after
        "against", if one is. None found, or two: nothing."""
        tokens = self._tokens
        event = frozenset({self.schema.classes["Event"]}) if "Event" in self.schema.classes else frozenset()
        nouns = {
            phrase.split()[-1] for phrase, classes in self.describer.heads.items()
            if any(self.schema.fits(frozenset({self.schema.classes[c]}), event) for c in classes)
        }  # fmt: skip
        k = trig.last
        while k < min(len(tokens), trig.last + 4) and tokens[k].is_alpha and tokens[k].is_lower and tokens[k].lower_ not in nouns:
            k += 1
        if k >= len(tokens) or tokens[k].lower_ not in nouns or any(h.first <= k < h.last for h in self._all_hits):
            return []
        years = self._years_of(sentence)
        if not years:
            return []
        target = None
        if k + 2 < len(tokens) and tokens[k + 1].lower_ == "against":
            target = next((h for h in right if h.first == k + 2), None)
        known = self.knowledge
        against = ("directedAgainst", "affectedPlace", "location")
        events = {
            e for (s_, r, e) in known.triples if s_ == subject[1] and r == "initiated"
            and years & (known.years.get(e, set()) | known.fact_years.get(e, set()))
            and (target is None or any((e, a, t) in known.triples for a in against for t in target.mention.entities))
        }  # fmt: skip
        if len(events) != 1:
            return []
        (event,) = events
        reason = f"'{trig.phrase} ... {tokens[k].text}' names no event; {event} is the one the graph says {subject[1]} launched in {sorted(years)}"
        confidence = subject[0].mention.score / 100 * 0.7
        return [
            self._candidate(
                subject[1], "initiated", event, [subject[0]], (trig.start, tokens[k].idx + len(tokens[k])), confidence, reason, sentence
            )
        ]

    def _demonstrative_event(self, trig: Trigger, prop: Property, sentence) -> tuple[Hit, str] | None:
        """ "That also led to the exodus": a "that" or "this" opening the sentence, alone before its verb (an adverb
        apart), stands for the event the previous sentence named last."""
        tokens = self._tokens
        first = bisect.bisect_left(self._starts, sentence.start)
        words = [t for t in tokens[first : trig.first] if not t.is_punct]
        if (
            not words
            or words[0].lower_ not in ("that", "this")
            or any(not (t.lower_.endswith("ly") or t.lower_ in _LINKING) for t in words[1:])
        ):
            return None
        events = frozenset(self.schema.classes[c] for c in ("Event", "Agreement") if c in self.schema.classes)
        before = [h for h in self._all_hits if h.mention.end <= sentence.start and h.last > first - 80]
        previous = next((s for s in reversed(self._sentences) if s.end <= sentence.start), None)
        for hit in reversed(before):
            if previous is None or hit.mention.start < previous.start:
                return None
            entity = self._pick(hit, prop.domain)
            if entity and self._fits(entity, events):
                return hit, entity
        return None

    def _known_region(self, trig: Trigger, prop: Property, region: tuple[Hit, str], left: list[Hit], sentence) -> list[Candidate]:
        """ "Armenia and Azerbaijan have avoided war in the Caucasus": a place named before "in X", too far back for the
        preposition's own subject, lies in X when the graph already says so (a sentence that places a state in its
        region restates where it is; one that does not, the graph cannot tell from "Russia's interests in X")."""
        out = []
        for hit in left:
            entity = self._pick(hit, prop.domain)
            if entity is None or entity == region[1] or _adjective(hit, self._tokens):
                continue
            if self.knowledge.has(entity, prop.name, region[1]):
                for member in self._members(hit, entity, prop.domain):
                    confidence = (hit.mention.score + region[0].mention.score) / 200 * 0.5
                    reason = f"'{hit.mention.text}' named before '{trig.phrase} {region[0].mention.text}', where the graph places it"
                    out.append(
                        self._candidate(
                            member, prop.name, region[1], [hit, region[0]], (trig.start, trig.end), confidence, reason, sentence
                        )
                    )
        return out

    def _owner_object(self, trig: Trigger, prop: Property, hits: list[Hit], tokens) -> tuple[Hit, str] | None:
        """ "Yerevan, the Armenian capital", "Azerbaijan's capital, Baku": a state named as the owner of a trigger noun
        (a demonym or a possessive right before it) is its object, when it can only be the object (it fits the range and
        not the domain: "the Russian mediator" is Russia mediating)."""
        if trig.phrase.endswith(("ed", "ing")) or trig.phrase.split()[-1] in PREPOSITIONS:
            return None  # a verb or a preposition has no owner
        for hit in hits:
            between = [t.text for t in tokens[hit.last : trig.first]]
            if between not in ([], ["'s"], ["’s"]) or (not between and hit.mention.how != "demonym"):
                continue
            entity = self._pick(hit, prop.range)
            if entity and not self._pick(hit, prop.domain):
                return hit, entity
        return None

    def _second_end(self, obj: tuple[Hit, str], hits: list[Hit], tokens, allowed) -> list[tuple[Hit, str]]:
        """ "to connect A with its exclave of B", "linking A to B": the place after "with" or "to" right after the
        first end is the route's other end (a possessive pronoun on the way names the first end again)."""
        first = obj[0]
        if first.last >= len(tokens) or tokens[first.last].lower_ not in ("with", "to"):
            return []
        for hit in hits:
            if hit.first <= first.last or hit.first - first.last > 5:
                continue
            if hit.mention.text.lower() in POSSESSIVE_PRONOUNS:
                continue
            entity = self._pick(hit, allowed)
            if entity and entity != obj[1]:
                return [(hit, entity)]
        return []

    def _head_before_between(self, trig: Trigger, hits: list[Hit], tokens) -> Hit | None:
        """The name or description just before "between" when only its sides stand between it and the trigger."""
        k = trig.first - 1
        covered = {i for h in hits for i in range(h.first, h.last)}
        while k >= 0 and (k in covered or tokens[k].lower_ in COORDINATORS or tokens[k].lower_ == "the"):
            k -= 1
        if k < 1 or tokens[k].lower_ != "between" or k == trig.first - 1:
            return None
        return next((h for h in hits if h.last == k), None)

    def _quoted_object(self, trig: Trigger, prop: Property, subject: tuple[Hit, str], hits: list[Hit]) -> tuple[Hit, str] | None:
        """'"... a durable peace agreement," Blinken stated': a verb of saying right after a quotation and its speaker
        speaks of what the quotation names; the event, agreement or issue named last in it."""
        tokens = self._tokens
        if trig.phrase not in SAYING or subject[0].last > trig.first or trig.first - subject[0].last > 1:
            return None
        closing = subject[0].first - 1
        while closing >= 0 and tokens[closing].text in (",", "'s"):
            closing -= 1
        if closing < 0 or tokens[closing].text not in QUOTE_MARKS:
            return None
        opening = next((t.i for t in reversed(tokens[max(0, closing - 120) : closing]) if t.text in QUOTE_MARKS), None)
        if opening is None:
            return None
        topics = frozenset(self.schema.classes[c] for c in ("Event", "Agreement", "NegotiationIssue") if c in self.schema.classes)
        inside = [h for h in hits if opening < h.first and h.last <= closing and h.mention.how != "group"]
        for hit in reversed(inside):
            entity = self._pick(hit, prop.range)
            if entity and self._fits(entity, topics) and entity != subject[1]:
                return hit, entity
        return None

    def _within_group(self, trig: Trigger, prop: Property, group: Hit, sentence) -> list[Candidate]:
        members = [e for e in group.mention.entities if self._fits(e, prop.domain)]
        reason = f"trigger '{trig.phrase}' with '{group.mention.text}': its members with each other"
        confidence = group.mention.score / 100 * 0.9 * self.lexicon.specificity(trig.phrase)
        return [
            self._candidate(a, prop.name, b, [group], (trig.start, trig.end), confidence, reason, sentence)
            for k, a in enumerate(members)
            for b in members[k + 1 :]
        ]

    def _implicit_object(self, trig: Trigger, prop: Property, subject: tuple[Hit, str], sentence, verb: bool = False) -> list[Candidate]:
        """ "Russia's role as a regional mediator": a role noun with no object in its sentence is a role in what the
        article is about, the event or agreement it has named most often so far (at least twice). With ``verb``, a verb
        whose sides follow it ("mediate between them") is taken the same way."""
        last_word = trig.phrase.split()[-1]
        if not (verb or last_word.endswith(ROLE_NOUN_ENDINGS) or last_word in ROLE_NOUNS or last_word.endswith("ion")):
            return []
        if prop.role is None or prop.name in ("partyTo", "participantIn", "involvedIn", "signatoryOf"):
            return []  # only a third party's role (mediator, broker, guarantor, host, witness) goes without saying in what
        if trig.first > 0 and self._tokens[trig.first - 1].lower_ == "to" and not verb:
            return []  # "to broker": a verb, whose object the sentence would give
        happening = frozenset(self.schema.classes[c] for c in ("Event", "Agreement") if c in self.schema.classes)
        counts: dict[str, int] = {}
        for hit in self._all_hits:
            if hit.first >= trig.first:
                break
            entity = hit.mention.entity
            if hit.mention.how in NAME_HOWS | {"description"} and self._fits(entity, happening) and self._fits(entity, prop.range):
                counts[entity] = counts.get(entity, 0) + 1
        if not counts:
            return []
        topic, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if count < 2 or topic == subject[1]:
            return []
        confidence = subject[0].mention.score / 100 * self.lexicon.specificity(trig.phrase) * 0.6
        reason = f"role noun '{trig.phrase}' with no object in its sentence: {topic}, which the article has named {count} times so far"
        return [
            self._candidate(s_id, prop.name, topic, [subject[0]], (trig.start, trig.end), confidence, reason, sentence)
            for s_id in self._members(subject[0], subject[1], prop.domain)
        ]

    def _pairs(
        self, trig: Trigger, prop: Property, subjects, objects, hits, tokens, sentence, placement: str, factor: float
    ) -> list[Candidate]:
        """A candidate for each subject and object (the members of a group each), scored by names, trigger and distance."""
        out = []
        for i, (s_hit, s_id) in enumerate(subjects):
            for j, (o_hit, o_id) in enumerate(objects):
                if s_hit.mention.how == "group" and o_hit.mention.entities == s_hit.mention.entities:
                    continue  # "they ... their": the same group on both sides says nothing of its members' relations
                for s_member in self._members(s_hit, s_id, prop.domain):
                    for o_member in self._members(o_hit, o_id, prop.range):
                        if s_member == o_member:
                            continue
                        # A list is one phrase: its later names are as near the trigger as its first ("neighbouring
                        # countries such as Iran and Russia").
                        s_head, o_head = subjects[0][0], objects[0][0]
                        gap = max(s_head.last, o_head.last, trig.last) - min(s_head.first, o_head.first, trig.first)
                        confidence = (
                            (s_hit.mention.score + o_hit.mention.score)
                            / 200
                            * self.lexicon.specificity(trig.phrase)
                            * factor
                            * (0.85 if i or j else 1.0)
                            / (1 + max(0, gap - 6) / 12)
                        )
                        reason = f"trigger '{trig.phrase}' ({placement}); {prop.name}: {self._describe(prop)}"
                        hits_pair = [s_hit, o_hit]
                        out.append(
                            self._candidate(s_member, prop.name, o_member, hits_pair, (trig.start, trig.end), confidence, reason, sentence)
                        )
        return out

    def _members(self, hit: Hit, entity: str, allowed) -> list[str]:
        """The entity a hit stands for, or each member of a group ("both countries") that fits."""
        if hit.mention.how != "group":
            return [entity]
        return [e for e in hit.mention.entities if self._fits(e, allowed)]

    def _possessor_of_role(self, trig: Trigger, left: list[Hit], tokens) -> tuple[Hit, Hit | None] | None:
        """The possessor before a role noun ("its ... supplier", "Armenia's ally"), and the name that holds the role
        when one stands right before the noun ("its erstwhile Armenian partner"); None if the trigger is no role noun."""
        last_word = trig.phrase.split()[-1]
        if not (last_word.endswith(ROLE_NOUN_ENDINGS) or last_word in ROLE_NOUNS) or not left:
            return None
        holder = left[0] if left[0].last == trig.first and left[0].mention.text.lower() not in POSSESSIVE_PRONOUNS else None
        candidates = left[1:] if holder is not None else left
        if holder is None and "references" in self.rules:
            # "the country's autocratic leader, Ilham Aliyev": the holder named in apposition after the role noun.
            holder = next(
                (h for h in self._all_hits if h.first == trig.last + 1 and tokens[trig.last].text == "," and h.mention.how in NAME_HOWS),
                None,
            )
        if not candidates:
            return None
        near = candidates[0]
        end = holder.first if holder is not None and holder.first < trig.first else trig.first
        between = tokens[near.last : end]
        possessive = near.mention.text.lower() in POSSESSIVE_PRONOUNS or (between and between[0].text in ("'s", "'"))
        words = [t for t in between if t.text not in ("'s", "'")]
        if possessive and len(words) <= 3 and all(t.is_alpha and t.is_lower and not t.is_stop for t in words):
            return near, holder
        return None

    def _between(self, trig: Trigger, prop: Property, right: list[Hit], hits, tokens, sentence) -> list[Candidate]:
        first = self._nearest(right, prop.domain, trig, 3, after_between=True)
        if first is None:
            return []
        rest = [h for h in right if h.first >= first[0].last]
        second = next(((h, e) for h in rest[:2] if _coordinated(tokens, first[0], h) and (e := self._pick(h, prop.range))), None)
        if second is None or second[1] == first[1]:
            return []
        if prop.name in GATHERINGS and trig.phrase in self.describer.heads and "event-nouns" in self.rules:
            # "the talks between Armenia and Azerbaijan" names an event whose sides the naming rules give (partyTo,
            # participantIn); its states did not "meet". Persons and officials named as talking did.
            if all(self.gazetteer.entities[e].type == "State" and h.mention.how in NAME_HOWS for h, e in (first, second)):
                return []
        hits_pair = [first[0], second[0]]
        gap = second[0].last - trig.first
        confidence = sum(h.mention.score for h in hits_pair) / 200 * self.lexicon.specificity(trig.phrase) / (1 + max(0, gap - 6) / 12)
        reason = f"trigger '{trig.phrase}' followed by both sides; {prop.name}: {self._describe(prop)}"
        return [self._candidate(first[1], prop.name, second[1], hits_pair, (trig.start, trig.end), confidence, reason, sentence)]

    def _nearest(
        self, side: list[Hit], allowed, trig: Trigger, limit: int = MAX_GAP, after_between: bool = False
    ) -> tuple[Hit, str] | None:
        tokens = self._tokens
        for hit in side:
            distance = hit.first - trig.last if hit.first >= trig.last else trig.first - hit.last
            if distance > limit:
                return None
            if not after_between and hit.first >= trig.last and "between" in [t.lower_ for t in tokens[trig.last : hit.first]]:
                return None  # "welcomed the meeting between A and B": A is a side of the meeting, not what was welcomed
            if hit.first >= trig.last and "(" in [t.text for t in tokens[trig.last : hit.first]]:
                return None  # "... their meeting (Source: Armenian government)": an aside holds no object of the verb
            if _adjective(hit, tokens) and not (
                # "the Azerbaijani demand": a demonym right before a trigger noun says whose it is.
                "demonym-owners" in self.rules and hit.last == trig.first and not trig.phrase.endswith(("ed", "ing"))
                and not hit.mention.text.endswith("s") and self._actors_only(allowed)
            ):  # fmt: skip
                continue  # "Armenian officials": the officials act, not Armenia
            entity = self._pick(hit, allowed)
            if entity and hit.first > 0 and tokens[hit.first - 1].lower_ in LOCATIVE and self._city_reading(hit, entity):
                continue  # "met in Washington": the city where, not the government it may stand for
            if entity:
                return hit, entity
        return None

    def _actors_only(self, allowed) -> bool:
        """True if ``allowed`` (a domain or range) holds actors and no places: a demonym there is its state acting."""
        actor, place = self.schema.classes.get("Actor"), self.schema.classes.get("Place")
        return (
            actor is not None
            and place is not None
            and self.schema.fits(frozenset({actor}), allowed)
            and not self.schema.fits(frozenset({place}), allowed)
        )

    def _is_post(self, hit: Hit) -> bool:
        entity = self.gazetteer.entities.get(hit.mention.entity)
        return entity is not None and entity.type == "Post"

    def _city_reading(self, hit: Hit, entity: str) -> bool:
        """True if the name can mean a city other than ``entity`` ("Washington": the city, or the U.S. government)."""
        return any(e != entity and self.gazetteer.entities[e].type == "City" for e in hit.mention.entities if e in self.gazetteer.entities)

    def _coordinated_with(self, hit: Hit, hits: list[Hit], tokens, allowed) -> list[tuple[Hit, str]]:
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
                along = "along-with" in self.rules and _accompanied(tokens, first, second)
                if not (_coordinated(tokens, first, second) or along) or other.mention.text.lower() in POSSESSIVE_PRONOUNS:
                    break  # "Bayramov and his counterpart": "his" is the counterpart's owner, not a second name in the list
                entity = self._pick(other, allowed)
                titled = next((h for h in ordered if h.first == other.last and h.first > other.first), None) if direction > 0 else None
                if entity is None and titled is not None and self._is_post(other) and (entity := self._pick(titled, allowed)):
                    other = titled  # "Bayramov and Armenia's Foreign Minister Ararat Mirzoyan": the titled person is listed
                if entity is None:
                    break
                out.append((other, entity))
                current = other
        return out

    def _not_yet(self, trig: Trigger, sentence) -> bool:
        """True if the trigger's clause says it has not happened: a NOT_YET word among the six words before it (back to
        the last comma or semicolon), or the verb's base form ("to sign", "will ratify")."""
        first = max(bisect.bisect_left(self._starts, sentence.start), trig.first - 6)
        words = [t.lower_ for t in self._tokens[first : trig.first]]
        for mark in (",", ";", ":"):
            if mark in words:
                words = words[len(words) - words[::-1].index(mark) :]
        return any(w in NOT_YET for w in words) or (words[-1:] == ["to"] and not trig.phrase.endswith(("ed", "ing")))

    def _status(self, trig: Trigger, concept: str, hits: list[Hit], sentence) -> list[Candidate]:
        prop = self.schema.relations.get("status")
        if prop is None:
            return []
        said = concept
        if concept in CONCLUDED_STATUSES and "not-yet" in self.rules and self._not_yet(trig, sentence):
            concept = "status-under-negotiation"  # "did not end with a signed agreement", "if he signs the deal"

        def distance(hit: Hit) -> int:
            # Content words between ("signed in the 2020 ceasefire agreement": one, 'ceasefire').
            a, b = (trig.last, hit.first) if hit.first >= trig.last else (hit.last, trig.first)
            return sum(1 for t in self._tokens[a:b] if not (t.is_stop or t.is_punct or t.like_num))

        near = sorted(hits, key=distance)
        for hit in near:
            distance_ = distance(hit)
            if distance_ > 4:
                break
            entity = self._pick(hit, prop.domain)
            if entity:
                confidence = hit.mention.score / 100 * self.lexicon.specificity(trig.phrase) / (1 + distance_ / 8)
                reason = f"agreement status trigger '{trig.phrase}' next to the agreement"
                if said != concept:
                    reason += f" in a clause that says it has not happened yet: not {said}"
                return [self._candidate(entity, "status", concept, [hit], (trig.start, trig.end), confidence, reason, sentence)]
        return []

    def _prospects(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "an impending deal", "close to a peace agreement", "a deal in sight": an agreement said to be near but not
        reached is under negotiation (``PROSPECT_BEFORE`` right before its name, an article and adjectives between at
        most; ``PROSPECT_AFTER`` right after it, a form of "be", "seem", "remain", "now", "still" or quotation marks between)."""
        prop = self.schema.relations.get("status")
        if prop is None:
            return []
        first, last = bisect.bisect_left(self._starts, sentence.start), bisect.bisect_left(self._starts, sentence.end)
        out = []
        for hit in hits:
            entity = self._pick(hit, prop.domain)
            if entity is None or hit.mention.how == "group":
                continue
            k = hit.first
            while k > first and tokens[k - 1].lower_ in ("a", "an", "the", "this", "that", "its", "their", "final", "lasting"):
                k -= 1
            before = " ".join(t.lower_ for t in tokens[max(first, k - 4) : k])
            j = hit.last
            while j < last and (tokens[j].lower_ in BE_FORMS | _STILL or tokens[j].text in QUOTE_MARKS):
                j += 1
            after = " ".join(t.lower_ for t in tokens[j : min(last, j + 4)])
            phrase = next((p for p in PROSPECT_BEFORE if before == p or before.endswith(" " + p)), None)
            if phrase is not None:
                at = tokens[k - len(phrase.split())]
                span = (at.idx, at.idx + len(phrase))
            else:
                phrase = next((p for p in PROSPECT_AFTER if after == p or after.startswith((p + " ", p + ","))), None)
                if phrase is None:
                    continue
                end = tokens[j + len(phrase.split()) - 1]
                span = (tokens[j].idx, end.idx + len(end))
            confidence = hit.mention.score / 100 * 0.7
            reason = f"'{phrase}' says '{hit.mention.text}' is near but not reached: still under negotiation"
            out.append(self._candidate(entity, "status", "status-under-negotiation", [hit], span, confidence, reason, sentence))
        return out


#: Words that may stand between an agreement and what is said of it ("the deal is still within reach").
_STILL = {"now", "still", "seems", "seem", "remains", "remain", "appears", "appear", "finally"}


def _accompanied(tokens, first: Hit, second: Hit) -> bool:
    """ "The European Union, along with the United States, ...": a name set off after "along with" or "together with"
    shares what the first one does."""
    between = [t.lower_ for t in tokens[first.last : second.first]]
    if between[:1] == [","]:
        between = between[1:]
    return between in (["along", "with"], ["together", "with"], ["along", "with", "the"], ["together", "with", "the"])


def _role_noun(phrase: str) -> bool:
    last_word = phrase.split()[-1]
    return last_word.endswith(ROLE_NOUN_ENDINGS) or last_word in ROLE_NOUNS


def _adjective(hit: Hit, tokens) -> bool:
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


def in_compound_adjective(tokens, i: int) -> bool:
    """ "well-received", "long-fraught": a word hyphened to a lower-case word before it is part of an adjective.

    ("U.S.-brokered" keeps its trigger: a name before the hyphen says who did it.)
    """
    return i >= 2 and tokens[i - 1].text == "-" and not tokens[i - 2].whitespace_ and tokens[i - 2].is_lower


def _coordinated(tokens, first: Hit, second: Hit) -> bool:
    """True if only list words ("and", ",", "or") stand between two mentions."""
    between = [t.lower_ for t in tokens[first.last : second.first]]
    if "as" in between and "well" not in between:
        return False  # "Russia, as it is ...": a conjunction, not "as well as"
    return bool(between) and len(between) <= 4 and all(w in COORDINATORS or w in ("as", "well") for w in between)


def _hyphen_modifier(hit: Hit, tokens) -> bool:
    """ "Russia-backed", "U.S.-brokered": the name, a hyphen and a participle, all one word before a noun."""
    k = hit.last
    return (
        k + 1 < len(tokens) and tokens[k].text in ("-", "–") and tokens[k + 1].lower_.endswith(("ed", "en"))
        and tokens[k].idx == tokens[k - 1].idx + len(tokens[k - 1].text)
    )  # fmt: skip
