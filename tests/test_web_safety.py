"""Markup in the data stays text: a fixture puts <script> and "onerror= in a label, an alias, a note and a quote.

Every page the server and the static site make from it is parsed: no event
handler attribute, no inline script, no element the pages never make; the
hostile strings appear escaped, as text the reader can see.
"""

from __future__ import annotations

import json

import pytest
from markupsafe import escape

from .web_fixtures import assert_inert, build_hostile, client, parse

LABEL = '<script>alert("label")</script> Evil "onerror=alert(1) group'
ALIAS = '<img src=x onerror=alert(3)> "onerror=alias'
QUOTE = 'The group <script>alert("quote")</script> "onerror=alert(4) said it would sign.'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from peacegraph.web.catalog import Catalog

    graph_dir = tmp_path_factory.mktemp("hostile-graph")
    documents = build_hostile(graph_dir)
    return Catalog(graph_dir=graph_dir, documents_dir=documents)


@pytest.fixture(scope="module")
def web(hostile):
    from peacegraph.web.app import create_app

    return client(create_app(catalog=hostile))


def test_the_fixture_really_holds_markup(hostile):
    entity = hostile.entities["hostile-group"]
    assert entity.label == LABEL
    assert ALIAS in {a.text for a in entity.aliases}
    assert QUOTE in {s.quote for s in hostile.statements.values()}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/entity/hostile-group",
        "/entity/test-ceasefire",
        "/entity/hostile-group/graph",
        "/document/m001",
        "/disagreements",
        "/questions/entities",
        "/questions/evidence?subject=ent%3Ahostile-group",
        "/search?q=evil",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
        "/entity/%3Cscript%3E",
        "/query?query=%3C/script%3E%3Cscript%3Ealert(5)%3C/script%3E",
    ],
)
def test_served_pages_show_markup_as_text(web, url):
    page = web.get(url).text
    assert_inert(page, url)
    assert "<script>alert" not in page
    assert "<img" not in page


def test_the_hostile_strings_are_visible_escaped(web):
    page = web.get("/entity/hostile-group").text
    assert f"<h1>{escape(LABEL)}</h1>" in page
    assert str(escape(ALIAS)) in page
    assert str(escape(QUOTE)) in page
    text = "".join(parse(page).text)
    assert LABEL in text and ALIAS in text and QUOTE in text  # what the reader sees is the data, verbatim
    document = web.get("/document/m001").text
    assert QUOTE in " ".join("".join(parse(document).text).split())


def test_json_for_scripts_cannot_close_its_element(web):
    graph = web.get("/entity/test-ceasefire/graph").text
    block = [s for s in parse(graph).scripts if s["attrs"].get("type") == "application/json"][0]["text"]
    data = json.loads(block)
    assert any(n["data"]["label"] == LABEL for n in data["elements"]["nodes"])
    hits = web.get("/api/search", params={"q": "evil"}).json()["hits"]
    assert hits[0]["label"] == LABEL  # JSON is data; app.js puts it in with textContent


def test_static_site_pages_show_markup_as_text(hostile, tmp_path):
    from peacegraph.web.site import write_site

    written = write_site(tmp_path / "site", catalog=hostile)
    pages = [p for p in written if p.suffix == ".html"]
    assert len(pages) > 10
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert_inert(page, str(path))
        assert "<script>alert" not in page and "<img" not in page
    assert str(escape(LABEL)) in (tmp_path / "site" / "entity" / "hostile-group.html").read_text(encoding="utf-8")
