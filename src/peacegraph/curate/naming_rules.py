"""Candidates no trigger word gives, read off how things are named: offices next to persons, titles, sides named with an
agreement, possessives, names built from other names.

A mixin of ``Drafter``, like ``TriggerRules``.
"""

from __future__ import annotations

from peacegraph.curate.candidates import NAME_HOWS, Candidate, Hit
from peacegraph.curate.gazetteer import demonym_of, fold
from peacegraph.curate.words import POSSESSIVE_PRONOUNS, TITLES

#: An event's possessor and its role, by the event's class, first that fits: "Azerbaijan's offensive" (initiated),
#: "Trump's summit", "Blinken's peace talks" (hostOf), "Armenia's war with Azerbaijan", "Turkey's deal" (partyTo).
POSSESSOR_ROLES = (
    ("MilitaryOffensive", "initiated"), ("War", "initiated"), ("Blockade", "initiated"), ("Deployment", "initiated"),
    ("Talks", "hostOf"), ("Conflict", "partyTo"), ("Agreement", "partyTo"),
)  # fmt: skip
#: Bodies whose seat is a state's capital: "the government in Yerevan".
SEATED = {"government", "governments", "authorities", "leadership", "regime", "parliament"}
#: Classes whose participants are its sides (partyTo: "one of the sides bound by an agreement or negotiating in talks");
#: one takes part in other events (participantIn), such as a peace process.
SIDED_CLASSES = ("Agreement", "Talks", "Conflict", "War", "Clash")
#: Prepositions in a route's phrase ("a corridor from A through B to C") and what the place after each is to the route.
ROUTE_PREPOSITIONS = {
    "from": "connects", "to": "connects", "between": "connects", "and": "connects",
    "through": "passesThrough", "via": "passesThrough", "across": "passesThrough",
}  # fmt: skip
#: A route's phrase runs at most this many tokens after its head (to the first punctuation).
ROUTE_PHRASE = 14


