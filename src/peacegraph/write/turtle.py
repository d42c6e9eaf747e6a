"""Deterministic serialization: the same triples always give the same bytes.

pyoxigraph's serializers (Rust) write the text; this module only fixes the
order. Triples are sorted by their N-Triples form, which keeps each subject's
triples together (subjects in IRI order, blank nodes, which only the ontology
has and which are canonically renamed first, after them) and orders them by
predicate and object within it, so a subject's block does not move when an
unrelated fact is added and a diff of graph/ reads as the change it is.
Sections (ontology, statement properties, data) are sorted apart and each is
serialized once: the full file reuses the data file's body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from peacegraph.namespaces import PREFIXES

#: A line starting at column 0 that is not a prefix: a new subject (literals are written with escaped newlines).
_NEW_SUBJECT = re.compile(rb"\n(?=[^\t\n@])")


def sorted_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples, without duplicates, in N-Triples order (grouped by subject).

    >>> a = ox.NamedNode("http://e/a")
    >>> [str(t.object) for t in sorted_triples([ox.Triple(a, a, ox.Literal("y")), ox.Triple(a, a, ox.Literal("x")), ox.Triple(a, a, ox.Literal("x"))])]
    ['"x"', '"y"']
    """
    out: list[ox.Triple] = []
    previous = None
    for triple in sorted(triples, key=str):
        if triple != previous:
            out.append(triple)
        previous = triple
    return out


def canonical_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The same graph with blank nodes renamed canonically (pyoxigraph's canonicalization), so their labels are stable."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return [q.triple for q in dataset]


def prefix_block() -> bytes:
    """The @prefix lines of every peacegraph file, sorted."""
    return b"".join(sorted(f"@prefix {p}: <{iri}> .\n".encode() for p, iri in PREFIXES.items()))


def turtle_body(sorted_section: Iterable[ox.Triple]) -> bytes:
    """Turtle for already sorted triples, without the @prefix lines, a blank line before each subject."""
    text = ox.serialize(sorted_section, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    # The serializer writes its @prefix lines first and only there: cut them off in one slice
    # (filtering every line of a 100x graph cost 1.3 s).
    start = 0
    while text.startswith(b"@prefix", start):
        start = text.index(b"\n", start) + 1
    while text.startswith(b"\n", start):
        start += 1
    if start == len(text):
        return b""
    # One substitution over the whole text (the @prefix lines are left alone) and one slice: at 1000 times
    # the seeds each copy of the body is a gigabyte. The newline before the first subject becomes two, so
    # the slice from ``start`` begins with the one blank line every body starts with.
    spaced = _NEW_SUBJECT.sub(b"\n\n", text)
    del text
    body = spaced[start:] if start else b"\n" + spaced
    return body if body.endswith(b"\n") else body + b"\n"


def comment(header: str) -> bytes:
    return b"".join((b"# " + line.encode("utf-8") if line else b"#") + b"\n" for line in header.splitlines())


def turtle_document(*bodies: bytes, header: str = "") -> bytes:
    """A Turtle file from bodies made by ``turtle_body``: the header comment, the prefixes, the bodies in order."""
    return b"".join(turtle_chunks(*bodies, header=header))


def turtle_chunks(*bodies: bytes, header: str = "") -> tuple[bytes, ...]:
    """``turtle_document``'s bytes as the pieces it joins: written one after another, the large bodies are never copied."""
    return (comment(header) + b"\n" + prefix_block(), *bodies)


def turtle_bytes(*sections: Iterable[ox.Triple], header: str = "") -> bytes:
    """Sorted Turtle of the sections, in order, with a blank line between subjects and ``header`` as a leading comment.

    >>> t = ox.Triple(ox.NamedNode("https://w3id.org/peacegraph/entity/b"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("B"))
    >>> print(turtle_bytes([t]).decode().splitlines()[-1])
    ent:b rdfs:label "B" .
    """
    return turtle_document(*(turtle_body(sorted_triples(section)) for section in sections), header=header)


def ntriples_bytes(*sections: Iterable[ox.Triple]) -> bytes:
    """Sorted N-Triples of the sections: the format owlready2 and line-based tools read."""
    return b"".join(ntriples_body(sorted_triples(section)) for section in sections)


def ntriples_body(sorted_section: list[ox.Triple]) -> bytes:
    return ox.serialize(sorted_section, format=ox.RdfFormat.N_TRIPLES) if sorted_section else b""
