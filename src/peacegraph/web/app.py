"""The web application of ``peacegraph serve``: pages, search, the REST API and the SPARQL endpoint, on Starlette.

The graph is loaded once into the embedded pyoxigraph store and the catalog
(:mod:`peacegraph.web.catalog`) is built from the web queries at startup. The
graph does not change while it is served, so a rendered page is kept and
served again (the cache holds every entity and document page, and the most
recent question answers). Free SPARQL runs in worker processes, one killed
and replaced when a query passes its deadline; page, search and question
requests run in this process.

Every response carries a Content-Security-Policy that lets a page load and
connect to this server only, so nothing a page shows can make the browser
reach another host.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import urllib.parse
from importlib import resources
from pathlib import Path

from peacegraph.errors import PeacegraphError, QueryError
from peacegraph.namespaces import PREFIXES
from peacegraph.query.engines import QueryTimeout, is_update
from peacegraph.web import api
from peacegraph.web.catalog import Catalog
from peacegraph.web.display import ID
from peacegraph.web.pages import Pages
from peacegraph.web.sparql import DEFAULT_ROW_CAP, DEFAULT_TIMEOUT, NotAcceptable, Refused, negotiate, run_query
from peacegraph.web.workers import QueryPool

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]
#: The static files: name -> (package, folder, file). The neighbourhood graph reuses the export's library and script.
ASSETS = {
    "app.css": ("peacegraph.web", "static", "app.css"),
    "app.js": ("peacegraph.web", "static", "app.js"),
    "graph.css": ("peacegraph.web", "static", "graph.css"),
    "query.js": ("peacegraph.web", "static", "query.js"),
    "vendor/yasgui.min.js": ("peacegraph.web", "static/vendor", "yasgui.min.js"),
    "vendor/yasgui.min.css": ("peacegraph.web", "static/vendor", "yasgui.min.css"),
    "vendor/yasgui.LICENSE": ("peacegraph.web", "static/vendor", "yasgui.LICENSE"),
    "vendor/yasgui.bundled-licenses.txt": ("peacegraph.web", "static/vendor", "yasgui.bundled-licenses.txt"),
    "cytoscape.min.js": ("peacegraph.export", "vendor", "cytoscape.min.js"),
    "cytoscape.LICENSE": ("peacegraph.export", "vendor", "cytoscape.LICENSE"),
    "graph.js": ("peacegraph.export", "assets", "graph.js"),
}
MEDIA = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}
ENTITY_FORMATS = {
    "text/html": "html",
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
}
ENTITY_EXTENSIONS = {v: k for k, v in ENTITY_FORMATS.items()}
#: The prefixes a new query on the query page declares: the graph's own and the vocabularies its data uses most.
QUERY_PREFIXES = ("pg", "pgc", "ent", "stmt", "doc", "dis", "p", "ps", "pq", "rdf", "rdfs", "xsd", "skos", "dcterms", "prov", "oa")
#: Free SPARQL queries running at once (each in one of as many worker processes, one per core); more wait their turn.
SPARQL_SLOTS = 2


def asset_bytes(name: str) -> bytes:
    package, folder, file = ASSETS[name]
    return resources.files(package).joinpath(folder, file).read_bytes()


class SecurityHeaders:
    """ASGI middleware: the CSP and its companions on every HTTP response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        return await self.app(scope, receive, sending)


