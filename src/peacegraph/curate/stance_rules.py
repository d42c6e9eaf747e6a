"""Stances said by narrow grammatical patterns rather than trigger words: "A is seen by B as ...", "B's relations with A
are strained", "A remained wary of B", "A hopes for B", "A's interest in B".

A mixin of ``Drafter``: the methods read the drafter's gazetteer, schema, rules and the document's tokens. Attitude
words alone say too little (what the attitude is about is often not the name nearest them); each pattern here also
fixes where the holder of the stance and its object stand.
"""

from __future__ import annotations

import bisect

from peacegraph.curate.candidates import Candidate, Hit
from peacegraph.curate.words import (
    ATTITUDE_ADJECTIVES,
    ATTITUDE_VERBS,
    AUXILIARIES,
    BE_FORMS,
    HOPING,
    PERCEIVING,
    POSSESSIVE_PRONOUNS,
    PREPOSITIONS,
    RELATION_QUALITIES,
    TURNING,
)

#: Words that may stand between a subject and its verb or adjective: auxiliaries, "not", adverbs.
_ADVERBS = {"not", "also", "still", "even", "less", "more", "now", "long", "increasingly", "become", "became", "becomes",
            "remain", "remains", "remained", "remaining", "seem", "seems", "seemed", "appear", "appears", "appeared", "grown",
            "grew", "growing", "so", "very", "too", "deeply", "largely", "always", "never", "reportedly"}  # fmt: skip


