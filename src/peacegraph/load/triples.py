"""Curation -> RDF triples, in the Wikidata statement pattern.

Each fact gives a statement node and, when its rank is the best for its
subject and relation, the plain ("truthy") triple simple queries use::

    ent:armenia pg:partyTo ent:peace-agreement .            # truthy, best rank only
    ent:armenia p:partyTo stmt:d001-x .
    stmt:d001-x a pg:Assertion ; ps:partyTo ent:peace-agreement ;
        pq:startTime "2025-03"^^xsd:gYearMonth ; pq:duringEvent ent:... ;
        pg:rank pgc:rank-normal ; dcterms:source doc:d001 ;
        prov:wasDerivedFrom ev:d001-x .

The evidence node is a Web Annotation whose target is the quote in its
document (``oa:TextQuoteSelector`` and ``oa:TextPositionSelector``). Unlike
``rdf:subject``/``rdf:predicate``/``rdf:object``, which OWL 2 DL reserves, the
p:/ps:/pq: properties are ordinary declared properties (see ``vocabulary``),
so the OWL API and Protégé keep every statement link. No blank nodes: every
node has an IRI a user can point at. Terms are pyoxigraph's, made straight
into a list in a fixed order (no rdflib on the build's data path).
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import io
import os
import tempfile
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from peacegraph.load.dates import TimeValue
from peacegraph.load.documents import Document
from peacegraph.load.loader import Curation, Entity, Fact
from peacegraph.namespaces import (
    DISAGREEMENT_IRI,
    DOCUMENT_IRI,
    ENTITY_IRI,
    EVIDENCE_IRI,
    P_IRI,
    PG_IRI,
    PGC_IRI,
    PQ_IRI,
    PREFIXES,
    PS_IRI,
    STATEMENT_IRI,
)

_RDF, _RDFS, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
_DCT, _OA, _PROV, _SKOS, _SKOSXL = PREFIXES["dcterms"], PREFIXES["oa"], PREFIXES["prov"], PREFIXES["skos"], PREFIXES["skosxl"]

TYPE = ox.NamedNode(_RDF + "type")
LABEL = ox.NamedNode(_RDFS + "label")
COMMENT = ox.NamedNode(_RDFS + "comment")
XSD_STRING = ox.NamedNode(_XSD + "string")
XSD_INTEGER = ox.NamedNode(_XSD + "integer")
XSD_DATE = ox.NamedNode(_XSD + "date")
NAMED_INDIVIDUAL = ox.NamedNode(PREFIXES["owl"] + "NamedIndividual")
ALT_LABEL = ox.NamedNode(_SKOS + "altLabel")
DERIVED_FROM = ox.NamedNode(_PROV + "wasDerivedFrom")
EXACT_MATCH = ox.NamedNode(_SKOS + "exactMatch")

#: The time keys of a fact and the statement qualifiers they become.
TIME_QUALIFIERS = ("pointInTime", "startTime", "endTime")
#: Rank name (the seed files' word) -> its concept.
RANK_CONCEPTS = {name: PGC_IRI + f"rank-{name}" for name in ("preferred", "normal", "deprecated")}


@functools.cache  # a few dozen names, made millions of times at scale
def _pg(name: str) -> ox.NamedNode:
    return ox.NamedNode(PG_IRI + name)


@functools.cache
def _dct(name: str) -> ox.NamedNode:
    return ox.NamedNode(_DCT + name)


@functools.cache
def _oa(name: str) -> ox.NamedNode:
    return ox.NamedNode(_OA + name)


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


@functools.cache
def claim_property(name: str) -> ox.NamedNode:
    """p:<name>: from a fact's subject to its statement node."""
    return ox.NamedNode(P_IRI + name)


@functools.cache
def statement_property(name: str) -> ox.NamedNode:
    """ps:<name>: from a statement node to the fact's object or value."""
    return ox.NamedNode(PS_IRI + name)