class Site:
    """The state behind the routes: catalog, pages, caches and limits."""

    def __init__(self, catalog: Catalog, timeout: float = DEFAULT_TIMEOUT, row_cap: int = DEFAULT_ROW_CAP):
        self.catalog = catalog
        self.pages = Pages(catalog)
        self.timeout = timeout
        self.row_cap = row_cap
        self.slots = asyncio.Semaphore(SPARQL_SLOTS)
        self.pool = QueryPool(catalog.engine, SPARQL_SLOTS)
        self.cache: dict[str, bytes] = {}
        self.assets = {name: asset_bytes(name) for name in ASSETS}
        self.openapi = json.dumps(api.openapi(catalog.questions), indent=1, ensure_ascii=False).encode("utf-8")
        self.examples = [{"name": q.name, "summary": q.summary, "query": q.text} for q in catalog.questions]
        catalog.search.search("warm up")  # imports rapidfuzz now rather than on the first reader's keystroke

    def cached(self, key: str, render) -> bytes:
        page = self.cache.get(key)
        if page is None:
            page = self.cache[key] = render().encode("utf-8")
        return page

    @functools.lru_cache(maxsize=512)  # noqa: B019 (one Site per process)
    def question_page(self, name: str, items: tuple[tuple[str, str], ...]) -> tuple[int, bytes]:
        query = self.catalog.question(name)
        values = dict(items)
        run = "run" in values or api.ready(query, api.clean_values(query, values))
        values = api.clean_values(query, values)
        if not run:
            return 200, self.pages.question(query, values).encode("utf-8")
        try:
            asked = api.ask(self.catalog.engine, query, values)
        except QueryError as err:
            return 400, self.pages.question(query, values, error=str(err), ran=True).encode("utf-8")
        return 200, self.pages.question(query, values, answer=asked.answer, sparql=asked.sparql, ran=True).encode("utf-8")

    @functools.lru_cache(maxsize=512)  # noqa: B019 (one Site per process)
    def api_answer(self, name: str, items: tuple[tuple[str, str], ...], media: str) -> tuple[bytes, str]:
        query = self.catalog.question(name)
        asked = api.ask(self.catalog.engine, query, api.clean_values(query, dict(items)))
        return api.encode(asked.answer, media)

    @functools.lru_cache(maxsize=1024)  # noqa: B019 (one Site per process)
    def entity_rdf(self, entity_id: str, fmt: str) -> bytes:
        from peacegraph.query.results import Term
        from peacegraph.web.catalog import web_query
        from peacegraph.web.sparql import convert_turtle

        query = web_query("entity-rdf")
        turtle = self.catalog.engine.run(query.text, {"_entity_iri": Term.iri(self.catalog.entities[entity_id].iri)})
        return convert_turtle(turtle, {"ttl": "turtle", "nt": "ntriples", "jsonld": "jsonld", "rdf": "rdfxml"}[fmt])


