"""Label search: every label and alias of every entity, indexed once per process, ranked as the reader types.

A query and each name are compared after folding case, diacritics, quotes
and dashes (``Turkiye`` finds ``Türkiye``, ``nagorno karabakh`` finds
``Nagorno-Karabakh``). Ranking, best first: the whole name, the start of the
name, the start of a word in it, anywhere in it, and last a fuzzy match
(rapidfuzz) so that misspellings (``Karabak``, ``Pashinian``) still find the
entity. A label beats an alias at the same level; one hit per entity.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

#: Levels of a match, best first (lower is better).
EXACT, PREFIX, WORD_PREFIX, SUBSTRING, FUZZY = range(5)
#: The least rapidfuzz score (0-100) that counts as a fuzzy match.
FUZZY_CUTOFF = 78
_PUNCT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-"})
_SEPARATORS = re.compile(r"[\s\-_/.,:;()'\"]+")


def fold(text: str) -> str:
    """The form names are compared in: lower case, no diacritics, one space between words.

    >>> fold("  Türkiye’s  Nagorno–Karabakh ")
    "turkiye's nagorno karabakh"
    >>> fold("Əliyev")
    'aliyev'
    """
    text = text.translate(_PUNCT)
    # Azerbaijani schwa has no decomposition; it reads as 'a' in the Latin transliterations the sources use.
    text = text.replace("Ə", "A").replace("ə", "a")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(w for w in re.split(r"[\s\-_/]+", bare) if w)


def _squash(text: str) -> str:
    """The folded text with every separator removed (``nagornokarabakh``)."""
    return _SEPARATORS.sub("", text)


@dataclass(frozen=True)
class Name:
    """One searchable name of an entity."""

    entity: str  # the entity id (local name of its IRI)
    label: str  # the entity's label, shown for every hit
    name: str  # the label itself or an alias
    kind: str  # "label" or "alias"
    type_label: str = ""


@dataclass(frozen=True)
class Hit:
    entity: str
    label: str
    matched: str  # the name that matched (an alias when it is not the label)
    kind: str
    type_label: str
    level: int
    score: float

    def as_json(self) -> dict:
        return {
            "id": self.entity,
            "label": self.label,
            "matched": self.matched,
            "kind": self.kind,
            "type": self.type_label,
            "match": ("exact", "prefix", "word", "substring", "fuzzy")[self.level],
        }


class SearchIndex:
    """The names of all entities, folded once; ``search`` ranks them against a query.

    >>> index = SearchIndex([Name("nk", "Nagorno-Karabakh", "Nagorno-Karabakh", "label", "region"),
    ...                      Name("nk", "Nagorno-Karabakh", "Artsakh", "alias", "region"),
    ...                      Name("tr", "Türkiye", "Türkiye", "label", "state")])
    >>> [h.entity for h in index.search("karabak")], [h.entity for h in index.search("turkiye")]
    (['nk'], ['tr'])
    >>> index.search("artsa")[0].matched
    'Artsakh'
    """

    def __init__(self, names: list[Name]):
        self.names = list(names)
        self._folded = [fold(n.name) for n in self.names]
        self._squashed = [_squash(f) for f in self._folded]
        self._words = [f.split() for f in self._folded]

    def __len__(self) -> int:
        return len(self.names)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (one index per process, kept for its lifetime)
    def _ranked(self, query: str) -> tuple[Hit, ...]:
        q = fold(query)
        if not q:
            return ()
        squashed = _squash(q)
        best: dict[str, Hit] = {}
        fuzzy_candidates = []
        for i, name in enumerate(self.names):
            folded = self._folded[i]
            level = None
            if folded == q or self._squashed[i] == squashed:
                level = EXACT
            elif folded.startswith(q) or (squashed and self._squashed[i].startswith(squashed)):
                level = PREFIX
            elif any(w.startswith(q) for w in self._words[i]) or (" " in q and f" {q}" in f" {folded}"):
                level = WORD_PREFIX
            elif q in folded or (len(squashed) >= 3 and squashed in self._squashed[i]):
                level = SUBSTRING
            if level is None:
                fuzzy_candidates.append(i)
                continue
            self._keep(best, name, level, 100.0 - len(folded) / 10)
        if len(squashed) >= 3 and fuzzy_candidates:
            from rapidfuzz import fuzz, process, utils

            choices = {i: self._folded[i] for i in fuzzy_candidates}
            # WRatio weighs a short query against the best-matching part of a long name.
            for _, score, i in process.extract(
                q, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=25, score_cutoff=FUZZY_CUTOFF
            ):
                self._keep(best, self.names[i], FUZZY, float(score))
        return tuple(sorted(best.values(), key=lambda h: (h.level, h.kind != "label", -h.score, h.label.casefold(), h.entity)))

    @staticmethod
    def _keep(best: dict[str, Hit], name: Name, level: int, score: float) -> None:
        hit = Hit(name.entity, name.label, name.name, name.kind, name.type_label, level, score)
        old = best.get(name.entity)
        if old is None or (hit.level, hit.kind != "label", -hit.score) < (old.level, old.kind != "label", -old.score):
            best[name.entity] = hit

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """The entities whose label or alias matches ``query``, best first, one hit per entity."""
        return list(self._ranked(query[:200])[:limit])

    def client_index(self) -> list[list[str]]:
        """Every name as [entity id, label, name, kind, type, folded name]: what the static site searches in the browser."""
        return [[n.entity, n.label, n.name, n.kind, n.type_label, self._folded[i]] for i, n in enumerate(self.names)]
