"""The canned questions as a REST API, grlc-style: ``GET /api/<question>?<parameter>=<value>``, and its OpenAPI 3 description.

A question's parameters are named as grlc names them (``?_state_iri`` is
``state``), bound as RDF terms by ``query.canned.bind``, and the answer is
negotiated (SPARQL JSON, CSV, TSV, XML, or Turtle in the result-set
vocabulary), or chosen by an extension: ``/api/leaders.csv?org=Armenia``.
Canned questions are trusted text, so they run in process, without the fork
and deadline free SPARQL gets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peacegraph import __version__
from peacegraph.query.canned import ALL_RANKS, CannedQuery, Param, bind
from peacegraph.query.engines import substitute
from peacegraph.query.results import ResultSet
from peacegraph.web.sparql import RESULT_TYPES, negotiate, results_turtle, serialize_results

#: Extension -> media type of a question's answer.
EXTENSIONS = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml",
    "ttl": "text/turtle",
}
#: What the API offers, the default first.
OFFERED = [
    "application/sparql-results+json",
    "text/csv",
    "text/tab-separated-values",
    "application/sparql-results+xml",
    "text/turtle",
    "application/json",
]


@dataclass
class Asked:
    """A question, the values it ran with, its answer and the SPARQL that ran."""

    query: CannedQuery
    values: dict[str, str]
    answer: ResultSet | bytes
    sparql: str


def clean_values(query: CannedQuery, raw: dict[str, str]) -> dict[str, str]:
    """The parameter values a form or URL gives, without empty fields and form controls (``run``).

    Unknown names are kept, so that ``bind`` can say which parameters the question has.
    """
    known = {p.name for p in query.params}
    values = {}
    for name, value in raw.items():
        if name == "run" and name not in known:
            continue
        if value is None or not str(value).strip():
            continue
        values[name] = str(value).strip()
    return values


def ask(engine, query: CannedQuery, values: dict[str, str]) -> Asked:
    """Run a question with string values (QueryError for a bad name, type or entity)."""
    bindings = bind(engine, query, values)
    answer = engine.run(query.text, bindings)
    if isinstance(answer, ResultSet):
        answer = break_ties(query.text, answer)
    return Asked(query, values, answer, substitute(query.text, bindings))


_ORDER_BY = re.compile(r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", re.I | re.S)


def break_ties(text: str, answer: ResultSet) -> ResultSet:
    """Rows the query's ORDER BY leaves tied, put in one fixed order (by all their values), so pages and downloads are reproducible.

    The query's own order stands; only rows equal on every ORDER BY variable are sorted among themselves.
    A query whose ORDER BY has expressions other than variables (or none) keeps its rows as they came.

    >>> from peacegraph.query.results import Term
    >>> rows = [{"a": Term.literal("1"), "b": Term.literal(x)} for x in "zy"] + [{"a": Term.literal("0"), "b": Term.literal("x")}]
    >>> [r["b"].value for r in break_ties("SELECT * { } ORDER BY DESC(?a)", ResultSet(["a", "b"], rows)).rows]
    ['y', 'z', 'x']
    """
    match = _ORDER_BY.search(text.rsplit("}", 1)[-1])
    if not match:
        return answer
    clause = match.group(1).strip()
    keys = re.findall(r"\?(\w+)", clause)
    if not keys or re.sub(r"(?:ASC|DESC)?\s*\(\s*\?\w+\s*\)|\?\w+|\s+", "", clause, flags=re.I):
        return answer

    def value(row, column):
        term = row.get(column)
        return ("", "") if term is None else (term.kind, term.value)

    ordered, start = [], 0
    rows = answer.rows
    while start < len(rows):
        end = start + 1
        while end < len(rows) and all(value(rows[end], k) == value(rows[start], k) for k in keys):
            end += 1
        ordered += sorted(rows[start:end], key=lambda r: [value(r, c) for c in answer.columns])
        start = end
    return ResultSet(answer.columns, ordered, answer.boolean)


def ready(query: CannedQuery, values: dict[str, str]) -> bool:
    """True when every required parameter has a value (given or default): the page can answer at once."""
    return all(p.name in values or p.name in query.defaults for p in query.params if p.required)


def media_for(accept: str, ext: str) -> str | None:
    if ext:
        return EXTENSIONS.get(ext)
    return negotiate(accept, OFFERED)


def encode(answer: ResultSet | bytes, media: str) -> tuple[bytes, str]:
    """The answer in a media type; a CONSTRUCT question's answer is Turtle whatever was asked."""
    if not isinstance(answer, ResultSet):
        return answer, "text/turtle"
    if media == "text/turtle":
        return results_turtle(answer), media
    if media == "application/json":
        media = "application/sparql-results+json"
    return serialize_results(answer, RESULT_TYPES[media]), media


# ---------------------------------------------------------------------------
# OpenAPI 3
# ---------------------------------------------------------------------------


