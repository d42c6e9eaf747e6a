"""Every namespace peacegraph uses, declared once.

The prefix mapping and IRI bases are plain strings so that the query path can
use them without importing rdflib; the closed rdflib namespaces (``PG``,
``PGC``, ``ENT`` ...) are built on first use. ``PG`` is closed: a misspelt
term raises instead of minting a new IRI, and a test checks that its terms
are exactly those of ``ontology/peacegraph.ttl``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rdflib.namespace import ClosedNamespace, Namespace

#: Base of every IRI peacegraph mints.
BASE = "https://w3id.org/peacegraph/"
ONTOLOGY_IRI = BASE + "ontology"
PG_IRI = ONTOLOGY_IRI + "#"
PGC_IRI = BASE + "concept/"
ENTITY_IRI = BASE + "entity/"
STATEMENT_IRI = BASE + "statement/"
EVIDENCE_IRI = BASE + "evidence/"
DOCUMENT_IRI = BASE + "document/"
DISAGREEMENT_IRI = BASE + "disagreement/"
#: The Wikidata statement pattern, one property of each kind per relation or qualifier of the
#: ontology: ``ent:a p:R stmt:x . stmt:x ps:R ent:b ; pq:Q ...`` (generated, see load/vocabulary.py).
P_IRI = BASE + "prop/"
PS_IRI = P_IRI + "statement/"
PQ_IRI = P_IRI + "qualifier/"

#: Prefix -> namespace IRI: binds graphs, shortens names in messages, forms the JSON-LD context.
PREFIXES: dict[str, str] = {
    "pg": PG_IRI,
    "pgc": PGC_IRI,
    "ent": ENTITY_IRI,
    "stmt": STATEMENT_IRI,
    "ev": EVIDENCE_IRI,
    "doc": DOCUMENT_IRI,
    "dis": DISAGREEMENT_IRI,
    "p": P_IRI,
    "ps": PS_IRI,
    "pq": PQ_IRI,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "skosxl": "http://www.w3.org/2008/05/skos-xl#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
    "sh": "http://www.w3.org/ns/shacl#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "edtf": "http://id.loc.gov/datatypes/edtf/",
}

#: The terms of the peacegraph ontology (kept equal to ontology/peacegraph.ttl by a test).
PG_TERMS: tuple[str, ...] = (
    "Actor",
    "Agreement",
    "AgreementStatus",
    "Assertion",
    "BilateralDeal",
    "Bloc",
    "Blockade",
    "Border",
    "Campaign",
    "Ceasefire",
    "City",
    "Clash",
    "Company",
    "Conflict",
    "Corridor",
    "Declaration",
    "Deployment",
    "Disagreement",
    "DisagreementKind",
    "Displacement",
    "Election",
    "EthnicGroup",
    "Event",
    "Evidence",
    "Exclave",
    "FrameworkAgreement",
    "GovernmentBody",
    "InternationalOrganisation",
    "MediaOutlet",
    "MilitaryOffensive",
    "Mission",
    "Modality",
    "NegotiationIssue",
    "NonGovernmentalOrganisation",
    "Organisation",
    "ParticipantRole",
    "PeaceAgreement",
    "PeaceProcess",
    "Person",
    "Place",
    "PoliticalGroup",
    "Post",
    "Protest",
    "Province",
    "PublicStatement",
    "Rank",
    "RankReason",
    "Referendum",
    "Region",
    "Route",
    "SourceDocument",
    "Stance",
    "State",
    "Summit",
    "Talks",
    "TerritorialTransfer",
    "Territory",
    "ThinkTank",
    "Treaty",
    "Visit",
    "War",
    "Withdrawal",
    "accordingTo",
    "addressee",
    "affectedPlace",
    "affiliatedWith",
    "alliedWith",
    "assisted",
    "atPlace",
    "backs",
    "borders",
    "boycotted",
    "brokerOf",
    "capitalOf",
    "characterCount",
    "claimProperty",
    "claimedBy",
    "claims",
    "coexistedPeacefullyWith",
    "comesFrom",
    "commentsOn",
    "comparator",
    "concerns",
    "conflictingStatement",
    "connects",
    "controls",
    "counts",
    "covers",
    "criticises",
    "date",
    "dateNotAfter",
    "dateNotBefore",
    "datePrecision",
    "datePublished",
    "dateResolution",
    "dateUpdated",
    "delays",
    "demands",
    "directedAgainst",
    "disagreementAbout",
    "disagreementKind",
    "durationYears",
    "duringEvent",
    "earliestDate",
    "endDate",
    "endTime",
    "exclusive",
    "failedToResolve",
    "fileName",
    "guarantorOf",
    "hasAuthor",
    "hasEditor",
    "hasInfluenceOver",
    "hasParticipant",
    "hasPublisher",
    "hasStanceOn",
    "holdsPost",
    "holdsRightsOver",
    "hostOf",
    "inhabitedBy",
    "initiated",
    "involvedIn",
    "latestDate",
    "leaderOf",
    "locatedIn",
    "location",
    "longestSince",
    "lost",
    "mediatorOf",
    "memberOf",
    "metWith",
    "modality",
    "numberDisplaced",
    "numberKilled",
    "obstacleTo",
    "offersToAssist",
    "partOfEvent",
    "participantIn",
    "partyTo",
    "passesThrough",
    "pointInTime",
    "population",
    "postHeldBy",
    "postIn",
    "proposed",
    "qualifierProperty",
    "quotation",
    "rank",
    "rankEvidence",
    "rankReason",
    "ratified",
    "recognisedAsPartOf",
    "recognisesTerritorialIntegrityOf",
    "rejects",
    "resultOf",
    "resultedIn",
    "role",
    "roleConcept",
    "scope",
    "sha256",
    "signatoryOf",
    "signedBy",
    "stance",
    "stanceConcept",
    "startDate",
    "startTime",
    "statementProperty",
    "status",
    "stoodByDuring",
    "subOrganisationOf",
    "suppliesArmsTo",
    "suppliesEnergyTo",
    "supports",
    "suspendedTiesWith",
    "transferredFrom",
    "transferredTo",
    "trigger",
    "underAgreement",
    "usage",
    "violated",
    "visited",
    "welcomes",
    "witnessOf",
    "won",
)


def bind_prefixes(graph: Any) -> Any:
    """Bind every prefix of ``PREFIXES`` on an rdflib graph and return it."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