@functools.cache
def qualifier_property(name: str) -> ox.NamedNode:
    """pq:<name>: a qualifier on a statement node."""
    return ox.NamedNode(PQ_IRI + name)


def time_literal(value: TimeValue) -> ox.Literal:
    """A date as a literal whose datatype says its precision (xsd:gYear, xsd:gYearMonth, xsd:date; EDTF for decades and ranges).

    >>> from peacegraph.load.dates import parse_time
    >>> time_literal(parse_time("2020-11")).datatype.value
    'http://www.w3.org/2001/XMLSchema#gYearMonth'
    """
    return ox.Literal(value.lexical, datatype=ox.NamedNode(value.datatype))


def entity_iri(entity_id: str) -> ox.NamedNode:
    return ox.NamedNode(ENTITY_IRI + entity_id)


#: Document attribute -> (predicate, how to turn the value into a term)
DOCUMENT_FIELDS = (
    ("id", _dct("identifier"), ox.Literal),
    ("title", _dct("title"), _en),
    ("published", _dct("issued"), time_literal),
    ("modified", _dct("modified"), time_literal),
    ("not_before", _pg("dateNotBefore"), lambda v: ox.Literal(v.isoformat(), datatype=XSD_DATE)),
    ("not_after", _pg("dateNotAfter"), lambda v: ox.Literal(v.isoformat(), datatype=XSD_DATE)),
    ("date_inferred", _pg("dateResolution"), ox.Literal),
    ("note", COMMENT, _en),
    ("author", _dct("creator"), entity_iri),
    ("editor", _dct("contributor"), entity_iri),
    ("publisher", _dct("publisher"), entity_iri),
    ("file", _pg("fileName"), ox.Literal),
    ("sha256", _pg("sha256"), ox.Literal),
)


def data_triples(curation: Curation) -> SortedTriples:
    """The data graph (no ontology) of a checked curation: sorted, without duplicates, kept as N-Triples."""
    return SortedTriples.of(_data_triples(curation))


def _data_triples(curation: Curation) -> Iterator[ox.Triple]:
    """The data graph's triples one at a time (a triple that several statements give comes more than once)."""
    out: list[ox.Triple] = []
    add = out.append
    for doc in curation.documents.values():
        _add_document(add, doc)
    for entity in curation.entities.values():
        _add_entity(add, entity)
    yield from out
    out.clear()
    truthy = best_ranked(curation.facts)
    for fact in curation.facts:
        _add_fact(add, fact, curation, fact.id in truthy)
        if len(out) >= _BATCH:
            yield from out
            out.clear()
    for dis in curation.disagreements:
        node = ox.NamedNode(DISAGREEMENT_IRI + dis.id)
        add(ox.Triple(node, TYPE, _pg("Disagreement")))
        add(ox.Triple(node, LABEL, _en(dis.id.replace("-", " "))))
        add(ox.Triple(node, COMMENT, _en(dis.description)))
        add(ox.Triple(node, _pg("disagreementAbout"), entity_iri(dis.about)))
        if dis.kind:
            add(ox.Triple(node, _pg("disagreementKind"), ox.NamedNode(PGC_IRI + dis.kind)))
        for fact_id in dis.statements:
            add(ox.Triple(node, _pg("conflictingStatement"), ox.NamedNode(STATEMENT_IRI + fact_id)))
    yield from out
    yield from mapping_triples(curation.mappings)


#: Triples made and serialized at a time: big enough for the serializer, small beside the graph.
_BATCH = 50_000