def _schema(param: Param, default: str | None) -> dict:
    kind = param.kind
    if kind == "xsd_date":
        schema = {"type": "string", "format": "date"}
    elif kind == "xsd_boolean":
        schema = {"type": "boolean"}
    elif kind in ("integer", "xsd_integer", "xsd_int", "number"):
        schema = {"type": "integer"}
    else:
        schema = {"type": "string"}
    if default is not None:
        schema["default"] = {"boolean": default == "true", "integer": int(default) if default.lstrip("-").isdigit() else default}.get(
            schema["type"], default
        )
    return schema


def _param_doc(query: CannedQuery, param: Param) -> dict:
    description = param.describe()
    if param.kind == "iri":
        description = "An entity: its IRI, ent:<id>, or a label or alias (e.g. Armenia, Türkiye)"
    if param.name == ALL_RANKS:
        description = "Also return statements deprecated as known errors of their source (a rank column says which)"
    return {
        "name": param.name,
        "in": "query",
        "required": param.required,
        "description": description,
        "schema": _schema(param, query.defaults.get(param.name)),
    }


def openapi(questions: list[CannedQuery]) -> dict:
    """The OpenAPI 3.0 description of the API: one path per question, plus search and the SPARQL endpoint."""
    answers = {
        "application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
        "text/csv": {"schema": {"type": "string"}},
        "text/tab-separated-values": {"schema": {"type": "string"}},
        "application/sparql-results+xml": {"schema": {"type": "string"}},
        "text/turtle": {"schema": {"type": "string"}},
    }
    problem = {"description": "A bad parameter: the message says what to give", "content": {"text/plain": {"schema": {"type": "string"}}}}
    paths: dict[str, dict] = {}
    for q in questions:
        paths[f"/api/{q.name}"] = {
            "get": {
                "operationId": q.name.replace("-", "_"),
                "summary": q.summary,
                "description": q.description + f"\n\nThe SPARQL is queries/{q.name}.rq; the HTML form is /questions/{q.name}.",
                "tags": list(q.tags) or ["questions"],
                "parameters": [_param_doc(q, p) for p in q.params],
                "responses": {"200": {"description": "The answer", "content": answers}, "400": problem},
            }
        }
    paths["/api/search"] = {
        "get": {
            "operationId": "search",
            "summary": "Entities whose label or alias matches, best first (misspellings included)",
            "tags": ["search"],
            "parameters": [
                {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}, "description": "What the reader typed"},
                {"name": "limit", "in": "query", "required": False, "schema": {"type": "integer", "default": 10, "maximum": 50}},
            ],
            "responses": {
                "200": {"description": "Hits", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Hits"}}}}
            },
        }
    }
    sparql_params = [
        {
            "name": "query",
            "in": "query",
            "required": True,
            "schema": {"type": "string"},
            "description": "A SPARQL 1.1 query (read-only; no SERVICE)",
        }
    ]
    sparql_answers = {
        "200": {
            "description": "SELECT/ASK: SPARQL results; CONSTRUCT/DESCRIBE: RDF",
            "content": {
                **answers,
                "application/n-triples": {"schema": {"type": "string"}},
                "application/ld+json": {"schema": {"type": "object"}},
            },
        },
        "400": {"description": "A syntax error, or SERVICE, which is refused"},
        "403": {"description": "An update, which is refused"},
        "503": {"description": "The query ran past its time limit"},
    }
    paths["/sparql"] = {
        "get": {
            "operationId": "sparql_get",
            "summary": "SPARQL 1.1 protocol, query via GET",
            "tags": ["sparql"],
            "parameters": sparql_params,
            "responses": sparql_answers,
        },
        "post": {
            "operationId": "sparql_post",
            "summary": "SPARQL 1.1 protocol, query via POST",
            "tags": ["sparql"],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}
                    },
                    "application/sparql-query": {"schema": {"type": "string"}},
                },
            },
            "responses": sparql_answers,
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "peacegraph",
            "version": __version__,
            "description": "The canned questions of peacegraph (a sourced knowledge graph of the Armenia-Azerbaijan conflict and peace process) as GET calls, with grlc's paths and parameter names, and its read-only SPARQL endpoint.",
            "license": {"name": "MIT"},
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {
                "SparqlResults": {
                    "type": "object",
                    "description": "SPARQL 1.1 Query Results JSON Format",
                    "properties": {
                        "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
                        "results": {"type": "object", "properties": {"bindings": {"type": "array", "items": {"type": "object"}}}},
                        "boolean": {"type": "boolean"},
                    },
                },
                "Hits": {
                    "type": "object",
                    "properties": {
                        "query": {"type": "string"},
                        "hits": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {k: {"type": "string"} for k in ("id", "label", "matched", "kind", "type", "match", "url")},
                            },
                        },
                    },
                },
            }
        },
    }
