"""Curation -> RDF: entities, documents, plain triples, statement nodes and evidence.

Each fact gives the plain triple simple queries use and, beside it, a statement
node (the Wikidata pattern) with the time qualifiers, the other qualifiers and
``prov:wasDerivedFrom`` an evidence node: a Web Annotation whose target is the
quote in its document (``oa:TextQuoteSelector`` and ``oa:TextPositionSelector``).
No blank nodes: every node has an IRI a user can point at.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef

from peacegraph.load.dates import TimeValue
from peacegraph.load.documents import Document
from peacegraph.load.loader import Curation, Entity, Fact
from peacegraph.namespaces import DIS, DOC, ENT, EV, OA, PG, PREFIXES, SKOSXL, STMT, TIME, bind_prefixes

SKOS_ALT = URIRef(PREFIXES["skos"] + "altLabel")
DCT = {
    name: URIRef(PREFIXES["dcterms"] + name)
    for name in ("identifier", "title", "issued", "modified", "creator", "contributor", "publisher", "source", "format")
}
PROV_DERIVED = URIRef(PREFIXES["prov"] + "wasDerivedFrom")

#: Document attribute -> (predicate, how to turn the value into a term)
DOCUMENT_FIELDS = (
    ("id", DCT["identifier"], Literal),
    ("title", DCT["title"], lambda v: Literal(v, lang="en")),
    ("published", DCT["issued"], lambda v: time_literal(v)),
    ("modified", DCT["modified"], lambda v: time_literal(v)),
    ("not_before", PG.dateNotBefore, lambda v: Literal(v, datatype=XSD.date)),
    ("not_after", PG.dateNotAfter, lambda v: Literal(v, datatype=XSD.date)),
    ("date_inferred", PG.dateResolution, Literal),
    ("note", RDFS.comment, lambda v: Literal(v, lang="en")),
    ("author", DCT["creator"], lambda v: ENT[v]),
    ("editor", DCT["contributor"], lambda v: ENT[v]),
    ("publisher", DCT["publisher"], lambda v: ENT[v]),
    ("file", PG.fileName, Literal),
    ("sha256", PG.sha256, Literal),
)


def time_literal(value: TimeValue) -> Literal:
    """A date as a literal whose datatype says its precision (xsd:gYear, xsd:gYearMonth, xsd:date)."""
    return Literal(value.text, datatype=XSD[value.xsd_type])


def entity_iri(entity_id: str) -> URIRef:
    return ENT[entity_id]


def union_graph(*graphs: Graph) -> Graph:
    """One graph holding every triple of ``graphs`` (e.g. ontology plus data), with the project's prefixes."""
    out = bind_prefixes(Graph())
    for graph in graphs:
        for triple in graph:
            out.add(triple)
    return out


def to_graph(curation: Curation) -> Graph:
    """The data graph (no ontology) for a checked curation."""
    graph = bind_prefixes(Graph())
    for doc in curation.documents.values():
        _add_document(graph, doc)
    for entity in curation.entities.values():
        _add_entity(graph, entity)
    for fact in curation.facts:
        _add_fact(graph, fact, curation)
    for dis in curation.disagreements:
        node = DIS[dis.id]
        graph.add((node, RDF.type, PG.Disagreement))
        graph.add((node, RDFS.label, Literal(dis.id.replace("-", " "), lang="en")))
        graph.add((node, RDFS.comment, Literal(dis.description, lang="en")))
        graph.add((node, PG.disagreementAbout, entity_iri(dis.about)))
        for fact_id in dis.statements:
            graph.add((node, PG.conflictingStatement, STMT[fact_id]))
    return graph


def _add_document(graph: Graph, doc: Document) -> None:
    node = DOC[doc.id]
    graph.add((node, RDF.type, PG.SourceDocument))
    graph.add((node, RDFS.label, Literal(doc.title, lang="en")))
    graph.add((node, DCT["format"], Literal("text/plain")))
    graph.add((node, PG.characterCount, Literal(len(doc.text))))
    graph.add((node, PG.datePrecision, TIME[doc.published.time_unit]))
    for attr, predicate, make in DOCUMENT_FIELDS:
        value = getattr(doc, attr)
        if value is not None:
            graph.add((node, predicate, make(value)))


