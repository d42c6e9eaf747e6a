"""SHACL validation of the built graph, reported one row per violation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, Graph, URIRef

from peacegraph import paths
from peacegraph.errors import OntologyError
from peacegraph.namespaces import DOCUMENT_IRI, ENTITY_IRI, EVIDENCE_IRI, STATEMENT_IRI

SH = "http://www.w3.org/ns/shacl#"


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
            return iri[len(base):].split("/", 1)[0]
    return None


def validate(data: Graph, ontology: Graph, shapes: Graph, where: dict[str, str] | None = None) -> list[Violation]:
    """Validate ``data`` (with the ontology for class hierarchy); return violations, sorted."""
    from pyshacl import validate as pyshacl_validate

    _, report, _ = pyshacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="rdfs", abort_on_first=False, allow_warnings=False
    )
    where = where or {}
    rows = []
    for result in report.subjects(URIRef(SH + "resultSeverity"), None):
        def one(pred: str) -> str:
            value = report.value(result, URIRef(SH + pred))
            return "" if value is None else str(value)

        focus = one("focusNode")
        label = data.value(URIRef(focus), RDFS.label) if focus else None
        curated = node_id(focus)
        rows.append(Violation(
            focus=focus, path=_short(one("resultPath")), shape=_short(one("sourceShape")),
            severity=_short(one("resultSeverity")).replace("sh:", ""), message=one("resultMessage"),
            value=one("value"), label=str(label) if label else "",
            where=where.get(curated, "") if curated else "",
        ))
    return sorted(set(rows))


def _short(iri: str) -> str:
    from peacegraph.namespaces import PREFIXES

    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return iri