_LAZY: dict[str, Any] = {}


def __getattr__(name: str) -> Any:
    # rdflib is imported only when a module asks for an rdflib namespace, which
    # keeps `peacegraph query` free of it.
    if name.startswith("__"):
        raise AttributeError(name)  # import machinery probes __path__ etc.; never load rdflib for it
    if name in _LAZY:
        return _LAZY[name]
    from rdflib.namespace import ClosedNamespace, Namespace

    built: dict[str, Namespace | ClosedNamespace] = {
        "PG": ClosedNamespace(PG_IRI, list(PG_TERMS)),
        "PGC": Namespace(PGC_IRI),
        "ENT": Namespace(ENTITY_IRI),
        "STMT": Namespace(STATEMENT_IRI),
        "EV": Namespace(EVIDENCE_IRI),
        "DOC": Namespace(DOCUMENT_IRI),
        "DIS": Namespace(DISAGREEMENT_IRI),
        "P": Namespace(P_IRI),
        "PS": Namespace(PS_IRI),
        "PQ": Namespace(PQ_IRI),
        "OA": Namespace(PREFIXES["oa"]),
        "ORG": Namespace(PREFIXES["org"]),
        "TIME": Namespace(PREFIXES["time"]),
        "SCHEMA": Namespace(PREFIXES["schema"]),
        "VANN": Namespace(PREFIXES["vann"]),
        "SKOSXL": Namespace(PREFIXES["skosxl"]),
    }
    if name not in built:
        raise AttributeError(f"module 'peacegraph.namespaces' has no attribute {name!r}")
    _LAZY.update(built)
    return built[name]


def curie(iri: str) -> str:
    """The prefixed name of an IRI (the longest namespace of ``PREFIXES`` wins), or the IRI itself.

    >>> curie("https://w3id.org/peacegraph/entity/armenia"), curie("https://w3id.org/peacegraph/ontology#Person"), curie("urn:x")
    ('ent:armenia', 'pg:Person', 'urn:x')
    """
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return iri
    return next(p for p, ns in PREFIXES.items() if ns == best) + ":" + iri[len(best) :]
