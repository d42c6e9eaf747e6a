"""SHACL validation of the built graph, reported one row per violation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, Graph, URIRef

from peacegraph import paths
from peacegraph.errors import OntologyError
from peacegraph.namespaces import DOCUMENT_IRI, ENTITY_IRI, EVIDENCE_IRI, STATEMENT_IRI

SH = "http://www.w3.org/ns/shacl#"
SHAPES_IRI = "https://w3id.org/peacegraph/shapes#"


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: where, what, and which shape said so."""

    focus: str
    path: str
    shape: str
    severity: str
    message: str
    value: str = ""
    label: str = ""
    where: str = ""

    def __str__(self) -> str:
        place = f"{self.where}: " if self.where else ""
        name = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{place}{self.severity} {name}{path}: {self.message}{value}"


def load_shapes(path: Path | None = None) -> Graph:
    path = path or paths.SHAPES_PATH
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError as err:
        raise OntologyError(f"{path}: the shapes file is missing; restore ontology/shapes.ttl") from err
    except Exception as err:
        raise OntologyError(f"{path}: the shapes file is not valid Turtle ({err}); fix the syntax") from err


def node_id(iri: str) -> str | None:
    """The curated id behind a node IRI (entity, fact or document), if any.

    >>> node_id("https://w3id.org/peacegraph/evidence/d000-x/quote")
    'd000-x'
    """
    for base in (ENTITY_IRI, STATEMENT_IRI, EVIDENCE_IRI, DOCUMENT_IRI):
        if iri.startswith(base):
            return iri[len(base) :].split("/", 1)[0]
    return None


def validate(graph: Graph, shapes: Graph, where: dict[str, str] | None = None) -> list[Violation]:
    """Validate ``graph``, the ontology plus the data; return violations, sorted.

    The ontology is in the data graph itself, with no RDFS inference: SHACL
    then follows rdfs:subClassOf for targets and sh:class and sees the concept
    schemes, but does not infer an object's type from a property's range,
    which would make every sh:class check on that property pass vacuously.
    """
    from pyshacl import validate as pyshacl_validate

    _, report, _ = pyshacl_validate(graph, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=False)
    where = where or {}
    rows = []
    for result in report.subjects(URIRef(SH + "resultSeverity"), None):

        def one(pred: str, result=result) -> str:
            value = report.value(result, URIRef(SH + pred))
            return "" if value is None else str(value)

        focus = one("focusNode")
        shape = report.value(result, URIRef(SH + "sourceShape"))
        # Property shapes are blank nodes: name the node shape that holds them.
        parent = shapes.value(None, URIRef(SH + "property"), shape) if shape is not None else None
        label = graph.value(URIRef(focus), RDFS.label) if focus else None
        curated = node_id(focus)
        rows.append(
            Violation(
                focus=focus,
                path=path_text(report, report.value(result, URIRef(SH + "resultPath"))),
                shape=short_name(str(parent if parent is not None else shape)),
                severity=short_name(one("resultSeverity")).replace("sh:", ""),
                message=one("resultMessage"),
                value=one("value"),
                label=str(label) if label else "",
                where=where.get(curated, "") if curated else "",
            )
        )
    return sorted(set(rows))


def path_text(graph: Graph, node) -> str:
    """A SHACL path in SPARQL property-path syntax, e.g. ``^(pg:partyTo|pg:signatoryOf)``."""
    from rdflib import BNode
    from rdflib.collection import Collection

    if node is None:
        return ""
    if not isinstance(node, BNode):
        return short_name(str(node))
    inverse = graph.value(node, URIRef(SH + "inversePath"))
    if inverse is not None:
        return "^" + path_text(graph, inverse)
    alternatives = graph.value(node, URIRef(SH + "alternativePath"))
    if alternatives is not None:
        return "(" + "|".join(path_text(graph, n) for n in Collection(graph, alternatives)) + ")"
    for name, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = graph.value(node, URIRef(SH + name))
        if inner is not None:
            return path_text(graph, inner) + op
    if graph.value(node, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")) is not None:
        return "/".join(path_text(graph, n) for n in Collection(graph, node))
    return str(node)


def short_name(iri: str) -> str:
    """A prefixed name for an IRI (``pgs:`` for shapes), the longest namespace first.

    >>> short_name("https://w3id.org/peacegraph/prop/qualifier/startTime")
    'pq:startTime'
    """
    from peacegraph.namespaces import PREFIXES

    # The longest namespace wins: p: is a prefix of pq: and ps:.
    matches = [(len(base), prefix, base) for prefix, base in {**PREFIXES, "pgs": SHAPES_IRI}.items() if iri.startswith(base)]
    if matches:
        _, prefix, base = max(matches)
        return f"{prefix}:{iri[len(base) :]}"
    return iri
