"""Where SPARQL runs: the embedded pyoxigraph store over graph/, or a remote endpoint.

Both take query text plus bindings (variable name -> ``Term``) and return a
``ResultSet`` (SELECT, ASK) or Turtle bytes (CONSTRUCT, DESCRIBE). Parameters
are bound as RDF terms the way grlc binds them: each token of a bound variable
(outside strings, IRIs and comments) is replaced by the term in SPARQL syntax,
escaped by ``Term.n3()``, so a value can only ever be one term. The embedded
store does the same rather than use pyoxigraph's ``substitutions``, which
refuse variables that are not projected; one mechanism gives both engines the
same answers. A parameter variable must therefore not be projected.
This module must not import rdflib, pyshacl or owlready2.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import GraphMissingError, PeacegraphError, QueryError
from peacegraph.namespaces import PREFIXES
from peacegraph.query.results import ResultSet, Term

#: Seconds an ad-hoc query may run before it is stopped.
DEFAULT_TIMEOUT = 30.0
USER_AGENT = "peacegraph/0.1 (+https://w3id.org/peacegraph)"

_PROLOGUE = r"(?:\s*(?:#[^\n]*\n|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s+<[^>]*>))*"
_UPDATE = re.compile(_PROLOGUE + r"\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


class RemoteError(PeacegraphError):
    """A remote endpoint could not be reached or gave an unusable answer."""


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""


def is_update(text: str) -> bool:
    """True for SPARQL Update requests (INSERT, DELETE, LOAD, CLEAR ...).

    >>> is_update("PREFIX a: <x:> INSERT DATA { <x:a> <x:b> <x:c> }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    return bool(_UPDATE.match(text))


def refuse_update(text: str) -> None:
    if is_update(text):
        raise QueryError(
            "update operations are refused: the graph is built from seeds/, so edit seeds/ and rebuild; to change a remote store pass --endpoint with --allow-update"
        )


def syntax_message(err: Exception, text: str) -> str:
    """A parser error, with the line and column of the offending character when they are known."""
    message = str(err)
    match = re.search(r"(\d+):(\d+)", message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        lines = text.splitlines()
        if 1 <= line <= len(lines):
            pointer = " " * (column - 1) + "^"
            return f"SPARQL syntax error at line {line}, column {column}: {message}\n  {lines[line - 1]}\n  {pointer}"
    return f"SPARQL syntax error: {message}"


# ---------------------------------------------------------------------------
# Embedded engine: pyoxigraph over graph/
# ---------------------------------------------------------------------------


class EmbeddedEngine:
    """pyoxigraph's in-memory store, loaded from graph/peacegraph.ttl on first use."""

    def __init__(self, graph_dir: Path | None = None, files: list[Path] | None = None, store=None):
        self.graph_dir = graph_dir
        self.files = files
        self._store = store  # an already loaded pyoxigraph.Store (the build's), if given

    @property
    def store(self):
        if self._store is None:
            import pyoxigraph

            files = self.files or [paths.graph_file(self.graph_dir)]
            store = pyoxigraph.Store()
            for path in files:
                if not path.is_file():
                    raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first")
                with open(path, "rb") as handle:
                    store.bulk_load(handle, pyoxigraph.RdfFormat.TURTLE)
            self._store = store
        return self._store

    def run(self, text: str, bindings: dict[str, Term] | None = None, timeout: float | None = None):
        refuse_update(text)
        self.store  # noqa: B018 (load before any fork, so the child inherits the store)
        if timeout is None:
            return self._run(text, bindings or {})
        return _in_child(self._run, (text, bindings or {}), timeout)

    def _run(self, text: str, bindings: dict[str, Term]):
        import pyoxigraph

        text = substitute(text, bindings)
        try:
            answer = self.store.query(text)
        except SyntaxError as err:
            raise QueryError(syntax_message(err, text)) from err
        except (RuntimeError, ValueError, OSError) as err:
            raise QueryError(f"the query failed: {err}") from err
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return ResultSet(boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            return pyoxigraph.serialize(answer, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
        columns = [v.value for v in answer.variables]
        rows = [{c: _from_oxi(solution[c]) for c in columns} for solution in answer]
        return ResultSet(columns, rows)


def _from_oxi(node) -> Term | None:
    import pyoxigraph

    if node is None:
        return None
    if isinstance(node, pyoxigraph.NamedNode):
        return Term("uri", node.value)
    if isinstance(node, pyoxigraph.BlankNode):
        return Term("bnode", node.value)
    lang = node.language
    datatype = None if lang else node.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None  # as SPARQL JSON results write a plain literal
    return Term("literal", node.value, datatype, lang)


def _in_child(function, args, timeout: float):
    """Run function(*args) in a forked child; kill it past ``timeout`` seconds.

    pyoxigraph cannot interrupt a running query, so a runaway ad-hoc query
    (a cross product over the whole graph) runs where it can be killed.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child():
        try:
            sender.send(("ok", function(*args)))
        except PeacegraphError as err:
            sender.send(("error", err))
        except Exception as err:  # report, never hang the parent
            sender.send(("error", QueryError(f"the query failed: {err}")))

    process = context.Process(target=child, daemon=True)
    process.start()
    sender.close()
    if not receiver.poll(timeout):
        process.kill()
        process.join()
        raise QueryTimeout(
            f"the query ran past its {timeout:g} s time limit and was stopped; narrow it (add LIMIT or more specific patterns) or raise --timeout"
        )
    try:
        status, payload = receiver.recv()
    except EOFError:
        process.join()
        raise QueryError(f"the query process died (exit code {process.exitcode})") from None
    process.join()
    if status == "error":
        raise payload
    return payload


# ---------------------------------------------------------------------------
# Remote engine: any SPARQL 1.1 endpoint through SPARQLWrapper
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _token() -> re.Pattern:
    # Compiled on first use: costly to compile, and a query with no parameters never needs it.
    return re.compile(
        r"(?P<comment>#[^\n]*)"
        r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
        r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
        r"|(?P<var>[?$][A-Za-z0-9_]+)",
    )


def substitute(text: str, bindings: dict[str, Term]) -> str:
    """Replace each bound variable token with its escaped term, outside strings, IRIs and comments.

    >>> substitute('SELECT ?x WHERE { ?x ?p ?_who_iri } # ?_who_iri', {"_who_iri": Term.iri("http://e/a")})
    'SELECT ?x WHERE { ?x ?p <http://e/a> } # ?_who_iri'
    """
    if not bindings:
        return text

    def swap(match: re.Match) -> str:
        if match.group("var") and match.group("var")[1:] in bindings:
            return bindings[match.group("var")[1:]].n3()
        return match.group(0)

    return _token().sub(swap, text)


#: SPARQLWrapper's exception classes and the HTTP status behind each.
_STATUS = {
    "QueryBadFormed": "400 (the endpoint says the query is malformed)",
    "Unauthorized": "401 (credentials needed)",
    "EndPointNotFound": "404 (no SPARQL endpoint at this URL)",
    "URITooLong": "414 (query too long for GET)",
    "EndPointInternalError": "500 (the endpoint failed)",
}


def strip_comments(text: str) -> str:
    """The query without its comments (strings and IRIs that hold '#' are kept).

    >>> strip_comments('SELECT * # describes\\nWHERE { ?s ?p "#x" }')
    'SELECT * \\nWHERE { ?s ?p "#x" }'
    """
    return _token().sub(lambda m: "" if m.group("comment") else m.group(0), text)


class RemoteEngine:
    """A SPARQL 1.1 endpoint reached with SPARQLWrapper (JSON results, POST, a timeout)."""

    def __init__(self, endpoint: str, timeout: float = DEFAULT_TIMEOUT, allow_update: bool = False):
        if not re.match(r"^https?://", endpoint):
            raise QueryError(f"endpoint {endpoint!r} is not an http(s) URL")
        self.endpoint = endpoint
        self.timeout = timeout
        self.allow_update = allow_update

    def run(self, text: str, bindings: dict[str, Term] | None = None, timeout: float | None = None):
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

        # Comments go: SPARQLWrapper guesses the query form from the text, and a
        # word like "describes" in a comment made it ask for RDF instead of results.
        text = strip_comments(substitute(text, bindings or {}))
        update = is_update(text)
        if update and not self.allow_update:
            refuse_update(text)
        wrapper = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(max(1, round(timeout or self.timeout))))
        if update:
            wrapper.setRequestMethod("postdirectly")
            wrapper.setQuery(text)
            self._call(wrapper)
            return ResultSet(boolean=True)
        wrapper.setQuery(text)
        query_type = wrapper.queryType
        if query_type in ("CONSTRUCT", "DESCRIBE"):
            wrapper.setReturnFormat(TURTLE)
            return self._call(wrapper).convert()
        wrapper.setReturnFormat(JSON)
        raw = self._call(wrapper)
        return self._parse(raw)

    def _call(self, wrapper):
        import socket
        import urllib.error

        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        where = self.endpoint
        try:
            return wrapper.query()
        except SPARQLWrapperException as err:
            status = _STATUS.get(type(err).__name__, "an error")
            body = str(err).split("Response:", 1)[-1].strip() if "Response:" in str(err) else ""
            if body.startswith(("b'", 'b"')):
                body = body[2:-1].encode("latin-1", "replace").decode("unicode_escape", "replace")
            detail = " ".join(body.split())[:400] or " ".join(str(err).split())[:400]
            raise RemoteError(f"{where} answered HTTP {status}: {detail}") from err
        except urllib.error.HTTPError as err:
            body = err.read().decode("utf-8", "replace")[:300] if err.fp else ""
            raise RemoteError(f"{where} answered HTTP {err.code} {err.reason}: {' '.join(body.split())}") from err
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise RemoteError(f"{where} did not answer within {wrapper.timeout} s; try again or raise --timeout") from err
            raise RemoteError(f"cannot reach {where}: {reason}; is the server running and the URL right?") from err
        except TimeoutError as err:
            raise RemoteError(f"{where} did not answer within {wrapper.timeout} s; try again or raise --timeout") from err
        except OSError as err:
            raise RemoteError(f"cannot reach {where}: {err}") from err

    def _parse(self, raw) -> ResultSet:
        import json

        where = self.endpoint
        content_type = raw.info().get("content-type", "") if hasattr(raw, "info") else ""
        try:
            body = raw.response.read()
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as err:
            kind = (
                "HTML"
                if "html" in content_type or body[:200].lstrip().lower().startswith((b"<!doctype html", b"<html"))
                else "malformed data"
            )
            raise RemoteError(
                f"{where} answered with {kind} ({content_type or 'no content type'}), not SPARQL JSON results; is this the SPARQL query URL?"
            ) from err
        if not isinstance(data, dict):
            raise RemoteError(f"{where} answered JSON that is not a SPARQL results object")
        if "boolean" in data:
            return ResultSet(boolean=bool(data["boolean"]))
        try:
            columns = list(data["head"]["vars"])
            rows = []
            for binding in data["results"]["bindings"]:
                rows.append({c: _from_json(binding.get(c)) for c in columns})
        except (KeyError, TypeError) as err:
            raise RemoteError(f"{where} answered JSON without SPARQL results (missing {err})") from err
        return ResultSet(columns, rows)


def _from_json(value: dict | None) -> Term | None:
    if value is None:
        return None
    kind = value["type"]
    if kind == "typed-literal":
        kind = "literal"
    return Term(kind, value["value"], value.get("datatype"), value.get("xml:lang"))


def make_engine(
    endpoint: str | None = None,
    graph_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_update: bool = False,
    inferred: bool = False,
):
    """The remote engine for an endpoint, else the embedded one (with the inferred triples if asked)."""
    if endpoint:
        return RemoteEngine(endpoint, timeout=timeout, allow_update=allow_update)
    files = [paths.graph_file(graph_dir)]
    if inferred:
        extra = paths.graph_file(graph_dir, paths.INFERRED_FILE_NAME)
        if not extra.is_file():
            raise GraphMissingError(
                f"{extra} does not exist: build with reasoning (needs Java) to get inferred triples, or drop --inferred"
            )
        files.append(extra)
    return EmbeddedEngine(graph_dir, files)
