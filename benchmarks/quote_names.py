"""Which facts have a quote that does not name their subject or object (the audits' commonest fault).

Run from the repository root::

    python benchmarks/quote_names.py              # the flagged facts and the counts
    python benchmarks/quote_names.py --counts     # the counts only
    python benchmarks/quote_names.py --qualifiers # also addressee/accordingTo/atPlace/... entities the quote does not name

A quote should say its fact by itself (docs/audit-2.md, docs/audit-3.md): it
names the subject and, for an entity object, the object, or a ``note`` /
``date_note`` says where the text names what the quote leaves out. This
script checks the first half mechanically. An end is *named* when the quote
contains, ignoring case and diacritics, the entity's label or one of its
aliases (an alias recorded for one document counts only in that document's
quotes) as a whole word; a state or place is also named by its demonym
("Armenian" names Armenia), which is counted apart. Concept objects
(``status-signed``) and literal values are skipped. A document subject
(``d002 hasAuthor ...``) is named when the quote is a line of that document's
own byline or masthead, and the author of the quoted document is named by
any quote of that document (the article speaks in the author's voice; those
facts are listed apart, to check that the quote is not someone else's words).

A flagged fact is one end unnamed. It is *explained* when its note or
date_note names the missing entity (label or alias), *noted* when it has a
note that does not, *bare* when it has neither; the script cannot judge
whether a note says where, so every flagged fact is for a curator to read.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from peacegraph.load.loader import Curation, Entity, Fact, load_curation

#: Entity types whose name also stands for them as an adjective ("Armenian", "Azerbaijani", "Russian").
PLACE_TYPES = {"State", "Territory", "Region", "Exclave", "Province", "City", "Place"}
#: Endings that make a demonym of a place name (Armenia-n, Azerbaijan-i, Iran-ian, Israel-i).
DEMONYM_ENDINGS = ("n", "ns", "i", "is", "ian", "ians")
#: A byline or masthead line is short; a sentence of the body is not.
BYLINE_MAX = 100
#: Qualifiers whose value is an entity the quote should name (step 3 of the sweep reviews them by hand).
ENTITY_QUALIFIERS = ("addressee", "accordingTo", "atPlace", "duringEvent", "underAgreement")

_MARKS = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def fold(text: str) -> str:
    """Lower case, no diacritics, straight quotes and dashes.

    >>> fold("Türkiye’s")
    "turkiye's"
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_MARKS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _exact_case(name: str) -> bool:
    # A short all-capital alias ("US") is matched with its case, so the pronoun "us" does not name the United States.
    return len(name) <= 3 and name.isupper()


def _found(name: str, quote: str, endings: tuple[str, ...] = ()) -> bool:
    exact = _exact_case(name)
    body = re.escape(name.translate(_MARKS) if exact else fold(name))
    tail = "(?:" + "|".join(endings) + ")?" if endings else ""
    return re.search(rf"(?<!\w){body}{tail}(?!\w)", quote.translate(_MARKS) if exact else fold(quote)) is not None


def names(entity: Entity, source: str) -> list[str]:
    """The label and the aliases that count in a quote of ``source``."""
    return [entity.label] + [a.label for a in entity.aliases if a.source in (None, source)]


def mention(quote: str, entity: Entity, source: str) -> str | None:
    """How ``quote`` names ``entity``: 'name', 'demonym', or None.

    >>> from peacegraph.load.loader import Alias
    >>> armenia = Entity("armenia", "State", None, "Armenia", "f", 1, [Alias("Yerevan")])
    >>> mention("For Yerevan, the deal", armenia, "d004"), mention("the Armenian side", armenia, "d004"), mention("Armenia’s", armenia, "d0")
    ('name', 'demonym', 'name')
    >>> us = Entity("united-states", "State", None, "United States", "f", 1, [Alias("US")])
    >>> mention("let us hope", us, "d0") is None
    True
    """
    if any(_found(name, quote) for name in names(entity, source)):
        return "name"
    if entity.type in PLACE_TYPES and any(len(name) > 3 and _found(name, quote, DEMONYM_ENDINGS) for name in names(entity, source)):
        return "demonym"
    return None


def in_byline(fact: Fact, curation: Curation) -> bool:
    """True when the quote lies on short lines of its own document: a byline, masthead or footer, not a body sentence."""
    text = curation.documents[fact.source].text
    first = text.rfind("\n", 0, fact.span.start) + 1
    last = text.find("\n", fact.span.end)
    lines = text[first : last if last >= 0 else len(text)].split("\n")
    return all(len(line) <= BYLINE_MAX for line in lines)


