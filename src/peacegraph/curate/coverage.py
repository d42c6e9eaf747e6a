"""How much of each source the graph captures: sentences that mention a known entity and serve as evidence.

For each document: the sentences that mention an entity by its label or an
alias; of those, the ones a fact's quote overlaps (covered), the ones a
curator justified as stating nothing checkable, and the rest (uncovered); and
the entities the text mentions that no fact from that document links to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peacegraph.load.loader import Curation

#: Words ending in '.' that do not end a sentence.
ABBREVIATIONS = {
    "U.S.",
    "D.C.",
    "U.N.",
    "Mr.",
    "Mrs.",
    "Dr.",
    "St.",
    "Nov.",
    "Sept.",
    "Oct.",
    "Dec.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Apr.",
    "Jr.",
    "vs.",
    "e.g.",
    "i.e.",
    "No.",
}
_BOUNDARY = re.compile(r"[.!?][\"”’)]*(\s+)(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class DocumentCoverage:
    doc_id: str
    sentences: int = 0  # sentences that mention a known entity
    covered: list[Sentence] = field(default_factory=list)
    justified: list[tuple[Sentence, str]] = field(default_factory=list)
    uncovered: list[tuple[Sentence, list[str]]] = field(default_factory=list)  # with the entities they mention
    unlinked: dict[str, list[str]] = field(default_factory=dict)  # entity id -> names found in the text

    @property
    def percent(self) -> float:
        return 100.0 if not self.sentences else 100.0 * len(self.covered) / self.sentences


def split_sentences(text: str) -> list[Sentence]:
    """Sentences (and headings, captions) with their character offsets.

    >>> [s.text for s in split_sentences("U.S. officials met. Blinken spoke.\\nA caption")]
    ['U.S. officials met.', 'Blinken spoke.', 'A caption']
    """
    out = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        body = line.group(0)
        cut = 0
        for match in _BOUNDARY.finditer(body):
            candidate = body[cut : match.start(1)]
            last_word = candidate.split()[-1] if candidate.split() else ""
            if last_word in ABBREVIATIONS or re.fullmatch(r"[A-Z]\.", last_word):
                continue
            out.append((start + cut, start + match.start(1)))
            cut = match.end(1)
        out.append((start + cut, start + len(body)))
    sentences = []
    for a, b in out:
        piece = text[a:b]
        stripped = piece.strip()
        if stripped:
            offset = a + piece.index(stripped)
            sentences.append(Sentence(offset, offset + len(stripped), stripped))
    return sentences


def _name_patterns(curation: Curation) -> list[tuple[str, str, re.Pattern]]:
    names = []
    for entity in curation.entities.values():
        for name in {entity.label, *(a.label for a in entity.aliases)}:
            if len(name) >= 2:
                # "the Kremlin" also matches "The Kremlin" at the start of a sentence.
                head = f"[{name[0]}{name[0].upper()}]" if name[0].islower() else re.escape(name[0])
                names.append((entity.id, name, re.compile(r"(?<!\w)" + head + re.escape(name[1:]) + r"(?!\w)")))
    return names


def measure(curation: Curation) -> list[DocumentCoverage]:
    """Coverage of every document, in id order."""
    patterns = _name_patterns(curation)
    results = []
    for doc_id, doc in sorted(curation.documents.items()):
        report = DocumentCoverage(doc_id)
        spans = [(f.span.start, f.span.end) for f in curation.facts if f.source == doc_id]
        justified = [(j.span.start, j.span.end, j.reason) for j in curation.justified if j.source == doc_id]
        # The document's own metadata (author, editor, publisher) links the people it names in its byline.
        linked = {ref for ref in (doc.author, doc.editor, doc.publisher) if ref}
        for fact in curation.facts:
            if fact.source == doc_id:
                linked.add(fact.subject)
                if fact.object:
                    linked.add(fact.object)
                linked.update(value for prop, value in fact.qualifiers.values() if prop.is_object)
        mentioned: dict[str, set[str]] = {}
        for sentence in split_sentences(doc.text):
            found = sorted({entity_id for entity_id, name, pattern in patterns if pattern.search(sentence.text)})
            for entity_id, name, pattern in patterns:
                if pattern.search(sentence.text):
                    mentioned.setdefault(entity_id, set()).add(name)
            if not found:
                continue
            report.sentences += 1
            if any(a < sentence.end and b > sentence.start for a, b in spans):
                report.covered.append(sentence)
                continue
            reason = next((r for a, b, r in justified if a < sentence.end and b > sentence.start), None)
            if reason is not None:
                report.justified.append((sentence, reason))
            else:
                report.uncovered.append((sentence, found))
        # A name two entities share ("Baku": the city, and Azerbaijan's government) is linked when either is.
        sharers: dict[str, set[str]] = {}
        for entity_id, name, _ in patterns:
            sharers.setdefault(name, set()).add(entity_id)
        report.unlinked = {
            e: sorted(names) for e, names in sorted(mentioned.items()) if e not in linked and not any(sharers[n] & linked for n in names)
        }
        results.append(report)
    return results


def report_text(results: list[DocumentCoverage], verbose: bool = True) -> str:
    from peacegraph.query.results import format_table

    rows = [
        {
            "document": r.doc_id,
            "sentences": str(r.sentences),
            "covered": str(len(r.covered)),
            "coverage": f"{r.percent:.1f}%",
            "justified": str(len(r.justified)),
            "uncovered": str(len(r.uncovered)),
            "unlinked entities": str(len(r.unlinked)),
        }
        for r in results
    ]
    lines = [format_table(list(rows[0]), rows)] if rows else []
    if verbose:
        for r in results:
            for sentence, found in r.uncovered:
                lines.append(f"UNCOVERED {r.doc_id}@{sentence.start}: {sentence.text[:160]}  [mentions: {', '.join(found)}]")
            for entity_id, names in r.unlinked.items():
                lines.append(f"UNLINKED {r.doc_id}: {entity_id} (mentioned as {', '.join(names)}) has no fact from this document")
    return "\n".join(lines)
