"""Parameters each canned question is asked with in tests and benchmarks (kept in one place)."""

from __future__ import annotations

#: question -> parameter values used for its golden rows
GOLDEN_PARAMS: dict[str, dict[str, str]] = {
    "connection": {"from": "Russia", "to": "Armenia"},
    "entity": {"entity": "Nagorno-Karabakh"},
    "evidence": {"subject": "Russia"},
    "located-within": {"place": "Azerbaijan"},
    "source-facts": {"source": "doc:d001"},
    "territory": {"territory": "Nagorno-Karabakh"},
    "control-as-of": {"asOf": "2021-06-01"},
}


def params_for(name: str) -> dict[str, str]:
    return GOLDEN_PARAMS.get(name, {})

#: Questions whose golden rows are taken with the inferred triples loaded.
INFERRED_QUESTIONS = {"located-within"}