def authors_of(curation: Curation) -> dict[str, set[str]]:
    """Document id -> the entity ids that are its author: the metadata's author and the unnamed-author entity ``dNNN-author``."""
    out: dict[str, set[str]] = {}
    for doc in curation.documents.values():
        ids = {doc.author} if doc.author else set()
        if f"{doc.id}-author" in curation.entities:
            ids.add(f"{doc.id}-author")
        out[doc.id] = ids
    return out


@dataclass
class End:
    """One end of a fact (subject, object or a qualifier) and how its quote names it."""

    role: str
    entity: str
    how: str | None  # 'name', 'demonym', 'byline', 'author', or None: unnamed


@dataclass
class Finding:
    fact: Fact
    ends: list[End]
    verdict: str  # 'named', 'explained', 'noted', 'bare'

    @property
    def unnamed(self) -> list[End]:
        return [end for end in self.ends if end.how is None]


def _end(role: str, ref: str, fact: Fact, curation: Curation, authors: dict[str, set[str]]) -> End:
    if role == "subject" and fact.subject_is_document:
        return End(role, ref, "byline" if ref == fact.source and in_byline(fact, curation) else None)
    how = mention(fact.quote, curation.entities[ref], fact.source)
    if how is None and ref in authors.get(fact.source, set()):
        how = "author"
    return End(role, ref, how)


def explained_by_note(fact: Fact, missing: list[End], curation: Curation) -> bool:
    """True when the note or date_note names every missing entity (by label, alias or, for a document, its id)."""
    notes = " ".join(t for t in (fact.note, fact.date_note) if t)
    for end in missing:
        entity = curation.entities.get(end.entity)
        if entity is None:
            if end.entity not in notes:
                return False
        elif mention(notes, entity, fact.source) is None:
            return False
    return True


def examine(fact: Fact, curation: Curation, authors: dict[str, set[str]], qualifiers: bool = False) -> Finding:
    ends = [_end("subject", fact.subject, fact, curation, authors)]
    if fact.object is not None and fact.object in curation.entities:
        ends.append(_end("object", fact.object, fact, curation, authors))
    if qualifiers:
        for name in ENTITY_QUALIFIERS:
            if name in fact.qualifiers and fact.qualifiers[name][1] in curation.entities:
                ends.append(_end(name, fact.qualifiers[name][1], fact, curation, authors))
    missing = [end for end in ends if end.how is None]
    if not missing:
        verdict = "named"
    elif explained_by_note(fact, missing, curation):
        verdict = "explained"
    elif fact.note or fact.date_note:
        verdict = "noted"
    else:
        verdict = "bare"
    return Finding(fact, ends, verdict)


def report(findings: list[Finding], show: bool) -> None:
    if show:
        for verdict in ("bare", "noted", "explained"):
            group = [f for f in findings if f.verdict == verdict]
            print(f"## {verdict} ({len(group)})")
            for f in group:
                fact = f.fact
                gaps = ", ".join(f"{e.role} {e.entity}" for e in f.unnamed)
                print(f"{fact.id} [{fact.file}:{fact.line}] {fact.relation.name}; unnamed: {gaps}")
                print(f"    quote: {fact.quote}")
                for label, text in (("date_note", fact.date_note), ("note", fact.note)):
                    if text:
                        print(f"    {label}: {text}")
            print()
        voiced = [f for f in findings if any(e.how == "author" for e in f.ends)]
        print(f"## named only as the article's author ({len(voiced)}): check the quote is the author's own words")
        for f in voiced:
            print(f"{f.fact.id}: {f.fact.quote}")
        print()
    verdicts = Counter(f.verdict for f in findings)
    ways = Counter(e.how or "unnamed" for f in findings for e in f.ends)
    roles = Counter(e.role for f in findings for e in f.unnamed)
    print(f"facts: {len(findings)}")
    print(f"flagged (an end unnamed): {len(findings) - verdicts['named']}")
    for verdict in ("bare", "noted", "explained"):
        print(f"  {verdict}: {verdicts[verdict]}")
    print("ends checked, by how the quote names them: " + ", ".join(f"{k} {v}" for k, v in sorted(ways.items())))
    print("unnamed ends by role: " + ", ".join(f"{k} {v}" for k, v in sorted(roles.items())))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", action="store_true", help="print the counts only")
    parser.add_argument("--qualifiers", action="store_true", help="also check the entities of " + ", ".join(ENTITY_QUALIFIERS))
    args = parser.parse_args()
    curation = load_curation()
    authors = authors_of(curation)
    findings = [examine(fact, curation, authors, args.qualifiers) for fact in curation.facts]
    report(findings, show=not args.counts)


if __name__ == "__main__":
    main()
