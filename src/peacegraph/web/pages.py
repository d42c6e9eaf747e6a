"""The HTML pages, rendered from the catalog with one set of Jinja2 templates for the server and the static site.

Every value reaches the page through Jinja2's autoescaping (labels, aliases,
quotes and literals are text, never markup); data for scripts goes in
``<script type="application/json">`` blocks through :func:`script_json`.
:class:`Links` is the one place URLs are made: absolute paths when served
(``/entity/armenia``, the path of the entity's IRI), relative ``.html`` files
in the static site, so it can be opened from disk or put on any web host.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from itertools import groupby

from peacegraph.namespaces import DOCUMENT_IRI, ENTITY_IRI
from peacegraph.query.canned import CannedQuery
from peacegraph.web.catalog import Catalog, Document, Entity, Statement
from peacegraph.web.display import local_id

#: The downloads a question's answer offers: (extension, label).
DOWNLOADS = (("csv", "CSV"), ("json", "JSON"), ("ttl", "Turtle"))


def entity_of(iri: str) -> str | None:
    """The id of an entity IRI (None for any other IRI)."""
    return local_id(iri, ENTITY_IRI)


def document_of(iri: str) -> str | None:
    """The id of a document IRI (None for any other IRI)."""
    return local_id(iri, DOCUMENT_IRI)


def script_json(data: object) -> str:
    """JSON that is safe inside a ``<script>`` element.

    >>> script_json({"a": "</script><!--"})
    '{"a":"\\\\u003c/script>\\\\u003c!--"}'
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


@dataclass(frozen=True)
class Links:
    """URLs of pages: served (absolute paths) or static (relative files, ``depth`` folders below the site root)."""

    static: bool = False
    depth: int = 0

    def _root(self) -> str:
        return "../" * self.depth if self.static else "/"

    def at(self, depth: int) -> Links:
        return Links(self.static, depth)

    def home(self) -> str:
        return self._root() + ("index.html" if self.static else "")

    def entity(self, entity_id: str, anchor: str = "") -> str:
        path = f"entity/{entity_id}" + (".html" if self.static else "")
        return self._root() + path + (f"#{anchor}" if anchor else "")

    def entity_data(self, entity_id: str, ext: str) -> str:
        return self._root() + f"entity/{entity_id}.{ext}"

    def entity_graph(self, entity_id: str) -> str:
        return self._root() + (f"entity/{entity_id}.graph.html" if self.static else f"entity/{entity_id}/graph")

    def document(self, doc_id: str, anchor: str = "") -> str:
        path = f"document/{doc_id}" + (".html" if self.static else "")
        return self._root() + path + (f"#{anchor}" if anchor else "")

    def quote(self, statement: Statement) -> str:
        return self.document(statement.source, f"q-{statement.id}")

    def disagreements(self, anchor: str = "") -> str:
        return self._root() + ("disagreements.html" if self.static else "disagreements") + (f"#{anchor}" if anchor else "")

    def questions(self) -> str:
        return self._root() + ("questions.html" if self.static else "questions")

    def question(self, name: str, values: dict[str, str] | None = None) -> str:
        base = self._root() + (f"questions/{name}.html" if self.static else f"questions/{name}")
        if values and not self.static:
            return base + "?" + urllib.parse.urlencode(values)
        return base

    def api(self, name: str, values: dict[str, str] | None = None, ext: str = "") -> str:
        base = f"/api/{name}" + (f".{ext}" if ext else "")
        return base + ("?" + urllib.parse.urlencode(values) if values else "")

    def search(self) -> str:
        return self._root() + ("search.html" if self.static else "search")

    def sparql_page(self, query: str = "") -> str:
        return "/query" + ("?" + urllib.parse.urlencode({"query": query}) if query else "")

    def asset(self, name: str) -> str:
        return self._root() + "static/" + name


def _environment():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("peacegraph.web", "templates"),
        autoescape=True,  # every template is HTML: escape everything not marked safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = script_json
    env.filters["thousands"] = lambda n: f"{int(n):,}" if str(n).lstrip("-").isdigit() else n
    return env


