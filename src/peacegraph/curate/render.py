"""A draft written as a fact file whose records carry ``candidate:`` mappings (``peacegraph accept`` removes them)."""

from __future__ import annotations

import json
import re

from peacegraph.curate.candidates import Draft
from peacegraph.curate.gazetteer import fold

_PLAIN = re.compile(r"^[A-Za-z0-9(][^\n#:'\"`{}\[\],&*!|>%@]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when safe, else double-quoted (JSON escapes are YAML escapes).

    >>> scalar("Nikol Pashinyan"), scalar("yes"), scalar("a: b"), scalar("“quoted”")
    ('Nikol Pashinyan', '"yes"', '"a: b"', '"“quoted”"')
    """
    if _PLAIN.match(value) and value == value.strip() and value.lower() not in _RESERVED and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)


def slug(text: str, limit: int = 40) -> str:
    """An id fragment: lower-case ASCII words joined by '-'.

    >>> slug("Recep Tayyip Erdoğan’s visit")
    'recep-tayyip-erdogan-s-visit'
    """
    words = re.findall(r"[a-z0-9]+", fold(text).lower())
    out = "-".join(words)
    if len(out) > limit:
        # Cut at a word boundary, so ids read "prime-minister-of" rather than "prime-minister-of-armeni".
        out = out[: limit + 1].rsplit("-", 1)[0] if "-" in out[: limit + 1] else out[:limit]
    return out.strip("-") or "x"


def render(draft: Draft) -> str:
    """The draft as a fact file whose records carry ``candidate:`` (accept removes it)."""
    doc = draft.doc
    lines = [
        f"# Draft of {doc.id}: {json.dumps(doc.title, ensure_ascii=False)} (published {doc.published.text}), written by `peacegraph draft {doc.id}`.",
        "# Every record below is a candidate: check it against the document, delete it, correct it, or add your own.",
        "# Each 'candidate:' mapping says how sure the tool is and why; `peacegraph accept " + doc.id + "` drops it and moves",
        f"# the records into seeds/facts/{doc.id}.yaml (facts) and seeds/facts/{doc.id}-extra.yaml (entities, aliases),",
        "# only if every record passes the build's checks. 'mentions:' and 'no_candidate:' are for reading; accept ignores them.",
        f"# {len(draft.candidates)} candidate facts, {len(draft.new_aliases)} new aliases, {len(draft.new_entities)} new entities;"
        f" {len(draft.no_candidate)} sentences with no candidate.",
        "",
    ]
    used_ids: set[str] = set()

    def unique(base: str) -> str:
        candidate, n = base, 2
        while candidate in used_ids:
            candidate, n = f"{base}-{n}", n + 1
        used_ids.add(candidate)
        return candidate

    lines.append("entities:")
    if not draft.new_entities:
        lines[-1] = "entities: []"
    for ent in draft.new_entities:
        lines += [
            f"  - id: {unique(slug(ent.label))}",
            f"    type: {ent.type}",
            f"    label: {scalar(ent.label)}",
            "    candidate:",
            f"      confidence: {ent.confidence:.2f}",
            f"      reason: {scalar(f'a name the graph does not know, seen {ent.count} time(s); type guessed from {ent.reason}')}",
            f"      first_quote: {scalar(ent.quote)}",
        ]
    lines += ["", "aliases:" if draft.new_aliases else "aliases: []"]
    for alias in draft.new_aliases:
        lines += [
            f"  - entity: {alias.entity}",
            f"    label: {scalar(alias.label)}",
            f"    source: {doc.id}",
            f"    note: {scalar(f'the spelling {doc.id} uses')}",
            "    candidate:",
            f"      confidence: {alias.score / 100:.2f}",
            f"      reason: {scalar(f'close to the known name {alias.known_as!r} (rapidfuzz ratio {alias.score:g})')}",
            f"      first_quote: {scalar(alias.quote)}",
        ]
    lines += ["", "facts:" if draft.candidates else "facts: []"]
    for cand in draft.candidates:
        relation_words = re.sub(r"([A-Z])", r" \1", cand.relation)
        fact_id = unique(f"{doc.id}-{slug(cand.subject, 24)}-{slug(relation_words, 20)}-{slug(cand.object, 24)}")
        lines += [
            f"  - id: {fact_id}",
            f"    subject: {cand.subject}",
            f"    relation: {cand.relation}",
            f"    object: {cand.object}",
        ]
        if cand.date:
            lines.append(f"    date: {cand.date.value}")
            note = cand.date.note or f"'{cand.date.text}' in the sentence"
            lines.append(f"    date_note: {scalar(note)}")
        lines += [
            f"    source: {doc.id}",
            f"    quote: {scalar(cand.quote)}",
            "    candidate:",
            f"      confidence: {cand.confidence:.2f}",
            f"      reason: {scalar(cand.reason)}",
        ]
    lines += ["", "# Every known entity the text names, how, and how often (for reading; not moved by accept).", "mentions:"]
    by_entity: dict[str, dict[tuple[str, str, float], int]] = {}
    for m in draft.mentions:
        forms = by_entity.setdefault(m.entity, {})
        forms[(m.text, m.how, m.score)] = forms.get((m.text, m.how, m.score), 0) + 1
    for entity, forms in sorted(by_entity.items()):
        found = ", ".join(f"{text!r} {how} {score:g} x{n}" for (text, how, score), n in sorted(forms.items()))
        lines += [f"  - entity: {entity}", f"    found: {scalar(found)}"]
    if not by_entity:
        lines[-1] = "mentions: []"
    lines += [
        "",
        "# Sentences no candidate quotes: write facts for them, or record them under 'justified:' with a reason.",
        "no_candidate:" if draft.no_candidate else "no_candidate: []",
    ]
    for sentence, names in draft.no_candidate:
        lines.append(f"  - quote: {scalar(sentence.text)}")
        if names:
            lines.append(f"    mentions: {scalar(', '.join(names))}")
    return "\n".join(lines) + "\n"
