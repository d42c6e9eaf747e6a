"""The graph's own names found in a text: entity labels and aliases, matched exactly, ignoring case and diacritics, or fuzzily.

The gazetteer is built from the loader's ``Curation`` (never by parsing
Turtle), so it knows exactly the names curators gave. Matching runs spaCy's
rule-based parts only: a blank English tokenizer and a ``PhraseMatcher`` over
a copy of the text with diacritics and typographic quotes folded away
character for character, so offsets in the copy are offsets in the original.
Spellings the curators never gave ("Nakhichevan", "Charles Miche") are found
with rapidfuzz against runs of capitalised words, with their score; adjectives
of places ("Armenian", "Russian") are linked to the place as demonyms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from peacegraph.load.loader import Curation, Entity

#: Typographic characters folded to ASCII before matching (one character each, so offsets stay put).
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "′": "'", "–": "-", "—": "-", "\u00a0": " "})
#: A fuzzy match needs at least this rapidfuzz ratio (0-100) between the words and a known name.
FUZZY_CUTOFF = 84.0
#: One word matches a one-word name spelt differently at this Jaro-Winkler similarity (0-1) or more.
WORD_CUTOFF = 0.93
#: A label's key words a sentence must hold for it to describe the entity (see Gazetteer.find_described).
DESCRIBED_SHARE = 0.6
#: Shorter names are matched only exactly (case and all): "US" must not match "us".
MIN_LOOSE_LENGTH = 4
#: Entity types whose one-word names have adjectives ("Armenia" -> "Armenian") linked as demonyms.
PLACE_TYPES = {"State", "Region", "Territory", "Exclave", "Province", "City", "Place"}
#: Endings that make an adjective or a people from a place name, after dropping up to two of its last letters.
DEMONYM_ENDINGS = ("n", "ns", "an", "ans", "ian", "ians", "i", "is", "ese", "ish", "s")
#: Scores by how a mention matched a name.
SCORES = {"exact": 100.0, "typography": 99.0, "diacritics": 97.0, "case": 95.0, "composed": 90.0, "demonym": 60.0}
#: Usual abbreviations of titles ("Armenian PM").
TITLE_ABBREVIATIONS = {"prime minister": "pm", "foreign minister": "fm"}


def fold(text: str) -> str:
    """``text`` without diacritics or typographic quotes and dashes, one character for each character.

    >>> fold("Erdoğan’s Türkiye – now")
    "Erdogan's Turkiye - now"
    >>> len(fold("Ağdam")) == len("Ağdam")
    True
    """
    out = []
    for ch in text.translate(_TYPOGRAPHY):
        if ch.isascii():
            out.append(ch)
            continue
        bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(bare if len(bare) == 1 else ch)
    return "".join(out)


def is_acronym(name: str) -> bool:
    """Short or all-capital names, matched only as written.

    >>> is_acronym("US"), is_acronym("NATO"), is_acronym("Baku")
    (True, True, False)
    """
    letters = [c for c in name if c.isalpha()]
    return len(name) < MIN_LOOSE_LENGTH or (bool(letters) and all(c.isupper() for c in letters) and len(name) <= 6)


@dataclass(frozen=True)
class Name:
    """One name of an entity: its label or one of its aliases."""

    text: str
    entity: str
    is_label: bool


@dataclass(frozen=True)
class Mention:
    """A stretch of text naming a known entity, and how sure the match is."""

    start: int
    end: int
    text: str
    entities: tuple[str, ...]  # the entities this name can mean, most likely first
    name: str  # the known name it matched, or came closest to
    how: str  # exact, typography, diacritics, case, demonym, fuzzy, extended, described
    score: float  # 0-100

    @property
    def entity(self) -> str:
        return self.entities[0]


@dataclass
class Gazetteer:
    """Entities by id and every name they go by."""

    entities: dict[str, Entity]
    names: list[Name]
    #: city id -> the states it is capital of, per the graph: "Baku" may stand for Azerbaijan's government.
    capitals: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_curation(
        cls,
        curation: Curation,
        without_entities: frozenset[str] = frozenset(),
        without_aliases: frozenset[tuple[str, str]] = frozenset(),
        without_source: str | None = None,
    ) -> Gazetteer:
        """The names of ``curation``'s entities, less some (the leave-one-out benchmark drops a document's own, and its facts)."""
        entities = {eid: e for eid, e in curation.entities.items() if eid not in without_entities}
        names = []
        for entity in entities.values():
            names.append(Name(entity.label, entity.id, True))
            # "White House summit (August 2025)": texts name it without the curators' disambiguating brackets.
            bare = re.sub(r"\s*\([^()]*\)$", "", entity.label)
            if bare != entity.label and len(bare) >= MIN_LOOSE_LENGTH:
                names.append(Name(bare, entity.id, True))
            names += [Name(a.label, entity.id, False) for a in entity.aliases if (entity.id, a.label) not in without_aliases]
        capitals: dict[str, tuple[str, ...]] = {}
        for fact in curation.facts:
            if fact.relation.name == "capitalOf" and fact.source != without_source and fact.object in entities:
                capitals[fact.subject] = tuple(dict.fromkeys((*capitals.get(fact.subject, ()), fact.object)))
        return cls(entities, names, capitals)

    # -- spaCy, built on first use ---------------------------------------------------------
    @cached_property
    def nlp(self):
        import spacy
        from spacy.util import compile_infix_regex

        nlp = spacy.blank("en")
        # Also split "U.S./EU" and "U.S.-brokered", so that each name and trigger is a token of its own.
        infixes = [*nlp.Defaults.infixes, r"(?<=[\w.])/(?=\w)", r"(?<=\.)-(?=[a-z])"]
        nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
        return nlp

    @cached_property
    def _groups(self) -> dict[str, list[Name]]:
        groups: dict[str, list[Name]] = {}
        for name in self.names:
            groups.setdefault(fold(name.text).lower(), []).append(name)
        return groups

    @cached_property
    def _matcher(self):
        from spacy.matcher import PhraseMatcher

        matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for key, names in self._groups.items():
            # Tokenize the name as written: the tokenizer's exceptions ("U.S.") are case-sensitive.
            matcher.add(key, [self.nlp.make_doc(fold(n.text)) for n in names])
        return matcher

    @cached_property
    def _fuzzy_choices(self) -> dict[str, list[Name]]:
        return {key: names for key, names in self._groups.items() if len(key) >= 5 and not all(is_acronym(n.text) for n in names)}

    @cached_property
    def _single_words(self) -> list[str]:
        return [key for key in self._fuzzy_choices if key.isalpha()]

    @cached_property
    def _demonym_stems(self) -> list[tuple[str, str]]:
        stems = []
        for name in self.names:
            entity = self.entities[name.entity]
            if (
                entity.type in PLACE_TYPES
                and " " not in name.text
                and "-" not in name.text
                and len(name.text) >= 4
                and name.text[0].isupper()
            ):
                stems.append((fold(name.text), name.entity))
        return stems

    def tokens(self, text: str):
        """The spaCy tokens of the folded text (offsets are the original's)."""
        return self.nlp.make_doc(fold(text))

    # -- matching ---------------------------------------------------------------------------
    def find(self, text: str) -> tuple[list[Mention], list[Mention]]:
        """Mentions in ``text``: (top level, not overlapping, in order; names nested inside a longer one).

        >>> from peacegraph.load.loader import Entity
        >>> g = Gazetteer({"nk": Entity("nk", "Region", None, "Nagorno-Karabakh", "f", 1)}, [Name("Nagorno-Karabakh", "nk", True)])
        >>> [(m.text, m.how) for m in g.find("NAGORNO-KARABAKH: in nagorno-karabakh and in Nagorno-Karabakh.")[0]]
        [('NAGORNO-KARABAKH', 'case'), ('Nagorno-Karabakh', 'exact')]
        """
        doc = self.tokens(text)
        found: list[Mention] = []
        for match_id, s, e in self._matcher(doc):
            span = doc[s:e]
            mention = self._exact(text, span.start_char, span.end_char, self._groups[self.nlp.vocab.strings[match_id]])
            if mention:
                found.append(mention)
        top = _outermost(found)
        nested = [m for m in found if m not in top]
        top = [self._extend_person(text, doc, m, top) for m in top]
        covered = [(m.start, m.end) for m in top]
        extra = self._demonyms(text, doc, covered)
        offices = self._offices(text, doc, top + extra)
        # A state's name inside an office's ("Azerbaijan's President") is nested in it, as in a name the graph has.
        inner = [m for m in top + extra if any(o.start <= m.start and m.end <= o.end for o in offices)]
        nested += inner
        top = [m for m in top if m not in inner] + offices
        extra = [m for m in extra if m not in inner]
        covered = [(m.start, m.end) for m in top + extra]
        extra += self._fuzzy(text, doc, covered)
        return sorted(top + extra, key=lambda m: m.start), nested

    @cached_property
    def titles(self) -> dict[tuple[str, str], str]:
        """(state or body id, title words) -> office id, read from offices labelled "<Title> of <place>"
        ("President of the United States": ("united-states", "president")), with the usual abbreviations ("PM")."""
        by_name: dict[str, set[str]] = {}
        for name in self.names:
            by_name.setdefault(fold(name.text).lower(), set()).add(name.entity)
        out: dict[tuple[str, str], str] = {}
        for entity in self.entities.values():
            found = re.match(r"^(?P<title>[A-Z][\w ]+?) of (?:the )?(?P<place>.+)$", entity.label) if entity.type == "Post" else None
            if not found:
                continue
            title = fold(found["title"]).lower()
            for place in by_name.get(fold(found["place"]).lower(), ()):
                for words in {title, TITLE_ABBREVIATIONS.get(title, title)}:
                    out.setdefault((place, words), entity.id)
        return out

    def _offices(self, text: str, doc, mentions: list[Mention]) -> list[Mention]:
        """Offices named by their state and title: "Azerbaijan's President", "U.S. President", "Armenian PM"."""
        starts = {m.start: m for m in mentions}
        covered = [(m.start, m.end) for m in mentions]
        out: list[Mention] = []
        for token in doc:
            owner = starts.get(token.idx)
            if owner is None or not self.titles:
                continue
            i = token.i
            while i < len(doc) and doc[i].idx < owner.end:
                i += 1
            if i < len(doc) and doc[i].text == "'s":
                i += 1
            run = []
            while i < len(doc) and len(run) < 4 and doc[i].text[:1].isupper() and not _inside(doc[i].idx, doc[i].idx + 1, covered):
                run.append(doc[i])
                i += 1
            for size in range(len(run), 0, -1):
                words = " ".join(t.lower_ for t in run[:size])
                office = next((self.titles[(e, words)] for e in owner.entities if (e, words) in self.titles), None)
                if office:
                    end = run[size - 1].idx + len(run[size - 1].text)
                    label = self.entities[office].label
                    out.append(Mention(owner.start, end, text[owner.start : end], (office,), label, "composed", SCORES["composed"]))
                    break
        return out

    @cached_property
    def _described(self) -> list[tuple[str, frozenset[str]]]:
        """Entities with descriptive labels ("Azerbaijani offensive in Nagorno-Karabakh (September 2023)") and their key words."""
        out = []
        for entity in self.entities.values():
            if entity.type in ("Person", "State", "City"):
                continue
            words = keywords(re.sub(r"\([^()]*\)", " ", entity.label) + " " + " ".join(re.findall(r"\(([^()]*)\)", entity.label)))
            if len(words) >= 3:
                out.append((entity.id, frozenset(words)))
        return out

    def find_described(
        self, text: str, spans: list[tuple[int, int]], mentions: list[Mention], types: frozenset[str] | None = None
    ) -> list[Mention]:
        """Events, issues and agreements a sentence describes in the words of their label rather than names.

        In each span (a sentence), an entity whose label has three or more key words is found when at least
        ``DESCRIBED_SHARE`` of them occur, one or more of them outside the names already found there (the
        description's head: "offensive", "peace process"); the mention is the longest run of those head words,
        scored by the share found. ``types``, when given, limits it to entities of those types (events,
        agreements, issues: what texts describe rather than name). A description needs two head words, or
        three quarters of the key words.
        """
        doc = self.tokens(text)
        out: list[Mention] = []
        for start, end in spans:
            tokens = [t for t in doc if start <= t.idx < end]
            inside = [m for m in mentions if start <= m.start < end]
            named = {e for m in inside for e in m.entities}
            in_names = {t.i for t in tokens if any(m.start <= t.idx < m.end for m in inside)}
            stems = {t.i: _stem(t.lower_) for t in tokens if t.is_alpha or t.like_num}
            present = set(stems.values())
            found: dict[tuple[int, int], list[tuple[float, str]]] = {}
            for entity_id, words in self._described:
                if entity_id in named or (types is not None and self.entities[entity_id].type not in types):
                    continue
                share = len(words & present) / len(words)
                if share < DESCRIBED_SHARE or len(words & present) < 2:
                    continue
                heads = [i for i, s in stems.items() if s in words and i not in in_names]
                if len({stems[i] for i in heads}) < 2 and share < 0.75:
                    continue
                run = _longest_run(heads, doc)
                if run:
                    found.setdefault(run, []).append((share, entity_id))
            for (first, last), ranked in found.items():
                ranked.sort(key=lambda r: -r[0])
                a, b = doc[first].idx, doc[last].idx + len(doc[last].text)
                entity = self.entities[ranked[0][1]]
                out.append(
                    Mention(a, b, text[a:b], tuple(e for _, e in ranked), entity.label, "described", round(100 * ranked[0][0] * 0.75, 1))
                )
        return sorted(out, key=lambda m: m.start)

    def _exact(self, text: str, start: int, end: int, names: list[Name]) -> Mention | None:
        original = text[start:end]
        best: tuple[float, str, Name] | None = None
        ranked = []
        for name in names:
            if original == name.text:
                how = "exact"
            elif original.translate(_TYPOGRAPHY) == name.text.translate(_TYPOGRAPHY):
                how = "typography"
            elif fold(original) == fold(name.text):
                how = "diacritics"
            elif is_acronym(name.text) or (original.islower() and not name.text.islower()):
                # "us" is not "US", and words written all in lower case are not a proper name ("the west", "security council").
                continue
            else:
                how = "case"
            ranked.append((not name.is_label, -SCORES[how], name))
            if best is None or SCORES[how] > best[0]:
                best = (SCORES[how], how, name)
        if best is None:
            return None
        ranked.sort(key=lambda r: (r[0], r[1]))
        entities = tuple(dict.fromkeys(r[2].entity for r in ranked))
        entities += tuple(s for e in entities for s in self.capitals.get(e, ()) if s not in entities)
        return Mention(start, end, original, entities, best[2].text, best[1], best[0])

    def _extend_person(self, text: str, doc, mention: Mention, top: list[Mention]) -> Mention:
        """'Antony J. Blinken' when only 'Blinken' is known: take in the capitalised words and initials before a
        person's name when the first of them begins the person's label."""
        entity = self.entities[mention.entity]
        if entity.type != "Person":
            return mention
        first_name = fold(entity.label.split()[0]).lower()
        index = next((t.i for t in doc if t.idx == mention.start), None)
        if index is None:
            return mention
        start = None
        for back in range(1, 4):
            i = index - back
            if i < 0:
                break
            token = doc[i]
            if not (token.text[:1].isupper() and (token.is_alpha or re.fullmatch(r"[A-Z]\.", token.text))) or token.whitespace_ == "":
                break
            if any(m.start <= token.idx < m.end for m in top):
                break
            if token.lower_ == first_name:
                start = token.idx
                break
        if start is None:
            return mention
        return Mention(start, mention.end, text[start : mention.end], mention.entities, entity.label, "extended", 90.0)

    def _demonyms(self, text: str, doc, covered: list[tuple[int, int]]) -> list[Mention]:
        out = []
        for token in doc:
            word = token.text
            if not (word[:1].isupper() and word.isalpha()) or _inside(token.idx, token.idx + len(word), covered):
                continue
            for stem_source, entity in self._demonym_stems:
                if demonym_of(word, stem_source):
                    out.append(
                        Mention(
                            token.idx,
                            token.idx + len(word),
                            text[token.idx : token.idx + len(word)],
                            (entity,),
                            stem_source,
                            "demonym",
                            SCORES["demonym"],
                        )
                    )
                    break
        return out

    def _fuzzy(self, text: str, doc, covered: list[tuple[int, int]]) -> list[Mention]:
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import JaroWinkler

        choices = list(self._fuzzy_choices)
        out: list[Mention] = []
        for run in capitalised_runs(doc):
            # Longest stretches first, so "Charles Miche" wins over "Charles".
            spans = sorted(
                ((i, j) for i in range(len(run)) for j in range(i + 1, min(len(run), i + 5) + 1)), key=lambda ij: (ij[0] - ij[1], ij[0])
            )
            taken: list[tuple[int, int]] = []
            for i, j in spans:
                if run[i].text == "-" or run[j - 1].text == "-":
                    continue
                start, end = run[i].idx, run[j - 1].idx + len(run[j - 1].text)
                if _inside(start, end, covered + taken) or _overlaps(start, end, covered + taken):
                    continue
                query = fold(text[start:end]).lower()
                if len(query) < 5:
                    continue
                hit = process.extractOne(query, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                if hit is None and j - i == 1 and run[i].is_alpha:
                    # One word spelt another way ("Türkiye", "Hardut"): Jaro-Winkler weighs the shared beginning.
                    hit = process.extractOne(query, self._single_words, scorer=JaroWinkler.normalized_similarity, score_cutoff=WORD_CUTOFF)
                    hit = (hit[0], hit[1] * 100, hit[2]) if hit else None
                if hit is None or hit[0] == query:
                    continue
                names = self._fuzzy_choices[hit[0]]
                if query[0] != hit[0][0]:
                    continue  # a different first letter is a different name more often than a misspelling
                entities = tuple(dict.fromkeys(n.entity for n in sorted(names, key=lambda n: not n.is_label)))
                out.append(Mention(start, end, text[start:end], entities, names[0].text, "fuzzy", round(hit[1], 1)))
                taken.append((start, end))
        return out


def keywords(text: str) -> set[str]:
    """The content words of a label, cut to their first five letters (a rough stem: "negotiations" ~ "negotiating").

    >>> sorted(keywords("Azerbaijani offensive in Nagorno-Karabakh"))
    ['azerb', 'karab', 'nagor', 'offen']
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    return {_stem(w) for w in re.findall(r"[a-z0-9]+", fold(text).lower()) if w not in STOP_WORDS and len(w) > 2}


def _stem(word: str) -> str:
    return fold(word).lower()[:5]


def _longest_run(heads: list[int], doc) -> tuple[int, int] | None:
    """The longest run of head-word tokens, stop words allowed between them ("offensive in September 2023")."""
    best: tuple[int, int] | None = None
    heads = sorted(heads)
    i = 0
    while i < len(heads):
        j = i
        while j + 1 < len(heads) and all(
            doc[k].is_stop or doc[k].is_punct and doc[k].text == "-" for k in range(heads[j] + 1, heads[j + 1])
        ):
            j += 1
        if best is None or heads[j] - heads[i] > best[1] - best[0]:
            best = (heads[i], heads[j])
        i = j + 1
    return best


def demonym_of(word: str, place: str) -> bool:
    """True if ``word`` is an adjective or people of ``place`` by regular English endings.

    >>> [demonym_of(w, p) for w, p in [("Armenian", "Armenia"), ("Turkish", "Turkey"), ("Azerbaijani", "Azerbaijan"), ("Iranian", "Iran"), ("Armenia", "Armenia"), ("Bakunin", "Baku")]]
    [True, True, True, True, False, False]
    """
    word, place = fold(word), fold(place)
    if word == place:
        return False
    for cut in (0, 1, 2):
        stem = place[: len(place) - cut]
        if len(stem) >= 4 and word.startswith(stem) and word[len(stem) :] in DEMONYM_ENDINGS:
            return not (cut == 0 and len(place) <= 4 and word[len(stem) :] in ("n", "ns"))  # "Baku" + "n" is no people
    return False


def capitalised_runs(doc) -> list[list]:
    """Runs of capitalised tokens, a hyphen between two of them kept ("Nagorno-Karabakh"), as lists of spaCy tokens."""
    runs: list[list] = []
    current: list = []
    for token in doc:
        word = token.text
        capital = word[:1].isupper() and any(c.isalpha() for c in word)
        glued_hyphen = (
            word == "-" and current and not current[-1].whitespace_ and token.i + 1 < len(doc) and doc[token.i + 1].text[:1].isupper()
        )
        if capital or glued_hyphen:
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = []
    if current:
        runs.append(current)
    return runs


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < end and start < b for a, b in spans)


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Longest first, then earliest; drop any that overlaps one already kept."""
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        if not _overlaps(m.start, m.end, [(k.start, k.end) for k in kept]):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
