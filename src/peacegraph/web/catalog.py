"""What the pages show, read from the graph by the queries in ``queries/web/`` once per process.

The graph is read-only while it is served, so each web query runs once over
the whole graph (each also takes an optional parameter that narrows it to one
entity or document, which the tests use to check the index against it) and
its rows are indexed here by entity and document. Pages are then rendered
from these rows without another query. Nothing here walks the graph itself.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import GraphMissingError
from peacegraph.namespaces import DISAGREEMENT_IRI, DOCUMENT_IRI, ENTITY_IRI, PGC_IRI, STATEMENT_IRI
from peacegraph.query.canned import CannedQuery, list_queries, load_query
from peacegraph.query.engines import EmbeddedEngine
from peacegraph.query.results import ResultSet, Term
from peacegraph.web.display import date_span, human_date, is_date_type, local_id
from peacegraph.web.search import Name, SearchIndex

#: IRI parameters of the canned questions that take something other than an entity (by the name the queries give them).
NOT_ENTITY_PARAMETERS = {"type": "class", "source": "document", "stance": "stance"}
#: Order of ranks on a page: the preferred statement first, deprecated ones last.
RANK_ORDER = {"preferred": 0, "normal": 1, "deprecated": 2}


@dataclass(frozen=True)
class Value:
    """The value end of a statement or qualifier: an entity, a concept or a literal."""

    text: str  # what the page shows
    iri: str = ""
    entity: str | None = None  # entity id, when it has a page
    datatype: str | None = None
    raw: str = ""  # a literal as written in the graph (2020-11), an IRI's label or the IRI: what the canned questions show

    @classmethod
    def of(cls, term: Term | None, label: Term | None = None) -> Value:
        if term is None:
            return cls("")
        if term.kind == "uri":
            text = label.value if label is not None else term.value
            return cls(text, term.value, local_id(term.value, ENTITY_IRI), raw=text)
        shown = human_date(term.value) if is_date_type(term.datatype) else term.value
        return cls(shown, datatype=term.datatype, raw=term.value)

    @property
    def is_concept(self) -> bool:
        return self.iri.startswith(PGC_IRI)


@dataclass
class Statement:
    id: str
    iri: str
    property: str
    relation: str
    subject: Value
    value: Value
    date: str
    precision: str
    date_resolution: str
    modality: str
    rank: str
    rank_reason: str
    note: str
    source: str
    title: str
    quote: str
    start: int
    end: int
    qualifiers: list[tuple[str, Value]] = field(default_factory=list)
    rank_evidence: list[tuple[str, str]] = field(default_factory=list)  # (statement id, source)

    @property
    def deprecated(self) -> bool:
        return self.rank == "deprecated"

    def sort_key(self) -> tuple:
        return (RANK_ORDER.get(self.rank, 1), self.value.text.casefold(), self.date, self.source, self.id)


@dataclass
class Alias:
    text: str
    source: str
    title: str
    note: str


@dataclass
class Entity:
    id: str
    iri: str
    label: str
    description: str = ""
    types: list[tuple[str, str]] = field(default_factory=list)  # (class IRI, label), most specific first
    aliases: list[Alias] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return self.types[0][1] if self.types else ""


@dataclass
class Side:
    statement: str
    subject: Value
    relation: str
    value: Value
    rank: str
    source: str
    quote: str


@dataclass
class Disagreement:
    id: str
    label: str
    description: str
    about: Value
    kind: str
    sides: list[Side] = field(default_factory=list)

    def involves(self, entity_id: str) -> bool:
        return self.about.entity == entity_id or any(entity_id in (s.subject.entity, s.value.entity) for s in self.sides)


@dataclass
class Document:
    id: str
    iri: str
    meta: dict[str, str]
    path: Path
    statements: list[Statement] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.meta.get("title", self.id)


def web_query(name: str) -> CannedQuery:
    return load_query(paths.WEB_QUERIES_DIR / f"{name}.rq")


def _text(row: dict, column: str) -> str:
    term = row.get(column)
    return "" if term is None else term.value


class Catalog:
    """Everything the pages show, indexed by entity and document; built once from the web queries."""

    def __init__(self, engine: EmbeddedEngine | None = None, graph_dir: Path | None = None, documents_dir: Path | None = None):
        self.engine = engine or EmbeddedEngine(graph_dir)
        self.documents_dir = documents_dir or paths.DOCUMENTS_DIR
        self._lock = threading.Lock()  # views add a named graph to the store while they run
        self.entities: dict[str, Entity] = {}
        self.statements: dict[str, Statement] = {}
        self.by_entity: dict[str, tuple[list[Statement], list[Statement]]] = defaultdict(lambda: ([], []))
        self.documents: dict[str, Document] = {}
        self.disagreements: list[Disagreement] = []
        self.types: list[tuple[str, str, int]] = []
        self.totals: dict[str, str] = {}
        self.questions: list[CannedQuery] = list_queries()
        self._load()
        self.search = SearchIndex(self._names())

    def run(self, name: str, **values: Term) -> ResultSet:
        query = web_query(name)
        bindings = {p.variable: values[p.name] for p in query.params if p.name in values}
        result = self.engine.run(query.text, bindings)
        if not isinstance(result, ResultSet):
            raise TypeError(f"queries/web/{name}.rq is not a SELECT query")
        return result

    # -- loading ---------------------------------------------------------------------------------

    def _load(self) -> None:
        for row in self.run("entities").rows:
            entity_id = local_id(row["entity"].value, ENTITY_IRI)
            if entity_id is None:
                continue
            entity = self.entities.setdefault(entity_id, Entity(entity_id, row["entity"].value, row["label"].value))
            if row.get("description") is not None:
                entity.description = row["description"].value
            if row.get("type") is not None and (row["type"].value, _text(row, "typeLabel")) not in entity.types:
                entity.types.append((row["type"].value, _text(row, "typeLabel")))
        for row in self.run("aliases").rows:
            entity = self.entities.get(local_id(row["entity"].value, ENTITY_IRI) or "")
            if entity is not None:
                entity.aliases.append(Alias(row["alias"].value, _text(row, "source"), _text(row, "title"), _text(row, "note")))
        for row in self.run("documents").rows:
            doc_id = row["id"].value
            meta = {c: _text(row, c) for c in row}
            self.documents[doc_id] = Document(doc_id, row["doc"].value, meta, self.documents_dir / meta["fileName"])
        qualifiers = defaultdict(list)
        for row in self.run("qualifiers").rows:
            qualifiers[row["statement"].value].append((row["qualifier"].value, Value.of(row["value"], row.get("valueLabel"))))
        evidence = defaultdict(list)
        for row in self.run("rank-evidence").rows:
            evidence[row["statement"].value].append((local_id(row["evidence"].value, STATEMENT_IRI) or "", row["source"].value))
        for row in self.run("statements").rows:
            statement = self._statement(row, qualifiers, evidence)
            if statement.id in self.statements:  # a statement with two dates or notes gives two rows; the first is kept
                continue
            self.statements[statement.id] = statement
            if statement.subject.entity:
                self.by_entity[statement.subject.entity][0].append(statement)
            if statement.value.entity:
                self.by_entity[statement.value.entity][1].append(statement)
            if statement.source in self.documents:
                self.documents[statement.source].statements.append(statement)
        for doc in self.documents.values():
            doc.statements.sort(key=lambda s: (s.start, s.end, s.id))
        self._disagreements()
        self.types = [(r["type"].value, r["typeLabel"].value, int(r["entities"].value)) for r in self.run("summary").rows]
        rows = self.run("totals").values()
        self.totals = rows[0] if rows else {}

    def _statement(self, row: dict, qualifiers: dict, evidence: dict) -> Statement:
        iri = row["statement"].value
        return Statement(
            id=local_id(iri, STATEMENT_IRI) or iri,
            iri=iri,
            property=row["property"].value,
            relation=row["relation"].value,
            subject=Value.of(row["subject"], row.get("subjectLabel")),
            value=Value.of(row["other"], row.get("otherLabel")),
            date=date_span(_text(row, "pointInTime"), _text(row, "startTime"), _text(row, "endTime")),
            precision=_text(row, "precision"),
            date_resolution=_text(row, "dateResolution"),
            modality=_text(row, "modality"),
            rank=_text(row, "rank"),
            rank_reason=_text(row, "rankReason"),
            note=_text(row, "note"),
            source=_text(row, "source"),
            title=_text(row, "title"),
            quote=_text(row, "quote"),
            start=int(_text(row, "start") or 0),
            end=int(_text(row, "end") or 0),
            qualifiers=qualifiers.get(iri, []),
            rank_evidence=evidence.get(iri, []),
        )

    def _disagreements(self) -> None:
        found: dict[str, Disagreement] = {}
        for row in self.run("disagreements").rows:
            iri = row["disagreement"].value
            dis = found.get(iri)
            if dis is None:
                dis = found[iri] = Disagreement(
                    local_id(iri, DISAGREEMENT_IRI) or iri,
                    row["label"].value,
                    row["description"].value,
                    Value.of(row["about"], row["aboutLabel"]),
                    _text(row, "kind"),
                )
            statement = local_id(row["statement"].value, STATEMENT_IRI) or row["statement"].value
            if any(s.statement == statement for s in dis.sides):
                continue
            dis.sides.append(
                Side(
                    statement,
                    Value.of(row["subject"], row["subjectLabel"]),
                    row["relation"].value,
                    Value.of(row["other"], row.get("otherLabel")),
                    row["rank"].value,
                    row["source"].value,
                    row["quote"].value,
                )
            )
        self.disagreements = sorted(found.values(), key=lambda d: (d.about.text.casefold(), d.label))

    def _names(self) -> list[Name]:
        names = []
        for entity in self.entities.values():
            names.append(Name(entity.id, entity.label, entity.label, "label", entity.type_label))
            for alias in {a.text for a in entity.aliases}:
                names.append(Name(entity.id, entity.label, alias, "alias", entity.type_label))
        return sorted(names, key=lambda n: (n.entity, n.kind, n.name))

    # -- what pages ask ----------------------------------------------------------------------------

    def entity_statements(self, entity_id: str) -> tuple[list[Statement], list[Statement]]:
        """Statements with the entity as subject and as value."""
        out, incoming = self.by_entity.get(entity_id, ([], []))
        return out, incoming

    def disagreements_of(self, entity_id: str) -> list[Disagreement]:
        return [d for d in self.disagreements if d.involves(entity_id)]

    def document_text(self, doc: Document) -> tuple[str, bool]:
        """The source's text, and whether its SHA-256 is the one the graph records."""
        try:
            raw = doc.path.read_bytes()
        except OSError as err:
            raise GraphMissingError(f"{doc.path}: the text of {doc.id} cannot be read ({err}); is seeds/documents/ complete?") from err
        return raw.decode("utf-8", "replace"), hashlib.sha256(raw).hexdigest() == doc.meta.get("sha256")

    def neighbourhood(self, entity_id: str) -> dict:
        """The Cytoscape elements of the entity's neighbourhood view (queries/views/neighbourhood.rq), as the export builds them."""
        from peacegraph.export.cytoscape import elements
        from peacegraph.export.model import build_graph
        from peacegraph.export.views import get_view, run_view

        view = get_view("neighbourhood")
        with self._lock:
            triples = run_view(self.engine, view, {"entity": ENTITY_IRI + entity_id, "depth": "1"})
        return elements(build_graph(triples, "neighbourhood"))

    def question(self, name: str) -> CannedQuery | None:
        return next((q for q in self.questions if q.name == name), None)

    def entity_questions(self) -> list[tuple[CannedQuery, str]]:
        """(question, parameter) for every question an entity page can link pre-filled: an IRI parameter that
        takes an entity (not a class, a source or a stance), in a question that needs no other value."""
        found = []
        for q in self.questions:
            for p in q.params:
                others = [o for o in q.params if o.required and o.name != p.name and o.name not in q.defaults]
                if p.kind == "iri" and p.name not in NOT_ENTITY_PARAMETERS and not others:
                    found.append((q, p.name))
        return found

    def document_questions(self) -> list[tuple[CannedQuery, str]]:
        """(question, parameter) for the questions that take a source document."""
        return [
            (q, p.name) for q in self.questions for p in q.params if p.kind == "iri" and NOT_ENTITY_PARAMETERS.get(p.name) == "document"
        ]

    def document_id(self, iri: str) -> str | None:
        return local_id(iri, DOCUMENT_IRI)
