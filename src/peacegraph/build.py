"""The pipeline: load seeds -> RDF -> SHACL -> OWL reasoning -> write graph/.

Each stage is a function; ``check()`` runs all but the write, ``build()`` all
of them. Stage times are kept for the summary and the benchmark.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from peacegraph import paths
from peacegraph.errors import ValidationError
from peacegraph.load.loader import Curation, load_curation
from peacegraph.load.schema import Schema, load_schema
from peacegraph.load.triples import TYPE, SortedTriples, data_triples
from peacegraph.load.vocabulary import vocabulary_triples
from peacegraph.reason.hermit import ReasonerResult, check_consistency
from peacegraph.validate.compiled import load_checks, validate_store
from peacegraph.validate.shacl import Violation, load_shapes, validate
from peacegraph.write.files import Content, build_lock, write_files
from peacegraph.write.manifest import MANIFEST_FILE_NAME, input_files, inputs_digest, manifest_bytes, up_to_date
from peacegraph.write.turtle import (
    canonical_blank_nodes,
    ntriples_body,
    ntriples_bytes,
    sorted_triples,
    turtle_body,
    turtle_bytes,
    turtle_chunks,
)


@dataclass
class Inputs:
    """Where a build reads from; the defaults are the repository's own files."""

    facts_dir: Path | None = None
    documents_path: Path | None = None
    ontology_path: Path | None = None
    shapes_path: Path | None = None

    @classmethod
    def from_seeds(cls, seeds_dir: Path | None) -> Inputs:
        """Inputs from a folder laid out like seeds/ (documents/documents.yaml, facts/*.yaml)."""
        if seeds_dir is None:
            return cls()
        return cls(facts_dir=seeds_dir / "facts", documents_path=seeds_dir / "documents" / "documents.yaml")


@dataclass
class Report:
    curation: Curation
    schema: Schema
    ontology: list[ox.Triple]  # the ontology file's triples, blank nodes renamed canonically
    vocabulary: list[ox.Triple]  # the generated p:/ps:/pq: declarations
    data: SortedTriples  # data and provenance, as sorted N-Triples
    store: ox.Store  # ontology, vocabulary and data together: validated, checked by the rules
    violations: list[Violation]
    reasoning: ReasonerResult
    qc: list = field(default_factory=list)  # validate.quality.RuleResult per quality rule
    timings: dict[str, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        from peacegraph.validate.quality import all_passed

        return not self.violations and self.reasoning.ok and all_passed(self.qc)

    @property
    def full_size(self) -> int:
        """Triples in graph/peacegraph.ttl (ontology, vocabulary and data)."""
        return len(self.store)

    def class_counts(self) -> list[tuple[str, int, int]]:
        """(class, instances, triples about them) for each class used in the data."""
        from peacegraph.validate.quality import compact

        instances: Counter[str] = Counter()
        triples: Counter[str] = Counter()
        data = list(self.data)
        subject_sizes = Counter(t.subject.value for t in data)
        for t in data:
            if t.predicate != TYPE:
                continue
            name = compact(t.object.value)
            if name == "owl:NamedIndividual":
                continue
            instances[name] += 1
            triples[name] += subject_sizes[t.subject.value]
        return sorted(((c, instances[c], triples[c]) for c in instances), key=lambda row: (-row[1], row[0]))


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while millions of small acyclic objects are made.

    Each collection walks every live object, so with the collector on, loading
    grew faster than the corpus (measured: 2.9 s with it, 1.5 s without, for
    the 10x corpus); reference counting still frees everything that is not a cycle.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: What each stage is doing, as the progress spinner shows it on a terminal.
STAGE_TEXT = {
    "load": "load: reading the seeds and making the RDF",
    "shacl": "shacl: validating against the shapes",
    "inference": "inference: materialising what the ontology entails",
    "reasoning": "reasoning: HermiT checks consistency",
    "qc": "qc: running the quality rules",
    "write": "write: writing graph/",
}


@contextlib.contextmanager
def _timed(timings: dict[str, float], stage: str):
    """Add the block's wall time to ``timings[stage]``; show the stage on a terminal while it runs."""
    from peacegraph.progress import stage as show

    start = time.perf_counter()
    try:
        with show(STAGE_TEXT.get(stage, stage)):
            yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def ontology_triples(path: Path | None = None) -> list[ox.Triple]:
    """The ontology file's triples, its blank nodes renamed canonically so that the output is stable."""
    from peacegraph.errors import OntologyError

    path = path or paths.ONTOLOGY_PATH
    try:
        parsed = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        return canonical_blank_nodes(parsed)
    except (OSError, SyntaxError, ValueError) as err:
        raise OntologyError(f"{path}: cannot read the ontology ({err}); restore or fix ontology/peacegraph.ttl") from err


#: SHACL validators: the shapes compiled to SPARQL on pyoxigraph (the default), or pySHACL (the reference).
VALIDATORS = ("sparql", "pyshacl")


def check(
    inputs: Inputs | None = None, reason: bool = True, infer: bool = False, reasoner: str = "hermit", validator: str = "sparql"
) -> Report:
    """Run every check; raise SeedError on bad input, return a Report otherwise.

    ``infer`` also collects the inferred triples (slower: HermiT then computes
    property values); a build asks for them, a check does not need them.
    ``validator`` is "sparql" (the shapes compiled to SPARQL and run on the
    store) or "pyshacl" (the reference implementation, much slower).
    ``reasoner`` is "hermit" (inference rules, and HermiT's consistency check on
    a summary of the data), "hermit-full" (HermiT on all of the data, its own
    inferences) or "pellet" (as "hermit", with Pellet).
    """
    inputs = inputs or Inputs()
    timings: dict[str, float] = {}
    with _no_cyclic_gc(), _timed(timings, "load"):
        schema: Schema = load_schema(inputs.ontology_path)
        curation = load_curation(inputs.facts_dir, inputs.documents_path, schema)
        ontology = ontology_triples(inputs.ontology_path)
        vocabulary = vocabulary_triples(schema)
        data = data_triples(curation)
        store = ox.Store()
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for part in (ontology, vocabulary) for t in part)
        store.load(path=str(data.path), format=ox.RdfFormat.N_TRIPLES)  # measured: faster than bulk_load here, and a lower peak
    where = curation.where()
    with _timed(timings, "shacl"):
        if validator == "pyshacl":
            violations = validate(_rdflib_graph(ontology, vocabulary, data), load_shapes(inputs.shapes_path), where)
        else:
            violations = validate_store(store, load_checks(inputs.shapes_path), where)
    reasoning = ReasonerResult("skipped", "reasoning skipped: --no-reason")
    if reason:
        with _timed(timings, "inference"):
            triples = list(data)
            inferred = _inferences(ontology, triples) if reasoner != "hermit-full" else None
        with _timed(timings, "reasoning"):
            reasoning = check_consistency(
                ontology,
                triples,
                where,
                infer=reasoner == "hermit-full",
                reasoner="pellet" if reasoner == "pellet" else "hermit",
                mode="full" if reasoner == "hermit-full" else "summary",
            )
        if inferred is not None:
            reasoning.inferred = inferred
            reasoning.detail += f"; {len(inferred)} triples inferred by the rules"
    with _timed(timings, "qc"):
        qc_results = run_quality_rules(store)
    return Report(curation, schema, ontology, vocabulary, data, store, violations, reasoning, qc_results, timings)


