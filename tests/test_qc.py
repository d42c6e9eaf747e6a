"""Quality rules (queries/qc/*.rq), each tested with a graph it must flag.

``tests/qc_cases/<rule>.FAIL.ttl`` opens with ``# flags: <entity> ...``: the
exact set of ?entity values the rule must return on it (near misses in the
same file must not be flagged). An optional ``<rule>.PASS.ttl`` must pass.
Every rule must also pass on a graph built from the mini seed set, except
where marked below. Results are compared as sets, never as report text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peacegraph.errors import QueryError
from peacegraph.namespaces import PREFIXES
from peacegraph.validate import quality as qc

from .conftest import MINI, TESTS

CASES_DIR = TESTS / "qc_cases"
FAIL_CASES = sorted(CASES_DIR.glob("*.FAIL.ttl"))
PASS_CASES = sorted(CASES_DIR.glob("*.PASS.ttl"))
RULES = {rule.name: rule for rule in qc.load_rules()}
_FLAGS = re.compile(r"^# flags:(.*)$", re.M)

#: Rules that cannot pass on the mini seed set, and why; each has a PASS case instead.
MINI_EXEMPT = {
    "unused-term": "the mini seeds use a handful of the ontology's terms; unused-term.PASS.ttl shows the rule passing",
}
#: Rules the mini graph fails because of the ontology itself: strict, so the fix is noticed.
MINI_XFAIL: dict[str, str] = {}


def _rule_of(case: Path) -> str:
    return case.name.split(".")[0]


def _expected(case: Path) -> set[str]:
    match = _FLAGS.search(case.read_text(encoding="utf-8"))
    assert match, f"{case.name} must open with '# flags: <entity> ...' listing what the rule must flag"
    return set(match.group(1).split())


def test_cases_exist():
    assert len(FAIL_CASES) >= 13 and PASS_CASES


def test_every_rule_has_a_failing_case():
    missing = sorted(set(RULES) - {_rule_of(c) for c in FAIL_CASES})
    assert not missing, f"add tests/qc_cases/<rule>.FAIL.ttl with '# flags: ...' for: {missing}"


def test_every_case_has_a_rule():
    orphans = sorted({_rule_of(c) for c in FAIL_CASES + PASS_CASES} - set(RULES))
    assert not orphans, f"cases without a rule in queries/qc/: {orphans}"


@pytest.mark.parametrize("case", FAIL_CASES, ids=_rule_of)
def test_rule_flags_its_failing_case(case):
    [result] = qc.run_all(files=[case], rules=[RULES[_rule_of(case)]])
    assert result.entities() == _expected(case)


@pytest.mark.parametrize("case", PASS_CASES, ids=_rule_of)
def test_rule_passes_its_passing_case(case):
    [result] = qc.run_all(files=[case], rules=[RULES[_rule_of(case)]])
    assert result.passed, result.display_rows()


@pytest.fixture(scope="module")
def mini_results(tmp_path_factory) -> dict[str, qc.RuleResult]:
    from peacegraph.build import Inputs, build

    folder = tmp_path_factory.mktemp("qc-mini")
    shutil.copytree(MINI, folder / "seeds")
    build(Inputs.from_seeds(folder / "seeds"), graph_dir=folder / "graph", reason=False)
    return {r.name: r for r in qc.run_all(graph_dir=folder / "graph")}


def _mini_params():
    for name in sorted(RULES):
        if name in MINI_EXEMPT:
            yield pytest.param(name, marks=pytest.mark.skip(reason=MINI_EXEMPT[name]))
        elif name in MINI_XFAIL:
            yield pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=MINI_XFAIL[name]))
        else:
            yield name


@pytest.mark.parametrize("name", _mini_params())
def test_rule_passes_on_the_mini_graph(mini_results, name):
    result = mini_results[name]
    assert result.passed, "\n".join(qc.report_lines([result]))


def test_report_lines(mini_results):
    lines = qc.report_lines([mini_results["missing-label"], mini_results["unused-term"]], max_rows=2)
    assert lines[0] == "PASS missing-label: 0 violations"
    count = len(mini_results["unused-term"].rows)
    assert lines[1] == f"WARN unused-term: {count} violations"
    assert mini_results["unused-term"].passed, "a warning rule reports but does not fail"
    assert lines[2].startswith("  problem: ") and lines[3].startswith("  fix: ")
    assert lines[4].split() == ["entity", "property", "value"]
    assert lines[-1] == f"  ... and {count - 2} more"


def test_rules_are_fast(mini_results):
    assert sum(r.seconds for r in mini_results.values()) < 1.0


def test_rule_prefixes_agree_with_namespaces():
    for rule in RULES.values():
        for prefix, iri in re.findall(r"^PREFIX\s+(\w*):\s*<([^>]*)>", rule.text, re.M):
            assert PREFIXES.get(prefix) == iri, f"{rule.path.name}: PREFIX {prefix}: differs from peacegraph.namespaces.PREFIXES"


def test_rule_without_problem_comment_is_refused(tmp_path):
    path = tmp_path / "bare.rq"
    path.write_text("SELECT ?entity ?property ?value WHERE { ?entity ?property ?value }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="Problem"):
        qc.parse_rule(path)


def test_rule_with_other_variables_is_refused(tmp_path):
    path = tmp_path / "odd.rq"
    path.write_text("# **Problem:** x\n# **Solution:** y\nSELECT ?s ?p ?o WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"\?entity \?property \?value"):
        qc.parse_rule(path)


def test_run_all_on_turtle_bytes():
    case = CASES_DIR / "multiple-labels.FAIL.ttl"
    [result] = qc.run_all(turtle=case.read_bytes(), rules=[RULES["multiple-labels"]])
    assert result.entities() == _expected(case)


def test_qc_imports_no_rdflib():
    case = CASES_DIR / "missing-label.FAIL.ttl"
    code = (
        "import sys\n"
        "from peacegraph.validate import quality as qc\n"
        f"qc.run_all(files=[__import__('pathlib').Path({str(case)!r})])\n"
        "print('HEAVY', sorted(m for m in ('rdflib', 'pyshacl', 'owlready2') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stdout


def test_load_rules_is_fast():
    started = time.perf_counter()
    qc.load_rules()
    assert time.perf_counter() - started < 0.2
