"""``peacegraph site``: the static pages, reproducible, every relative link resolving to a written file."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from peacegraph.cli import main

from .web_fixtures import assert_inert, parse


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = CliRunner().invoke(main, ["site", "-o", str(out), "--no-graphs"])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    return out


def test_site_has_a_page_per_entity_document_and_question(site):
    from peacegraph.query.canned import list_queries
    from peacegraph.web.catalog import Catalog

    catalog = Catalog()
    assert {p.stem for p in (site / "entity").glob("*.html")} == set(catalog.entities)
    assert {p.stem for p in (site / "entity").glob("*.ttl")} == set(catalog.entities)
    assert {p.stem for p in (site / "document").glob("*.html")} == set(catalog.documents)
    assert {p.stem for p in (site / "questions").glob("*.html")} == {q.name for q in list_queries()}
    assert (site / "static" / "search-index.js").read_text(encoding="utf-8").startswith("window.peacegraphSearchIndex = [")


def test_every_relative_link_resolves(site):
    checked = 0
    for page in site.rglob("*.html"):
        for tag, attributes in parse(page.read_text(encoding="utf-8")).tags:
            for name in ("href", "src"):
                value = attributes.get(name)
                if not value or value.startswith(("#", "data:", "mailto:")):
                    continue
                assert not urllib.parse.urlsplit(value).scheme, f"{page}: {value} leaves the site"
                target = (page.parent / urllib.parse.unquote(value.split("#")[0].split("?")[0])).resolve()
                assert target.is_file(), f"{page.relative_to(site)}: <{tag} {name}={value}> has no file"
                checked += 1
    assert checked > 5000


def test_static_pages_are_inert_and_need_no_server(site):
    for page in [
        site / "index.html",
        site / "entity" / "armenia.html",
        site / "document" / "d002.html",
        site / "questions" / "leaders.html",
    ]:
        text = page.read_text(encoding="utf-8")
        assert_inert(text, str(page))
        assert "/api/" not in text and "/sparql" not in text
    # A question that needs no parameter shows its answer; one that needs an entity says how to run it.
    assert "<table" in (site / "questions" / "agreement-roles.html").read_text(encoding="utf-8")
    assert "peacegraph query evidence -p subject=" in (site / "questions" / "evidence.html").read_text(encoding="utf-8")


def test_site_is_byte_for_byte_reproducible(site, tmp_path):
    again = tmp_path / "again"
    assert CliRunner().invoke(main, ["site", "-o", str(again), "--no-graphs"]).exit_code == 0
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