def create_app(
    graph_dir: Path | None = None,
    documents_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    row_cap: int = DEFAULT_ROW_CAP,
    catalog: Catalog | None = None,
):
    """The ASGI application over graph/ (or ``graph_dir``); builds the catalog now, so errors show before serving."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    site = Site(catalog or Catalog(graph_dir=graph_dir, documents_dir=documents_dir), timeout, row_cap)
    catalog = site.catalog
    pages = site.pages

    def html(body: bytes | str, status: int = 200, headers: dict | None = None) -> Response:
        return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=headers)

    def not_found(message: str) -> Response:
        return html(pages.error(404, message), 404)

    async def page(key: str, render) -> Response:
        body = site.cache.get(key)
        if body is None:
            body = await run_in_threadpool(site.cached, key, render)
        return html(body)

    async def home(request: Request) -> Response:
        return await page("home", pages.home)

    async def entity(request: Request) -> Response:
        raw = request.path_params["id"]
        entity_id, dot, ext = raw.rpartition(".") if raw.rpartition(".")[2] in ENTITY_EXTENSIONS else (raw, "", "")
        found = catalog.entities.get(entity_id) if ID.fullmatch(entity_id) else None
        if found is None:
            hits = catalog.search.search(entity_id.replace("-", " "), 5)
            hint = ("; did you mean " + ", ".join(h.label for h in hits) + "?") if hits else ""
            return not_found(f"No entity has the id {entity_id!r}{hint}")
        if not ext:
            media = negotiate(request.headers.get("accept", ""), list(ENTITY_FORMATS))
            if media is None:
                return PlainTextResponse(f"the entity comes as one of: {', '.join(ENTITY_FORMATS)}", 406)
            ext = ENTITY_FORMATS[media]
        vary = {"Vary": "Accept"}
        if ext == "html":
            response = await page(f"entity/{entity_id}", functools.partial(pages.entity, found))
            response.headers.update(vary)
            return response
        body = await run_in_threadpool(site.entity_rdf, entity_id, ext)
        media = ENTITY_EXTENSIONS[ext] + ("; charset=utf-8" if ext in ("ttl", "nt") else "")
        return Response(body, media_type=media, headers=vary)

    async def entity_graph(request: Request) -> Response:
        entity_id = request.path_params["id"]
        found = catalog.entities.get(entity_id)
        if found is None:
            return not_found(f"No entity has the id {entity_id!r}")
        return await page(f"entity/{entity_id}/graph", functools.partial(pages.entity_graph, found))

    async def document(request: Request) -> Response:
        doc_id = request.path_params["id"].removesuffix(".html")
        doc = catalog.documents.get(doc_id)
        if doc is None:
            return not_found(f"No source document has the id {doc_id!r}; the sources are {', '.join(sorted(catalog.documents))}")
        return await page(f"document/{doc_id}", functools.partial(pages.document, doc))

    async def statement(request: Request) -> Response:
        found = catalog.statements.get(request.path_params["id"])
        if found is None:
            return not_found(f"No statement has the id {request.path_params['id']!r}")
        target = found.subject.entity
        url = f"/entity/{target}#s-{found.id}" if target else f"/document/{found.source}#q-{found.id}"
        return RedirectResponse(url, 303)

    async def disagreement(request: Request) -> Response:
        return RedirectResponse(f"/disagreements#{urllib.parse.quote(request.path_params['id'])}", 303)

    async def disagreements(request: Request) -> Response:
        return await page("disagreements", pages.disagreements)

    async def questions(request: Request) -> Response:
        return await page("questions", pages.questions)

    async def question(request: Request) -> Response:
        name = request.path_params["name"]
        if catalog.question(name) is None:
            return not_found(f"No question is called {name!r}; see /questions")
        items = tuple(sorted(request.query_params.items()))
        status, body = await run_in_threadpool(site.question_page, name, items)
        return html(body, status)

    async def search_page(request: Request) -> Response:
        q = request.query_params.get("q", "")
        hits = catalog.search.search(q, 50)
        if len(hits) == 1 and hits[0].level == 0 and request.query_params.get("go") == "1":
            return RedirectResponse(f"/entity/{hits[0].entity}", 303)
        return html(pages.search(q, hits))

    async def search_api(request: Request) -> Response:
        q = request.query_params.get("q", "")
        try:
            limit = max(1, min(50, int(request.query_params.get("limit", "10"))))
        except ValueError:
            limit = 10
        hits = [dict(h.as_json(), url=f"/entity/{h.entity}") for h in catalog.search.search(q, limit)]
        return JSONResponse({"query": q, "hits": hits})

    async def api_page(request: Request) -> Response:
        return await page("api", functools.partial(pages.api, catalog.questions))

    async def openapi(request: Request) -> Response:
        return Response(site.openapi, media_type="application/json")

    async def api_question(request: Request) -> Response:
        raw = request.path_params["name"]
        name, _, ext = raw.partition(".")
        if catalog.question(name) is None:
            return PlainTextResponse(f"no question is called {name!r}; the list is at /api/openapi.json", 404)
        media = api.media_for(request.headers.get("accept", ""), ext)
        if media is None:
            offered = ", ".join(api.EXTENSIONS) if ext else ", ".join(api.OFFERED)
            return PlainTextResponse(f"the answer comes as one of: {offered}", 406 if not ext else 404)
        items = tuple(sorted(request.query_params.items()))
        try:
            body, media = await run_in_threadpool(site.api_answer, name, items, media)
        except QueryError as err:
            return PlainTextResponse(str(err), 400)
        headers = {}
        if ext:
            headers["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
        charset = "; charset=utf-8" if media.startswith("text/") else ""
        return Response(body, media_type=media + charset, headers=headers)

    async def sparql_endpoint(request: Request) -> Response:
        try:
            text = await _query_text(request)
        except Refused as err:
            return PlainTextResponse(str(err), err.status)
        if text is None:
            return PlainTextResponse(
                "no query: pass it as the 'query' parameter (GET or form POST) or as an application/sparql-query body", 400
            )
        if is_update(text):
            return PlainTextResponse(
                "updates are refused: this endpoint is read-only (the graph is built from seeds/; edit them and rebuild)", 403
            )
        accept = request.query_params.get("format") or request.headers.get("accept", "")
        accept = FORMAT_ALIASES.get(accept, accept)
        try:
            await asyncio.wait_for(site.slots.acquire(), site.timeout)
        except TimeoutError:
            return PlainTextResponse(f"the server was busy with other queries for {site.timeout:g} s; try again", 503)
        try:
            try:
                answer = await run_in_threadpool(run_query, site.pool.run, text, accept, site.timeout, site.row_cap)
            except Refused as err:
                return PlainTextResponse(str(err), err.status)
            except NotAcceptable as err:
                return PlainTextResponse(str(err), 406)
            except QueryTimeout as err:
                return PlainTextResponse(str(err), 503)
            except PeacegraphError as err:
                return PlainTextResponse(str(err), 400)
        finally:
            site.slots.release()
        headers = {}
        if answer.truncated:
            headers["X-Peacegraph-Truncated"] = f"rows cut at {site.row_cap}"
        charset = "; charset=utf-8" if answer.media_type.startswith("text/") else ""
        return Response(answer.body, media_type=answer.media_type + charset, headers=headers)

    async def query_page(request: Request) -> Response:
        # /query is the page, and also the endpoint for clients of the oxigraph server that 'serve' ran before (same URL).
        accept = request.headers.get("accept", "")
        wants_page = request.method == "GET" and negotiate(accept, ["text/html", "application/sparql-results+json"]) == "text/html"
        if not wants_page and (request.method == "POST" or "query" in request.query_params):
            return await sparql_endpoint(request)
        initial = request.query_params.get("query", "")
        body = pages.sparql(initial, site.examples, {p: PREFIXES[p] for p in QUERY_PREFIXES}, site.timeout, site.row_cap)
        return html(body)

    async def static(request: Request) -> Response:
        name = request.path_params["path"]
        body = site.assets.get(name)
        if body is None:
            return PlainTextResponse("not found", 404)
        media = MEDIA.get(Path(name).suffix, "application/octet-stream")
        return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})

    async def health(request: Request) -> Response:
        return JSONResponse({"entities": len(catalog.entities), "statements": len(catalog.statements)})

    routes = [
        Route("/", home),
        Route("/entity/{id}/graph", entity_graph),
        Route("/entity/{id}", entity),
        Route("/document/{id}", document),
        Route("/statement/{id}", statement),
        Route("/disagreement/{id}", disagreement),
        Route("/disagreements", disagreements),
        Route("/questions", questions),
        Route("/questions/{name}", question),
        Route("/search", search_page),
        Route("/api", api_page),
        Route("/api/search", search_api),
        Route("/api/openapi.json", openapi),
        Route("/api/{name}", api_question),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/query", query_page, methods=["GET", "POST"]),
        Route("/static/{path:path}", static),
        Route("/health", health),
    ]

    async def on_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        message = getattr(exc, "detail", None) or "the server failed to answer"
        if status == 405:
            message = "this address is read-only: it answers GET (and POST for SPARQL queries)"
        return html(pages.error(status, str(message)), status)

    from starlette.exceptions import HTTPException

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        site.pool.close()

    app = Starlette(routes=routes, exception_handlers={HTTPException: on_error}, lifespan=lifespan)
    app.state.site = site
    return SecurityHeaders(app)


FORMAT_ALIASES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
_FORM = "application/x-www-form-urlencoded"


async def _query_text(request) -> str | None:
    """The query of a SPARQL protocol request (GET, form POST or direct POST); Refused for updates and datasets."""
    params = dict(request.query_params)
    if request.method == "POST":
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = (await request.body()).decode("utf-8", "replace")
        if content_type == "application/sparql-update":
            raise _refused("updates are refused: this endpoint is read-only (the graph is built from seeds/; edit them and rebuild)", 403)
        if content_type == _FORM:
            params.update(urllib.parse.parse_qsl(body, keep_blank_values=True))
        elif content_type == "application/sparql-query":
            params["query"] = body
        else:
            raise _refused(f"POST a query as {_FORM} (query=...) or application/sparql-query, not {content_type or 'no content type'}", 415)
    if "update" in params:
        raise _refused("updates are refused: this endpoint is read-only (the graph is built from seeds/; edit them and rebuild)", 403)
    if any(k in params for k in ("default-graph-uri", "named-graph-uri")):
        raise _refused("default-graph-uri and named-graph-uri are not supported: the endpoint has one graph; leave them out", 400)
    return params.get("query")


def _refused(message: str, status: int) -> Refused:
    err = Refused(message)
    err.status = status
    return err
