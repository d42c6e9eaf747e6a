"""Parameters each canned question is asked with in tests and benchmarks (kept in one place)."""

from __future__ import annotations

#: question -> parameter values used for its golden rows
GOLDEN_PARAMS: dict[str, dict[str, str]] = {
    "connection": {"from": "Russia", "to": "Armenia"},
    "entity": {"entity": "Nagorno-Karabakh"},
    "evidence": {"subject": "Russia"},
    "located-within": {"place": "South Caucasus"},
    "source-facts": {"source": "doc:d001"},
    "territory": {"territory": "Nagorno-Karabakh"},
    "control-as-of": {"asOf": "2021-06-01"},
    "document": {"source": "d003"},
    "dated-between": {"from": "2023-09", "to": "2023-09"},
    "officials": {"state": "Armenia"},
}


def params_for(name: str) -> dict[str, str]:
    return GOLDEN_PARAMS.get(name, {})


#: Questions whose golden rows are taken with the inferred triples loaded.
INFERRED_QUESTIONS = {"located-within"}


def canonical(result, query_text: str = "") -> set[tuple[str, ...]]:
    """Rows as a set, with the items of GROUP_CONCAT columns sorted: their order is up to the engine."""
    import re

    joined = set(re.findall(r"GROUP_CONCAT\(.*?\)\s+AS\s+\?(\w+)", query_text, re.S))
    return {tuple("; ".join(sorted(row[c].split("; "))) if c in joined else row[c] for c in result.columns) for row in result.values()}
