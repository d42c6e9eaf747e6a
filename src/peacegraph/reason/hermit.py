"""OWL consistency checking with owlready2's HermiT reasoner.

HermiT needs a Java runtime and rejects xsd:date and its partial-date cousins
(they are not in the OWL 2 datatype map), so the reasoner sees the ontology
and the data without date literals and without the rdf:Statement
vocabulary of the statement nodes; those carry nothing a DL reasoner could
use. Without Java the check is skipped, and says so.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, XSD, Graph, Literal, URIRef

#: Datatypes HermiT cannot handle; literals of these are left out of its input.
_UNSUPPORTED = {XSD.date, XSD.gYear, XSD.gYearMonth, URIRef("http://id.loc.gov/datatypes/edtf/EDTF")}


@dataclass
class ReasonerResult:
    """What the reasoner concluded, and (when asked) the triples it inferred."""

    status: str  # "consistent", "inconsistent" or "skipped"
    detail: str = ""
    culprits: list[str] = field(default_factory=list)
    seconds: float = 0.0
    inferred: Graph | None = None

    @property
    def ok(self) -> bool:
        return self.status != "inconsistent"


def java_available() -> str | None:
    """Path of the java executable, or None."""
    return shutil.which("java")


def reasoner_input(ontology: Graph, data: Graph) -> Graph:
    """Ontology plus data, minus what HermiT rejects or cannot use.

    Statement nodes and evidence (five nodes per fact, built by the loader to a
    fixed shape that SHACL checks) are left out too: they carry provenance, not
    claims about the world, and quadrupled the reasoner's work.
    """
    from peacegraph.namespaces import EVIDENCE_IRI, P_IRI, STATEMENT_IRI

    provenance = (STATEMENT_IRI, EVIDENCE_IRI)
    merged = Graph()
    for graph in (ontology, data):
        for s, p, o in graph:
            if str(p).startswith(P_IRI) or str(s).startswith(provenance):
                continue
            if o in _UNSUPPORTED or (isinstance(o, Literal) and o.datatype in _UNSUPPORTED):
                continue  # date literals, and range axioms naming date datatypes
            merged.add((s, p, o))
    return merged


#: Reasoners owlready2 can run.
REASONERS = ("hermit", "pellet")


def check_consistency(
    ontology: Graph, data: Graph, where: dict[str, str] | None = None, infer: bool = False, reasoner: str = "hermit"
) -> ReasonerResult:
    """Run HermiT over ontology plus data; explain an inconsistency by the disjoint types involved.

    With ``infer``, also return the entailed triples about the data's
    individuals that the data does not assert (see ``inferred_triples``).
    ``reasoner`` is "hermit" (default) or "pellet"; Pellet as bundled with
    owlready2 0.50-0.51 needs a newer Java than 17 and then reports that it
    could not run rather than a verdict.
    """
    import time

    started = time.perf_counter()
    if java_available() is None:
        return ReasonerResult(
            "skipped", "reasoning skipped: no Java runtime found on PATH; HermiT needs one (Debian: apt-get install default-jre-headless)"
        )
    if reasoner not in REASONERS:
        raise ValueError(f"unknown reasoner {reasoner!r}; use one of {', '.join(REASONERS)}")
    name = "HermiT" if reasoner == "hermit" else "Pellet"
    import owlready2

    merged = reasoner_input(ontology, data)
    with tempfile.TemporaryDirectory(prefix="peacegraph-reasoner-") as folder:
        path = Path(folder) / "input.nt"
        merged.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with _quiet():
                run = owlready2.sync_reasoner_hermit if reasoner == "hermit" else owlready2.sync_reasoner_pellet
                run(world, infer_property_values=infer, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            culprits = explain_disjointness(ontology, data, where or {})
            detail = "the ontology plus data is inconsistent"
            if not culprits:
                detail += " (no individual with disjoint types was found; look at functional and inverse properties)"
            return ReasonerResult("inconsistent", detail, culprits, time.perf_counter() - started)
        except owlready2.OwlReadyJavaError as err:
            lines = [line for line in str(err).strip().splitlines() if line.strip() and not line.strip().startswith("at ")]
            hint = "; try --reasoner hermit" if reasoner == "pellet" else ""
            return ReasonerResult(
                "skipped",
                f"reasoning skipped: {name} failed in Java ({(lines[-1] if lines else 'no message')[:300]}){hint}",
                seconds=time.perf_counter() - started,
            )
        unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
        if unsatisfiable:
            return ReasonerResult(
                "inconsistent", "unsatisfiable classes: " + ", ".join(unsatisfiable), unsatisfiable, time.perf_counter() - started
            )
        inferred = inferred_triples(world, data) if infer else None
    detail = f"{name} found ontology plus data consistent"
    if inferred is not None:
        detail += f"; {len(inferred)} triples inferred"
    return ReasonerResult("consistent", detail, seconds=time.perf_counter() - started, inferred=inferred)


def inferred_triples(world, data: Graph) -> Graph:
    """Entailed class memberships and object-property values of the data's entities, minus what the data asserts.

    HermiT (run with infer_property_values) supplies the transitive and
    property-chain values; owlready2's INDIRECT_ accessors add what follows from
    super-classes, super-properties, inverse and symmetric properties.
    """
    from peacegraph.namespaces import ENTITY_IRI, PG_IRI, PREFIXES

    keep_class = tuple(PREFIXES[p] for p in ("pg", "prov", "org", "schema"))
    out = Graph()
    properties = sorted((p for p in world.object_properties() if p.iri.startswith(PG_IRI)), key=lambda p: p.iri)
    individuals = sorted((i for i in world.individuals() if i.iri.startswith(ENTITY_IRI)), key=lambda i: i.iri)
    for individual in individuals:
        node = URIRef(individual.iri)
        for cls in individual.INDIRECT_is_a:
            iri = getattr(cls, "iri", None)
            if iri and iri.startswith(keep_class):
                out.add((node, RDF.type, URIRef(iri)))
        for prop in properties:
            values = getattr(individual, "INDIRECT_" + prop.python_name, None)
            # Functional properties give one value (or None), the others a list.
            for value in values if isinstance(values, list) else ([] if values is None else [values]):
                iri = getattr(value, "iri", None)
                if iri and iri.startswith(ENTITY_IRI):
                    out.add((node, URIRef(prop.iri), URIRef(iri)))
    for triple in data:
        out.remove(triple)
    return out


class _quiet:
    """owlready2 prints the reasoner's command line to stderr; keep the CLI's output clean."""

    def __enter__(self):
        import io
        import sys

        self._saved = sys.stderr
        sys.stderr = io.StringIO()

    def __exit__(self, *exc):
        import sys

        sys.stderr = self._saved
        return False


def explain_disjointness(ontology: Graph, data: Graph, where: dict[str, str]) -> list[str]:
    """Individuals whose asserted types, or the types their facts' domains and ranges give them, are disjoint."""
    from peacegraph.load.schema import schema_from_graph
    from peacegraph.validate.shacl import node_id

    schema = schema_from_graph(ontology)
    supers = schema.superclasses
    disjoint = disjoint_pairs(ontology)
    # Only a single-class domain or range proves a type; a union (owl:unionOf) does not.
    properties = [*schema.relations.values(), *schema.qualifiers.values()]
    domains = {p.iri: p.domain for p in properties if len(p.domain) == 1}
    ranges = {p.iri: p.range for p in properties if len(p.range) == 1}
    types: dict[URIRef, dict[URIRef, str]] = {}

    def give(node, cls, why):
        if isinstance(node, URIRef):
            for sup in supers.get(cls, {cls}):
                types.setdefault(node, {}).setdefault(sup, why)

    from peacegraph.namespaces import P_IRI, PG_IRI, PS_IRI

    facts = {}  # (s, p, o) -> the curated fact's file:line, found through its statement node (s p:R stmt . stmt ps:R o)
    for s, claim, stmt in data:
        name = str(claim)[len(P_IRI) :]
        if not str(claim).startswith(P_IRI) or "/" in name:
            continue
        fact = node_id(str(stmt))
        for o in data.objects(stmt, URIRef(PS_IRI + name)):
            if fact and fact in where:
                facts.setdefault((s, URIRef(PG_IRI + name), o), where[fact])

    def because(kind: str, s, p, o) -> str:
        place = facts.get((s, p, o))
        return f"{kind} of {p}" + (f" in the fact at {place}" if place else "")

    for s, p, o in data:
        if p == RDF.type and isinstance(o, URIRef):
            give(s, o, "declared type")
        elif not str(p).startswith(P_IRI):
            for cls in domains.get(p, ()):
                give(s, cls, because("subject", s, p, o))
            for cls in ranges.get(p, ()):
                if not isinstance(o, Literal):
                    give(o, cls, because("object", s, p, o))
    found = []
    for node, classes in sorted(types.items()):
        for a, b in sorted(disjoint):
            if a in classes and b in classes:
                curated = node_id(str(node))
                place = where.get(curated, "") if curated else ""
                found.append(
                    f"{place + ': ' if place else ''}<{node}> is both {a} ({classes[a]}) and {b} ({classes[b]}), "
                    "which the ontology declares disjoint (owl:AllDisjointClasses)"
                )
    return found


def disjoint_pairs(graph: Graph) -> set[tuple[URIRef, URIRef]]:
    from rdflib.collection import Collection

    pairs = set()
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = [m for m in Collection(graph, graph.value(group, OWL.members)) if isinstance(m, URIRef)]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add(tuple(sorted((a, b))))
    for a, b in graph.subject_objects(OWL.disjointWith):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            pairs.add(tuple(sorted((a, b))))
    return pairs
