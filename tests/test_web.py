"""The web interface in process (Starlette's test client) over the repository's graph: pages, search, API, SPARQL protocol."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pyoxigraph
import pytest
from markupsafe import escape

from peacegraph import paths
from peacegraph.namespaces import ENTITY_IRI, PREFIXES
from peacegraph.query.canned import get_query, list_queries, run
from peacegraph.query.results import ResultSet, Term, render

from .web_fixtures import assert_inert, client, parse


@pytest.fixture(scope="module")
def catalog():
    from peacegraph.web.catalog import Catalog

    return Catalog()


@pytest.fixture(scope="module")
def web(catalog):
    from peacegraph.web.app import create_app

    return client(create_app(catalog=catalog, timeout=5.0))


def text_of(page: str) -> str:
    return " ".join("".join(parse(page).text).split())


# ---------------------------------------------------------------------------
# Pages agree with the canned questions and with the web queries narrowed to one entity
# ---------------------------------------------------------------------------


def test_every_entity_has_a_page_naming_it(web, catalog):
    assert len(catalog.entities) > 100
    for entity in catalog.entities.values():
        page = web.get(f"/entity/{entity.id}")
        assert page.status_code == 200, entity.id
        assert f"<h1>{escape(entity.label)}</h1>" in page.text, entity.id


def test_entity_pages_and_the_entity_question_give_the_same_facts(catalog):
    """What a page lists (deprecated statements aside) is exactly what 'peacegraph query entity' answers."""
    compared = 0
    for entity in catalog.entities.values():
        out, incoming = catalog.entity_statements(entity.id)
        page = {("out", s.relation, s.value.raw, s.source, s.quote) for s in out if not s.deprecated}
        page |= {("in", s.relation, s.subject.raw, s.source, s.quote) for s in incoming if not s.deprecated}
        rows = run("entity", {"entity": entity.iri}, engine=catalog.engine)
        question = {(r["direction"], r["relation"], r["other"], r["source"], r["quote"]) for r in rows.values()}
        assert page == question, entity.id
        compared += len(page)
    assert compared > 1000


@pytest.mark.parametrize("entity_id", ["armenia", "nikol-pashinyan", "nagorno-karabakh", "ceasefire-2020"])
def test_the_index_equals_the_statements_query_narrowed_to_one_entity(catalog, entity_id):
    """The catalog runs statements.rq once over the whole graph; bound to one entity it must give the same statements."""
    rows = catalog.run("statements", entity=Term.iri(ENTITY_IRI + entity_id)).values()
    bound = {r["statement"].rsplit("/", 1)[-1] for r in rows}
    out, incoming = catalog.entity_statements(entity_id)
    assert bound == {s.id for s in out} | {s.id for s in incoming}
    assert len(bound) > 3


def test_deprecated_statements_are_shown_as_errors_not_as_facts(web, catalog):
    deprecated = [s for s in catalog.statements.values() if s.deprecated]
    assert deprecated, "the graph has deprecated statements (d002's 'President Pashinyan')"
    for statement in deprecated:
        page = web.get(f"/entity/{statement.subject.entity}").text
        item = re.search(rf'<li class="statement rank-deprecated[^"]*" id="s-{re.escape(statement.id)}">(.*?)</li>', page, re.S)
        assert item, statement.id
        assert "<del>" in item.group(1) and "deprecated" in item.group(1)
        assert "the source says so, but it is taken to be wrong" in item.group(1)


def test_statements_carry_dates_precision_qualifiers_and_quote_links(web, catalog):
    page = web.get("/entity/nikol-pashinyan").text
    dated = next(s for s in catalog.entity_statements("nikol-pashinyan")[0] if s.date and s.precision)
    item = re.search(rf'id="s-{re.escape(dated.id)}">(.*?)</li>', page, re.S).group(1)
    assert html.escape(dated.date) in item and f"({dated.precision})" in item
    assert f'href="/document/{dated.source}#q-{dated.id}"' in item
    qualified = next(s for s in catalog.statements.values() if s.qualifiers and s.subject.entity)
    item = re.search(rf'id="s-{re.escape(qualified.id)}">(.*?)</li>', web.get(f"/entity/{qualified.subject.entity}").text, re.S).group(1)
    for label, _ in qualified.qualifiers:
        assert f"<dt>{html.escape(label)}</dt>" in item


def test_disagreements_an_entity_is_part_of_are_on_its_page(web, catalog):
    page = web.get("/entity/ceasefire-2020").text
    mine = catalog.disagreements_of("ceasefire-2020")
    assert {"who-brokered-the-2020-ceasefire", "russian-peacekeepers-in-the-2020-war"} <= {d.id for d in mine}
    for d in mine:
        assert f'<article class="disagreement" id="{d.id}">' in page
    assert 'id="nakhchivan-is-called"' not in page


def test_entity_questions_are_linked_prefilled_and_answer(web):
    page = web.get("/entity/armenia").text
    assert 'href="/questions/leaders?org=ent%3Aarmenia"' in page
    assert 'href="/questions/evidence?subject=ent%3Aarmenia"' in page
    links = re.findall(r'href="(/questions/[a-z-]+\?[^"]+)"', page)
    assert len(links) >= 10
    for link in links:
        answer = web.get(html.unescape(link))
        assert answer.status_code == 200 and ("<table" in answer.text or "No rows." in answer.text), link
    assert "/questions/connection?" not in page and "/questions/entities?" not in page  # need another value, or take a class
    document = web.get("/document/d002").text
    assert 'href="/questions/source-facts?source=doc%3Ad002"' in document
    assert web.get("/questions/source-facts", params={"source": "doc:d002"}).text.count("<tr>") > 50


# ---------------------------------------------------------------------------
# Document pages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", ["d000", "d001", "d002", "d003", "d004"])
def test_document_page_shows_the_text_with_every_quote_anchored(web, catalog, doc_id):
    doc = catalog.documents[doc_id]
    page = web.get(f"/document/{doc_id}").text
    for statement in doc.statements:
        assert f'id="q-{statement.id}"' in page, statement.id
        assert f'id="f-{statement.id}"' in page
    # The text is all there, in order: the page's text of the article equals the file's, whitespace aside.
    article = re.search(r'<section class="text"[^>]*>(.*?)</section>', page, re.S).group(1)
    shown = " ".join("".join(parse(article).text).split())
    source, ok = catalog.document_text(doc)
    assert ok
    assert shown == " ".join(source.split())
    assert "How the date was inferred" in page or not doc.meta.get("dateResolution")


def test_quote_runs_of_a_statement_spell_its_quote(catalog):
    from peacegraph.web.pages import highlight

    doc = catalog.documents["d003"]
    text, _ = catalog.document_text(doc)
    paragraphs, used, total = highlight(text, doc.statements)
    runs: dict[str, str] = {}
    for paragraph in paragraphs:
        for sentence in paragraph:
            for segment in sentence.segments:
                for sid in segment.quotes:
                    runs[sid] = runs.get(sid, "") + segment.text
    for statement in doc.statements:
        # A quote crossing a sentence or paragraph end loses only the white space between them.
        assert "".join(runs[statement.id].split()) == "".join(statement.quote.split()), statement.id
    assert 0 < used < total


def test_overlapping_quotes_are_cut_into_runs():
    from peacegraph.web.catalog import Statement, Value
    from peacegraph.web.pages import highlight

    def st(sid, a, b):
        return Statement(sid, sid, "", "", Value(""), Value(""), "", "", "", "", "normal", "", "", "s", "", "", a, b)

    text = "Alpha beta gamma delta. Nothing here.\nNext line."
    paragraphs, used, total = highlight(text, [st("a", 0, 16), st("b", 6, 22)])
    assert (used, total, len(paragraphs)) == (1, 3, 2)
    first = paragraphs[0][0].segments
    assert [(s.text, s.quotes, s.starts) for s in first] == [
        ("Alpha ", ("a",), ("a",)),
        ("beta gamma", ("a", "b"), ("b",)),
        (" delta", ("b",), ()),
        (".", (), ()),
    ]
    assert paragraphs[0][1].used is False


# ---------------------------------------------------------------------------
# Entity IRIs: content negotiation
# ---------------------------------------------------------------------------


def test_entity_iri_negotiates_html_turtle_and_json_ld(web):
    browser = web.get("/entity/armenia", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html") and browser.headers["vary"] == "Accept"
    turtle = web.get("/entity/armenia", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    triples = [q.triple for q in pyoxigraph.parse(turtle.content, pyoxigraph.RdfFormat.TURTLE)]
    armenia = pyoxigraph.NamedNode(ENTITY_IRI + "armenia")
    label = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label")
    assert pyoxigraph.Triple(armenia, label, pyoxigraph.Literal("Armenia", language="en")) in triples
    jsonld = web.get("/entity/armenia", headers={"Accept": "application/ld+json"})
    assert {q.triple for q in pyoxigraph.parse(jsonld.content, pyoxigraph.RdfFormat.JSON_LD)} == set(triples)
    assert web.get("/entity/armenia.ttl").content == turtle.content
    assert web.get("/entity/armenia", headers={"Accept": "image/png"}).status_code == 406


def test_unknown_entity_is_404_with_suggestions(web):
    page = web.get("/entity/nagorno-karabak")
    assert page.status_code == 404 and "Nagorno-Karabakh" in page.text


def test_statement_and_disagreement_iris_redirect_to_their_pages(web):
    answer = web.get("/statement/d002-pashinyan-called-president", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/entity/nikol-pashinyan#s-d002-pashinyan-called-president"
    answer = web.get("/disagreement/pashinyan-title", follow_redirects=False)
    assert answer.headers["location"] == "/disagreements#pashinyan-title"


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Karabakh", "nagorno-karabakh"),  # an alias, exactly
        ("karabak", "nagorno-karabakh"),  # the start of a name
        ("Turkiye", "turkey"),  # diacritics folded (Türkiye)
        ("pashinian", "nikol-pashinyan"),  # misspelt
        ("Blinkn", "antony-blinken"),  # misspelt
        ("artsakh", "nagorno-karabakh"),
        ("nagorno karabakh", "nagorno-karabakh"),  # space for the hyphen
    ],
)
def test_search_ranks_the_entity_first(web, typed, expected):
    hits = web.get("/api/search", params={"q": typed}).json()["hits"]
    assert hits and hits[0]["id"] == expected, [h["id"] for h in hits[:5]]
    assert hits[0]["url"] == f"/entity/{expected}"


def test_search_gives_one_hit_per_entity_and_none_for_nothing(web):
    hits = web.get("/api/search", params={"q": "Armenia", "limit": 50}).json()["hits"]
    ids = [h["id"] for h in hits]
    assert len(ids) == len(set(ids)) > 5
    assert web.get("/api/search", params={"q": "   "}).json()["hits"] == []
    assert web.get("/api/search", params={"q": "zzqxv"}).json()["hits"] == []
    page = web.get("/search", params={"q": "karabak"}).text
    assert 'href="/entity/nagorno-karabakh"' in page


# ---------------------------------------------------------------------------
# Questions: form, answer, downloads, REST API, OpenAPI
# ---------------------------------------------------------------------------


def test_every_question_has_a_form_with_its_parameters(web):
    for q in list_queries():
        page = web.get(f"/questions/{q.name}").text
        for p in q.params:
            assert f'name="{p.name}"' in page, (q.name, p.name)
        assert f'action="/questions/{q.name}"' in page


def test_question_answer_matches_the_cli_and_downloads_match_the_answer(web, catalog):
    expected = run("leaders", {"org": "Armenia"}, engine=catalog.engine)
    assert isinstance(expected, ResultSet) and expected.rows
    page = web.get("/questions/leaders", params={"org": "Armenia", "run": "1"}).text
    assert page.count("<tr>") == len(expected.rows) + 1
    assert "The SPARQL that ran" in page and "&lt;https://w3id.org/peacegraph/entity/armenia&gt;" in page
    assert web.get("/api/leaders.csv", params={"org": "Armenia"}).text == render(expected, "csv")
    assert web.get("/api/leaders", params={"org": "ent:armenia"}).json() == json.loads(render(expected, "json"))
    tsv = web.get("/api/leaders", params={"org": "Armenia"}, headers={"Accept": "text/tab-separated-values"})
    assert tsv.text == render(expected, "tsv")
    turtle = web.get("/api/leaders.ttl", params={"org": "Armenia"})
    assert "attachment" in turtle.headers["content-disposition"]
    triples = list(pyoxigraph.parse(turtle.content, pyoxigraph.RdfFormat.TURTLE))
    solutions = [t for t in triples if t.predicate.value.endswith("#solution")]
    assert len(solutions) == len(expected.rows)


def test_csv_download_parses_to_the_table(web):
    answer = web.get("/api/agreement-roles.csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == run("agreement-roles").columns and len(rows) == len(run("agreement-roles").rows) + 1


def test_bad_parameters_are_400_with_the_message(web):
    page = web.get("/questions/leaders", params={"org": "Atlantis", "run": "1"})
    assert page.status_code == 400 and "no entity has the label or alias" in page.text
    api_answer = web.get("/api/control-as-of", params={"asOf": "2021-02-30"})
    assert api_answer.status_code == 400 and "YYYY-MM-DD" in api_answer.text
    assert web.get("/api/nope").status_code == 404
    assert web.get("/api/leaders", params={"wrong": "x"}).status_code == 400


def test_openapi_describes_every_question_with_grlc_parameter_names(web):
    doc = web.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    for q in list_queries():
        operation = doc["paths"][f"/api/{q.name}"]["get"]
        assert [p["name"] for p in operation["parameters"]] == [p.name for p in q.params]
        assert [p["required"] for p in operation["parameters"]] == [p.required for p in q.params]
        assert "text/csv" in operation["responses"]["200"]["content"]
    assert {"get", "post"} <= set(doc["paths"]["/sparql"])
    dated = doc["paths"]["/api/control-as-of"]["get"]["parameters"][0]
    assert (
        dated["schema"] == {"type": "string", "format": "date", "default": get_query("control-as-of").defaults.get("asOf")}
        or dated["schema"]["format"] == "date"
    )


# ---------------------------------------------------------------------------
# SPARQL 1.1 protocol
# ---------------------------------------------------------------------------

SELECT = "PREFIX pg: <https://w3id.org/peacegraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?l WHERE { ?s a pg:State ; rdfs:label ?l } ORDER BY ?l"


def test_sparql_get_and_both_posts_give_the_same_answer(web, catalog):
    expected = json.loads(render(catalog.engine.run(SELECT), "json"))
    assert web.get("/sparql", params={"query": SELECT}).json() == expected
    assert web.post("/sparql", data={"query": SELECT}).json() == expected
    assert web.post("/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query"}).json() == expected
    # /query, where the oxigraph server answered before, still answers SPARQL clients.
    assert web.get("/query", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"}).json() == expected
    assert len(expected["results"]["bindings"]) > 5


def test_sparql_results_are_negotiated(web):
    assert web.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"}).text.startswith("s,l\r\n")
    xml = web.get("/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml") and "<sparql xmlns=" in xml.text
    import xml.etree.ElementTree as ET

    assert len(ET.fromstring(xml.content).findall(".//{http://www.w3.org/2005/sparql-results#}result")) > 5
    assert web.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json() == {"head": {}, "boolean": True}
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5"
    turtle = web.get("/sparql", params={"query": construct}, headers={"Accept": "text/turtle"})
    assert len(list(pyoxigraph.parse(turtle.content, pyoxigraph.RdfFormat.TURTLE))) == 5
    nt = web.get("/sparql", params={"query": construct, "format": "nt"})
    assert nt.headers["content-type"].startswith("application/n-triples") and len(nt.text.strip().splitlines()) == 5


@pytest.mark.parametrize(
    "request_args",
    [
        {"method": "GET", "params": {"query": 'INSERT DATA { <urn:a> <urn:b> "c" }'}},
        {"method": "POST", "data": {"update": 'INSERT DATA { <urn:a> <urn:b> "c" }'}},
        {"method": "POST", "content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"method": "POST", "content": "# harmless?\nDROP ALL", "headers": {"Content-Type": "application/sparql-query"}},
    ],
)
def test_updates_are_refused(web, catalog, request_args):
    before = len(catalog.engine.store)
    answer = web.request(url="/sparql", **request_args)
    assert answer.status_code == 403 and "read-only" in answer.text
    assert len(catalog.engine.store) == before


def test_service_is_refused(web):
    answer = web.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert answer.status_code == 400 and "SERVICE" in answer.text
    # The word in a string or comment is no federated query.
    assert web.get("/sparql", params={"query": 'SELECT ("SERVICE" AS ?x) WHERE {} # SERVICE'}).status_code == 200


def test_syntax_errors_and_empty_queries_are_400(web):
    answer = web.get("/sparql", params={"query": "SELEC ?x WHERE { ?x ?y ?z }"})
    assert answer.status_code == 400 and "syntax error" in answer.text.lower()
    assert web.get("/sparql").status_code == 400
    assert web.post("/sparql", content="x", headers={"Content-Type": "text/plain"}).status_code == 415


def test_a_runaway_query_is_stopped_at_the_deadline(catalog):
    from peacegraph.web.app import create_app

    quick = client(create_app(catalog=catalog, timeout=1.0))
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    answer = quick.get("/sparql", params={"query": runaway})
    assert answer.status_code == 503 and "time limit" in answer.text
    assert quick.get("/sparql", params={"query": "ASK {}"}).status_code == 200  # the server is still answering


def test_answers_past_the_row_cap_are_cut_and_say_so(catalog):
    from peacegraph.web.app import create_app

    capped = client(create_app(catalog=catalog, row_cap=7))
    answer = capped.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(answer.json()["results"]["bindings"]) == 7
    assert answer.headers["x-peacegraph-truncated"] == "rows cut at 7"
    small = capped.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert "x-peacegraph-truncated" not in small.headers


# ---------------------------------------------------------------------------
# Every page: safe headers, no inline script, nothing from another host
# ---------------------------------------------------------------------------

PAGES = [
    "/",
    "/entity/armenia",
    "/entity/armenia/graph",
    "/document/d002",
    "/questions",
    "/questions/leaders?org=Armenia",
    "/disagreements",
    "/search?q=karabakh",
    "/api",
    "/query",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_inert_and_local(web, url):
    answer = web.get(url)
    assert answer.status_code == 200
    csp = answer.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert_inert(answer.text, url)
    for tag, attributes in parse(answer.text).tags:
        for name in ("src", "href", "action"):
            value = attributes.get(name) or ""
            assert not re.match(r"^(https?:)?//", value), f"{url}: <{tag} {name}={value}> points at another host"


def test_static_files_are_served_and_nothing_else(web):
    assert web.get("/static/vendor/yasgui.min.js").status_code == 200
    assert web.get("/static/cytoscape.min.js").content.startswith(b"/**")
    assert web.get("/static/../graph/peacegraph.ttl").status_code == 404
    assert web.get("/static/vendor/VENDOR.md").status_code == 404


def test_web_queries_are_documented_files(repo_paths):
    queries = sorted(paths.WEB_QUERIES_DIR.glob("*.rq"))
    assert len(queries) >= 8
    for path in queries:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#+ summary:"), path.name
        assert "#+ description:" in text, path.name


# ---------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------


def test_serve_without_a_graph_says_what_to_do(tmp_path):
    from click.testing import CliRunner

    from peacegraph.cli import main

    result = CliRunner().invoke(main, ["serve", "--graph-dir", str(tmp_path / "none"), "--port", "1"])
    assert result.exit_code == 2
    assert "peacegraph build" in result.output and "Traceback" not in result.output


def test_serve_command_starts_the_web_app_on_127_0_0_1(tmp_path):
    import subprocess
    import sys
    import urllib.request

    from .servers import free_port, wait_until_up

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "peacegraph", "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", 60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/entity/armenia") as answer:
            assert answer.headers["Content-Type"].startswith("text/html") and b"<h1>Armenia</h1>" in answer.read()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/entity/armenia", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request) as answer:
            assert answer.headers["Content-Type"].startswith("text/turtle")
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
    assert f"http://127.0.0.1:{port}/" in out and "warning" not in err


def test_serve_connections_send_without_waiting_for_acks():
    # After serve began binding its own socket (a busy port in one line), every page took ~44 ms at p50
    # under load: asyncio sets TCP_NODELAY only on sockets whose proto is IPPROTO_TCP, and the socket had 0.
    import asyncio
    import socket

    from peacegraph.web.server import listening_socket

    async def accepted_nodelay() -> int:
        sock = listening_socket("127.0.0.1", 0)
        seen: list[int] = []

        async def handle(reader, writer):
            seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=sock)
        _, writer = await asyncio.open_connection("127.0.0.1", sock.getsockname()[1])
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return seen[0]

    assert asyncio.run(accepted_nodelay()) != 0