class SortedTriples:
    """A set of triples kept on disk as N-Triples lines, sorted and without duplicates.

    At a thousand times the seeds the data graph is 22 million triples:
    as pyoxigraph objects it took about 380 bytes a triple, and as one sorted
    text in memory it still needed twice its size while sorting. So batches
    are serialized and sorted one at a time, the sorted runs are merged
    straight into a temporary file (removed when this object goes), and the
    triples are parsed again only where they are asked for.

    Sorting the lines as bytes gives the order of sorting the triples by their
    N-Triples form (a line is that form and " ."; a space sorts before
    anything that can continue a term), which is the order graph/ is written in.
    """

    def __init__(self, fd: int, path: Path, named: bool, count: int) -> None:
        self.path = path
        self._count = count
        self._remove = weakref.finalize(self, _release, fd, path if named else None)

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> SortedTriples:
        runs: list[bytes] = []
        batch: list[ox.Triple] = []
        for triple in triples:
            batch.append(triple)
            if len(batch) >= _BATCH:
                runs.append(_sorted_run(batch))
                batch.clear()
        if batch:
            runs.append(_sorted_run(batch))
        del batch
        fd, path, named = _scratch_file()
        count = 0
        try:
            with os.fdopen(fd, "wb", closefd=False) as out:
                previous = None
                pending: list[bytes] = []
                for line in heapq.merge(*(io.BytesIO(run) for run in runs)) if len(runs) > 1 else io.BytesIO(b"".join(runs)):
                    if line != previous:
                        pending.append(line)
                        previous = line
                        if len(pending) >= 65536:
                            out.write(b"".join(pending))
                            count += len(pending)
                            pending.clear()
                out.write(b"".join(pending))
                count += len(pending)
        except BaseException:
            _release(fd, path if named else None)
            raise
        return cls(fd, path, named, count)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[ox.Triple]:
        # lenient: the file is pyoxigraph's own output; checking every IRI again doubled the parse time.
        return (quad.triple for quad in ox.parse(path=str(self.path), format=ox.RdfFormat.N_TRIPLES, lenient=True))

    def read(self) -> bytes:
        """The sorted N-Triples text, whole (for tests and small graphs)."""
        return self.path.read_bytes()


def _sorted_run(batch: list[ox.Triple]) -> bytes:
    lines = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES).split(b"\n")
    lines.pop()  # after the last newline
    lines.sort()
    return b"\n".join(lines) + b"\n"


def _scratch_file() -> tuple[int, Path, bool]:
    """(descriptor, path, named): a file for the sorted data that leaves nothing behind, even if the build is killed.

    On Linux it has no name at all (O_TMPFILE) and is reached through
    /proc/self/fd, so a SIGKILL at 1000 times the seeds cannot leave 4 GB in
    the temporary folder; elsewhere it is a named file removed when the
    SortedTriples goes.
    """
    unnamed = _unnamed_scratch()
    if unnamed is not None:
        return unnamed, Path(f"/proc/self/fd/{unnamed}"), False
    fd, name = tempfile.mkstemp(prefix="peacegraph-data-", suffix=".nt")
    return fd, Path(name), True


def _unnamed_scratch() -> int | None:
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(tempfile.gettempdir(), flag | os.O_RDWR | os.O_CLOEXEC, 0o600)
    except OSError:  # a file system without O_TMPFILE
        return None


def _release(fd: int, named: Path | None) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
    if named is not None:
        with contextlib.suppress(OSError):
            named.unlink()


def mapping_triples(mappings) -> list[ox.Triple]:
    """``ent:x skos:exactMatch wd:Q..`` for each checked entity mapping (seeds/mappings/entities.sssom.tsv).

    >>> from peacegraph.load.mappings import Mapping
    >>> [str(t.object) for t in mapping_triples([Mapping("armenia", "Q399", "checked", 9)])]
    ['<http://www.wikidata.org/entity/Q399>']
    """
    return [ox.Triple(entity_iri(m.entity), EXACT_MATCH, ox.NamedNode(PREFIXES["wd"] + m.qid)) for m in mappings]


