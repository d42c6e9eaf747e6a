"""New names a draft proposes: known entities named a new way (aliases), and names the graph does not know (entities)
with a type guessed from their words and neighbours.

A mixin of ``Drafter``.
"""

from __future__ import annotations

import re

from peacegraph.curate.candidates import NewAlias, NewEntity, Trigger
from peacegraph.curate.coverage import split_sentences
from peacegraph.curate.gazetteer import Mention, demonym_of
from peacegraph.curate.quoting import sentence_quote
from peacegraph.curate.words import MONTHS_AND_DAYS, SAYING, TITLES

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


class NewNames:
    """New aliases and new entities of a document."""

    def _new_aliases(self, text: str, mentions: list[Mention]) -> list[NewAlias]:
        out: dict[tuple[str, str], NewAlias] = {}
        for m in mentions:
            if m.how in ("fuzzy", "extended") and (m.entity, m.text) not in out:
                out[(m.entity, m.text)] = NewAlias(m.entity, m.text, m.name, m.score, sentence_quote(text, m.start, m.end))
        return list(out.values())

    def _new_entities(self, text: str, tokens, mentions: list[Mention], triggers: list[Trigger]) -> list[NewEntity]:
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
                        or word in MONTHS_AND_DAYS
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
                found[label] = NewEntity(label, type_name, sentence_quote(text, start, end), reason, confidence, 1)
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
