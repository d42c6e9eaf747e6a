"""Quality checks: SPARQL rules in ``queries/qc/`` that must return no rows.

Each rule is one ``.rq`` file that opens with ROBOT-style comments
(``# **Problem:** ...`` and ``# **Solution:** ...``) and selects
``?entity ?property ?value``, one row per violation. The rules run on the
embedded pyoxigraph store over ``graph/peacegraph.ttl`` (ontology plus asserted
data). The runner prints ``PASS rule: 0 violations`` or ``FAIL rule: N
violations`` followed by the rows, as ODK prints its ``*-violation`` checks.
This module is on the query path: no rdflib, pyshacl or owlready2.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import QueryError
from peacegraph.namespaces import PREFIXES
from peacegraph.query.engines import EmbeddedEngine
from peacegraph.query.results import ResultSet, Term, format_table

#: The quality rules, one per .rq file.
QC_DIR = getattr(paths, "QC_DIR", paths.QUERIES_DIR / "qc")
#: The variables every rule selects, in order.
COLUMNS = ["entity", "property", "value"]

_PROBLEM = re.compile(r"\*\*Problem:\*\*\s*(.*?)\s*(?=\*\*Solution:\*\*|$)", re.S)
_SOLUTION = re.compile(r"\*\*Solution:\*\*\s*(.*?)\s*(?=\*\*Severity:\*\*|$)", re.S)
_SEVERITY = re.compile(r"\*\*Severity:\*\*\s*(error|warning)")


@dataclass(frozen=True)
class Rule:
    """One quality rule: its name (the file stem), what it guards, how to fix a violation, and its query."""

    name: str
    path: Path
    problem: str
    solution: str
    text: str
    severity: str = "error"  # a "warning" rule is reported but never fails a check


@dataclass
class RuleResult:
    """The rows one rule returned; no rows means the rule passes."""

    rule: Rule
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """No rows, or only a warning: warnings are reported but do not fail a check."""
        return not self.rows or self.rule.severity == "warning"

    @property
    def name(self) -> str:
        return self.rule.name

    @property
    def problem(self) -> str:
        return self.rule.problem

    def display_rows(self) -> list[dict[str, str]]:
        """Rows as short text (prefixed names, literals with their language or datatype), sorted."""
        shown = [{c: show(row.get(c)) for c in COLUMNS} for row in self.rows]
        return sorted(shown, key=lambda r: tuple(r[c] for c in COLUMNS))

    def entities(self) -> set[str]:
        """The flagged ?entity values as prefixed names: what tests compare."""
        return {show(row.get("entity")) for row in self.rows}


def show(term: Term | None) -> str:
    """A term as people read it: a prefixed name where a prefix fits.

    >>> show(Term.iri("https://w3id.org/peacegraph/entity/armenia"))
    'ent:armenia'
    >>> show(Term.literal("2020", "http://www.w3.org/2001/XMLSchema#gYear"))
    '"2020"^^xsd:gYear'
    >>> show(Term.literal("Armenia", lang="en")), show(None)
    ('"Armenia"@en', '')
    """
    if term is None:
        return ""
    if term.kind == "uri":
        return compact(term.value)
    if term.kind == "bnode":
        return "[]"  # blank node ids differ between runs
    text = '"' + term.value + '"'
    if term.lang:
        return f"{text}@{term.lang}"
    if term.datatype:
        return f"{text}^^{compact(term.datatype)}"
    return text


def compact(iri: str) -> str:
    """``prefix:local`` for the longest matching namespace of ``PREFIXES``, else ``<iri>``."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    local = iri[len(best) :]
    return f"{prefix}:{local}" if re.fullmatch(r"[A-Za-z0-9_.-]*", local) else f"<{iri}>"


