"""Words that point back at an entity named before: pronouns, "both countries", ", which".

Each reference becomes a ``Mention`` whose ``entities`` are the possible
antecedents, likeliest first; the drafter takes the first that fits the
relation's domain or range (``Schema.fits``), so "its" in "Turkey's alliance
with Azerbaijan and its backing of Baku" can mean Turkey as a backer. The
order follows the usual preference of English (Hobbs's search): the names
earlier in the same clause, left to right, then the earlier clauses of the
sentence, then the previous sentences of the paragraph, each left to right
(a sentence's subject comes first).

- ``he``/``his``/``him``/``she``/``her``: a person;
- ``it``/``its``: anything but a person; not "it is", "it remains", "it seems";
- ``they``/``their``/``them``: the names last listed together ("Pashinyan and
  Aliyev ... They"), as a group, else one organisation or state;
- "both countries", "the two sides", "these two countries", "each side": the
  two (or three) entities last listed together, or last named, of the kind
  the noun says (states for "countries", actors for "sides", persons for
  "leaders"), as a group: a candidate is proposed for each;
- "which", "who", "that" opening a relative clause: the name just before it
  ("a ceasefire, which was brokered by Russia").
"""

from __future__ import annotations

from dataclasses import dataclass

from peacegraph.curate.coverage import Sentence
from peacegraph.curate.gazetteer import Gazetteer, Mention
from peacegraph.load.schema import Schema

#: Mention scores (0-100) by kind of reference: a pronoun is a weaker name than the name itself.
SCORES = {"group": 80.0, "pronoun": 70.0, "relative": 80.0}
#: Pronouns and the class their antecedent must belong to (None: any but a person).
PRONOUNS = {"he": "Person", "his": "Person", "him": "Person", "she": "Person", "her": "Person", "it": None, "its": None}
PLURAL_PRONOUNS = {"they", "their", "them"}
#: "It" that stands for nothing: "it is time", "it remains to be seen", "it seems".
EXPLETIVE_AFTER_IT = {"is", "was", "'s", "remains", "remained", "seems", "seemed", "appears", "appeared", "takes", "took"}
#: Nouns of a group reference and the class its members must belong to.
GROUP_NOUNS = {
    "countries": "State", "states": "State", "nations": "State", "neighbours": "State", "neighbors": "State",
    "governments": "State", "sides": "Actor", "parties": "Actor", "leaders": "Person",
}  # fmt: skip
#: Adjectives of a group noun that refer back to the states named together before: "the neighbouring countries".
NEIGHBOURING = {"neighbouring", "neighboring"}
#: Verbs after which "both" stands alone for two actors named before ("both were", "both claim").
BOTH_VERBS = {
    "are", "were", "have", "had", "has", "will", "would", "could", "can", "must", "should", "claim", "claimed", "want",
    "wanted", "agreed", "signed", "say", "said",
}  # fmt: skip
#: Words before a group noun that say how many: "both", "the two", "these two", "the three".
GROUP_COUNTS = {"both": 2, "two": 2, "three": 3}
#: Words that open a clause: the search for an antecedent in the sentence starts after the last of them.
CLAUSE_OPENERS = {"that", "which", "who", "because", "while", "although", "though", "whereas", "if", "when", ";", ":"}
#: Words that open a phrase before a sentence's subject ("Despite ..., Following ..., Like the EU, ...").
OPENING_WORDS = {
    "despite", "after", "before", "following", "like", "unlike", "with", "since", "while", "although", "though", "as", "in",
    "for", "during", "throughout", "aside", "besides", "amid", "when", "once", "if", "because", "on", "at", "by", "from",
}  # fmt: skip
#: How many sentences back an antecedent is looked for.
SENTENCES_BACK = 2


@dataclass(frozen=True)
class _Named:
    mention: Mention
    first: int  # token
    last: int