def _inferences(ontology: list[ox.Triple], data: list[ox.Triple]) -> list[ox.Triple]:
    """What the ontology entails about the entities (reason/rules.py), minus what the data asserts."""
    from peacegraph.reason.hermit import reasoner_input
    from peacegraph.reason.rules import materialise

    tbox, abox = reasoner_input(ontology, data)
    asserted = set(data)
    return [t for t in materialise(tbox, abox) if t not in asserted]


def _rdflib_graph(*parts: list[ox.Triple]):
    """The parts as one rdflib graph, for the tools that read rdflib (pySHACL, the HermiT bridge)."""
    from rdflib import Graph

    return Graph().parse(data=ntriples_bytes(*parts), format="nt")


def run_quality_rules(store: ox.Store) -> list:
    """The SPARQL quality rules of queries/qc/ on ontology plus asserted data (never the inferred triples)."""
    from peacegraph.query.engines import EmbeddedEngine
    from peacegraph.validate.quality import run_rules

    return run_rules(EmbeddedEngine(store=store))


#: The header comment of each output file.
HEADERS = {
    paths.DATA_FILE_NAME: "peacegraph: data and provenance (entities, facts as statements in the Wikidata pattern, evidence, documents).\nGenerated by 'peacegraph build' from seeds/; do not edit.",
    paths.FULL_FILE_NAME: "peacegraph: the ontology, its generated statement properties (p:, ps:, pq:) and the data.\nThe one file to load into Protégé, Fuseki, GraphDB, Oxigraph or rdflib. Generated by 'peacegraph build'; do not edit.",
    paths.INFERRED_FILE_NAME: "peacegraph: triples entailed by the ontology and the asserted graph; not asserted by any source.\nGenerated by 'peacegraph build'; do not edit.",
}


