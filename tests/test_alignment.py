"""Wikidata alignments run the right way (issue 13.6), and the entity mappings are valid SSSOM.

Every property of the ontology aligned to a Wikidata property (``skos:closeMatch``
or ``skos:exactMatch`` to ``wdt:P...``) must take its subject and its value on the
same sides as the Wikidata property does. ``WIKIDATA`` gives, for each aligned
Wikidata property, the kind of item it is stated on and the kind of value it
takes, in the ontology's own classes (``None``: a literal; ``owl:Thing``: any
item), as the Wikidata property pages define them (P1891, "signatory", is stated
on the treaty, as the WikiProject International relations talk page's batch of
UN treaty signatures shows). A property whose domain and range fit the table
only when swapped is aligned backwards: the match belongs on its inverse
(``pg:signedBy`` for ``pg:signatoryOf``, ``pg:claimedBy`` for ``pg:claims``).
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, URIRef

from peacegraph.load.schema import _class_set
from peacegraph.namespaces import PG_IRI, PREFIXES

WDT = PREFIXES["wdt"]
THING = "Thing"

#: Wikidata property -> (what it is stated on, what it takes), in the ontology's classes.
WIKIDATA: dict[str, tuple[str, str | None]] = {
    "P39": ("Person", "Post"),  # position held
    "P1001": ("Post", "Actor"),  # applies to jurisdiction
    "P463": ("Actor", "Organisation"),  # member of
    "P749": ("Organisation", "Actor"),  # parent organization
    "P131": ("Place", "Place"),  # located in the administrative territorial entity
    "P1376": ("City", "State"),  # capital of
    "P47": ("Place", "Place"),  # shares border with
    "P1336": ("Place", "Actor"),  # territory claimed by: on the territory, the claimant as value
    "P17": ("Place", "State"),  # country
    "P2789": ("Place", "Place"),  # connects with
    "P2825": ("Route", "Place"),  # via
    "P1344": ("Actor", "Event"),  # participant in
    "P710": ("Event", "Actor"),  # participant
    "P1891": ("Agreement", "Actor"),  # signatory: on the treaty, the signer as value
    "P921": (THING, THING),  # main subject
    "P276": (THING, "Place"),  # location
    "P361": ("Event", "Event"),  # part of
    "P1542": ("Event", "Event"),  # has effect
    "P828": ("Event", "Event"),  # has cause
    "P585": (THING, None),  # point in time
    "P580": (THING, None),  # start time
    "P582": (THING, None),  # end time
    "P1120": ("Event", None),  # number of deaths
    "P1082": ("Place", None),  # population
    "P1683": (THING, None),  # quotation
    "P2868": (THING, "ParticipantRole"),  # subject has role
    "P1319": (THING, None),  # earliest date
    "P1326": (THING, None),  # latest date
    "P2241": (THING, "RankReason"),  # reason for deprecated rank
    "P50": ("SourceDocument", "Actor"),  # author
    "P98": ("SourceDocument", "Person"),  # editor
    "P123": ("SourceDocument", "Organisation"),  # publisher
    "P577": ("SourceDocument", None),  # publication date
}


def _alignments(schema) -> list[tuple[URIRef, str]]:
    graph = schema.graph
    return sorted(
        (prop, str(target)[len(WDT) :])
        for match in (SKOS.closeMatch, SKOS.exactMatch, SKOS.relatedMatch)
        for prop, target in graph.subject_objects(match)
        if str(target).startswith(WDT) and str(prop).startswith(PG_IRI)
    )


def _compatible(schema, ours: frozenset, theirs: str) -> bool:
    """Some class of ``ours`` is, or lies under or over, the table's class (no domain or range: anything)."""
    if theirs == THING or not ours or OWL.Thing in ours:
        return True
    target = URIRef(PG_IRI + theirs)
    return any(target in schema.superclasses.get(c, {c}) or c in schema.superclasses.get(target, {target}) for c in ours)


