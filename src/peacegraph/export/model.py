"""A view's triples as a property graph: nodes and labelled edges, with each fact's dates and sources.

Nodes are the entities (and concepts such as an agreement status) at either
end of a fact; each has an id (its prefixed name, ``ent:armenia``), a label,
a type (the local name of its most specific ``pg:`` class) and that type's
superclasses. Edges are the plain fact triples ``ent:s pg:rel ent:o``; each
is labelled with the property's ``rdfs:label`` and, when a statement node
states it, carries the statement's dates, role, modality, quotes and source
documents; an edge every source gives only as planned or hypothetical is
``modal`` and drawn dashed.
Literal-valued facts (an event's ``pg:date``, a ``pg:population``) become node
attributes. Only the standard library is used here: the model is built from
pyoxigraph terms (anything with ``.value``), so no rdflib on this path.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from peacegraph.export.progress import track
from peacegraph.load.dates import parse_time
from peacegraph.namespaces import PREFIXES, curie

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_PG = PREFIXES["pg"]
_OA = PREFIXES["oa"]
_DCT = PREFIXES["dcterms"]
_PQ = PREFIXES["pq"]
TYPE = _RDF + "type"
LABEL = _RDFS + "label"
SUBCLASS = _RDFS + "subClassOf"
ALT_LABEL = PREFIXES["skos"] + "altLabel"
#: Namespaces whose IRIs become nodes.
NODE_NAMESPACES = (PREFIXES["ent"], PREFIXES["pgc"])
#: Statement properties that give a fact's time, in the order they are shown.
TIME_PROPERTIES = ("pointInTime", "startTime", "endTime")


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``.

    >>> local_name("https://w3id.org/peacegraph/ontology#signatoryOf")
    'signatoryOf'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class Evidence:
    """One statement node of a fact: when, in what role, which quote, which document."""

    statement: str  # prefixed name, stmt:...
    date: str = ""  # as the source gives it: 2024-03-04, "2023-09 –", "2020 – 2023"
    earliest: str | None = None  # xsd:date, first day the date can stand for
    latest: str | None = None  # xsd:date, last day
    role: str = ""
    modality: str = ""  # "planned" or "hypothetical" when the source says so; "" for what happened
    quote: str = ""
    source: str = ""  # document title
    source_id: str = ""  # document identifier (d001)
    issued: str = ""  # document date


@dataclass
class Node:
    id: str
    iri: str
    label: str
    type: str = ""
    type_label: str = ""
    categories: list[str] = field(default_factory=list)  # type and its pg: superclasses (local names)
    aliases: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)  # literal facts: property local name -> value

    def is_a(self, category: str) -> bool:
        return category in self.categories


@dataclass
class Edge:
    id: str
    source: str
    target: str
    label: str
    predicate: str  # prefixed name, pg:signatoryOf
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The property's local name, e.g. ``signatoryOf``."""
        return local_name(self.predicate).rsplit(":", 1)[-1]

    @property
    def is_fact(self) -> bool:
        return bool(self.evidence)

    @property
    def date(self) -> str:
        """The date of the earliest dated statement, as the source gives it ('' if none)."""
        dated = sorted((e for e in self.evidence if e.date), key=lambda e: (e.earliest or e.latest or "", e.date))
        return dated[0].date if dated else ""

    @property
    def start(self) -> str | None:
        """First day (xsd:date) any statement of the fact can stand for, or None."""
        days = [e.earliest for e in self.evidence if e.earliest]
        return min(days) if days else None

    @property
    def end(self) -> str | None:
        """Last day (xsd:date) of the fact when every dated statement bounds it, else None (open)."""
        days = [e.latest for e in self.evidence if e.latest]
        return max(days) if days and len(days) == len([e for e in self.evidence if e.date]) else None

    @property
    def sources(self) -> list[str]:
        return sorted({e.source for e in self.evidence if e.source})

    @property
    def source_ids(self) -> list[str]:
        return sorted({e.source_id for e in self.evidence if e.source_id})

    @property
    def quotes(self) -> list[str]:
        return sorted({e.quote for e in self.evidence if e.quote})

    @property
    def roles(self) -> list[str]:
        return sorted({e.role for e in self.evidence if e.role})

    @property
    def modalities(self) -> list[str]:
        return sorted({e.modality for e in self.evidence if e.modality})

    @property
    def modal(self) -> bool:
        """True when no source gives the fact as having happened: every statement is planned or hypothetical."""
        return bool(self.evidence) and all(e.modality for e in self.evidence)

    @property
    def display_label(self) -> str:
        """The label, with the modality when the fact is only planned or hypothetical ("host of [planned]")."""
        return self.label + (f" [{', '.join(self.modalities)}]" if self.modal else "")

    @property
    def statements(self) -> list[str]:
        return [e.statement for e in self.evidence]