def output_files(report: Report) -> dict[str, Content | None]:
    """graph/ file name -> content: data, ontology plus data (Turtle and N-Triples), and inferred triples.

    Each section is sorted and serialized once; the full files reuse the
    data's bytes, as a tuple of pieces written one after another (joined, they
    were copies of 500 MB at 100 times the seeds). The inferred file is None
    (to be removed) when reasoning did not run, so that graph/ never pairs new
    data with old inferences.
    """
    sections = [sorted_triples(part) for part in (report.ontology, report.vocabulary)]
    bodies = [turtle_body(section) for section in (*sections, report.data)]  # the data is sorted already
    inferred = None
    if report.reasoning.inferred is not None:
        inferred = turtle_bytes(mark_inferred(report.reasoning.inferred), header=HEADERS[paths.INFERRED_FILE_NAME])
    return {
        paths.DATA_FILE_NAME: turtle_chunks(bodies[2], header=HEADERS[paths.DATA_FILE_NAME]),
        paths.FULL_FILE_NAME: turtle_chunks(*bodies, header=HEADERS[paths.FULL_FILE_NAME]),
        paths.FULL_NTRIPLES_FILE_NAME: (*(ntriples_body(section) for section in sections), report.data.path),
        paths.INFERRED_FILE_NAME: inferred,
    }


def mark_inferred(graph) -> list[ox.Triple]:
    """The inferred triples, described in themselves so a reader knows what they are."""
    from peacegraph.namespaces import BASE, PREFIXES

    triples = list(graph)
    node = ox.NamedNode(BASE + "graph/inferred")
    triples.append(
        ox.Triple(
            node,
            ox.NamedNode(PREFIXES["dcterms"] + "description"),
            ox.Literal(
                "Triples entailed by ontology/peacegraph.ttl and the asserted graph (peacegraph-data.ttl): class memberships "
                "(superclasses, domains and ranges), inverse, symmetric, transitive and super-properties, computed by the "
                "SPARQL rules of peacegraph's reason/rules.py (the same set HermiT infers; the build checks consistency with "
                "HermiT). Not asserted by any source; each rests on the asserted facts it follows from.",
                language="en",
            ),
        )
    )
    triples.append(ox.Triple(node, ox.NamedNode(PREFIXES["prov"] + "wasDerivedFrom"), ox.NamedNode(BASE + "graph/asserted")))
    return triples


def build(
    inputs: Inputs | None = None,
    graph_dir: Path | None = None,
    reason: bool = True,
    reasoner: str = "hermit",
    validator: str = "sparql",
    force: bool = False,
) -> Report | None:
    """Check, then write graph/; raise ValidationError (graph/ untouched) when a check fails.

    Returns None, and touches nothing, when graph/ was built from the same
    inputs (seeds, ontology, shapes, quality rules, options and tool) and is
    intact; ``force`` rebuilds anyway.
    """
    inputs = inputs or Inputs()
    graph_dir = graph_dir or paths.GRAPH_DIR
    digest = inputs_digest(_input_files(inputs), {"reason": str(reason), "reasoner": reasoner})
    if not force and up_to_date(graph_dir, digest):
        return None
    report = check(inputs, reason=reason, infer=True, reasoner=reasoner, validator=validator)
    if not report.ok:
        raise ValidationError(failure_text(report))
    with _timed(report.timings, "write"):
        files = output_files(report)
        files[MANIFEST_FILE_NAME] = manifest_bytes(digest, files)
        with build_lock(graph_dir):
            report.written = write_files(files, graph_dir)
    return report


def _input_files(inputs: Inputs) -> list[Path]:
    documents = inputs.documents_path or paths.DOCUMENTS_METADATA_PATH
    return input_files(
        inputs.facts_dir or paths.FACTS_DIR,
        documents,
        inputs.ontology_path or paths.ONTOLOGY_PATH,
        inputs.shapes_path or paths.SHAPES_PATH,
    )


def failure_text(report: Report) -> str:
    lines = []
    if report.violations:
        lines.append(f"SHACL validation failed with {len(report.violations)} violation(s):")
        lines += [f"  {v}" for v in report.violations]
    if not report.reasoning.ok:
        lines.append(f"OWL reasoning: {report.reasoning.detail}")
        lines += [f"  {c}" for c in report.reasoning.culprits]
    from peacegraph.validate.quality import report_lines

    failed = [r for r in report.qc if not r.passed]
    if failed:
        lines.append(f"Quality rules failed: {len(failed)}")
        lines += ["  " + line for line in report_lines(failed, max_rows=20)]
    lines.append("graph/ was left as it was.")
    return "\n".join(lines)