def best_ranked(facts: list[Fact]) -> set[str]:
    """Ids of the facts that give a truthy triple: per subject and relation, the preferred ones, else the normal ones.

    Deprecated facts never do (Wikidata's rule for its wdt: triples).
    """
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[(fact.subject, fact.relation.name)].append(fact)
    chosen: set[str] = set()
    for group in groups.values():
        ranks = {f.rank for f in group}
        best = "preferred" if "preferred" in ranks else "normal"
        chosen.update(f.id for f in group if f.rank == best)
    return chosen


def _add_document(add, doc: Document) -> None:
    node = ox.NamedNode(DOCUMENT_IRI + doc.id)
    add(ox.Triple(node, TYPE, _pg("SourceDocument")))
    add(ox.Triple(node, LABEL, _en(doc.title)))
    add(ox.Triple(node, _dct("format"), ox.Literal("text/plain")))
    add(ox.Triple(node, _pg("characterCount"), ox.Literal(str(len(doc.text)), datatype=XSD_INTEGER)))
    add(ox.Triple(node, _pg("datePrecision"), ox.NamedNode(doc.published.time_unit)))
    for attr, predicate, make in DOCUMENT_FIELDS:
        value = getattr(doc, attr)
        if value is not None:
            add(ox.Triple(node, predicate, make(value)))


def _add_entity(add, entity: Entity) -> None:
    node = entity_iri(entity.id)
    add(ox.Triple(node, TYPE, ox.NamedNode(str(entity.type_iri))))
    add(ox.Triple(node, TYPE, NAMED_INDIVIDUAL))
    add(ox.Triple(node, LABEL, _en(entity.label)))
    if entity.description:
        add(ox.Triple(node, COMMENT, _en(entity.description)))
    for index, alias in enumerate(entity.aliases, start=1):
        add(ox.Triple(node, ALT_LABEL, _en(alias.label)))
        if alias.source or alias.note:
            # A sourced alias (a misspelling, a wrong title) gets a SKOS-XL label node.
            label_node = ox.NamedNode(f"{node.value}/alias/{index}")
            add(ox.Triple(node, ox.NamedNode(_SKOSXL + "altLabel"), label_node))
            add(ox.Triple(label_node, TYPE, ox.NamedNode(_SKOSXL + "Label")))
            add(ox.Triple(label_node, ox.NamedNode(_SKOSXL + "literalForm"), _en(alias.label)))
            if alias.source:
                add(ox.Triple(label_node, _dct("source"), ox.NamedNode(DOCUMENT_IRI + alias.source)))
            if alias.note:
                add(ox.Triple(label_node, COMMENT, _en(alias.note)))


def _node_term(ref: str, curation: Curation) -> ox.NamedNode:
    """The IRI of an id the loader accepted: a concept of the ontology, else an entity."""
    concept = curation.schema.concepts.get(ref)
    return ox.NamedNode(str(concept[0])) if concept else entity_iri(ref)


def _literal(value: str, datatype) -> ox.Literal:
    if datatype is None or str(datatype) == _XSD + "string":
        return ox.Literal(value)
    return ox.Literal(value, datatype=ox.NamedNode(str(datatype)))


def _object_term(fact: Fact, curation: Curation):
    if fact.object is not None:
        return _node_term(fact.object, curation)
    if fact.value_time is not None:
        return time_literal(fact.value_time)
    return _literal(fact.value or "", fact.relation.datatype)


