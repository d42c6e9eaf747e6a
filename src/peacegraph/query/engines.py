"""Where SPARQL runs: the embedded pyoxigraph store over graph/, or a remote endpoint.

Both take query text plus bindings (variable name -> ``Term``) and return a
``ResultSet`` (SELECT, ASK) or Turtle bytes (CONSTRUCT, DESCRIBE). Parameters
are bound as RDF terms the way grlc binds them: each token of a bound variable
(outside strings, IRIs and comments) is replaced by the term in SPARQL syntax,
escaped by ``Term.n3()``, so a value can only ever be one term. The embedded
store does the same rather than use pyoxigraph's ``substitutions``, which
refuse variables that are not projected; one mechanism gives both engines the
same answers. A parameter variable must therefore not be projected.

What the engines refuse (see docs/refuses.md): updates (the embedded store
only ever runs ``Store.query``, which cannot update; a remote endpoint gets an
update only when rdflib parses the text as one and ``--allow-update`` is
given), SERVICE in the embedded engine unless allowed, answers past
``--max-rows`` or ``--max-bytes``, and anything past ``--timeout`` (one
deadline for everything a command runs, counted from when ``make_engine``
made the engine). The project's prefixes are predeclared.
This module must not import rdflib, pyshacl or owlready2.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import GraphMissingError, QueryError
from peacegraph.namespaces import PREFIXES
from peacegraph.query import sparqltext
from peacegraph.query.http import USER_AGENT, RemoteError, send  # noqa: F401 (USER_AGENT, RemoteError: re-exported)
from peacegraph.query.limits import (  # noqa: F401 (QueryTimeout, DEFAULT_TIMEOUT: re-exported)
    DEFAULT_TIMEOUT,
    Deadline,
    Limits,
    QueryTimeout,
    in_child,
    streamed_from_child,
    too_many_bytes,
    too_many_rows,
)
from peacegraph.query.results import ResultSet, RowStream, Term
from peacegraph.query.sparqltext import shown, syntax_message  # noqa: F401 (syntax_message: re-exported for export.views)

UPDATE_REFUSED = (
    "update operations are refused: the graph is built from seeds/, so edit seeds/ and rebuild; "
    "to change a remote store pass --endpoint with --allow-update"
)

#: Rows per message when an answer is streamed from the query's child process.
STREAM_CHUNK = 2000

_PROLOGUE = r"(?:\s*(?:#[^\n]*\n|PREFIX\s*[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>))*"
_UPDATE_WORD = re.compile(_PROLOGUE + r"\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)


class GraphUnreadableError(GraphMissingError):
    """A graph/ file is there but cannot be read as Turtle."""


def is_update(text: str) -> bool:
    """True when the text opens like a SPARQL Update; only words a message, never guards anything.

    The embedded store cannot run updates at all, and remote endpoints are
    guarded by parsing (``sparqltext.classify``): a first-keyword test is
    too easy to dress up (``BASE<x>DROP ALL``, a byte-order mark ...).

    >>> is_update("PREFIX a: <x:> INSERT DATA { <x:a> <x:b> <x:c> }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    return bool(_UPDATE_WORD.match(sparqltext.canonical(text)))


def refuse_update(text: str) -> None:
    if is_update(text):
        raise QueryError(UPDATE_REFUSED)


# ---------------------------------------------------------------------------
# Embedded engine: pyoxigraph over graph/
# ---------------------------------------------------------------------------


class EmbeddedEngine:
    """pyoxigraph's in-memory store, loaded from graph/peacegraph.ttl on first use.

    With ``limits`` each query runs in a child process, killed after
    ``limits.timeout`` seconds (or when ``deadline``, shared by every query of
    one command, passes) and its answer is capped; without (library use) it
    runs in this process, uncapped.
    """

    def __init__(
        self,
        graph_dir: Path | None = None,
        files: list[Path] | None = None,
        limits: Limits | None = None,
        allow_service: bool = False,
        deadline: Deadline | None = None,
        store=None,
    ):
        self.graph_dir = graph_dir
        self.files = files
        self.limits = limits
        self.allow_service = allow_service
        self.deadline = deadline
        self._store = store  # an already loaded pyoxigraph.Store (the build's), if given

    @property
    def store(self):
        if self._store is None:
            self._store = load_graph(self.files or [paths.graph_file(self.graph_dir)])
        return self._store

    def run(self, text: str, bindings: dict[str, Term] | None = None, timeout: float | None = None, stream: bool = False):
        """A ResultSet (SELECT, ASK) or Turtle bytes; with ``stream`` (and limits), a SELECT answer comes as a RowStream."""
        text = sparqltext.canonical(text)
        if not self.allow_service:
            # Checked before the bindings go in: each is one escaped term, which cannot add a clause.
            sparqltext.refuse_service(text)
        text = substitute(text, bindings or {})
        self.store  # noqa: B018 (load before any fork, so the child inherits the store)
        limit = timeout if timeout is not None else (self.limits.timeout if self.limits else None)
        if limit is None:
            return self._run(text)
        seconds = limit if self.deadline is None else min(limit, self.deadline.remaining())
        if not stream:
            return in_child(self._run, (text,), seconds, lambda: _timeout(limit))
        messages = streamed_from_child(self._run, (text,), seconds, lambda: _timeout(limit))
        kind, payload = next(messages)
        if kind == "columns":
            return RowStream(payload, (chunk for kind, chunk in messages if kind == "rows"))
        messages.close()
        return payload

    def _run(self, text: str, send=None):
        """The answer; with ``send``, a SELECT answer is sent as ("columns", names) then ("rows", chunk) messages instead."""
        import pyoxigraph

        max_rows = self.limits.max_rows if self.limits else None
        max_bytes = self.limits.max_bytes if self.limits else None
        try:
            answer = self.store.query(text, prefixes=PREFIXES)
            if isinstance(answer, pyoxigraph.QueryBoolean):
                return ResultSet(boolean=bool(answer))
            if isinstance(answer, pyoxigraph.QueryTriples):
                triples = []
                for triple in answer:
                    if max_rows is not None and len(triples) >= max_rows:
                        raise too_many_rows(max_rows, "the answer (in triples)")
                    triples.append(triple)
                data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
                if max_bytes is not None and len(data) > max_bytes:
                    raise too_many_bytes(max_bytes, "the Turtle answer")
                return data
            columns = [v.value for v in answer.variables]
            if send is not None:
                send(("columns", columns))
            rows: list[dict[str, Term | None]] = []
            count = 0
            for solution in answer:
                if max_rows is not None and count >= max_rows:
                    raise too_many_rows(max_rows)
                rows.append({c: _from_oxi(solution[c]) for c in columns})
                count += 1
                if send is not None and len(rows) == STREAM_CHUNK:
                    send(("rows", rows))
                    rows = []
            if send is not None:
                send(("rows", rows))
                return None
            return ResultSet(columns, rows)
        except QueryError:
            raise  # a cap, already worded
        except SyntaxError as err:
            # Store.query() cannot update; an update fails to parse here, and is worded as what it is.
            raise QueryError(UPDATE_REFUSED if is_update(text) else syntax_message(err, text)) from None
        except (RuntimeError, ValueError, OSError) as err:
            raise QueryError(f"the query failed: {shown(str(err), 300)}") from None


def _timeout(seconds: float) -> QueryTimeout:
    return QueryTimeout(
        f"the query ran past its {seconds:g} s time limit and was stopped; narrow it (add LIMIT or more specific patterns) or raise --timeout"
    )


def load_graph(files: list[Path]):
    """A pyoxigraph store holding the Turtle files; each file is opened before any is read.

    Opening them all first, through one handle on their folder, reads one
    generation of graph/ even if a build swaps in the next one meanwhile.

    ``Store.load``, not ``bulk_load``: both read the same triples in about the
    same time, but after ``bulk_load`` every query in the loading thread ran
    2-3 times slower at 100 times the seeds than on the seeds, with the same
    plan (``entity`` 19 ms against 7 ms). The cost is in glibc's allocator,
    not in the store: the same query ran in 7 ms in another thread, or with
    ``GLIBC_TUNABLES=glibc.malloc.tcache_count=1000``, or after ``load``
    (benchmarks/README.md, "Canned questions at scale").
    """
    import pyoxigraph

    handles = _open_all(files)
    try:
        store = pyoxigraph.Store()
        for path, handle in zip(files, handles, strict=True):
            try:
                store.load(handle, pyoxigraph.RdfFormat.TURTLE)
            except SyntaxError as err:
                detail = shown(str(err).splitlines()[0] if str(err) else "", 200)
                raise GraphUnreadableError(f"{path} is not valid Turtle ({detail}); rebuild it with 'peacegraph build'") from None
            except (OSError, ValueError, RuntimeError) as err:
                raise GraphUnreadableError(f"cannot read {path}: {shown(str(err), 200)}; rebuild it with 'peacegraph build'") from None
        return store
    finally:
        for handle in handles:
            handle.close()


def _open_all(files: list[Path]) -> list:
    handles = []
    folders: dict[Path, int] = {}
    try:
        for path in files:
            folder = path.parent
            if folder not in folders:
                try:
                    folders[folder] = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
                except OSError:
                    raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first") from None
            try:
                fd = os.open(path.name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folders[folder])
            except FileNotFoundError:
                raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first") from None
            except OSError as err:
                raise GraphUnreadableError(f"cannot read {path}: {err.strerror}") from None
            handle = os.fdopen(fd, "rb")
            handles.append(handle)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise GraphUnreadableError(f"{path} is not a regular file; rebuild graph/ with 'peacegraph build'")
            os.set_blocking(fd, True)
        return handles
    except BaseException:
        for handle in handles:
            handle.close()
        raise
    finally:
        for fd in folders.values():
            os.close(fd)


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


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------


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

    return sparqltext.token_pattern().sub(swap, text)


def strip_comments(text: str) -> str:
    """The query without its comments (strings and IRIs that hold '#' are kept).

    >>> strip_comments('SELECT * # describes\\nWHERE { ?s ?p "#x" }')
    'SELECT * \\nWHERE { ?s ?p "#x" }'
    """
    return sparqltext.token_pattern().sub(lambda m: "" if m.group("comment") else m.group(0), text)


# ---------------------------------------------------------------------------
# Remote engine: any SPARQL 1.1 endpoint, through the SPARQL 1.1 Protocol
# ---------------------------------------------------------------------------

RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.5"

#: HTTP status -> what it usually means from a SPARQL endpoint.
_STATUS = {
    400: " (the endpoint says the query is malformed)",
    401: " (credentials needed)",
    403: " (the endpoint refuses this request)",
    404: " (no SPARQL endpoint at this URL)",
    405: " (this URL does not take SPARQL POSTs)",
    414: " (query too long)",
    500: " (the endpoint failed)",
}


class RemoteEngine:
    """A SPARQL 1.1 endpoint: POSTed form, JSON results, no redirects followed, a total deadline, capped answers.

    Each query may take ``limits.timeout`` seconds in all (connecting, waiting,
    reading), and no query goes past ``deadline`` when one is given (shared by
    every query of one command).
    """

    def __init__(
        self,
        endpoint: str,
        timeout: float = DEFAULT_TIMEOUT,
        allow_update: bool = False,
        limits: Limits | None = None,
        deadline: Deadline | None = None,
    ):
        from peacegraph.query.http import check_url

        self.endpoint = check_url(endpoint)
        self.limits = limits or Limits(timeout=timeout)
        self.allow_update = allow_update
        self.deadline = deadline

    @property
    def timeout(self) -> float:
        return self.limits.timeout

    def run(self, text: str, bindings: dict[str, Term] | None = None, timeout: float | None = None, stream: bool = False):
        """A ResultSet (SELECT, ASK) or Turtle bytes (``stream`` is accepted and ignored: JSON results are read whole, capped)."""
        text = sparqltext.canonical(text)
        text = sparqltext.expand_escapes(substitute(text, bindings or {}))
        kind, form = sparqltext.classify(text)
        if kind == "update" and not self.allow_update:
            raise QueryError(UPDATE_REFUSED)
        # What is sent is what was parsed, plus PREFIX lines (which cannot turn a query into an update).
        text = sparqltext.missing_prefixes(text) + text
        seconds = self.limits.timeout if timeout is None else timeout
        if self.deadline is not None:
            seconds = min(seconds, self.deadline.remaining())
        return in_child(self._exchange, (kind, form, text), seconds, self._too_slow)

    def _too_slow(self) -> RemoteError:
        return RemoteError(f"{self.endpoint} did not answer within {self.limits.timeout:g} s; try again or raise --timeout")

    def _exchange(self, kind: str, form: str | None, text: str):
        import urllib.parse

        field = "update" if kind == "update" else "query"
        accept = "*/*" if kind == "update" else (RDF_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON)
        answer = send(
            "POST",
            self.endpoint,
            urllib.parse.urlencode({field: text}).encode("utf-8"),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
            self.limits.max_bytes,
            self.limits.timeout,
        )
        where = self.endpoint
        if 300 <= answer.status < 400:
            location = shown(answer.headers.get("Location") or "nowhere", 300)
            raise RemoteError(
                f"{where} answered HTTP {answer.status}, redirecting to {location}; redirects are not followed: "
                "use that URL as --endpoint if you trust it"
            )
        if answer.status not in (200, 204) or (answer.status == 204 and kind != "update"):
            raise RemoteError(
                f"{where} answered HTTP {answer.status} {shown(answer.reason, 60)}{_STATUS.get(answer.status, '')}: {answer.detail()}"
            )
        if kind == "update":
            return ResultSet(boolean=True)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return rdf_answer(answer, where, self.limits.max_rows, self.limits.max_bytes)
        return json_results(answer.body, answer.content_type, where, self.limits.max_rows)


def rdf_answer(answer, where: str, max_rows: int, max_bytes: int) -> bytes:
    """An RDF answer re-serialized as Turtle with the project's prefixes (control characters escaped on the way)."""
    import pyoxigraph

    rdf_format = pyoxigraph.RdfFormat.from_media_type(answer.content_type) if answer.content_type else None
    if rdf_format is None:
        raise RemoteError(f"{where} answered {shown(answer.content_type or 'no content type', 80)}, not RDF; is this a SPARQL endpoint?")
    triples = []
    try:
        for triple in pyoxigraph.parse(answer.body, rdf_format):
            if len(triples) >= max_rows:
                raise too_many_rows(max_rows, f"the answer of {where} (in triples)")
            triples.append(triple)
    except SyntaxError as err:
        raise RemoteError(f"{where} answered malformed {rdf_format.name}: {shown(str(err), 200)}") from None
    data = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
    if len(data) > max_bytes:
        raise too_many_bytes(max_bytes, "the Turtle answer")
    return data


@functools.lru_cache(maxsize=1)
def _variable() -> re.Pattern:
    # Compiled on first use (a large character class): only remote answers need it.
    return re.compile(
        r"^[A-Za-z0-9_\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C\u200D\u203F\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]{1,200}$"
    )


_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TERM_KINDS = {"uri", "literal", "typed-literal", "bnode"}


def json_results(body: bytes, content_type: str, where: str, max_rows: int) -> ResultSet:
    """SPARQL 1.1 JSON results, every part checked for its shape; RemoteError saying what is wrong."""
    import json

    class NotJson(ValueError):
        pass

    def reject_constant(name: str):
        raise NotJson(name)

    try:
        data = json.loads(body, parse_constant=reject_constant)
    except NotJson as err:
        raise RemoteError(f"{where} answered malformed SPARQL JSON results: {err} is not a JSON value") from None
    except RecursionError:
        raise RemoteError(f"{where} answered JSON nested too deeply to read; is this a SPARQL endpoint?") from None
    except (ValueError, UnicodeDecodeError):
        html = "html" in content_type or body[:200].lstrip().lower().startswith((b"<!doctype html", b"<html"))
        kind = "HTML" if html else "malformed data"
        raise RemoteError(
            f"{where} answered with {kind} ({shown(content_type, 80) or 'no content type'}), not SPARQL JSON results; is this the SPARQL query URL?"
        ) from None
    if not isinstance(data, dict):
        raise RemoteError(f"{where} answered JSON that is not a SPARQL results object")

    def malformed(what: str) -> RemoteError:
        return RemoteError(f"{where} answered malformed SPARQL JSON results: {what}")

    if "boolean" in data:
        if not isinstance(data["boolean"], bool):
            raise malformed(f"'boolean' is {shown(json.dumps(data['boolean']), 40)}, not a JSON boolean")
        return ResultSet(boolean=data["boolean"])
    if "head" not in data or "results" not in data:
        raise RemoteError(f"{where} answered JSON without SPARQL results (no 'head' and 'results', nor 'boolean')")
    head, results = data["head"], data["results"]
    if not isinstance(head, dict) or not isinstance(head.get("vars"), list):
        raise malformed("'head.vars' is not a list")
    columns = head["vars"]
    for name in columns:
        if not isinstance(name, str) or not _variable().match(name):
            raise malformed(f"variable {shown(json.dumps(name), 40)} is not a SPARQL variable name")
    if len(set(columns)) != len(columns):
        raise malformed("a variable is listed twice in 'head.vars'")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise malformed("'results.bindings' is not a list")
    bindings = results["bindings"]
    if len(bindings) > max_rows:
        raise too_many_rows(max_rows, f"the answer of {where}")
    rows = []
    for binding in bindings:
        if not isinstance(binding, dict):
            raise malformed("a row of 'results.bindings' is not an object")
        rows.append({c: _json_term(binding.get(c), malformed) for c in columns})
    return ResultSet(columns, rows)


def _json_term(value, malformed) -> Term | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise malformed("a bound value is not an object")
    kind = value.get("type")
    if kind not in _TERM_KINDS:
        raise malformed(f"a value has type {shown(repr(kind), 40)}, not uri, literal or bnode")
    fields = {key: value.get(key) for key in ("value", "datatype", "xml:lang")}
    if not isinstance(fields["value"], str):
        raise malformed(f"a value is {shown(repr(fields['value']), 40)}, not a string")
    for key, text in fields.items():
        if text is not None and not isinstance(text, str):
            raise malformed(f"'{key}' is not a string")
        if text is not None and _SURROGATE.search(text):
            raise malformed(f"'{key}' holds a lone surrogate, which is not a character")
    return Term("literal" if kind == "typed-literal" else kind, fields["value"], fields["datatype"], fields["xml:lang"])


def make_engine(
    endpoint: str | None = None,
    graph_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    allow_update: bool = False,
    inferred: bool = False,
    max_rows: int | None = None,
    max_bytes: int | None = None,
    allow_service: bool = False,
):
    """The remote engine for an endpoint, else the embedded one (with the inferred triples if asked), under the CLI's limits.

    The deadline starts now: every query the command runs (entity lookups included) shares it.
    """
    defaults = Limits()
    limits = Limits(timeout, max_rows or defaults.max_rows, max_bytes or defaults.max_bytes)
    deadline = Deadline(timeout)
    if endpoint:
        return RemoteEngine(endpoint, allow_update=allow_update, limits=limits, deadline=deadline)
    files = [paths.graph_file(graph_dir)]
    if inferred:
        extra = paths.graph_file(graph_dir, paths.INFERRED_FILE_NAME)
        if not extra.is_file():
            raise GraphMissingError(
                f"{extra} does not exist: build with reasoning (needs Java) to get inferred triples, or drop --inferred"
            )
        files.append(extra)
    return EmbeddedEngine(graph_dir, files, limits=limits, allow_service=allow_service, deadline=deadline)
