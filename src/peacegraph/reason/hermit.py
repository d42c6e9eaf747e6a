"""OWL consistency with HermiT (owlready2), on the ontology and a summary of the data.

HermiT needs a Java runtime and rejects xsd:date and its partial-date cousins
(they are not in the OWL 2 datatype map), so it sees the ontology and the data
without date literals and without the statement pattern's provenance (statement
and evidence nodes, p:/ps:/pq: links); those carry nothing a DL reasoner could
use. Without Java the check is skipped, and says so.

By default HermiT checks an ABox *summary* (IBM's SHER): individuals with the
same asserted types and the same sets of outgoing and incoming properties are
merged into one representative, and every assertion is copied onto the
representatives. A model of the summary is a model of the data (the mapping
is a homomorphism and OWL makes no unique-name assumption), so a consistent
summary proves the data consistent; the summary of 100 copies of the seeds is
the size of the seeds. A clash in the summary may be spurious (two merged
individuals with different values of a functional property), so it is
confirmed on the full data before it is reported. ``mode="full"`` (the CLI's
``--reasoner hermit-full``) runs HermiT on all of the data and also collects
its inferred triples, as the build did before the inference rules
(reason/rules.py) replaced it.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, Graph, Literal, URIRef

from peacegraph.namespaces import BASE, ENTITY_IRI, EVIDENCE_IRI, P_IRI, PREFIXES, STATEMENT_IRI

_XSD = PREFIXES["xsd"]
#: Datatypes HermiT cannot handle; literals of these are left out of its input.
UNSUPPORTED_DATATYPES = {_XSD + "date", _XSD + "gYear", _XSD + "gYearMonth", "http://id.loc.gov/datatypes/edtf/EDTF"}
_ANNOTATION = ox.NamedNode(PREFIXES["owl"] + "AnnotationProperty")
_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
#: Where the summary's representative individuals are minted.
SUMMARY_IRI = BASE + "summary/"


@dataclass
class ReasonerResult:
    """What the reasoner concluded, and (in full mode, when asked) the triples it inferred."""

    status: str  # "consistent", "inconsistent" or "skipped"
    detail: str = ""
    culprits: list[str] = field(default_factory=list)
    seconds: float = 0.0
    inferred: list[ox.Triple] | None = None
    individuals: int = 0  # individuals HermiT was given (the summary's representatives, or all)

    @property
    def ok(self) -> bool:
        return self.status != "inconsistent"


def java_available() -> str | None:
    """Path of the java executable, or None."""
    return shutil.which("java")


def _supported(term) -> bool:
    return not (isinstance(term, ox.Literal) and term.datatype.value in UNSUPPORTED_DATATYPES) and not (
        isinstance(term, ox.NamedNode) and term.value in UNSUPPORTED_DATATYPES
    )


def reasoner_input(ontology: list[ox.Triple], data: list[ox.Triple]) -> tuple[list[ox.Triple], list[ox.Triple]]:
    """(TBox, ABox): the ontology and the data minus what HermiT rejects or cannot use.

    Statement and evidence nodes (built by the loader to a fixed shape that the
    quality rules check) are left out with their p:/ps:/pq: links: they carry
    provenance, not claims about the world, and quadrupled the reasoner's work.
    """
    tbox = [t for t in ontology if _supported(t.object)]
    abox = [
        t
        for t in data
        if not t.predicate.value.startswith(P_IRI)
        and not t.subject.value.startswith((STATEMENT_IRI, EVIDENCE_IRI))
        and _supported(t.object)
    ]
    return tbox, abox


def summarise(tbox: list[ox.Triple], abox: list[ox.Triple]) -> list[ox.Triple]:
    """The ABox summary: one representative per (types, outgoing properties, incoming properties) of an individual.

    Annotation assertions (labels, comments, sources) are dropped: they cannot
    make an ontology inconsistent.
    """
    annotation = {t.subject for t in tbox if t.predicate == _TYPE and t.object == _ANNOTATION}
    kept = [t for t in abox if t.predicate not in annotation and t.predicate.value not in _ANNOTATIONS]
    individuals = {t.subject for t in kept} | {t.object for t in kept if isinstance(t.object, ox.NamedNode) and t.predicate != _TYPE}
    types: dict = {i: set() for i in individuals}
    out_props: dict = {i: set() for i in individuals}
    in_props: dict = {i: set() for i in individuals}
    for t in kept:
        if t.predicate == _TYPE:
            types[t.subject].add(t.object.value)
        else:
            out_props[t.subject].add(t.predicate.value)
            if t.object in in_props:
                in_props[t.object].add(t.predicate.value)
    base = {i: (frozenset(types[i]), frozenset(out_props[i]), frozenset(in_props[i])) for i in individuals}
    # One round of refinement by the neighbours' keys, so that two individuals whose values of a
    # functional property differ in kind (an office in a state, another in an organisation) stay apart.
    neighbours: dict = {i: set() for i in individuals}
    for t in kept:
        if t.predicate != _TYPE and t.object in base:
            neighbours[t.subject].add((t.predicate.value, base[t.object]))
    keys = {i: (base[i], frozenset(neighbours[i])) for i in individuals}
    names: dict = {}
    for key in sorted(set(keys.values()), key=_canonical):
        names[key] = ox.NamedNode(f"{SUMMARY_IRI}{len(names)}")
    summary = {
        ox.Triple(names[keys[t.subject]], t.predicate, names[keys[t.object]] if t.object in keys and t.predicate != _TYPE else t.object)
        for t in kept
    }
    return sorted(summary, key=str)


def _canonical(value):
    """A sort key for nested frozensets and tuples that does not depend on hashing order."""
    if isinstance(value, frozenset):
        return ("set", sorted(_canonical(v) for v in value))
    if isinstance(value, tuple):
        return ("tuple", [_canonical(v) for v in value])
    return ("str", str(value))


_ANNOTATIONS = {PREFIXES["rdfs"] + "label", PREFIXES["rdfs"] + "comment", PREFIXES["skos"] + "altLabel"}

#: Reasoners owlready2 can run.
REASONERS = ("hermit", "pellet")


def check_consistency(
    ontology: list[ox.Triple],
    data: list[ox.Triple],
    where: dict[str, str] | None = None,
    infer: bool = False,
    reasoner: str = "hermit",
    mode: str = "summary",
) -> ReasonerResult:
    """Check ontology plus data with HermiT (or Pellet); explain an inconsistency by the disjoint types involved.

    ``mode`` is "summary" (HermiT on the ABox summary; a clash there is
    confirmed on the full data) or "full" (all of the data; with ``infer``,
    also the entailed triples about the data's entities that the data does not
    assert). ``reasoner`` is "hermit" (default) or "pellet"; Pellet as bundled
    with owlready2 0.50-0.51 needs a newer Java than 17 and then reports that
    it could not run rather than a verdict.
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
    tbox, abox = reasoner_input(ontology, data)
    if mode == "summary":
        summary = summarise(tbox, abox)
        check = _run_cli if reasoner == "hermit" else _run
        verdict, _, individuals = check(tbox, summary, reasoner, infer=False)
        if verdict == "consistent":
            return ReasonerResult(
                "consistent",
                f"{name} found ontology plus data consistent (on a summary of {individuals} representatives)",
                seconds=time.perf_counter() - started,
                individuals=individuals,
            )
        if verdict.startswith("skipped"):
            return ReasonerResult("skipped", verdict[len("skipped: ") :], seconds=time.perf_counter() - started)
        # A clash in the summary may come from merging; decide on the full data.
    full_infer = infer and mode == "full"
    verdict, world, individuals = (_run_cli if reasoner == "hermit" and not full_infer else _run)(tbox, abox, reasoner, infer=full_infer)
    seconds = time.perf_counter() - started
    if verdict.startswith("skipped"):
        return ReasonerResult("skipped", verdict[len("skipped: ") :], seconds=seconds)
    if verdict == "inconsistent":
        culprits = explain_disjointness(_rdflib(ontology), _rdflib(data), where or {})
        detail = "the ontology plus data is inconsistent"
        if not culprits:
            detail += " (no individual with disjoint types was found; look at functional and inverse properties)"
        return ReasonerResult("inconsistent", detail, culprits, seconds, individuals=individuals)
    if verdict.startswith("unsatisfiable"):
        classes = verdict.split(": ", 1)[1].split(", ")
        return ReasonerResult("inconsistent", verdict, classes, seconds, individuals=individuals)
    inferred = inferred_triples(world, data) if infer and mode == "full" else None
    detail = f"{name} found ontology plus data consistent"
    if mode == "summary":
        detail += " (a clash in the summary was spurious: the full data is consistent)"
    if inferred is not None:
        detail += f"; {len(inferred)} triples inferred"
    return ReasonerResult("consistent", detail, seconds=seconds, inferred=inferred, individuals=individuals)