class Pages:
    """Renders each page from the catalog; the same templates serve ``peacegraph serve`` and ``peacegraph site``."""

    def __init__(self, catalog: Catalog, static: bool = False, graphs: bool = True):
        self.catalog = catalog
        self.static = static
        self.graphs = graphs  # whether neighbourhood graph pages exist (the static site can leave them out)
        self.env = _environment()

    def _render(self, template: str, depth: int, **context) -> str:
        links = Links(self.static, depth)
        return self.env.get_template(template).render(
            links=links,
            static=self.static,
            graphs=self.graphs,
            totals=self.catalog.totals,
            entity_of=entity_of,
            document_of=document_of,
            **context,
        )

    # -- pages --------------------------------------------------------------------------------------

    def home(self) -> str:
        c = self.catalog
        docs = sorted(c.documents.values(), key=lambda d: d.id)
        return self._render(
            "home.html", 0, types=c.types, documents=docs, questions=c.questions, disagreements=c.disagreements, title="peacegraph"
        )

    def entity(self, entity: Entity) -> str:
        c = self.catalog
        out, incoming = c.entity_statements(entity.id)
        questions = [(q, p, {p: entity.id if self.static else f"ent:{entity.id}"}) for q, p in c.entity_questions()]
        return self._render(
            "entity.html",
            1,
            entity=entity,
            out_groups=group(out, by_subject=False),
            in_groups=group(incoming, by_subject=True),
            out_count=len(out),
            in_count=len(incoming),
            disagreements=c.disagreements_of(entity.id),
            questions=questions,
            title=entity.label,
        )

    def entity_graph(self, entity: Entity) -> str:
        return self._render("graph.html", 1, entity=entity, data={"view": "neighbourhood", **self.catalog.neighbourhood(entity.id)})

    def document(self, doc: Document) -> str:
        text, checksum_ok = self.catalog.document_text(doc)
        paragraphs, used, total = highlight(text, doc.statements)
        return self._render(
            "document.html",
            1,
            doc=doc,
            questions=[(q, p, {p: f"doc:{doc.id}"}) for q, p in self.catalog.document_questions()],
            paragraphs=paragraphs,
            checksum_ok=checksum_ok,
            used_sentences=used,
            total_sentences=total,
            title=doc.title,
        )

    def disagreements(self) -> str:
        return self._render("disagreements.html", 0, disagreements=self.catalog.disagreements, title="Disagreements between sources")

    def questions(self) -> str:
        return self._render("questions.html", 0, questions=self.catalog.questions, title="Questions")

    def question(
        self, query: CannedQuery, values: dict[str, str], answer=None, error: str = "", sparql: str = "", ran: bool = False
    ) -> str:
        return self._render(
            "question.html",
            1,
            q=query,
            values=values,
            answer=answer,
            error=error,
            sparql=sparql,
            ran=ran,
            downloads=DOWNLOADS,
            title=query.summary or query.name,
        )

    def search(self, query: str, hits: list) -> str:
        return self._render("search.html", 0, q=query, search_query=query, hits=hits, title=f"Search: {query}" if query else "Search")

    def sparql(self, query: str, examples: list[dict], prefixes: dict[str, str], timeout: float, row_cap: int) -> str:
        return self._render(
            "query.html",
            0,
            initial=query,
            examples=examples,
            prefixes=prefixes,
            timeout=f"{timeout:g}",
            row_cap=row_cap,
            title="SPARQL query",
        )

    def api(self, questions: list[CannedQuery]) -> str:
        return self._render("api.html", 0, questions=questions, title="REST API")

    def error(self, status: int, message: str) -> str:
        return self._render("error.html", 0, status=status, message=message, title=f"{status}")


def group(statements: list[Statement], by_subject: bool) -> list[tuple[str, str, list[Statement]]]:
    """Statements grouped by relation, as (relation label, property IRI, statements best-ranked first)."""
    ordered = sorted(statements, key=lambda s: (s.relation.casefold(), s.property))
    groups = []
    for (relation, prop), items in groupby(ordered, key=lambda s: (s.relation, s.property)):
        members = list(items)
        if by_subject:
            members.sort(key=lambda s: (s.deprecated, s.subject.text.casefold(), s.date, s.source, s.id))
        else:
            members.sort(key=Statement.sort_key)
        groups.append((relation, prop, members))
    return groups


@dataclass
class Segment:
    """A run of text with the same quotes over it: plain text when ``quotes`` is empty."""

    text: str
    quotes: tuple[str, ...]  # statement ids whose quote covers this run
    starts: tuple[str, ...]  # statement ids whose quote starts here (anchors)


@dataclass
class Sentence:
    segments: list[Segment]
    used: bool


def highlight(text: str, statements: list[Statement]) -> tuple[list[list[Sentence]], int, int]:
    """The text as paragraphs of sentences of segments, each segment under the quotes that cover it.

    Returns the paragraphs, how many sentences a quote overlaps, and how many sentences there are.
    Quotes may overlap each other and cross sentence ends: the cuts are the union of all their bounds.
    """
    from peacegraph.curate.coverage import split_sentences

    spans = [(s.start, s.end, s.id) for s in statements if 0 <= s.start < s.end <= len(text)]
    sentences = split_sentences(text)
    paragraphs: list[list[Sentence]] = []
    anchored: set[str] = set()  # each quote gets its anchor on the first run it covers
    used_count = 0
    last_end = None
    for sentence in sentences:
        inside = [(a, b, i) for a, b, i in spans if a < sentence.end and b > sentence.start]
        cuts = {sentence.start, sentence.end}
        cuts.update(x for a, b, _ in inside for x in (a, b) if sentence.start < x < sentence.end)
        points = sorted(cuts)
        segments = []
        for left, right in zip(points, points[1:], strict=False):
            covering = tuple(i for a, b, i in inside if a <= left and b >= right)
            starting = tuple(i for i in covering if i not in anchored)
            anchored.update(starting)
            segments.append(Segment(text[left:right], covering, starting))
        used_count += bool(inside)
        # A new paragraph where a line break lies between this sentence and the previous one.
        if last_end is None or "\n" in text[last_end : sentence.start]:
            paragraphs.append([])
        paragraphs[-1].append(Sentence(segments, bool(inside)))
        last_end = sentence.end
    return paragraphs, used_count, len(sentences)