class NamingRules:
    """Offices, sides and owners read off names: "Prime Minister Nikol Pashinyan", "the deal between A and B", "Azerbaijan's offensive"."""

    def _capitals(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "between Baku and Yerevan", "Washington's interest": a capital named for its state, as an owner or listed
        with another capital, says which state's capital it is (capitalOf; proposed once per document)."""
        prop = self.schema.relations.get("capitalOf")
        if prop is None:
            return []
        standing = [h for h in hits if self._capital_pairs(h) and h.mention.how in NAME_HOWS]
        out = []
        for hit in standing:
            owner = hit.last < len(tokens) and tokens[hit.last].text in ("'s", "’s", "'")
            listed = any(o is not hit and _listed(tokens, hit, o) for o in standing)
            # "the government in Yerevan": the seat of a state's government is its capital.
            seat = hit.first >= 2 and tokens[hit.first - 1].lower_ == "in" and tokens[hit.first - 2].lower_ in SEATED
            if not (owner or listed or seat):
                continue
            for city, state in self._capital_pairs(hit):
                how = "an owner" if owner else "listed with another capital" if listed else "the seat of its government"
                reason = f"'{hit.mention.text}' names both the city {city} and the state {state} ({how})"
                confidence = hit.mention.score / 100 * 0.6
                cand = self._candidate(city, prop.name, state, [hit], None, confidence, reason, sentence, dated=False)
                cand.once = True
                out.append(cand)
        return out

    def _capital_pairs(self, hit: Hit) -> list[tuple[str, str]]:
        """(city, state) for a name that is both a city's and a state's: the graph's capital, or a city's name the graph
        gives its state as an alias ("Baku" for Azerbaijan); a state is named by its capital's name, not another city's."""
        entities = self.gazetteer.entities
        kinds = {e: entities[e].type for e in hit.mention.entities if e in entities}
        return [(c, s) for c, kind in kinds.items() if kind == "City" for s, other in kinds.items() if other == "State"]

    def _structural(self, hits: list[Hit], nested: list[Hit], tokens, sentence) -> list[Candidate]:
        """Offices: 'Prime Minister Nikol Pashinyan' (holdsPost) and 'Armenian Prime Minister' (postIn)."""
        out = []
        if "capitals" in self.rules:
            out += self._capitals(hits, tokens, sentence)
        holds = self.schema.relations.get("holdsPost")
        ordered = sorted(hits, key=lambda h: h.first)
        for first, second in zip(ordered, ordered[1:], strict=False):
            between = [t.text for t in tokens[first.last : second.first]]
            if holds and between in ([], [","]) and second.first >= first.last:  # overlapping: an office and its holder
                post_hit, person_hit = first, second
                post, person = self._pick(first, holds.range), self._pick(second, holds.domain)
                if not (post and person):
                    post_hit, person_hit = second, first
                    post, person = self._pick(second, holds.range), self._pick(first, holds.domain)
                following = next((h for h in ordered if h.first == second.last), None)
                if post_hit is second and following is not None and self._pick(following, holds.domain):
                    continue  # "Charles Michel, Armenian Prime Minister Nikol Pashinyan": the title is the next person's
                if post and person:
                    confidence = (first.mention.score + second.mention.score) / 200 * 0.9
                    reason = "an office named next to a person (apposition)"
                    out.append(self._candidate(person, "holdsPost", post, [person_hit, post_hit], None, confidence, reason, sentence))
        if "titles" in self.rules:
            out += self._titles(ordered, tokens, sentence)
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
        if "ethnic-places" in self.rules:
            out += self._ethnic_places(ordered, tokens, sentence)
        if "route-ends" in self.rules:
            out += self._route_ends(ordered, tokens, sentence)
        if "owned-places" in self.rules:
            out += self._owned_places(ordered, tokens, sentence)
        if "counterparts" in self.rules:
            out += self._counterparts(ordered, tokens, sentence)
        return out

    def _counterparts(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Azerbaijan's Foreign Minister Jeyhun Bayramov and his Armenian counterpart, Ararat Mirzoyan": a counterpart
        holds the office of the same title (the one named before it in the sentence) in the state the demonym names."""
        holds, post_in = self.schema.relations.get("holdsPost"), self.schema.relations.get("postIn")
        out: list[Candidate] = []
        for index, hit in enumerate(ordered if holds else []):
            after = [t.lower_ for t in tokens[hit.last : hit.last + 2]]
            if hit.mention.how != "demonym" or not after or after[0] not in ("counterpart", "counterparts"):
                continue
            gap = hit.last + 1 + (after[1:] == [","])
            person = next((h for h in ordered[index + 1 :] if h.first == gap and self._pick(h, holds.domain)), None)
            earlier = [h for h in ordered[:index] if self._is_post(h)]
            if person is None or not earlier:
                continue
            title = _title_of(self.gazetteer.entities[earlier[-1].mention.entity].label)
            office = next((o for e in hit.mention.entities if (o := self.gazetteer.titles.get((e, title)))), None) if title else None
            if office is None:
                continue
            span = (hit.mention.start, tokens[hit.last].idx + len(tokens[hit.last].text))
            confidence = person.mention.score / 100 * 0.85
            reason = f"'{person.mention.text}' is the {hit.mention.text} counterpart of the '{earlier[-1].mention.text}'"
            out.append(self._candidate(self._pick(person, holds.domain), "holdsPost", office, [person], span, confidence, reason, sentence))
            for state in [e for e in hit.mention.entities if post_in and self._fits(e, post_in.range)][:1]:
                why = f"the office {office} of the {hit.mention.text} counterpart"
                out.append(self._candidate(office, "postIn", state, [hit], span, confidence, why, sentence, dated=False))
        return out

    def _owned_places(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "its exclave of Nakhchivan", "Azerbaijan's enclave Nakhchivan", "the Armenian region of Syunik": a place named
        after its owner and a noun for a kind of place (a head noun of the ontology's Place classes) lies in the owner."""
        prop = self.schema.relations.get("locatedIn")
        out: list[Candidate] = []
        for index, place_hit in enumerate(ordered if prop else []):
            place = self._pick(place_hit, prop.domain)
            if not place or index == 0:
                continue
            owner = ordered[index - 1]
            between = [t for t in tokens[owner.last : place_hit.first] if t.text not in ("'s", "'")]
            inside = [t for t in tokens[place_hit.first : place_hit.last] if t.is_lower]  # "exclave Nakhchivan" as one name
            words = [t.lower_ for t in between] + [t.lower_ for t in inside]
            possessive = owner.mention.text.lower() in POSSESSIVE_PRONOUNS or tokens[owner.last : owner.last + 1].text in ("'s", "'")
            possessive = possessive or (owner.mention.how == "demonym" and owner.first > 0 and tokens[owner.first - 1].lower_ == "the")
            if not possessive or not words or len(words) > 4 or not any(w in self.describer.place_nouns for w in words):
                continue
            if not all(t.is_alpha and t.is_lower and (not t.is_stop or t.lower_ == "of") for t in between):
                continue
            # An owner of a region or an exclave is a state or a region, not the city that may stand for it ("its" = Baku).
            state = next(
                (e for e in owner.mention.entities if self._fits(e, prop.range) and self.gazetteer.entities[e].type != "City"), None
            )
            if state and state != place:
                confidence = (place_hit.mention.score + owner.mention.score) / 200 * 0.85
                reason = f"'{place_hit.mention.text}' named as the '{' '.join(words)}' of '{owner.mention.text}'"
                out.append(self._candidate(place, "locatedIn", state, [place_hit, owner], None, confidence, reason, sentence, dated=False))
        return out

    def _route_ends(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "a corridor from Azerbaijan through Armenia to Nakhchivan": the places after "from", "to" and "between" in a
        route's own phrase are what it connects, those after "through", "via" or "across" what it passes through."""
        route_class = self.schema.classes.get("Route")
        out: list[Candidate] = []
        for index, hit in enumerate(ordered if route_class else []):
            route = next((e for e in hit.mention.entities if self._fits(e, frozenset({route_class}))), None)
            if route is None:
                continue
            end = hit.last
            while end < len(tokens) and end - hit.last < ROUTE_PHRASE and not (tokens[end].is_punct and tokens[end].text != "-"):
                end += 1
            after = [h for h in ordered[index + 1 :] if h.last <= end]
            marks = [t.i for t in tokens[hit.last : end] if t.lower_ in ROUTE_PREPOSITIONS]
            for k, mark in enumerate(marks):
                stop = marks[k + 1] if k + 1 < len(marks) else end
                relation = ROUTE_PREPOSITIONS[tokens[mark].lower_]
                prop = self.schema.relations.get(relation)
                place = next(
                    ((h, e) for h in after if mark < h.first < stop and not _describes(h, tokens) and (e := self._pick(h, prop.range))),
                    None,
                ) if prop else None  # fmt: skip
                if place is None or place[1] == route:
                    continue
                confidence = (hit.mention.score + place[0].mention.score) / 200 * 0.9
                reason = f"'{place[0].mention.text}' after '{tokens[mark].text}' in the route's own phrase '{hit.mention.text} ...'"
                span = (tokens[mark].idx, tokens[mark].idx + len(tokens[mark].text))
                out.append(self._candidate(route, relation, place[1], [hit, place[0]], span, confidence, reason, sentence, dated=False))
        return out

    def _titles(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Prime Minister Nikol Pashinyan", "President Aliyev": a title the graph's office of that person begins with or
        holds ("Prime Minister of Armenia"), so holdsPost even when the text names no state; and the office's state, as
        the graph has it, when the text names it just before the title ("Azerbaijan's President Aliyev")."""
        holds, post_in = self.schema.relations.get("holdsPost"), self.schema.relations.get("postIn")
        out: list[Candidate] = []
        for index, hit in enumerate(ordered if holds else []):
            person = self._pick(hit, holds.domain)
            if not person or hit.mention.how not in NAME_HOWS:
                continue
            if index and ordered[index - 1].last == hit.first and self._pick(ordered[index - 1], holds.range):
                continue  # "Prime Minister of Armenia Nikol Pashinyan": the office is named, apposition says it
            first = hit.first
            while first > 0 and hit.first - first < 5 and (tokens[first - 1].text[:1].isupper() or tokens[first - 1].lower_ == "of"):
                if any(h.first <= first - 1 < h.last for h in ordered):
                    break
                first -= 1
            title = " ".join(t.lower_ for t in tokens[first : hit.first] if t.text != "'s").strip()
            words = title.split()
            if not words or words[0] == "of" or not any(w.rstrip(".") in TITLES for w in words):
                continue
            for post in self.knowledge.posts.get(person, []):
                label = fold(self.gazetteer.entities[post].label).lower() if post in self.gazetteer.entities else ""
                if not label or title not in label:
                    continue
                span = (tokens[first].idx, tokens[hit.first - 1].idx + len(tokens[hit.first - 1].text))
                reason = f"the title '{text_of(tokens, first, hit.first)}' before {person}, whose office '{label}' the graph knows"
                confidence = hit.mention.score / 100 * 0.85
                out.append(self._candidate(person, "holdsPost", post, [hit], span, confidence, reason, sentence))
                states = [o for (s_, r, o) in self.knowledge.triples if s_ == post and r == "postIn"] if post_in else []
                owner = ordered[index - 1] if index and ordered[index - 1].last <= first and first - ordered[index - 1].last <= 1 else None
                for state in states:
                    named = owner is not None and state in owner.mention.entities
                    if not named and (post, state) in self._posts_placed:
                        continue  # the graph's fact is proposed once, where the title first appears
                    self._posts_placed.add((post, state))
                    where = (owner.mention.start, span[1]) if named else span
                    why = f"'{owner.mention.text}' before the title" if named else "the graph's own postIn fact"
                    confidence = (0.85 if named else 0.55) * hit.mention.score / 100
                    reason = f"the title '{text_of(tokens, first, hit.first)}' is the office {post}; its state from {why}"
                    out.append(self._candidate(post, "postIn", state, [], where, confidence, reason, sentence, dated=False))
                break
        return out

    def _sides(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "a peace deal between Armenia and Azerbaijan", "an Armenia-Azerbaijan agreement": the names listed after
        'between', or just before the agreement or event, are its sides."""
        prop = self.schema.relations.get("partyTo")
        out = []
        if prop and "known-sides" in self.rules:
            ordered = sorted(ordered + self._known_sides(ordered, tokens, sentence, prop), key=lambda h: h.first)
        for index, hit in enumerate(ordered if prop else []):
            whole = self._pick(hit, prop.range)
            if not whole:
                continue
            if hit.last < len(tokens) and tokens[hit.last].lower_ == "between":
                after = ordered[index + 1 :]
                first = next((h for h in after[:1] if h.first - hit.last <= 3), None)
                sides = [first] + [h for h, _ in self._coordinated_with(first, ordered, tokens, prop.domain)] if first else []
                how = "after '{} between'"
            elif hit.mention.how in ("description", "known-sides") and index > 0 and 0 <= hit.first - ordered[index - 1].last <= 2:
                # Names run into the description as its modifiers: "the Armenia-Azerbaijan agreement".
                last = ordered[index - 1]
                sides = [last] + [h for h, _ in self._coordinated_with(last, ordered, tokens, prop.domain)]
                if "known-sides" in self.rules:
                    sides += [h for h in ordered if h.last == last.first - 1 and tokens[h.last].text in ("-", "–")]
                if len({self._pick(h, prop.domain) for h in sides} - {None}) < 2 or any(t.is_stop for t in tokens[last.last : hit.first]):
                    continue
                how = "before '{}'"
            else:
                continue
            relation = self._side_relation(whole)
            for side in sides:
                for entity in self._members(side, self._pick(side, prop.domain) or "", prop.domain):
                    if entity and entity != whole:
                        confidence = (hit.mention.score + side.mention.score) / 200 * 0.8
                        reason = f"'{side.mention.text}' named {how.format(hit.mention.text)}; {relation} by the kind of {whole}"
                        cand = self._candidate(entity, relation, whole, [side, hit], None, confidence, reason, sentence)
                        cand.once = True
                        out.append(cand)
        return out

    def _ethnic_places(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "the primarily ethnic Armenian region": a place called ethnic X by a demonym is inhabited by the X people
        (the ethnic group named by the demonym's plural)."""
        prop = self.schema.relations.get("inhabitedBy")
        out = []
        for index, hit in enumerate(ordered if prop else []):
            if hit.mention.how != "demonym" or hit.first == 0 or tokens[hit.first - 1].lower_ not in ("ethnic", "ethnically"):
                continue
            place = ordered[index + 1] if index + 1 < len(ordered) and ordered[index + 1].first == hit.last else None
            if place is None and hit.last + 2 < len(tokens) and tokens[hit.last].lower_ in self.describer.place_nouns:
                # "the ethnic Armenian enclave of Nagorno-Karabakh": the name after "of".
                after = tokens[hit.last + 1].lower_ == "of"
                place = next((h for h in ordered if after and h.first == hit.last + 2), None)
            where = self._pick(place, prop.domain) if place is not None else None
            plural = hit.mention.text.lower() + "s"
            people = next(
                (e.id for e in self.gazetteer.entities.values()
                 if self._fits(e.id, prop.range) and plural in [e.label.lower(), *(a.label.lower() for a in e.aliases)]),
                None,
            )  # fmt: skip
            if where is None or people is None:
                continue
            confidence = place.mention.score / 100 * 0.8
            reason = f"'{tokens[hit.first - 1].text} {hit.mention.text} {place.mention.text}': inhabited by {people}"
            word = tokens[hit.first - 1]
            span = (word.idx, word.idx + len(word.text))
            out.append(self._candidate(where, prop.name, people, [place, hit], span, confidence, reason, sentence, dated=False))
        return out

    def _known_sides(self, ordered: list[Hit], tokens, sentence, prop) -> list[Hit]:
        """ "a long-sought agreement between Azerbaijan and Armenia", "an Armenia-Azerbaijan agreement": a bare head noun
        of an agreement or sided event, not linked to any entity, whose sides are named with it is the one entity of
        its kinds the graph gives all those sides (the names say which one it is)."""
        import bisect

        from peacegraph.curate.gazetteer import Mention

        first, last = bisect.bisect_left(self._starts, sentence.start), bisect.bisect_left(self._starts, sentence.end)
        covered = {i for h in ordered for i in range(h.first, h.last)}
        out = []
        matches = self.describer._matcher(tokens[first:last])
        for match_id, s, e in matches:
            phrase = self.gazetteer.nlp.vocab.strings[match_id]
            if any(i in covered for i in range(s, e)) or any(a <= s and e <= b and b - a > e - s for _, a, b in matches):
                continue  # "talks" inside "peace talks": the longer head
            if e < last and tokens[e].lower_ == "between":
                lead = next((h for h in ordered if h.first in (e + 1, e + 2) and tokens[e + 1 : h.first].text.lower() in ("", "the")), None)
            else:
                lead = next((h for h in reversed(ordered) if 0 <= s - h.last <= 2 and not any(t.is_stop for t in tokens[h.last : s])), None)
            if lead is None:
                continue
            named = [lead] + [h for h, _ in self._coordinated_with(lead, ordered, tokens, prop.domain)]
            # "an Armenia-Azerbaijan agreement": the names joined by a hyphen.
            named += [h for h in ordered if h.last == lead.first - 1 and tokens[h.last].text in ("-", "–")]
            sides = {self._pick(h, prop.domain) for h in named} - {None}
            if len(sides) < 2:
                continue
            members = {m for c in self.describer.heads[phrase] for m in self.describer._members.get(c, [])}
            known = [
                m for m in sorted(members) if self._pick(Hit(Mention(0, 0, "", (m,), "", "", 0.0), 0, 0), prop.range)
                and all(any((side, r, m) in self.knowledge.triples for r in ("partyTo", "participantIn")) for side in sides)
            ]  # fmt: skip
            # Of several ("agreement" fits a ceasefire between the two too), the one the article names most.
            said = {m: sum(m in h.mention.entities for h in self._all_hits) for m in known}
            most = max(said.values(), default=0)
            known = [m for m in known if said[m] == most] if most else known
            # Else the one the head's own words fit best (the entities its label words were matched to).
            words = next((d.mention.entities for d in self._described_hits if d.first <= s < d.last), ())
            known = [m for m in known if m in words] or known
            if len(known) != 1:
                continue
            start, end = tokens[s].idx, tokens[e - 1].idx + len(tokens[e - 1].text)
            out.append(Hit(Mention(start, end, tokens[s:e].text, (known[0],), f"'{phrase}' with its sides", "known-sides", 70.0), s, e))
        return out

    def _side_relation(self, whole: str) -> str:
        """partyTo for what has sides (agreements, talks, conflicts, wars, clashes), participantIn for other events."""
        sided = frozenset(self.schema.classes[c] for c in SIDED_CLASSES if c in self.schema.classes)
        return "partyTo" if self._fits(whole, sided) or "participantIn" not in self.schema.relations else "participantIn"

    def _compound(self, hits: list[Hit], nested: list[Hit], sentence) -> list[Candidate]:
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
                    cand = self._candidate(side, self._side_relation(whole), whole, [inner, outer], None, confidence, reason, sentence)
                    cand.once = True
                    out.append(cand)
        return out

    def _demonym_bodies(self, hits: list[Hit], sentence) -> list[Candidate]:
        """ "the Russian peace keeping force", "the Azerbaijani Foreign Ministry": a body said in its label's words right
        after a demonym is a body of that state (the demonym names whose it is, as "Russia's" would)."""
        prop, body = self.schema.relations.get("subOrganisationOf"), self.schema.classes.get("Organisation")
        if prop is None or body is None:
            return []
        out = []
        for described in self._described_hits:
            if not (sentence.start <= described.mention.start < sentence.end):
                continue
            demonym = next((h for h in hits if h.last == described.first and h.mention.how == "demonym"), None)
            if demonym is None or demonym.mention.text.endswith("s"):
                continue  # "Russians": people, not an adjective naming whose the body is
            state = self._pick(demonym, prop.range)
            if state is None:
                continue

            def parents(e: str) -> set[str]:
                return {o for (s_, r, o) in self.knowledge.triples if s_ == e and r == "subOrganisationOf"}

            # Of the bodies the words may describe ("Foreign Affairs Ministry": whose?), the one the graph has as the
            # state's, else one it has as no one's; never one it has as another state's.
            bodies = [e for e in described.mention.entities if self._fits(e, frozenset({body})) and e != state]
            whole = next((e for e in bodies if state in parents(e)), None) or next((e for e in bodies if not parents(e)), None)
            if whole is None:
                continue
            confidence = described.mention.score / 100 * 0.9
            reason = f"the body '{described.mention.text}' is named right after the demonym '{demonym.mention.text}'"
            out.append(self._candidate(whole, "subOrganisationOf", state, [described, demonym], None, confidence, reason, sentence))
        return out

    def _issue_named_with(self, outer: Hit, inside: list[Hit], sentence) -> list[Candidate]:
        """ "Transit rights to Nakhichevan": a negotiation issue named with a place or actor concerns it."""
        prop, issue = self.schema.relations.get("concerns"), self.schema.classes.get("NegotiationIssue")
        if prop is None or issue is None or "issues" not in self.rules:
            return []
        whole = next((e for e in outer.mention.entities if self._fits(e, frozenset({issue}))), None)
        out = []
        for inner in inside if whole else []:
            thing = self._pick(inner, prop.range)
            if thing and thing != whole and self.gazetteer.entities[thing].type != "Person":
                confidence = (outer.mention.score + inner.mention.score) / 200 * 0.7
                reason = f"'{inner.mention.text}' is named inside the issue '{outer.mention.text}'"
                out.append(self._candidate(whole, "concerns", thing, [outer, inner], None, confidence, reason, sentence, dated=False))
        return out

    def _possessive(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Armenia's southern Syunik region", "Nakhchivan, Azerbaijan's exclave": a place in a state, a body or office of it;
        "Azerbaijan's swift offensive", "Blinken's peace talks": who launched or hosted the event (see POSSESSOR_ROLES)."""
        out = []
        by_kind = [(n, self.schema.relations.get(n)) for n in ("locatedIn", "subOrganisationOf", "postIn")]
        for owner in ordered:
            after = tokens[owner.last : owner.last + 1]
            pronoun = owner.mention.text.lower() in POSSESSIVE_PRONOUNS
            if not (after and after[0].text in ("'s", "'")) and not pronoun:
                continue
            # "A's [a few lower-case words] B" or "B, A's ...".
            gap_start = owner.last if pronoun else owner.last + 1
            right = next((h for h in ordered if h.first > owner.last and h.first - gap_start <= 2), None)
            left = None if pronoun else next((h for h in ordered if h.last + 1 == owner.first and tokens[h.last].text == ","), None)
            for part in (right, left):
                if part is None:
                    continue
                between = tokens[gap_start : part.first]
                if part is right and not all(t.is_lower and not t.is_stop for t in between):
                    continue  # "Armenia's southern Syunik", not "Russia's invasion of Ukraine"
                if part is right and "possessive-events" in self.rules:
                    out += self._possessed_event(owner, part, sentence)
                for name, prop in by_kind if not pronoun else []:
                    if prop is None:
                        continue
                    subject, obj = self._pick(part, prop.domain), self._pick(owner, prop.range)
                    if subject and obj and subject != obj:
                        confidence = (part.mention.score + owner.mention.score) / 200 * 0.8
                        reason = f"'{owner.mention.text}'s' before or beside '{part.mention.text}' (possessive)"
                        out.append(self._candidate(subject, name, obj, [part, owner], None, confidence, reason, sentence, dated=False))
                        break
        if "possessive-events" in self.rules:
            out += self._possessor_inside_name(ordered, tokens, sentence)
        return out

    def _possessed_event(self, owner: Hit, event: Hit, sentence) -> list[Candidate]:
        """ "Azerbaijan's offensive": the owner launched it; "Blinken's peace talks": hosted them (POSSESSOR_ROLES)."""
        for class_name, relation in POSSESSOR_ROLES:
            cls, prop = self.schema.classes.get(class_name), self.schema.relations.get(relation)
            if cls is None or prop is None:
                continue
            whole = next((e for e in event.mention.entities if self._fits(e, frozenset({cls}))), None)
            actor = self._pick(owner, prop.domain)
            if whole and actor and actor != whole:
                confidence = (owner.mention.score + event.mention.score) / 200 * 0.85
                reason = f"'{owner.mention.text}' owns '{event.mention.text}' (possessive): {relation} for a {class_name}"
                return [self._candidate(actor, relation, whole, [owner, event], None, confidence, reason, sentence)]
        return []

    def _possessor_inside_name(self, ordered: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Russia's invasion of Ukraine" as one name: the possessor at its start owns the event."""
        out = []
        for hit in ordered:
            if hit.mention.how == "description":
                continue
            inner = [h for h in self._nested_s if h.first == hit.first and h.last < hit.last and tokens[h.last].text in ("'s", "'")]
            if inner:
                out += self._possessed_event(inner[0], hit, sentence)
        return out

    def _place_of_word(self, word: str, allowed) -> str | None:
        for name in self.gazetteer.names:
            if (name.text == word or demonym_of(word, name.text)) and self._fits(name.entity, allowed):
                return name.entity
        return None


def _title_of(label: str) -> str | None:
    """ "Foreign Minister of Azerbaijan" -> "foreign minister": an office's title without its place."""
    import re

    found = re.match(r"^([A-Z][\w ]+?) of ", label)
    return fold(found.group(1)).lower() if found else None


def _describes(hit: Hit, tokens) -> bool:
    """A demonym before a noun ("the Azerbaijani exclave of Nakhchivan"): it describes the place named after it."""
    return hit.mention.how == "demonym" and hit.last < len(tokens) and tokens[hit.last].is_lower


def text_of(tokens, first: int, last: int) -> str:
    """The text of tokens [first, last) as written (the folded copy's characters)."""
    return "".join(t.text_with_ws for t in tokens[first:last]).strip()


def _listed(tokens, first: Hit, second: Hit) -> bool:
    """True if only "and", "or" or a comma stand between two mentions (in either order)."""
    a, b = (first, second) if first.first < second.first else (second, first)
    between = [t.lower_ for t in tokens[a.last : b.first]]
    return bool(between) and len(between) <= 2 and all(w in (",", "and", "or") for w in between)
