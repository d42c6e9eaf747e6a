"""The shortest verbatim quote of a document that holds a candidate's words and occurs once in it."""

from __future__ import annotations

import re

from peacegraph.curate.coverage import Sentence, split_sentences
from peacegraph.load.quotes import QuoteNotFound, locate


def shortest_unique_quote(text: str, start: int, end: int, sentence: Sentence) -> tuple[str, int, int]:
    """The span [start, end) widened word by word, within its sentence, until it occurs once in ``text``.

    Raises ``QuoteNotFound`` when even the whole sentence occurs more than once.

    >>> shortest_unique_quote("A met B. A met B today.", 0, 7, Sentence(0, 8, "A met B."))
    ('A met B.', 0, 8)
    """

    def unique(a: int, b: int) -> bool:
        try:
            locate(text[a:b], text)
            return True
        except QuoteNotFound:
            return False

    while not unique(start, end):
        if start <= sentence.start and end >= sentence.end:
            raise QuoteNotFound("even the whole sentence occurs more than once", "quote a longer passage by hand")
        right = _next_word_end(text, end, sentence.end)
        left = _previous_word_start(text, start, sentence.start)
        if right != end and unique(start, right):
            return text[start:right], start, right
        if left != start and unique(left, end):
            return text[left:end], left, end
        start, end = left, right
    return text[start:end], start, end


def _next_word_end(text: str, end: int, limit: int) -> int:
    found = re.match(r"\s*\S+", text[end:limit])
    return end + found.end() if found else limit


def _previous_word_start(text: str, start: int, limit: int) -> int:
    found = re.search(r"\S+\s*$", text[limit:start])
    return limit + found.start() if found else limit


def sentence_quote(text: str, start: int, end: int) -> str:
    for sentence in split_sentences(text):
        if sentence.start <= start and end <= sentence.end:
            try:
                quote, _, _ = shortest_unique_quote(text, sentence.start, sentence.end, sentence)
                return quote
            except QuoteNotFound:
                return sentence.text
    return text[start:end]