def parse_rule(path: Path) -> Rule:
    """Read a rule file; QueryError when its Problem/Solution comments or its variables are missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read the quality rule ({err})") from err
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line[1:].strip())
    comment = " ".join(header)
    problem, solution = _PROBLEM.search(comment), _SOLUTION.search(comment)
    if not problem or not problem.group(1) or not solution or not solution.group(1):
        raise QueryError(f"{path}: a quality rule must open with '# **Problem:** ...' and '# **Solution:** ...' comment lines")
    select = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\s*WHERE", text, re.S | re.I)
    if not select or select.group(1).split()[:2] != ["?entity", "?property"] or "?value" not in select.group(1):
        raise QueryError(f"{path}: a quality rule must select ?entity ?property ?value")
    severity = _SEVERITY.search(comment)
    return Rule(
        path.stem,
        path,
        " ".join(problem.group(1).split()),
        " ".join(solution.group(1).split()),
        text,
        severity.group(1) if severity else "error",
    )


def load_rules(folder: Path | None = None) -> list[Rule]:
    """Every rule of ``folder`` (default ``queries/qc/``), sorted by name."""
    folder = folder or QC_DIR
    return [parse_rule(p) for p in sorted(folder.glob("*.rq"))]


def run_rules(engine: EmbeddedEngine, rules: list[Rule] | None = None) -> list[RuleResult]:
    """Run each rule on an engine's store and return one result per rule, in rule order."""
    results = []
    engine.store  # noqa: B018 (load the graph first, so that rule times are query times)
    for rule in load_rules() if rules is None else rules:
        started = time.perf_counter()
        answer = engine.run(rule.text)
        if not isinstance(answer, ResultSet) or answer.boolean is not None:
            raise QueryError(f"{rule.path}: a quality rule must be a SELECT query")
        results.append(RuleResult(rule, answer.rows, time.perf_counter() - started))
    return results


def run_all(
    graph_dir: Path | None = None, files: list[Path] | None = None, turtle: bytes | None = None, rules: list[Rule] | None = None
) -> list[RuleResult]:
    """Run every quality rule on the ontology-plus-data graph.

    The graph is ``files`` (Turtle), or ``turtle`` (the bytes of
    graph/peacegraph.ttl, e.g. from ``build.output_files``), or by default
    ``graph_dir/peacegraph.ttl``. Raises GraphMissingError when the file does
    not exist and QueryError when a rule file is malformed.
    """
    rules = load_rules() if rules is None else rules
    if turtle is not None:
        with tempfile.TemporaryDirectory(prefix="peacegraph-qc-") as folder:
            path = Path(folder) / paths.FULL_FILE_NAME
            path.write_bytes(turtle)
            engine = EmbeddedEngine(files=[path])
            engine.store  # noqa: B018 (load while the file exists)
            return run_rules(engine, rules)
    return run_rules(EmbeddedEngine(graph_dir=graph_dir, files=files), rules)


def all_passed(results: list[RuleResult]) -> bool:
    return all(r.passed for r in results)


def report_lines(results: list[RuleResult], max_rows: int | None = None) -> list[str]:
    """``PASS rule: 0 violations`` / ``FAIL rule: N violations`` lines, each failure followed by its rows.

    A failure also says what the rule guards and how to fix it. ``max_rows``
    caps the rows shown per rule (None: all).
    """
    lines = []
    for result in results:
        count = len(result.rows)
        if not result.rows:
            lines.append(f"PASS {result.name}: 0 violations")
            continue
        word = "WARN" if result.passed else "FAIL"
        lines.append(f"{word} {result.name}: {count} violation{'s' if count != 1 else ''}")
        lines.append(f"  problem: {result.rule.problem}")
        lines.append(f"  fix: {result.rule.solution}")
        rows = result.display_rows()
        shown = rows if max_rows is None else rows[:max_rows]
        lines += ["  " + line for line in format_table(COLUMNS, shown).splitlines()]
        if len(shown) < len(rows):
            lines.append(f"  ... and {len(rows) - len(shown)} more")
    return lines