@dataclass
class PropertyGraph:
    """Nodes and edges sorted by id, plus the view they came from."""

    nodes: list[Node]
    edges: list[Edge]
    view: str = ""

    def node(self, node_id: str) -> Node:
        return self._index()[node_id]

    def _index(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    def types(self) -> list[tuple[str, str, int]]:
        """(type, type label, number of nodes) for the legend, most common first."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for node in self.nodes:
            counts[(node.type, node.type_label)] += 1
        return sorted(((t, lab, n) for (t, lab), n in counts.items()), key=lambda x: (-x[2], x[0]))

    def __len__(self) -> int:
        return len(self.nodes) + len(self.edges)


def _is_node_iri(term) -> bool:
    return type(term).__name__ == "NamedNode" and term.value.startswith(NODE_NAMESPACES)


def _date_text(times: dict[str, str]) -> str:
    if "pointInTime" in times:
        return times["pointInTime"]
    if "startTime" in times or "endTime" in times:
        return f"{times.get('startTime', '')} – {times.get('endTime', '')}".strip()
    return ""


def build_graph(triples, view: str = "") -> PropertyGraph:
    """Turn a view's triples (pyoxigraph Triples) into a :class:`PropertyGraph`.

    >>> import pyoxigraph as ox
    >>> E, P = "https://w3id.org/peacegraph/entity/", "https://w3id.org/peacegraph/ontology#"
    >>> t = [ox.Triple(ox.NamedNode(E + "a"), ox.NamedNode(P + "backs"), ox.NamedNode(E + "b")),
    ...      ox.Triple(ox.NamedNode(P + "backs"), ox.NamedNode(LABEL), ox.Literal("backs"))]
    >>> g = build_graph(t)
    >>> [n.id for n in g.nodes], [(e.source, e.label, e.target) for e in g.edges]
    (['ent:a', 'ent:b'], [('ent:a', 'backs', 'ent:b')])
    """
    labels: dict[str, str] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    types: dict[str, set[str]] = defaultdict(set)
    supers: dict[str, set[str]] = defaultdict(set)
    by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    facts: set[tuple[str, str, str]] = set()
    literal_facts: list[tuple[str, str, str]] = []
    node_iris: set[str] = set()

    for triple in track(triples, "reading the view"):
        s, p, o = triple.subject, triple.predicate.value, triple.object
        by_subject[s.value][p].append(o)
        if p == LABEL and (s.value not in labels or getattr(o, "language", None) == "en"):
            labels[s.value] = o.value
        elif p == ALT_LABEL:
            aliases[s.value].add(o.value)
        elif p == TYPE and o.value.startswith(_PG):
            types[s.value].add(o.value)
        elif p == SUBCLASS:
            supers[s.value].add(o.value)
        if p.startswith(_PG) and _is_node_iri(s):
            if _is_node_iri(o):
                facts.add((s.value, p, o.value))
                node_iris.update((s.value, o.value))
            elif type(o).__name__ == "Literal":
                literal_facts.append((s.value, p, o.value))
                node_iris.add(s.value)
        elif p == TYPE and o.value.startswith(_PG) and s.value.startswith(PREFIXES["ent"]):
            node_iris.add(s.value)  # an entity in the view with no fact in it

    def first(subject: str, prop: str) -> str:
        values = by_subject.get(subject, {}).get(prop)
        return sorted(v.value for v in values)[0] if values else ""

    # Statement nodes, by the fact they state: s p:R statement, statement ps:R o (pg:R names p:R and ps:R).
    relation_of_claim = {o.value: s for s, props in by_subject.items() for o in props.get(_PG + "claimProperty", [])}
    relation_of_value = {o.value: s for s, props in by_subject.items() for o in props.get(_PG + "statementProperty", [])}
    stated_by: dict[str, tuple[str, str]] = {}  # statement -> (subject, relation)
    for subject, props in by_subject.items():
        for claim, objects in props.items():
            if claim in relation_of_claim:
                for statement in objects:
                    stated_by[statement.value] = (subject, relation_of_claim[claim])
    evidence: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for subject, props in by_subject.items():
        if _PG + "Assertion" not in {o.value for o in props.get(TYPE, [])} or subject not in stated_by:
            continue
        s, p = stated_by[subject]
        values = [v for prop, vs in props.items() if relation_of_value.get(prop) == p for v in vs]
        if not values:
            continue
        o = values[0].value
        times = {k: first(subject, _PQ + k) for k in TIME_PROPERTIES if first(subject, _PQ + k)}
        doc = first(subject, _DCT + "source")
        ev = first(subject, PREFIXES["prov"] + "wasDerivedFrom")
        quote = ""
        for target in by_subject.get(ev, {}).get(_OA + "hasTarget", []):
            for selector in by_subject.get(target.value, {}).get(_OA + "hasSelector", []):
                quote = quote or first(selector.value, _OA + "exact")
        role_iri = first(subject, _PG + "role") or first(subject, _PG + "stance")
        modality_iri = first(subject, _PQ + "modality")
        evidence[(s, p, o)].append(
            Evidence(
                statement=curie(subject),
                date=_date_text(times),
                earliest=first(subject, _PG + "earliestDate") or None,
                latest=first(subject, _PG + "latestDate") or None,
                role=labels.get(role_iri, local_name(role_iri) if role_iri else ""),
                modality=labels.get(modality_iri, local_name(modality_iri) if modality_iri else ""),
                quote=quote,
                source=first(doc, _DCT + "title"),
                source_id=first(doc, _DCT + "identifier"),
                issued=first(doc, _DCT + "issued"),
            )
        )

    def ancestors(type_iri: str) -> set[str]:
        # Closed here, so a view that carries only direct rdfs:subClassOf triples still gives every superclass.
        seen: set[str] = set()
        todo = list(supers.get(type_iri, ()))
        while todo:
            cls = todo.pop()
            if cls not in seen:
                seen.add(cls)
                todo += supers.get(cls, ())
        seen.discard(type_iri)
        return seen

    def categories(type_iri: str) -> list[str]:
        ordered = [type_iri] + sorted(ancestors(type_iri))
        return [local_name(c) for c in ordered if c.startswith(_PG)]

    nodes: dict[str, Node] = {}
    for iri in sorted(node_iris):
        type_iri = sorted(types.get(iri, set()))[0] if types.get(iri) else ""
        nodes[iri] = Node(
            id=curie(iri),
            iri=iri,
            label=labels.get(iri, local_name(iri)),
            type=local_name(type_iri) if type_iri else "",
            type_label=labels.get(type_iri, local_name(type_iri)) if type_iri else "",
            categories=categories(type_iri) if type_iri else [],
            aliases=sorted(aliases.get(iri, set())),
        )
    for s, p, value in sorted(literal_facts):
        attributes = nodes[s].attributes
        key = local_name(p)
        attributes[key] = f"{attributes[key]}; {value}" if key in attributes else value

    edges = []
    for s, p, o in track(sorted(facts), "building edges"):
        found = sorted(evidence.get((s, p, o), []), key=lambda e: e.statement)
        edge_id = found[0].statement if found else "edge:" + hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:12]
        edges.append(
            Edge(id=edge_id, source=curie(s), target=curie(o), label=labels.get(p, local_name(p)), predicate=curie(p), evidence=found)
        )
    return PropertyGraph(sorted(nodes.values(), key=lambda n: n.id), edges, view)


def date_span(value: str) -> tuple[str, str] | None:
    """First and last day (ISO) of a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` value, or None.

    >>> date_span("2023-09")
    ('2023-09-01', '2023-09-30')
    """
    try:
        parsed = parse_time(value)
    except ValueError:
        return None
    return parsed.earliest.isoformat(), parsed.latest.isoformat()