class Resolver:
    """Finds references in a text and ranks their possible antecedents among the mentions found."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        schema: Schema,
        nouns: frozenset[str] = frozenset(),
        place_nouns: frozenset[str] = frozenset(),
        neighbours: bool = False,
        plural_names: bool = False,
    ):
        self.gazetteer = gazetteer
        self.plural_names = plural_names  # "The Russians announced that they ...": a plural name earlier in the sentence
        self.neighbours = neighbours  # "the neighbouring countries": the two states last listed together
        self.schema = schema
        self.nouns = nouns  # class head nouns ("region", "ceasefire"): a "that" after one opens a relative clause
        self.place_nouns = place_nouns  # "its exclave", "its southern region": the owner is a place, not an event

    def _is(self, entity: str, class_name: str | None) -> bool:
        ent = self.gazetteer.entities.get(entity)
        if ent is None:
            return False
        if class_name is None:
            return ent.type != "Person"
        cls = self.schema.classes.get(class_name)
        return cls is not None and self.schema.fits(frozenset({ent.type_iri}), frozenset({cls}))

    def find(self, text: str, tokens, mentions: list[Mention], sentences: list[Sentence]) -> list[Mention]:
        """References in ``text`` with their possible antecedents among ``mentions`` (names and descriptions)."""
        import bisect

        starts = [t.idx for t in tokens]
        self._starts = starts
        named = sorted(
            (_Named(m, bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end)) for m in mentions), key=lambda n: n.first
        )
        taken = [(m.start, m.end) for m in mentions]
        out: list[Mention] = []
        for index, sentence in enumerate(sentences):
            paragraph_start = text.rfind("\n", 0, sentence.start) + 1
            back = [s for s in sentences[max(0, index - SENTENCES_BACK) : index] if s.start >= paragraph_start]
            for token in tokens[bisect.bisect_left(starts, sentence.start) : bisect.bisect_left(starts, sentence.end)]:
                if any(a <= token.idx < b for a, b in taken):
                    continue
                found = self._reference(text, tokens, token, named, sentence, back)
                if found:
                    out.append(found)
                    taken.append((found.start, found.end))
        return sorted(out, key=lambda m: m.start)

    def _reference(self, text, tokens, token, named: list[_Named], sentence: Sentence, back: list[Sentence]) -> Mention | None:
        word = token.lower_
        i = token.i
        nxt = tokens[i + 1].lower_ if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].lower_ if i > 0 else ""
        if word in PRONOUNS:
            after = tokens[i + 2] if i + 2 < len(tokens) else None
            passive = nxt in ("is", "'s", "was") and after is not None and after.is_alpha and after.lower_.endswith("ed")
            if word == "it" and nxt in EXPLETIVE_AFTER_IT and not passive:
                return None  # "it is time"; but "it is surrounded by" is a passive whose subject "it" stands for something
            # The likeliest antecedent only: whether it fits the relation is for the drafter to check, not a reason to
            # look further back for one that does.
            if word == "its" and self._owns_place(tokens, i):
                # "connect Azerbaijan with its exclave": a place's owner is the nearest place named before it.
                first = self._sentence_first(tokens, sentence)
                nearest = [n for n in named if first <= n.first and n.last <= i][::-1]
                best = self._first(nearest + self._antecedents(tokens, i, named, sentence, back), "Place")
                return self._mention(text, token, token, best.mention.entities, "pronoun") if best else None
            best = self._first(self._antecedents(tokens, i, named, sentence, back), PRONOUNS[word])
            return self._mention(text, token, token, best.mention.entities, "pronoun") if best else None
        if word in PLURAL_PRONOUNS:
            if self.plural_names and word == "they":
                # "The Russians also announced that they would ...": a plural name opening the sentence, with no list
                # between it and "they", is what "they" stands for.
                first = self._sentence_first(tokens, sentence)
                here = [n for n in named if first <= n.first and n.last <= i]
                opener = next((n for n in here if n.first in (first, first + 1) and n.mention.text.endswith("s")), None)
                if opener is not None and self._is(opener.mention.entity, "Actor") and not self._groups(here, tokens):
                    return self._mention(text, token, token, opener.mention.entities, "pronoun")
            group = self._subject_group(tokens, i, named, sentence, back)
            if group:
                return self._mention(text, token, token, group, "group")
            best = self._first(self._antecedents(tokens, i, named, sentence, back), "Organisation")
            return self._mention(text, token, token, best.mention.entities, "pronoun") if best else None
        if word in GROUP_NOUNS and prev in GROUP_COUNTS:
            start = (
                tokens[i - 2] if i >= 2 and tokens[i - 2].lower_ in ("the", "these", "those", "two") and prev != "both" else tokens[i - 1]
            )
            group = self._last_group(tokens, start.i, named, sentence, back, GROUP_NOUNS[word], GROUP_COUNTS[prev])
            return self._mention(text, start, token, group, "group") if group else None
        if (
            word in GROUP_NOUNS
            and prev in NEIGHBOURING
            and self.neighbours
            and i >= 2
            and tokens[i - 2].lower_ in ("the", "these", "those")
        ):
            # "the neighbouring countries": neighbours are two (or more) named before, as "the two countries" are.
            group = self._last_group(tokens, i - 2, named, sentence, back, GROUP_NOUNS[word], 2)
            return self._mention(text, tokens[i - 2], token, group, "group") if group else None
        if word == "both" and nxt in BOTH_VERBS:
            # "both were part of the Soviet Union", "both claim it": "both" alone is the two actors last listed together.
            group = self._last_group(tokens, i, named, sentence, back, "Actor", 2)
            return self._mention(text, token, token, group, "group") if group else None
        if word in ("which", "who") and i > 0:
            # The name just before, with at most a short phrase of its own between ("a ceasefire in 2020, which").
            before = [
                n for n in named
                if n.last <= i and i - n.last <= 4 and n.first >= self._sentence_first(tokens, sentence)
                and all(t.is_stop or t.like_num or t.is_punct for t in tokens[n.last : i])
            ]  # fmt: skip
            if before and (prev == "," or before[-1].last == i):
                return self._mention(text, token, token, before[-1].mention.entities[:1], "relative")
        if word == "that" and i > 0 and prev in self.nouns:
            # "X, a mountainous region that ...": "that" after a noun opens a relative clause about X (after a verb,
            # "said that", it opens a reported clause).
            first = self._sentence_first(tokens, sentence)
            before = [n for n in named if first <= n.first and n.last <= i and i - n.last <= 6]
            if before:
                return self._mention(text, token, token, before[-1].mention.entities[:1], "relative")
        return None

    def _owns_place(self, tokens, i: int) -> bool:
        """True if a noun for a kind of place follows the possessive at ``i``, after at most two adjectives ("its
        landlocked exclave"): only a place has an exclave or a region."""
        after = tokens[i + 1 : i + 4]
        for t in after:
            if t.lower_ in self.place_nouns:
                return True
            if not (t.is_alpha and t.is_lower):
                return False
        return False

    # -- antecedents ---------------------------------------------------------------------------
    def _first(self, order: list[_Named], class_name: str | None) -> _Named | None:
        return next((n for n in order if self._is(n.mention.entity, class_name)), None)

    def _subject_group(self, tokens, i: int, named, sentence: Sentence, back: list[Sentence]) -> tuple[str, ...] | None:
        """What "they" or "their" stands for: names listed together earlier in the sentence, else the first list of
        the previous sentence (its subject, most often)."""
        first = self._sentence_first(tokens, sentence)
        here = self._groups([n for n in named if first <= n.first and n.last <= i], tokens)
        if here:
            return here[-1]
        for sentence_before in reversed(back):
            groups = self._groups(self._subject_first(tokens, named, sentence_before), tokens)
            if groups:
                return groups[0]
        return None

    def _subject_first(self, tokens, named: list[_Named], sentence: Sentence) -> list[_Named]:
        """The names of a sentence, those of an opening phrase ("Despite criticism from Russia, ...") put last: the
        subject follows it."""
        inside = [n for n in named if sentence.start <= n.mention.start < sentence.end]
        first = self._sentence_first(tokens, sentence)
        comma = next((t.i for t in tokens[first:] if t.idx >= sentence.end or t.text == ","), None)
        if comma is None or tokens[comma].idx >= sentence.end or any(n.first == first for n in inside):
            return inside  # no comma, or the sentence opens with a name: its subject
        word = tokens[first].lower_
        after_comma = any(n.first == comma + 1 for n in inside)
        following = next((n for n in inside if n.first == comma + 1), None)
        if following is not None and any(n.last == comma for n in inside) and following.last < len(tokens):
            # "between Azerbaijan, Iran, and Turkey": a comma inside a list (it goes on after the next name) opens no
            # phrase; "Left defenseless against Azerbaijan, Armenia has ..." still does.
            after_comma = tokens[following.last].lower_ not in (",", "and", "or")
        if word not in OPENING_WORDS and not (word.endswith(("ing", "ed")) and tokens[first].is_alpha) and not after_comma:
            return inside
        # "Despite ..., ", "Following ..., ", "Left defenseless against Azerbaijan, Armenia ...": an opening phrase
        # before the subject; its names come after the rest.
        return [n for n in inside if n.first > comma] + [n for n in inside if n.first < comma]

    def _groups(self, names: list[_Named], tokens) -> list[tuple[str, ...]]:
        """Runs of actors listed together ("Pashinyan and Aliyev", "the United States, the EU, and Turkey"), in order."""
        out: list[tuple[str, ...]] = []
        run: list[_Named] = []
        closed = False  # a list ends with its "and": "Russia and Iran, Pashinyan and Aliyev" are two lists
        # A title before a person ("Armenian Prime Minister Nikol Pashinyan") is part of how the person is named: a
        # list of titled persons is a list of persons.
        titles = {n.last: n.first for n in names if self._is(n.mention.entity, "Post")}
        for n in names:
            if not self._is(n.mention.entity, "Actor"):
                continue
            listed = run and (
                _listed(tokens, run[-1], n) or (n.first in titles and _listed(tokens, run[-1], _Named(n.mention, titles[n.first], n.last)))
            )
            if listed and not closed:
                closed = any(t.lower_ in ("and", "or") for t in tokens[run[-1].last : n.first])
                run.append(n)
                continue
            closed = False
            if len({m.mention.entity for m in run}) >= 2:
                out.append(tuple(dict.fromkeys(m.mention.entity for m in run)))
            run = [n]
        if len({m.mention.entity for m in run}) >= 2:
            out.append(tuple(dict.fromkeys(m.mention.entity for m in run)))
        return out

    def _sentence_first(self, tokens, sentence: Sentence) -> int:
        import bisect

        return bisect.bisect_left(self._starts, sentence.start)

    def _antecedents(self, tokens, i: int, named: list[_Named], sentence: Sentence, back: list[Sentence]) -> list[_Named]:
        """Names before token ``i``: this clause left to right, the sentence's earlier clauses, then earlier sentences."""
        first = self._sentence_first(tokens, sentence)
        opener = max(
            (
                t.i
                for t in tokens[first:i]
                if t.lower_ in CLAUSE_OPENERS or (t.lower_ in ("and", "but") and t.i > 0 and tokens[t.i - 1].text == ",")
            ),
            default=first,
        )
        here = [n for n in self._subject_first(tokens, named, sentence) if n.last <= i]
        clause = [n for n in here if n.first >= opener]
        earlier = [n for n in here if n.first < opener]
        order = clause + earlier
        for sentence_before in reversed(back):
            order += self._subject_first(tokens, named, sentence_before)
        return order

    def _last_group(self, tokens, i: int, named, sentence, back, class_name: str, size: int) -> tuple[str, ...] | None:
        """The entities last listed together before token ``i`` ("Armenia and Azerbaijan"), else the last ``size`` named."""
        before = [n for n in self._in_reach(tokens, i, named, sentence, back) if self._is(n.mention.entity, class_name)]
        for k in range(len(before) - 1, 0, -1):
            run = [before[k]]
            j = k - 1
            while j >= 0 and _listed(tokens, before[j], run[0]):
                run.insert(0, before[j])
                j -= 1
            ids = tuple(dict.fromkeys(n.mention.entity for n in run))
            if len(ids) >= 2 and (len(ids) == size or size == 2):
                return ids[-size:] if len(ids) >= size else None
        distinct: list[str] = []
        for n in reversed(before):
            if n.mention.entity not in distinct:
                distinct.append(n.mention.entity)
            if len(distinct) == size:
                return tuple(reversed(distinct))
        return None

    def _in_reach(self, tokens, i, named, sentence, back) -> list[_Named]:
        low = back[0].start if back else sentence.start
        return [n for n in named if low <= n.mention.start and n.last <= i]

    def _mention(self, text: str, first_token, last_token, entities: tuple[str, ...], how: str) -> Mention:
        start, end = first_token.idx, last_token.idx + len(last_token.text)
        return Mention(start, end, text[start:end], tuple(entities), text[start:end], how, SCORES[how])


def _listed(tokens, first: _Named, second: _Named) -> bool:
    """Only list words between two names: "Armenia and Azerbaijan", "Russia, Turkey and Iran", "the U.S., the EU"."""
    between = [t.lower_ for t in tokens[first.last : second.first]]
    return bool(between) and len(between) <= 3 and all(w in (",", "and", "or", "-", "/", "the") for w in between) and "the" != between[0]
