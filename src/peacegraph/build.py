"""The pipeline: load seeds -> RDF -> SHACL -> OWL reasoning -> write graph/.

Each stage is a function; ``check()`` runs all but the write, ``build()`` all
of them. Stage times are kept for the summary and the benchmark.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph

from peacegraph import paths
from peacegraph.errors import ValidationError
from peacegraph.load.loader import Curation, load_curation
from peacegraph.load.schema import Schema, load_schema
from peacegraph.load.triples import to_graph, union_graph
from peacegraph.reason.hermit import ReasonerResult, check_consistency
from peacegraph.validate.shacl import Violation, load_shapes, validate
from peacegraph.write.files import build_lock, turtle_bytes, write_files


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
    data: Graph
    ontology: Graph
    full: Graph  # ontology plus data, built once: validated, checked by the rules, written
    violations: list[Violation]
    reasoning: ReasonerResult
    qc: list = field(default_factory=list)  # qc.RuleResult per quality rule
    timings: dict[str, float] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        from peacegraph.validate.quality import all_passed

        return not self.violations and self.reasoning.ok and all_passed(self.qc)

    def class_counts(self) -> list[tuple[str, int, int]]:
        """(class, instances, triples about them) for each class used in the data."""
        instances: Counter[str] = Counter()
        triples: Counter[str] = Counter()
        subject_sizes = Counter(s for s, _, _ in self.data)
        for node, cls in self.data.subject_objects(RDF.type):
            name = self.data.namespace_manager.normalizeUri(cls)
            if name == "owl:NamedIndividual":
                continue
            instances[name] += 1
            triples[name] += subject_sizes[node]
        return sorted(((c, instances[c], triples[c]) for c in instances), key=lambda row: (-row[1], row[0]))


def _timed(timings: dict[str, float], stage: str):
    class _Timer:
        def __enter__(self):
            self.start = time.perf_counter()

        def __exit__(self, *exc):
            timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - self.start
            return False

    return _Timer()


def check(inputs: Inputs | None = None, reason: bool = True, infer: bool = False, reasoner: str = "hermit") -> Report:
    """Run every check; raise SeedError on bad input, return a Report otherwise.

    ``infer`` also collects the inferred triples (slower: HermiT then computes
    property values); a build asks for them, a check does not need them.
    """
    inputs = inputs or Inputs()
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        schema: Schema = load_schema(inputs.ontology_path)
        curation = load_curation(inputs.facts_dir, inputs.documents_path, schema)
        data = to_graph(curation)
        full = union_graph(schema.graph, data)
    where = curation.where()
    with _timed(timings, "shacl"):
        violations = validate(full, load_shapes(inputs.shapes_path), where)
    with _timed(timings, "reasoning"):
        reasoning = (
            check_consistency(schema.graph, data, where, infer=infer, reasoner=reasoner)
            if reason
            else ReasonerResult("skipped", "reasoning skipped: --no-reason")
        )
    with _timed(timings, "qc"):
        qc_results = run_quality_rules(full)
    return Report(curation, data, schema.graph, full, violations, reasoning, qc_results, timings)


def run_quality_rules(full: Graph) -> list:
    """The SPARQL quality rules of queries/qc/ on ontology plus asserted data (never the inferred triples)."""
    from peacegraph.validate.quality import run_all

    return run_all(turtle=full.serialize(format="nt", encoding="utf-8"))


def output_files(report: Report) -> dict[str, bytes | None]:
    """graph/ file name -> bytes: data, ontology plus data, and inferred triples.

    The inferred file is None (to be removed) when reasoning did not run, so
    that graph/ never pairs new data with old inferences.
    """
    inferred = None
    if report.reasoning.inferred is not None:
        inferred = turtle_bytes(mark_inferred(report.reasoning.inferred))
    return {
        paths.DATA_FILE_NAME: turtle_bytes(report.data),
        paths.FULL_FILE_NAME: turtle_bytes(report.full),
        paths.INFERRED_FILE_NAME: inferred,
    }


def mark_inferred(graph: Graph) -> Graph:
    """Describe the inferred file in itself, so a reader who loads it knows what it is."""
    from rdflib import Literal, URIRef

    from peacegraph.namespaces import BASE, PREFIXES

    node = URIRef(BASE + "graph/inferred")
    graph.add(
        (
            node,
            URIRef(PREFIXES["dcterms"] + "description"),
            Literal(
                "Triples entailed by ontology/peacegraph.ttl and the asserted graph (peacegraph-data.ttl), computed by the "
                "HermiT reasoner through owlready2: class memberships, inverse, symmetric, transitive and super-properties. "
                "Not asserted by any source; each rests on the asserted facts it follows from.",
                lang="en",
            ),
        )
    )
    graph.add((node, URIRef(PREFIXES["prov"] + "wasDerivedFrom"), URIRef(BASE + "graph/asserted")))
    return graph


def build(inputs: Inputs | None = None, graph_dir: Path | None = None, reason: bool = True, reasoner: str = "hermit") -> Report:
    """Check, then write graph/; raise ValidationError (graph/ untouched) when a check fails."""
    graph_dir = graph_dir or paths.GRAPH_DIR
    report = check(inputs, reason=reason, infer=True, reasoner=reasoner)
    if not report.ok:
        raise ValidationError(failure_text(report))
    with _timed(report.timings, "write"):
        files = output_files(report)
        with build_lock(graph_dir):
            report.written = write_files(files, graph_dir)
    return report


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