def _side(schema, prop: URIRef, what: URIRef) -> frozenset:
    return _class_set(schema.graph, schema.graph.value(prop, what))


def test_every_alignment_is_in_the_table(schema):
    missing = sorted({p for _, p in _alignments(schema)} - set(WIKIDATA))
    assert not missing, f"add these Wikidata properties to WIKIDATA with their subject and value: {missing}"


def test_every_alignment_runs_the_same_way_as_wikidata(schema):
    wrong = []
    for prop, pid in _alignments(schema):
        subject, value = WIKIDATA[pid]
        domain, rng = _side(schema, prop, RDFS.domain), _side(schema, prop, RDFS.range)
        is_literal = (prop, RDF.type, OWL.DatatypeProperty) in schema.graph
        if value is None:
            ok = is_literal and _compatible(schema, domain, subject)
        else:
            ok = not is_literal and _compatible(schema, domain, subject) and _compatible(schema, rng, value)
        if not ok:
            wrong.append(f"{prop.split('#')[1]} -> wdt:{pid}")
    assert not wrong, f"aligned against Wikidata's direction (align the inverse instead): {wrong}"


def test_the_direction_check_catches_a_backwards_alignment(schema):
    # pg:signatoryOf (actor -> agreement) against P1891 (treaty -> signer): the check must refuse it.
    prop = URIRef(PG_IRI + "signatoryOf")
    subject, value = WIKIDATA["P1891"]
    assert not (
        _compatible(schema, _side(schema, prop, RDFS.domain), subject) and _compatible(schema, _side(schema, prop, RDFS.range), value)
    )
    assert URIRef(PG_IRI + "signedBy") in {p for p, w in _alignments(schema) if w == "P1891"}
    assert (URIRef(PG_IRI + "signedBy"), OWL.inverseOf, prop) in schema.graph


def test_entity_mappings_are_valid_sssom_and_reach_the_graph(real_report):
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    from peacegraph import paths

    msdf = parse_sssom_table(paths.entity_mappings_path())
    reports = validate(msdf, fail_on_error=False)
    assert all(not report.results for report in reports.values()), reports
    rows = {(r.subject_id, r.object_id) for r in msdf.df.itertuples()}
    assert ("ent:armenia", "wikidata:Q399") in rows and ("ent:nikol-pashinyan", "wikidata:Q7035479") in rows
    assert all(r.comment.strip() for r in msdf.df.itertuples()), "every mapping names the source it was checked against"
    exact = {(t.subject.value, t.object.value) for t in real_report.data if t.predicate.value == str(SKOS.exactMatch)}
    assert {(paths_ent(s), "http://www.wikidata.org/entity/" + o.split(":")[1]) for s, o in rows} == exact


def paths_ent(curie: str) -> str:
    return PREFIXES["ent"] + curie.split(":", 1)[1]


def test_a_mapping_without_its_source_or_to_an_unknown_entity_is_refused(tmp_path):
    from peacegraph.load.mappings import COLUMNS, read_mappings

    path = tmp_path / "entities.sssom.tsv"
    rows = [
        "ent:armenia\tArmenia\tskos:exactMatch\twikidata:Q399\tArmenia\tsemapv:ManualMappingCuration\t",
        "ent:atlantis\tAtlantis\tskos:exactMatch\twikidata:Q1\tAtlantis\tsemapv:ManualMappingCuration\tsomewhere",
    ]
    path.write_text("#curie_map:\n#  ent: https://w3id.org/peacegraph/entity/\n" + "\t".join(COLUMNS) + "\n" + "\n".join(rows) + "\n")
    problems = []
    assert read_mappings(path, {"armenia"}, problems) == []
    assert [(p.line, p.message) for p in problems] == [
        (4, "the mapping names no source in its comment"),
        (5, "subject_id 'ent:atlantis' is not a known entity"),
    ]
