"""What the loader needs to know of the ontology: classes, relations, qualifiers, concepts.

Read from ``ontology/peacegraph.ttl`` itself, so that adding a property there
is all it takes to let curators use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, URIRef
from rdflib.collection import Collection

from peacegraph import paths
from peacegraph.errors import OntologyError
from peacegraph.namespaces import PG_IRI, PGC_IRI

#: The statement qualifiers the loader fills from a fact's date, start and end (not curated under 'qualifiers').
TIME_QUALIFIER_NAMES = ("pointInTime", "startTime", "endTime")


@dataclass(frozen=True)
class Property:
    """A relation or qualifier: its IRI, whether it takes entities, and its domain and range."""

    name: str
    iri: URIRef
    usage: str
    is_object: bool
    domain: frozenset[URIRef]  # empty: anything
    range: frozenset[URIRef]  # classes for object properties; empty: anything
    datatype: URIRef | None  # for datatype properties with a declared range
    role: URIRef | None = None
    stance: URIRef | None = None
    label: str = ""


@dataclass
class Schema:
    """The ontology seen from the loader."""

    graph: Graph
    classes: dict[str, URIRef]
    superclasses: dict[URIRef, frozenset[URIRef]]  # reflexive, transitive
    relations: dict[str, Property]
    qualifiers: dict[str, Property]
    concepts: dict[str, tuple[URIRef, frozenset[URIRef]]]  # id -> (IRI, its classes)
    time_qualifiers: dict[str, Property] = field(default_factory=dict)  # pointInTime, startTime, endTime

    def fits(self, types: frozenset[URIRef], allowed: frozenset[URIRef]) -> bool:
        """True if an individual of ``types`` belongs to some class in ``allowed``."""
        if not allowed or OWL.Thing in allowed:
            return True
        return any(self.superclasses.get(t, frozenset({t})) & allowed for t in types)

    def describe(self, allowed: frozenset[URIRef]) -> str:
        return " or ".join(sorted(_local(c) for c in allowed)) or "anything"

    def concepts_fitting(self, allowed: frozenset[URIRef]) -> str:
        """The concept ids a relation or qualifier of range ``allowed`` takes, for hints."""
        return ", ".join(sorted(cid for cid, (_, types) in self.concepts.items() if self.fits(types, allowed)))


def _local(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _class_set(graph: Graph, node) -> frozenset[URIRef]:
    if node is None:
        return frozenset()
    if isinstance(node, URIRef):
        return frozenset({node})
    members = graph.value(node, OWL.unionOf)
    if members is None:
        raise OntologyError(
            f"{paths.ONTOLOGY_PATH}: a domain or range is a class expression other than owl:unionOf; use a named class or owl:unionOf"
        )
    return frozenset(m for m in Collection(graph, members) if isinstance(m, URIRef))


def _closure(graph: Graph) -> dict[URIRef, frozenset[URIRef]]:
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    closed: dict[URIRef, frozenset[URIRef]] = {}

    def up(cls: URIRef, seen: frozenset[URIRef]) -> frozenset[URIRef]:
        if cls in closed:
            return closed[cls]
        result = {cls}
        for sup in direct.get(cls, ()):
            if sup not in seen:
                result |= up(sup, seen | {cls})
        closed[cls] = frozenset(result)
        return closed[cls]

    for cls in set(direct) | {c for s in direct.values() for c in s}:
        up(cls, frozenset())
    return closed


def load_schema(path: Path | None = None) -> Schema:
    """Parse the ontology and index what the loader checks facts against."""
    path = path or paths.ONTOLOGY_PATH
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError as err:
        raise OntologyError(f"{path}: the ontology file is missing; restore ontology/peacegraph.ttl") from err
    except Exception as err:  # rdflib raises many kinds of syntax errors
        raise OntologyError(f"{path}: the ontology is not valid Turtle ({err}); fix the syntax") from err
    return schema_from_graph(graph)


def schema_from_graph(graph: Graph) -> Schema:
    superclasses = _closure(graph)
    classes = {str(c)[len(PG_IRI) :]: c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and str(c).startswith(PG_IRI)}
    usage_of = URIRef(PG_IRI + "usage")
    relations: dict[str, Property] = {}
    qualifiers: dict[str, Property] = {}
    time_qualifiers: dict[str, Property] = {}
    for prop, usage in graph.subject_objects(usage_of):
        assert isinstance(prop, URIRef)
        name = str(prop)[len(PG_IRI) :]
        is_object = (prop, RDF.type, OWL.ObjectProperty) in graph
        range_node = _inherited(graph, prop, RDFS.range)
        entry = Property(
            name=name,
            iri=prop,
            usage=str(usage),
            is_object=is_object,
            domain=_class_set(graph, _inherited(graph, prop, RDFS.domain)),
            range=_class_set(graph, range_node) if is_object else frozenset(),
            datatype=range_node if (not is_object and isinstance(range_node, URIRef)) else None,
            role=graph.value(prop, URIRef(PG_IRI + "roleConcept")),
            stance=graph.value(prop, URIRef(PG_IRI + "stanceConcept")),
            label=str(graph.value(prop, RDFS.label) or name),
        )
        if str(usage) == "relation":
            relations[name] = entry
        elif str(usage) == "qualifier":
            qualifiers[name] = entry
        elif name in TIME_QUALIFIER_NAMES:
            time_qualifiers[name] = entry
    concepts: dict[str, tuple[URIRef, frozenset[URIRef]]] = {}
    for concept in set(graph.subjects(URIRef("http://www.w3.org/2004/02/skos/core#inScheme"), None)):
        if isinstance(concept, URIRef) and str(concept).startswith(PGC_IRI):
            types = frozenset(t for t in graph.objects(concept, RDF.type) if isinstance(t, URIRef))
            concepts[str(concept)[len(PGC_IRI) :]] = (concept, types)
    return Schema(graph, classes, superclasses, relations, qualifiers, concepts, time_qualifiers)


def _inherited(graph: Graph, prop: URIRef, what: URIRef):
    """A property's own domain or range, else the nearest super-property's."""
    seen = set()
    while prop is not None and prop not in seen:
        seen.add(prop)
        value = graph.value(prop, what)
        if value is not None:
            return value
        parents = [p for p in graph.objects(prop, RDFS.subPropertyOf) if str(p).startswith(PG_IRI)]
        prop = parents[0] if parents else None
    return None


XSD_INTEGER = XSD.integer
XSD_BOOLEAN = XSD.boolean
