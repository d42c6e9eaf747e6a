"""Offices that stand for the person holding them: "the Armenian Foreign Minister said", "talks with the Armenian and
Azerbaijani foreign ministers".

An article names a minister by office as often as by name. Where an office is named with no person beside it, the
person is the one the graph says held that office nearest the article's date (``Knowledge.holder_at``); two or more
offices listed with one title ("the Armenian and Azerbaijani foreign ministers") are a group of their holders, and a
candidate is proposed for each. An office with its holder named beside it ("Armenian Prime Minister Nikol Pashinyan",
"Bayramov, Azerbaijan's Foreign Minister") is left to the name.
"""

from __future__ import annotations

import bisect
import datetime as dt

from peacegraph.curate.gazetteer import Gazetteer, Mention
from peacegraph.curate.knowledge import Knowledge
from peacegraph.curate.words import TITLES

#: A holder read off an office is a surer name than a pronoun, less sure than the person's own name.
HOLDER_SCORE = 80.0
#: Words that list demonyms before one title: "the Armenian and Azerbaijani foreign ministers".
LIST_WORDS = {"and", ","}


class Holders:
    """Finds offices named without their holder, and reads the holder off the graph."""

    def __init__(self, gazetteer: Gazetteer, knowledge: Knowledge):
        self.gazetteer = gazetteer
        self.knowledge = knowledge

    def find(self, text: str, tokens, mentions: list[Mention], day: dt.date) -> list[Mention]:
        """Mentions of office holders in ``text`` (``mentions``: the names found, in order), as of ``day``."""
        starts = [t.idx for t in tokens]
        spans = [(bisect.bisect_left(starts, m.start), bisect.bisect_left(starts, m.end), m) for m in mentions]
        out: list[Mention] = []
        taken: set[int] = set()
        for index, (_first, last, mention) in enumerate(spans):
            if index in taken:
                continue
            if self._is(mention.entity, "Post") and mention.how in ("composed", "exact"):
                if self._named_beside(spans, index, tokens) or _name_follows(tokens, last):
                    continue
                holder = self.knowledge.holder_at(mention.entity, day)
                if holder:
                    out.append(Mention(mention.start, mention.end, mention.text, (holder,), mention.name, "holder", HOLDER_SCORE))
                continue
            if mention.how != "demonym":
                continue
            # A list of demonyms, then one title: "Armenian and Azerbaijani Foreign Ministers", "the Armenian president".
            run = [index]
            j = index + 1
            while (
                j < len(spans)
                and spans[j][2].how == "demonym"
                and all(t.lower_ in LIST_WORDS for t in tokens[spans[j - 1][1] : spans[j][0]])
            ):
                run.append(j)
                j += 1
            title_first = spans[run[-1]][1]
            title_last = title_first
            while title_last < len(tokens) and title_last - title_first < 3 and _singular(tokens[title_last].lower_) in TITLES:
                title_last += 1
            if title_last == title_first or (j < len(spans) and spans[j][0] == title_last and self._is(spans[j][2].entity, "Person")):
                continue  # no title, or a person named right after it ("Armenian Prime Minister Nikol Pashinyan")
            title = " ".join(_singular(t.lower_) for t in tokens[title_first:title_last])
            holders = []
            for k in run:
                office = next((o for e in spans[k][2].entities if (o := self.gazetteer.titles.get((e, title)))), None)
                holder = self.knowledge.holder_at(office, day) if office else None
                if holder and holder not in holders:
                    holders.append(holder)
            if len(holders) != len(run):
                continue
            start, end = mention.start, tokens[title_last - 1].idx + len(tokens[title_last - 1].text)
            how = "group" if len(holders) > 1 else "holder"
            out.append(Mention(start, end, text[start:end], tuple(holders), title, how, HOLDER_SCORE))
            taken.update(run)
        return out

    def _named_beside(self, spans, index: int, tokens) -> bool:
        """True if a person is named right after the office or just before it with a comma ("Bayramov, Azerbaijan's ...")."""
        first, last, _ = spans[index]
        after = spans[index + 1] if index + 1 < len(spans) else None
        if after and self._is(after[2].entity, "Person") and [t.text for t in tokens[last : after[0]]] in ([], [","]):
            return True
        before = spans[index - 1] if index else None
        return bool(before and self._is(before[2].entity, "Person") and [t.text for t in tokens[before[1] : first]] in ([], [","]))

    def _is(self, entity: str, type_name: str) -> bool:
        known = self.gazetteer.entities.get(entity)
        return known is not None and known.type == type_name


def _name_follows(tokens, i: int) -> bool:
    """True if a capitalised word follows token ``i - 1``: a name the graph does not know ("Secretary of State Jane Roe")."""
    return i < len(tokens) and tokens[i].is_alpha and tokens[i].text[:1].isupper()


def _singular(word: str) -> str:
    """ "ministers" -> "minister", "presidents" -> "president"; other words as they are."""
    return word[:-1] if word.endswith("s") and word[:-1] in TITLES else word
