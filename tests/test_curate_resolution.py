"""The drafter's resolution rules, one case per file in tests/curate/resolution/: short invented sentences, what they
must and must not give.

Each case names the rule it is about (a name of ``draft.RULES``, or ``none`` for fixes that are no separate rule).
``expect`` triples must be proposed, ``not_expect`` ones must not; ``references`` and ``described`` say what a
pronoun, group or description must be resolved to (an empty list: nothing may be); ``dates`` what date and note a
candidate must carry. A case about a rule must also fail with that rule turned off, so each rule is shown to be what
makes its case pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from peacegraph.curate.draft import RULES, SYMMETRIC, Drafter
from peacegraph.curate.gazetteer import Gazetteer
from peacegraph.curate.knowledge import Knowledge
from peacegraph.load.dates import parse_time
from peacegraph.load.documents import Document
from peacegraph.load.loader import load_curation

CASES = Path(__file__).parent / "curate" / "resolution"
REFERENCE_KINDS = {"pronoun", "group", "relative"}


@pytest.fixture(scope="module")
def parts():
    curation = load_curation()
    return Gazetteer.from_curation(curation), curation.schema, Knowledge.from_curation(curation)


def _cases() -> list[Path]:
    return sorted(CASES.glob("*.yaml"))


def test_there_are_cases():
    assert len(_cases()) >= 10


def _problems(case: dict, parts, rules: frozenset[str]) -> list[str]:
    gazetteer, schema, knowledge = parts
    published = str(case.get("published", "2025-07-20"))
    doc = Document("t001", "t.txt", case["text"], "0" * 64, "Test", parse_time(published), 1, "test")
    draft = Drafter(gazetteer, schema, knowledge, rules).draft(doc)
    triples = {c.triple for c in draft.candidates}
    triples |= {(o, r, s) for s, r, o in triples if r in SYMMETRIC}
    problems = []
    for triple in case.get("expect", []):
        if tuple(triple) not in triples:
            problems.append(f"missing {triple}")
    for triple in case.get("not_expect", []):
        if tuple(triple) in triples:
            problems.append(f"unwanted {triple}")
    if "references" in case:
        found = [(m.text, list(m.entities)) for m in draft.mentions if m.how in REFERENCE_KINDS]
        if not case["references"] and found:
            problems.append(f"references where none should be: {found}")
        for want in case["references"]:
            if not any(text == want["text"] and entities[: len(want["entities"])] == want["entities"] for text, entities in found):
                problems.append(f"reference {want} not among {found}")
    if "described" in case:
        found = [(m.text, m.entity) for m in draft.mentions if m.how == "description"]
        if not case["described"] and found:
            problems.append(f"descriptions linked where none should be: {found}")
        for want in case["described"]:
            if (want["text"], want["entity"]) not in found:
                problems.append(f"description {want} not among {found}")
    for want in case.get("dates", []):
        cands = [c for c in draft.candidates if c.triple == tuple(want["triple"])]
        if not any(c.date and c.date.value == str(want["date"]) and want["note"] in (c.date.note or "") for c in cands):
            problems.append(f"date {want} not among {[(c.date.value, c.date.note) if c.date else None for c in cands]}")
    return problems


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_resolution_case(path: Path, parts):
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert case["rule"] in RULES | {"none"}, f"{path.name}: rule must be one of {sorted(RULES)} or none"
    problems = _problems(case, parts, RULES)
    assert not problems, f"{path.name}: {problems}"
    positive = any(case.get(key) for key in ("expect", "references", "described", "dates"))
    if case["rule"] != "none" and positive:
        # The rule is what makes the case pass: without it, something the case asks for is missing.
        assert _problems(case, parts, RULES - {case["rule"]}), f"{path.name} passes without the rule '{case['rule']}'"