def _add_entity(graph: Graph, entity: Entity) -> None:
    node = entity_iri(entity.id)
    graph.add((node, RDF.type, entity.type_iri))
    graph.add((node, RDF.type, OWL.NamedIndividual))
    graph.add((node, RDFS.label, Literal(entity.label, lang="en")))
    if entity.description:
        graph.add((node, RDFS.comment, Literal(entity.description, lang="en")))
    for index, alias in enumerate(entity.aliases, start=1):
        graph.add((node, SKOS_ALT, Literal(alias.label, lang="en")))
        if alias.source or alias.note:
            # A sourced alias (a misspelling, a wrong title) gets a SKOS-XL label node.
            label_node = URIRef(f"{node}/alias/{index}")
            graph.add((node, SKOSXL.altLabel, label_node))
            graph.add((label_node, RDF.type, SKOSXL.Label))
            graph.add((label_node, SKOSXL.literalForm, Literal(alias.label, lang="en")))
            if alias.source:
                graph.add((label_node, DCT["source"], DOC[alias.source]))
            if alias.note:
                graph.add((label_node, RDFS.comment, Literal(alias.note, lang="en")))


def _node_term(ref: str, curation: Curation) -> URIRef:
    """The IRI of an id the loader accepted: a concept of the ontology, else an entity."""
    concept = curation.schema.concepts.get(ref)
    return concept[0] if concept else entity_iri(ref)


def _object_term(fact: Fact, curation: Curation):
    if fact.object is not None:
        return _node_term(fact.object, curation)
    if fact.value_time is not None:
        return time_literal(fact.value_time)
    datatype = fact.relation.datatype
    return Literal(fact.value, datatype=datatype) if datatype is not None else Literal(fact.value)


def _add_fact(graph: Graph, fact: Fact, curation: Curation) -> None:
    subject = entity_iri(fact.subject)
    predicate = fact.relation.iri
    obj = _object_term(fact, curation)
    graph.add((subject, predicate, obj))

    stmt = STMT[fact.id]
    graph.add((stmt, RDF.type, PG.Assertion))
    graph.add((stmt, RDF.subject, subject))
    graph.add((stmt, RDF.predicate, predicate))
    graph.add((stmt, RDF.object, obj))
    graph.add((stmt, DCT["source"], DOC[fact.source]))
    if fact.relation.role is not None:
        graph.add((stmt, PG.role, fact.relation.role))
    if fact.relation.stance is not None:
        graph.add((stmt, RDF.type, PG.PublicStatement))
        graph.add((stmt, PG.stance, fact.relation.stance))
    _add_times(graph, stmt, fact)
    if fact.date_note:
        graph.add((stmt, PG.dateResolution, Literal(fact.date_note)))
    if fact.note:
        graph.add((stmt, RDFS.comment, Literal(fact.note, lang="en")))
    for _name, (prop, value) in sorted(fact.qualifiers.items()):
        if prop.is_object:
            term = _node_term(value, curation)
        elif prop.datatype not in (None, XSD.string):
            term = Literal(value, datatype=prop.datatype)
        else:
            term = Literal(value)
        graph.add((stmt, prop.iri, term))
    _add_evidence(graph, stmt, fact)


def _add_times(graph: Graph, stmt: URIRef, fact: Fact) -> None:
    for prop_name in ("pointInTime", "startTime", "endTime"):
        value = fact.times.get(prop_name)
        if value is not None:
            graph.add((stmt, PG[prop_name], time_literal(value)))
    first = fact.times.get("pointInTime") or fact.times.get("startTime")
    last = fact.times.get("pointInTime") or fact.times.get("endTime")
    primary = first or last
    if primary is not None:
        graph.add((stmt, PG.datePrecision, TIME[primary.time_unit]))
    if first is not None:
        graph.add((stmt, PG.earliestDate, Literal(first.earliest, datatype=XSD.date)))
    if last is not None:
        graph.add((stmt, PG.latestDate, Literal(last.latest, datatype=XSD.date)))


def _add_evidence(graph: Graph, stmt: URIRef, fact: Fact) -> None:
    evidence = EV[fact.id]
    target = URIRef(f"{evidence}/target")
    quote = URIRef(f"{evidence}/quote")
    position = URIRef(f"{evidence}/position")
    document = DOC[fact.source]
    span = fact.span
    graph.add((stmt, PROV_DERIVED, evidence))
    for s, p, o in (
        (evidence, RDF.type, PG.Evidence),
        (evidence, OA.motivatedBy, OA.describing),
        (evidence, OA.hasBody, stmt),
        (evidence, OA.hasTarget, target),
        (evidence, DCT["source"], document),
        (target, RDF.type, OA.SpecificResource),
        (target, OA.hasSource, document),
        (target, OA.hasSelector, quote),
        (target, OA.hasSelector, position),
        (quote, RDF.type, OA.TextQuoteSelector),
        (quote, OA.exact, Literal(span.exact)),
        (quote, OA.prefix, Literal(span.prefix)),
        (quote, OA.suffix, Literal(span.suffix)),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, Literal(span.start)),
        (position, OA.end, Literal(span.end)),
    ):
        graph.add((s, p, o))