def _add_fact(add, fact: Fact, curation: Curation, truthy: bool) -> None:
    subject = ox.NamedNode(DOCUMENT_IRI + fact.subject) if fact.subject_is_document else entity_iri(fact.subject)
    name = fact.relation.name
    obj = _object_term(fact, curation)
    if truthy:
        add(ox.Triple(subject, ox.NamedNode(str(fact.relation.iri)), obj))
    stmt = ox.NamedNode(STATEMENT_IRI + fact.id)
    add(ox.Triple(subject, claim_property(name), stmt))
    add(ox.Triple(stmt, TYPE, _pg("Assertion")))
    add(ox.Triple(stmt, statement_property(name), obj))
    add(ox.Triple(stmt, _pg("rank"), ox.NamedNode(RANK_CONCEPTS[fact.rank])))
    if fact.rank_reason:
        add(ox.Triple(stmt, _pg("rankReason"), ox.NamedNode(PGC_IRI + fact.rank_reason)))
    for other in fact.rank_evidence:
        add(ox.Triple(stmt, _pg("rankEvidence"), ox.NamedNode(STATEMENT_IRI + other)))
    add(ox.Triple(stmt, _dct("source"), ox.NamedNode(DOCUMENT_IRI + fact.source)))
    if fact.relation.role is not None:
        add(ox.Triple(stmt, _pg("role"), ox.NamedNode(str(fact.relation.role))))
    if fact.relation.stance is not None:
        add(ox.Triple(stmt, TYPE, _pg("PublicStatement")))
        add(ox.Triple(stmt, _pg("stance"), ox.NamedNode(str(fact.relation.stance))))
    _add_times(add, stmt, fact)
    if fact.date_note:
        add(ox.Triple(stmt, _pg("dateResolution"), ox.Literal(fact.date_note)))
    if fact.note:
        add(ox.Triple(stmt, COMMENT, _en(fact.note)))
    for qualifier, (prop, value) in sorted(fact.qualifiers.items()):
        term = _node_term(value, curation) if prop.is_object else _literal(value, prop.datatype)
        add(ox.Triple(stmt, qualifier_property(qualifier), term))
    _add_evidence(add, stmt, fact)


def _add_times(add, stmt: ox.NamedNode, fact: Fact) -> None:
    for name in TIME_QUALIFIERS:
        value = fact.times.get(name)
        if value is not None:
            add(ox.Triple(stmt, qualifier_property(name), time_literal(value)))
    first = fact.times.get("pointInTime") or fact.times.get("startTime")
    last = fact.times.get("pointInTime") or fact.times.get("endTime")
    primary = first or last
    if primary is not None:
        add(ox.Triple(stmt, _pg("datePrecision"), ox.NamedNode(primary.time_unit)))
    if first is not None:
        add(ox.Triple(stmt, _pg("earliestDate"), ox.Literal(first.earliest.isoformat(), datatype=XSD_DATE)))
    if last is not None:
        add(ox.Triple(stmt, _pg("latestDate"), ox.Literal(last.latest.isoformat(), datatype=XSD_DATE)))


def _add_evidence(add, stmt: ox.NamedNode, fact: Fact) -> None:
    evidence = ox.NamedNode(EVIDENCE_IRI + fact.id)
    target = ox.NamedNode(evidence.value + "/target")
    quote = ox.NamedNode(evidence.value + "/quote")
    position = ox.NamedNode(evidence.value + "/position")
    document = ox.NamedNode(DOCUMENT_IRI + fact.source)
    span = fact.span
    add(ox.Triple(stmt, DERIVED_FROM, evidence))
    for s, p, o in (
        (evidence, TYPE, _pg("Evidence")),
        (evidence, _oa("motivatedBy"), _oa("describing")),
        (evidence, _oa("hasBody"), stmt),
        (evidence, _oa("hasTarget"), target),
        (evidence, _dct("source"), document),
        (target, TYPE, _oa("SpecificResource")),
        (target, _oa("hasSource"), document),
        (target, _oa("hasSelector"), quote),
        (target, _oa("hasSelector"), position),
        (quote, TYPE, _oa("TextQuoteSelector")),
        (quote, _oa("exact"), ox.Literal(span.exact)),
        (quote, _oa("prefix"), ox.Literal(span.prefix)),
        (quote, _oa("suffix"), ox.Literal(span.suffix)),
        (position, TYPE, _oa("TextPositionSelector")),
        (position, _oa("start"), ox.Literal(str(span.start), datatype=XSD_INTEGER)),
        (position, _oa("end"), ox.Literal(str(span.end), datatype=XSD_INTEGER)),
    ):
        add(ox.Triple(s, p, o))