class StanceRules:
    """Stances read off a clause's shape."""

    def _stance_bounds(self, sentence) -> tuple[int, int]:
        return bisect.bisect_left(self._starts, sentence.start), bisect.bisect_left(self._starts, sentence.end)

    def _subject_before(self, hits: list[Hit], k: int, first: int) -> Hit | None:
        """The name (or pronoun) right before token ``k``, auxiliaries and adverbs between ("it became even less")."""
        tokens = self._tokens
        j = k
        while j > first and (
            tokens[j - 1].lower_ in AUXILIARIES or tokens[j - 1].lower_ in _ADVERBS or tokens[j - 1].lower_.endswith("ly")
        ):
            j -= 1
        return next((h for h in hits if h.last == j), None)

    def _object_after(self, hits: list[Hit], k: int, limit: int = 3) -> Hit | None:
        """The name starting within ``limit`` lower-case words (articles, adjectives) after token ``k``."""
        tokens = self._tokens
        obj = next((h for h in hits if k <= h.first <= k + limit), None)
        # Only an article and adjectives between: "welcomed the meeting between A and B" is about the meeting.
        if obj is None or not all(t.is_alpha and t.is_lower and t.lower_ not in PREPOSITIONS for t in tokens[k : obj.first]):
            return None
        return obj

    def _stance(
        self, holder: Hit, thing: Hit, span: tuple[int, int], reason: str, sentence, factor: float = 0.7, quoted: bool = True
    ) -> list[Candidate]:
        """hasStanceOn from the holder's entity to the thing's; ``quoted`` False: the thing is not in the sentence
        (the quote spans the holder and the trigger only)."""
        prop = self.schema.relations.get("hasStanceOn")
        if prop is None:
            return []
        subject, obj = self._pick(holder, prop.domain), self._pick(thing, prop.range)
        if subject is None or obj is None or subject == obj or holder.mention.how == "described":
            return []
        confidence = (holder.mention.score + thing.mention.score) / 200 * factor
        return [
            self._candidate(s_id, "hasStanceOn", obj, [holder, thing] if quoted else [holder], span, confidence, reason, sentence)
            for s_id in self._members(holder, subject, prop.domain)
            if s_id != obj
        ]

    def _perceptions(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Turkey is seen by Armenia as its gateway", "Armenia sees Turkey as ...": who sees something as something has
        a stance on it (a verb of perceiving with "as" after its object)."""
        first, last = self._stance_bounds(sentence)
        out = []
        for k in range(first + 1, last - 2):
            if tokens[k].lower_ not in PERCEIVING:
                continue
            span = (tokens[k].idx, tokens[k].idx + len(tokens[k]))
            if tokens[k - 1].lower_ in BE_FORMS and tokens[k + 1].lower_ == "by":
                thing = next((h for h in hits if h.last == k - 1 or (h.last == k - 2 and tokens[k - 2].lower_ in AUXILIARIES)), None)
                thing = thing or self._subject_before(hits, k - 1, first)
                holder = next((h for h in hits if h.first == k + 2 or (h.first == k + 3 and tokens[k + 2].lower_ == "the")), None)
                if holder is None or thing is None or not any(t.lower_ == "as" for t in tokens[holder.last : holder.last + 2]):
                    continue
            else:
                holder = self._subject_before(hits, k, first)
                thing = self._object_after(hits, k + 1, 1)
                if holder is None or thing is None or thing.last >= last or tokens[thing.last].lower_ != "as":
                    continue
            reason = f"'{holder.mention.text}' {tokens[k].text} '{thing.mention.text}' as something: a stance on it"
            out += self._stance(holder, thing, span, reason, sentence)
        return out

    def _relations_with(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "good relations with Moscow", "relations with Russia are at an all-time low": relations said to be good or
        bad are a stance of whose they are (a possessive before, else the clause's subject) on the other side."""
        first, last = self._stance_bounds(sentence)
        out = []
        for k in range(first, last - 2):
            if tokens[k].lower_ not in ("relations", "ties") or tokens[k + 1].lower_ != "with":
                continue
            other = self._object_after(hits, k + 2, 4)
            if other is None:
                continue
            # The other side may be set off in apposition: "relations with its traditional benefactor, Russia, are".
            end, owner = other.last, None
            if other.mention.text.lower() in POSSESSIVE_PRONOUNS:
                # "relations with its neighbour, Russia": whose neighbour it is, is whose relations they are.
                later = next((h for h in hits if other.last < h.first <= other.last + 4 and tokens[h.first - 1].text == ","), None)
                if later is None:
                    continue
                owner, other, end = other, later, later.last + 1
            before = tokens[max(first, k - 3) : k]
            after = [t.lower_ for t in tokens[end : min(last, end + 8)] if t.text != ","]
            judged = any(t.lower_ in RELATION_QUALITIES for t in before) or (
                after[:1] and after[0] in BE_FORMS and any(w in RELATION_QUALITIES for w in after[1:])
            )
            if not judged:
                continue
            owner = owner or next((h for h in hits if h.last in (k - 1, k - 2) and h.mention.text.lower() in POSSESSIVE_PRONOUNS), None)
            owner = owner or next((h for h in hits if tokens[h.last].text in ("'s", "'") and h.last + 1 >= k - 2 and h.last < k), None)
            if owner is None:
                # The clause's subject: the nearest name before followed by an auxiliary ("Baku has become ...").
                owner = next(
                    (
                        h
                        for h in sorted(hits, key=lambda h: -h.first)
                        if h.last < k and h.last < last and tokens[h.last].lower_ in AUXILIARIES
                    ),
                    None,
                )
            if owner is None or owner is other:
                continue
            span = (tokens[k].idx, tokens[k + 1].idx + len(tokens[k + 1]))
            reason = f"relations of '{owner.mention.text}' with '{other.mention.text}' said to be good or bad: a stance"
            out += self._stance(owner, other, span, reason, sentence)
        return out

    def _attitude_adjectives(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "the EU became inattentive to the crisis", "Armenians remain wary of Russia": an attitude adjective after
        its subject (a form of "be", "remain", "become" and adverbs between) has a stance on what follows its preposition."""
        first, last = self._stance_bounds(sentence)
        out = []
        for k in range(first + 1, last - 2):
            if tokens[k].lower_ not in ATTITUDE_ADJECTIVES or tokens[k + 1].lower_ not in (
                "to",
                "of",
                "with",
                "about",
                "toward",
                "towards",
            ):
                continue
            holder = self._subject_before(hits, k, first)
            thing = self._object_after(hits, k + 2, 3)
            if holder is None or thing is None:
                continue
            span = (tokens[k].idx, tokens[k + 1].idx + len(tokens[k + 1]))
            reason = f"'{holder.mention.text}' {tokens[k].text} {tokens[k + 1].text} '{thing.mention.text}': a stance on it"
            out += self._stance(holder, thing, span, reason, sentence)
        return out

    def _turning_toward(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Yerevan has been pivoting toward the West", "Armenia has started to turn towards Europe": an actor turning
        (pivoting, leaning, tilting, drifting) toward another has a stance on it."""
        first, last = self._stance_bounds(sentence)
        out = []
        for k in range(first + 1, last - 1):
            word = tokens[k].lower_
            if not any(word.startswith(v) for v in TURNING) or tokens[k + 1].lower_ not in ("toward", "towards"):
                continue
            j = k
            while j > first and tokens[j - 1].lower_ in (
                "to",
                "started",
                "starts",
                "start",
                "begun",
                "began",
                "begins",
                "continued",
                "continues",
            ):
                j -= 1
            holder = self._subject_before(hits, j, first)
            thing = self._object_after(hits, k + 2, 1)
            if holder is None or thing is None:
                continue
            span = (tokens[k].idx, tokens[k + 1].idx + len(tokens[k + 1]))
            reason = f"'{holder.mention.text}' {tokens[k].text} {tokens[k + 1].text} '{thing.mention.text}': a stance on it"
            out += self._stance(holder, thing, span, reason, sentence, 0.65)
        return out

    def _fears_this(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Armenia fears this could compromise its sovereignty": an actor fearing (welcoming, opposing, rejecting) "this"
        or "that", no noun after it, has a stance on the event, agreement or issue the sentence before named last."""
        first, last = self._stance_bounds(sentence)
        topics = frozenset(self.schema.classes[c] for c in ("Event", "Agreement", "NegotiationIssue") if c in self.schema.classes)
        previous = next((s for s in reversed(self._sentences) if s.end <= sentence.start), None)
        out = []
        for k in range(first + 1, last - 2):
            if tokens[k].lower_ not in ATTITUDE_VERBS or tokens[k + 1].lower_ not in ("this", "that", "it"):
                continue
            after = tokens[k + 2]
            if not (after.lower_ in AUXILIARIES or after.lower_ in ("could", "might", "may", "will", "would") or after.is_punct):
                continue  # "fears this agreement": the noun says what is feared
            holder = self._subject_before(hits, k, first)
            if holder is None or previous is None:
                continue
            before = [
                h for h in self._all_hits + self._described_hits if previous.start <= h.mention.start and h.mention.end <= previous.end
            ]
            named = [h for h in sorted(before, key=lambda h: h.first) if any(self._fits(e, topics) for e in h.mention.entities)]
            if not named:
                continue
            thing = named[-1]
            span = (tokens[k].idx, tokens[k + 1].idx + len(tokens[k + 1]))
            reason = f"'{holder.mention.text}' {tokens[k].text} {tokens[k + 1].text}: '{thing.mention.text}', named last before"
            out += self._stance(holder, thing, span, reason, sentence, 0.7, quoted=False)
        return out

    def _hope_for(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "both countries hope for a peace deal": who hopes (wishes) for something, named right before the verb, has a
        stance on what is named right after "for" (an article, adjectives between at most)."""
        first, last = self._stance_bounds(sentence)
        out = []
        for k in range(first + 1, last - 1):
            if tokens[k].lower_ not in HOPING or tokens[k + 1].lower_ != "for":
                continue
            owner = next((h for h in hits if h.last == k), None)
            obj = next((h for h in hits if h.first >= k + 2 and h.first - (k + 2) <= 3), None)
            if owner is None or obj is None or not all(t.is_alpha and t.is_lower for t in tokens[k + 2 : obj.first]):
                continue
            reason = f"'{owner.mention.text}' {tokens[k].text} for '{obj.mention.text}': a stance on it"
            out += self._stance(owner, obj, (tokens[k].idx, tokens[k + 1].idx + 3), reason, sentence, factor=0.75)
        return out

    def _interest_in(self, hits: list[Hit], tokens, sentence) -> list[Candidate]:
        """ "Washington's growing interest in the region": whose interest (the possessor, with at most two lower-case
        words before the noun) it is has a stance on what follows "in" (the ontology's own example of a stance)."""
        first, last = self._stance_bounds(sentence)
        out = []
        for k in range(first, last - 1):
            if tokens[k].lower_ not in ("interest", "interests") or tokens[k + 1].lower_ != "in":
                continue
            owner = None
            for h in hits:
                between = tokens[h.last : k]
                pronoun = h.mention.text.lower() in POSSESSIVE_PRONOUNS
                marked = pronoun or (between and between[0].text in ("'s", "'"))
                words = between if pronoun else between[1:]
                if marked and len(words) <= 2 and all(t.is_alpha and t.is_lower for t in words):
                    owner = h
            obj = next((h for h in hits if 0 <= h.first - (k + 2) <= 1 and h.first > k), None)
            if owner is None or obj is None:
                continue
            reason = f"'{owner.mention.text}' has an interest in '{obj.mention.text}': a stance on it"
            out += self._stance(owner, obj, (tokens[k].idx, tokens[k + 1].idx + 2), reason, sentence, factor=0.75)
        return out