#: JVM flags for a short run: the client compiler and the serial collector start HermiT twice as fast.
JVM_FLAGS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def _run_cli(tbox: list[ox.Triple], abox: list[ox.Triple], reasoner: str = "hermit", infer: bool = False):
    """HermiT's own command line on N-Triples: consistency (-k) and unsatisfiable classes (-U).

    Half the time of owlready2's call, which also classifies every class,
    property and individual; no owlready2 world is built. Same verdicts as ``_run``.
    """
    import subprocess

    import owlready2.reasoning

    individuals = len({t.subject for t in abox})
    memory = max(2000, min(16000, 2000 + len(abox) // 200))
    with tempfile.TemporaryDirectory(prefix="peacegraph-reasoner-") as folder:
        path = Path(folder) / "input.nt"
        ox.serialize([*tbox, *abox], str(path), format=ox.RdfFormat.N_TRIPLES)
        command = [
            owlready2.JAVA_EXE,
            f"-Xmx{memory}M",
            *JVM_FLAGS,
            "-cp",
            owlready2.reasoning._HERMIT_CLASSPATH,
            "org.semanticweb.HermiT.cli.CommandLine",
            "-k",
            "-U",
            path.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        if "InconsistentOntologyException" in done.stderr:
            return "inconsistent", None, individuals
        lines = [line for line in done.stderr.strip().splitlines() if line.strip() and not line.strip().startswith("at ")]
        return f"skipped: reasoning skipped: HermiT failed in Java ({(lines[0] if lines else 'no message')[:300]})", None, individuals
    unsatisfiable = []
    if "Classes equivalent to 'owl:Nothing':" in done.stdout:
        listed = done.stdout.split("Classes equivalent to 'owl:Nothing':", 1)[1].split()
        unsatisfiable = sorted(c.strip("<>") for c in listed if c not in ("owl:Nothing", f"<{PREFIXES['owl']}Nothing>"))
    if unsatisfiable:
        return "unsatisfiable classes: " + ", ".join(unsatisfiable), None, individuals
    return "consistent", None, individuals


def _run(tbox: list[ox.Triple], abox: list[ox.Triple], reasoner: str, infer: bool):
    """(verdict, owlready2 world, individuals): verdict is "consistent", "inconsistent", "unsatisfiable: ..." or "skipped: why"."""
    import owlready2

    name = "HermiT" if reasoner == "hermit" else "Pellet"
    individuals = len({t.subject for t in abox})
    # owlready2's default Java heap (2 GB) is too small for large full runs.
    owlready2.reasoning.JAVA_MEMORY = max(2000, min(16000, 2000 + len(abox) // 200))
    with tempfile.TemporaryDirectory(prefix="peacegraph-reasoner-") as folder:
        path = Path(folder) / "input.nt"
        ox.serialize([*tbox, *abox], str(path), format=ox.RdfFormat.N_TRIPLES)
        world = owlready2.World()
        world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with _quiet():
                run = owlready2.sync_reasoner_hermit if reasoner == "hermit" else owlready2.sync_reasoner_pellet
                run(world, infer_property_values=infer, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return "inconsistent", world, individuals
        except owlready2.OwlReadyJavaError as err:
            lines = [line for line in str(err).strip().splitlines() if line.strip() and not line.strip().startswith("at ")]
            hint = "; try --reasoner hermit" if reasoner == "pellet" else ""
            return (
                f"skipped: reasoning skipped: {name} failed in Java ({(lines[-1] if lines else 'no message')[:300]}){hint}",
                world,
                individuals,
            )
        unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
        if unsatisfiable:
            return "unsatisfiable classes: " + ", ".join(unsatisfiable), world, individuals
        return "consistent", world, individuals


def _rdflib(triples: list[ox.Triple]) -> Graph:
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def inferred_triples(world, data: list[ox.Triple]) -> list[ox.Triple]:
    """Entailed class memberships and object-property values of the data's entities, minus what the data asserts.

    HermiT (run with infer_property_values) supplies the transitive and
    property-chain values; owlready2's INDIRECT_ accessors add what follows from
    super-classes, super-properties, inverse and symmetric properties.
    """
    from peacegraph.namespaces import PG_IRI

    keep_class = tuple(PREFIXES[p] for p in ("pg", "prov", "org", "schema"))
    out: set[ox.Triple] = set()
    type_ = ox.NamedNode(PREFIXES["rdf"] + "type")
    properties = sorted((p for p in world.object_properties() if p.iri.startswith(PG_IRI)), key=lambda p: p.iri)
    individuals = sorted((i for i in world.individuals() if i.iri.startswith(ENTITY_IRI)), key=lambda i: i.iri)
    for individual in individuals:
        node = ox.NamedNode(individual.iri)
        for cls in individual.INDIRECT_is_a:
            iri = getattr(cls, "iri", None)
            if iri and iri.startswith(keep_class):
                out.add(ox.Triple(node, type_, ox.NamedNode(iri)))
        for prop in properties:
            values = getattr(individual, "INDIRECT_" + prop.python_name, None)
            # Functional properties give one value (or None), the others a list.
            for value in values if isinstance(values, list) else ([] if values is None else [values]):
                iri = getattr(value, "iri", None)
                if iri and iri.startswith(ENTITY_IRI):
                    out.add(ox.Triple(node, ox.NamedNode(prop.iri), ox.NamedNode(iri)))
    return sorted(out - set(data), key=str)


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
