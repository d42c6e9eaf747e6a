"""SPARQL 1.1 protocol over the embedded store: read the request, run the query under a deadline, write the answer.

Query via GET ``?query=``, POST ``application/x-www-form-urlencoded`` or POST
``application/sparql-query``. Updates are refused (the graph is built from
seeds/); so are ``SERVICE`` (no request may leave this machine) and dataset
parameters. A free query runs in another process that is killed at its
deadline (a worker of :mod:`peacegraph.web.workers`); its answer is cut at a
row cap. Answers are negotiated: SPARQL JSON, XML, CSV, TSV for SELECT and
ASK; Turtle, N-Triples, JSON-LD, RDF/XML for CONSTRUCT and DESCRIBE.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from peacegraph.errors import QueryError
from peacegraph.query.results import ResultSet, render

#: Seconds a free SPARQL query may run before its process is killed.
DEFAULT_TIMEOUT = 10.0
#: Rows a free SPARQL query may return; more are cut (and the answer says so).
DEFAULT_ROW_CAP = 10_000

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
#: ``format=`` values (Fuseki's and Virtuoso's habit) -> media type.
FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


class Refused(QueryError):
    """A request the read-only endpoint does not serve (an update, SERVICE, a dataset); HTTP 400/403."""

    status = 400


def negotiate(accept: str, offered: list[str]) -> str | None:
    """The offered media type the Accept header prefers (q-values, wildcards); the first offered one when nothing is said.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["application/sparql-results+json", "text/csv"])
    'application/sparql-results+json'
    >>> negotiate("text/*", ["application/sparql-results+json", "text/csv"])
    'text/csv'
    >>> negotiate("image/png", ["text/csv"]) is None
    True
    """
    if not accept.strip():
        return offered[0]
    ranges = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for field in fields[1:]:
            if field.startswith("q="):
                try:
                    q = float(field[2:])
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media, q, position))
    best, best_key = None, None
    for index, media in enumerate(offered):
        kind = media.split("/")[0]
        for pattern, q, position in ranges:
            specificity = 2 if pattern == media else 1 if pattern == f"{kind}/*" else 0 if pattern == "*/*" else -1
            if specificity < 0 or q <= 0:
                continue
            key = (q, specificity, -position, -index)
            if best_key is None or key > best_key:
                best, best_key = media, key
    return best


def refuse_service(text: str) -> None:
    """Refuse federated queries: no request may leave this machine.

    The decision is ``peacegraph.query.sparqltext.may_call_out``'s (a letter
    scan, then a parse when the word occurs): a token scan alone is fooled by a
    comment ended with a CR, or by ``<`` and ``>`` operators read as an IRI.
    The engine behind this endpoint checks again before it runs anything.

    >>> refuse_service('SELECT * { ?s ?p "SERVICE" } # SERVICE <x:y>')
    >>> refuse_service("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    peacegraph.web.sparql.Refused: SERVICE (federated query) is refused: this endpoint answers from the local graph only and makes no request to another server
    """
    from peacegraph.query.sparqltext import canonical, may_call_out

    if may_call_out(canonical(text)):
        raise Refused(
            "SERVICE (federated query) is refused: this endpoint answers from the local graph only and makes no request to another server"
        )


@dataclass
class Answer:
    body: bytes
    media_type: str
    truncated: bool = False
    rows: int = 0


def run_query(runner, text: str, accept: str, timeout: float = DEFAULT_TIMEOUT, row_cap: int = DEFAULT_ROW_CAP) -> Answer:
    """Run free SPARQL under the guards and serialise the answer the client asked for.

    ``runner(text, timeout)`` runs the query where it can be killed at the deadline:
    a :class:`peacegraph.web.workers.QueryPool`'s ``run``, or an engine's ``run`` (which forks per query).
    """
    if not text.strip():
        raise QueryError("no query: pass it as the 'query' parameter (GET or form POST) or as an application/sparql-query body")
    refuse_service(text)
    result = runner(text, timeout=timeout)
    if isinstance(result, ResultSet):
        media = negotiate(accept, list(RESULT_TYPES))
        if media is None:
            raise NotAcceptable(f"a SELECT or ASK answer comes as one of: {', '.join(RESULT_TYPES)}")
        truncated = result.boolean is None and len(result.rows) > row_cap
        if truncated:
            result = ResultSet(result.columns, result.rows[:row_cap])
        return Answer(serialize_results(result, RESULT_TYPES[media]), media, truncated, len(result.rows))
    media = negotiate(accept, list(GRAPH_TYPES))
    if media is None:
        raise NotAcceptable(f"a CONSTRUCT or DESCRIBE answer comes as one of: {', '.join(GRAPH_TYPES)}")
    return Answer(convert_turtle(result, GRAPH_TYPES[media]), media)


class NotAcceptable(QueryError):
    """No format the client accepts fits the answer (HTTP 406)."""


def serialize_results(result: ResultSet, fmt: str) -> bytes:
    if fmt == "xml":
        return results_xml(result).encode("utf-8")
    if fmt in ("csv", "tsv") and result.boolean is not None:
        return (("true" if result.boolean else "false") + "\n").encode("utf-8")
    return render(result, fmt).encode("utf-8")


def results_xml(result: ResultSet) -> str:
    """SPARQL 1.1 Query Results XML.

    >>> from peacegraph.query.results import Term
    >>> print(results_xml(ResultSet(["x"], [{"x": Term.literal("a<b", lang="en")}])))  # doctest: +NORMALIZE_WHITESPACE
    <?xml version="1.0"?>
    <sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/></head>
    <results><result><binding name="x"><literal xml:lang="en">a&lt;b</literal></binding></result></results></sparql>
    """
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(c)}/>" for c in result.columns]
    out.append("</head>\n")
    if result.boolean is not None:
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            for column in result.columns:
                term = row.get(column)
                if term is None:
                    continue
                out.append(f"<binding name={quoteattr(column)}>")
                if term.kind == "uri":
                    out.append(f"<uri>{xml_escape(term.value)}</uri>")
                elif term.kind == "bnode":
                    out.append(f"<bnode>{xml_escape(term.value)}</bnode>")
                elif term.lang:
                    out.append(f"<literal xml:lang={quoteattr(term.lang)}>{xml_escape(term.value)}</literal>")
                elif term.datatype:
                    out.append(f"<literal datatype={quoteattr(term.datatype)}>{xml_escape(term.value)}</literal>")
                else:
                    out.append(f"<literal>{xml_escape(term.value)}</literal>")
                out.append("</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "".join(out)


def convert_turtle(turtle: bytes, fmt: str) -> bytes:
    """Turtle (what the engine gives for CONSTRUCT and DESCRIBE) in another RDF syntax."""
    import pyoxigraph

    from peacegraph.namespaces import PREFIXES

    if fmt == "turtle":
        return turtle
    target = {
        "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
        "jsonld": pyoxigraph.RdfFormat.JSON_LD,
        "rdfxml": pyoxigraph.RdfFormat.RDF_XML,
    }[fmt]
    triples = list(pyoxigraph.parse(turtle, pyoxigraph.RdfFormat.TURTLE))
    if fmt == "ntriples":
        triples.sort(key=str)
    kwargs = {"prefixes": PREFIXES} if fmt in ("rdfxml", "jsonld") else {}
    return pyoxigraph.serialize(triples, format=target, **kwargs)


#: The W3C test-suite vocabulary for SELECT answers as RDF (what Jena writes for --results=ttl).
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"


def results_turtle(result: ResultSet) -> bytes:
    """A SELECT or ASK answer as RDF, in the result-set vocabulary, written as Turtle.

    >>> from peacegraph.query.results import Term
    >>> text = results_turtle(ResultSet(["x"], [{"x": Term.iri("https://w3id.org/peacegraph/entity/armenia")}])).decode()
    >>> "rs:resultVariable" in text and "ent:armenia" in text
    True
    """
    import pyoxigraph

    from peacegraph.namespaces import PREFIXES

    def term(t):
        if t.kind == "uri":
            return pyoxigraph.NamedNode(t.value)
        if t.kind == "bnode":
            return pyoxigraph.BlankNode(t.value)
        if t.lang:
            return pyoxigraph.Literal(t.value, language=t.lang)
        if t.datatype:
            return pyoxigraph.Literal(t.value, datatype=pyoxigraph.NamedNode(t.datatype))
        return pyoxigraph.Literal(t.value)

    def rs(name):
        return pyoxigraph.NamedNode(RS + name)

    rdf_type = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
    xsd_integer = pyoxigraph.NamedNode(PREFIXES["xsd"] + "integer")
    root = pyoxigraph.BlankNode("results")
    triples = [pyoxigraph.Triple(root, rdf_type, rs("ResultSet"))]
    if result.boolean is not None:
        triples.append(
            pyoxigraph.Triple(
                root,
                rs("boolean"),
                pyoxigraph.Literal("true" if result.boolean else "false", datatype=pyoxigraph.NamedNode(PREFIXES["xsd"] + "boolean")),
            )
        )
    for column in result.columns:
        triples.append(pyoxigraph.Triple(root, rs("resultVariable"), pyoxigraph.Literal(column)))
    for index, row in enumerate(result.rows, start=1):
        solution = pyoxigraph.BlankNode(f"s{index}")
        triples.append(pyoxigraph.Triple(root, rs("solution"), solution))
        triples.append(pyoxigraph.Triple(solution, rs("index"), pyoxigraph.Literal(str(index), datatype=xsd_integer)))
        for column in result.columns:
            value = row.get(column)
            if value is None:
                continue
            binding = pyoxigraph.BlankNode(f"s{index}_{column}")
            triples.append(pyoxigraph.Triple(solution, rs("binding"), binding))
            triples.append(pyoxigraph.Triple(binding, rs("variable"), pyoxigraph.Literal(column)))
            triples.append(pyoxigraph.Triple(binding, rs("value"), term(value)))
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes={"rs": RS, **PREFIXES})
