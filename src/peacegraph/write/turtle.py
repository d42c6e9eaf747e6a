"""Deterministic serialization: the same triples always give the same bytes.

pyoxigraph's serializers (Rust) write the text; this module only fixes the
order. Subjects are sorted by IRI (blank nodes, which only the ontology has
and which are canonically renamed first, after them), and each subject's
triples by predicate and object, so a subject's block does not move when an
unrelated fact is added and a diff of graph/ reads as the change it is.
Sections (ontology, then data) are sorted apart and written one after the
other in one document.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from peacegraph.namespaces import PREFIXES


def _object_key(term) -> tuple:
    if isinstance(term, ox.Literal):
        return (1, term.value, term.datatype.value, term.language or "")
    if isinstance(term, ox.BlankNode):
        return (2, term.value, "", "")
    return (0, term.value, "", "")


def sorted_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples grouped by subject, subjects in IRI order, each group by predicate and object; duplicates dropped."""
    groups: dict[tuple[bool, str], list[ox.Triple]] = defaultdict(list)
    for triple in triples:
        subject = triple.subject
        groups[(isinstance(subject, ox.BlankNode), subject.value)].append(triple)
    out: list[ox.Triple] = []
    for key in sorted(groups):
        group = groups[key]
        group.sort(key=lambda t: (t.predicate.value, _object_key(t.object)))
        previous = None
        for triple in group:
            if triple != previous:
                out.append(triple)
            previous = triple
    return out


def canonical_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The same graph with blank nodes renamed canonically (pyoxigraph's canonicalization), so their labels are stable."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return [q.triple for q in dataset]


def _chain(sections: Iterable[Iterable[ox.Triple]]) -> Iterator[ox.Triple]:
    for section in sections:
        yield from sorted_triples(section)


def turtle_bytes(*sections: Iterable[ox.Triple], header: str = "") -> bytes:
    """Sorted Turtle of the sections, in order, with a blank line between subjects and ``header`` as a leading comment.

    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/peacegraph/entity/b"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("B"))
    >>> print(turtle_bytes([t]).decode().splitlines()[-1])
    ent:b rdfs:label "B" .
    """
    body = ox.serialize(_chain(sections), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    lines = body.split(b"\n")
    out = []
    if header:
        out += [b"# " + line.encode("utf-8") if line else b"#" for line in header.splitlines()] + [b""]
    # The serializer writes the prefixes in an order of its own: sort them, so the bytes never depend on it.
    out += sorted(line for line in lines if line.startswith(b"@prefix"))
    for line in lines:
        if line.startswith(b"@prefix"):
            continue
        # Literals are written with escaped newlines, so a line starting at column 0 is a new subject.
        if line and not line.startswith(b"\t") and out and out[-1]:
            out.append(b"")
        out.append(line)
    data = b"\n".join(out)
    return data if data.endswith(b"\n") else data + b"\n"


def ntriples_bytes(*sections: Iterable[ox.Triple]) -> bytes:
    """Sorted N-Triples of the sections: the format owlready2 and line-based tools read."""
    return ox.serialize(_chain(sections), format=ox.RdfFormat.N_TRIPLES)
