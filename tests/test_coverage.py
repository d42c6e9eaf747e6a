"""Coverage: sentence splitting, what counts as covered, justified and unlinked."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from peacegraph.cli import main
from peacegraph.curate.coverage import measure, split_sentences
from peacegraph.load.loader import load_curation


def test_sentences_keep_abbreviations_and_offsets():
    text = "On Monday, U.S. officials met Antony J. Blinken. He said “yes.” Then\nA caption (Source: Reuters)"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "On Monday, U.S. officials met Antony J. Blinken.",
        "He said “yes.”",
        "Then",
        "A caption (Source: Reuters)",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_mini_coverage(mini_seeds):
    curation = load_curation(mini_seeds / "facts", mini_seeds / "documents" / "documents.yaml")
    (report,) = measure(curation)
    # Sentence 1 names no entity; 2 and 3 do, and both are evidence of facts.
    assert report.sentences == 2 and len(report.covered) == 2 and report.percent == 100.0
    assert report.unlinked == {}


def test_uncovered_then_justified(mini_seeds):
    facts = mini_seeds / "facts" / "m001.yaml"
    text = facts.read_text(encoding="utf-8")
    # Drop the welcome fact and the office facts: sentence 3 is then uncovered.
    kept = [block for block in text.split("\n  - ") if not any(k in block for k in ("m001-welcome", "m001-pm"))]
    facts.write_text("\n  - ".join(kept), encoding="utf-8")
    (report,) = measure(load_curation(mini_seeds / "facts", mini_seeds / "documents" / "documents.yaml"))
    assert len(report.uncovered) == 1 and report.uncovered[0][0].text.startswith("Armenian Prime Minister")
    assert "nikol-pashinyan" in report.unlinked
    result = CliRunner().invoke(main, ["coverage", "--seeds", str(mini_seeds)])
    assert result.exit_code == 1 and "UNCOVERED m001@" in result.output

    (mini_seeds / "facts" / "justified.yaml").write_text(
        "justified:\n  - source: m001\n    quote: Nikol Pashinyan welcomed\n    reason: a test of justification\n", encoding="utf-8"
    )
    (report,) = measure(load_curation(mini_seeds / "facts", mini_seeds / "documents" / "documents.yaml"))
    assert not report.uncovered and len(report.justified) == 1
    result = CliRunner().invoke(main, ["coverage", "--seeds", str(mini_seeds), "--min", "40"])
    assert result.exit_code == 0, result.output


def test_alias_record_adds_a_name(mini_seeds):
    (mini_seeds / "facts" / "more.yaml").write_text(
        "aliases:\n  - entity: armenia\n    label: Hayastan\n    source: m001\n    note: endonym\n", encoding="utf-8"
    )
    curation = load_curation(mini_seeds / "facts", mini_seeds / "documents" / "documents.yaml")
    assert "Hayastan" in [a.label for a in curation.entities["armenia"].aliases]


# The target: 95% of the sentences that mention a known entity are evidence of a fact.
TARGET = 95.0


@pytest.fixture(scope="module")
def seed_coverage(real_report):
    return {r.doc_id: r for r in measure(real_report.curation)}


@pytest.mark.parametrize("doc_id", ["d000", "d001", "d002", "d003", "d004"])
def test_every_uncovered_sentence_is_justified_and_every_mention_linked(seed_coverage, doc_id):
    report = seed_coverage[doc_id]
    assert not report.uncovered, [s.text for s, _ in report.uncovered]
    assert not report.unlinked, report.unlinked


@pytest.mark.parametrize("doc_id", ["d000", "d001", "d002", "d003", "d004"])
def test_coverage_target(seed_coverage, doc_id):
    assert seed_coverage[doc_id].percent >= TARGET
