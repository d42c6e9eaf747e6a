"""Finding a curator's quote in its document: exact, unique, with its context."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters of context kept before and after a quote (Web Annotation prefix/suffix).
CONTEXT = 32

_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "′": "'", "–": "-", "—": "-", "\u00a0": " "})


@dataclass(frozen=True)
class Span:
    """Where a quote sits in a text: character offsets [start, end) and its context."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class QuoteNotFound(ValueError):
    """The quote is absent or ambiguous; the message says what to do."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix


def _loose(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTE_MARKS))


def locate(quote: str, text: str) -> Span:
    """The unique span of ``quote`` in ``text``, or ``QuoteNotFound`` saying how to fix it.

    >>> locate("peace", "A peace deal.").start
    2
    >>> locate("the U.S.", "Ask “the U.S.” now").prefix
    'Ask “'
    """
    if not quote.strip():
        raise QuoteNotFound("the quote is empty", "paste the sentence of the document that says the fact")
    count = count_overlapping(quote, text)
    if count == 1:
        start = text.index(quote)
        end = start + len(quote)
        return Span(start, end, quote, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])
    if count > 1:
        raise QuoteNotFound(
            f"the quote occurs {count} times in the document, so the evidence would be ambiguous",
            "lengthen it with the words around it until it occurs once",
        )
    loose_text, loose_quote = _loose(text), _loose(quote)
    if loose_quote in loose_text:
        # Map the loose match back to the original characters to show the exact text.
        where = loose_text.index(loose_quote)
        original = _original_slice(text, where, len(loose_quote))
        raise QuoteNotFound(
            "the quote is not verbatim: it differs from the document in quote marks, dashes or spacing",
            f"use the document's exact characters: {original!r}",
        )
    raise QuoteNotFound(
        "the quote does not occur in the document",
        "copy it character for character from the document (curly quotes and all), or correct 'source'",
    )


def count_overlapping(quote: str, text: str) -> int:
    """How many times ``quote`` occurs in ``text``, overlaps included (``str.count`` skips them).

    >>> count_overlapping("on and on", "on and on and on")
    2
    """
    count, start = 0, text.find(quote)
    while start != -1:
        count += 1
        start = text.find(quote, start + 1)
    return count


def _original_slice(text: str, loose_start: int, loose_length: int) -> str:
    # Walk the original text, counting characters as _loose would emit them.
    out_index = 0
    begin = None
    i = 0
    previous_space = False
    while i < len(text):
        ch = text[i].translate(_QUOTE_MARKS)
        is_space = ch.isspace()
        emits = not (is_space and previous_space)
        if emits:
            if out_index == loose_start and begin is None:
                begin = i
            out_index += 1
            if begin is not None and out_index == loose_start + loose_length:
                return text[begin : i + 1]
        previous_space = is_space
        i += 1
    return text[begin or 0 :]
