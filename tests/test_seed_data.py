"""The curated starter set: loads cleanly and exercises the ontology."""

from __future__ import annotations

from collections import Counter

# Classes that only the loader instantiates, or that are abstract parents.
LOADER_CLASSES = {
    "Assertion",
    "Evidence",
    "PublicStatement",
    "SourceDocument",
    "ParticipantRole",
    "Stance",
    "AgreementStatus",
    "Modality",
    "Actor",
    "Disagreement",
    "Rank",
    "RankReason",
    "DisagreementKind",
}


def test_real_seeds_load(real_report):
    curation = real_report.curation
    assert len(curation.documents) == 5
    assert len(curation.facts) >= 40


def test_every_document_gives_facts(real_report):
    per_doc = Counter(f.source for f in real_report.curation.facts)
    assert set(per_doc) == set(real_report.curation.documents), per_doc


def test_every_relation_is_used(real_report, schema):
    used = {f.relation.name for f in real_report.curation.facts}
    unused = sorted(set(schema.relations) - used)
    assert not unused, f"relations no seed fact uses: {unused}"


def test_every_qualifier_is_used(real_report, schema):
    used = {name for f in real_report.curation.facts for name in f.qualifiers}
    unused = sorted(set(schema.qualifiers) - used)
    assert not unused, f"qualifiers no seed fact uses: {unused}"


def test_every_entity_class_is_used(real_report, schema):
    used = {e.type for e in real_report.curation.entities.values()}
    unused = sorted(set(schema.classes) - used - LOADER_CLASSES)
    assert not unused, f"classes no seed entity has: {unused}"


def test_every_time_key_and_precision_is_used(real_report):
    facts = real_report.curation.facts
    keys = {k for f in facts for k in f.times}
    precisions = {t.precision for f in facts for t in f.times.values()}
    assert keys == {"pointInTime", "startTime", "endTime"}
    # a decade ("In the 1990s") and a range (loose wording such as "three-decade-long") since issue 13.3 and 13.5
    assert precisions == {"year", "month", "day", "decade"}
    assert any(t.is_range for f in facts for t in f.times.values())
    assert any(f.date_note for f in facts), "no fact records how a relative date was resolved"


def test_every_quality_rule_finds_nothing_on_the_seeds(real_report):
    flagged = {r.name: len(r.rows) for r in real_report.qc if r.rows}
    assert not flagged, f"quality rules with rows on the seed graph (warnings included): {flagged}"


def test_modality_qualifier_becomes_a_concept_on_the_statement_node(real_report):
    from pyoxigraph import NamedNode, Triple

    from peacegraph.namespaces import BASE, PQ_IRI, PS_IRI

    stmt = BASE + "statement/"
    concept = BASE + "concept/"
    data = set(real_report.data)
    modality = NamedNode(PQ_IRI + "modality")
    assert Triple(NamedNode(stmt + "d001-us-as-guarantor"), modality, NamedNode(concept + "modality-hypothetical")) in data
    # A planned date lies after its source (June 2024) and still passes date-after-source.
    planned = NamedNode(stmt + "d004-cop29-date")
    assert Triple(planned, modality, NamedNode(concept + "modality-planned")) in data
    assert any(t.object.value == "2024-11" for t in data if t.subject == planned and t.predicate == NamedNode(PS_IRI + "date"))
    date_rule = next(r for r in real_report.qc if r.rule.name == "date-after-source")
    assert not date_rule.rows
