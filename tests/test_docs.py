"""The ontology documentation (docs/ontology.md, docs/ontology.html) is complete, self-contained and up to date.

The HTML's diagram (an SVG drawn by whatever Graphviz is installed, or a note
when there is none) is left out of the staleness comparison; the Markdown's
Mermaid block draws the same graph and is compared exactly.
"""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from peacegraph import docs
from peacegraph.namespaces import PG_IRI, PG_TERMS

STALE = "run 'peacegraph docs' and commit docs/ontology.md and docs/ontology.html"


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return docs.generate()


def test_committed_docs_are_up_to_date(generated):
    stale = docs.stale_files(generated)
    assert not stale, f"docs/ is stale ({', '.join(stale)}): {STALE}"


def test_generation_is_deterministic(generated):
    assert docs.generate() == generated


def test_every_class_and_property_is_documented(generated, schema):
    from rdflib import OWL, RDF

    markdown = generated[docs.MARKDOWN_NAME]
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = sorted({str(s)[len(PG_IRI) :] for k in kinds for s in schema.graph.subjects(RDF.type, k) if str(s).startswith(PG_IRI)})
    assert set(terms) == set(PG_TERMS)
    missing = [t for t in terms if f"### pg:{t}\n" not in markdown]
    assert not missing, f"terms without an entry in {docs.MARKDOWN_NAME}: {missing}"
    html = generated[docs.HTML_NAME]
    assert all(f'id="{"class" if t[0].isupper() else "property"}-{t}"' in html for t in terms)


def test_markdown_links_point_at_entries(generated):
    markdown = generated[docs.MARKDOWN_NAME]
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', markdown))
    headings = {h.lower().replace(" ", "-") for h in re.findall(r"^## (.+)$", markdown, re.M)}
    targets = set(re.findall(r"\]\(#([^)]+)\)", markdown))
    assert targets <= anchors | headings, sorted(targets - anchors - headings)


def test_html_makes_no_requests_to_other_hosts(generated):
    html = generated[docs.HTML_NAME]
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"\bsrc\s*=|@import|url\(", html, re.I)
    # Outside plain-text links of alignments (<a class="alignment" href=...>), http(s) appears only as visible text.
    for match in re.finditer(r'(\w[\w:-]*)\s*=\s*"(https?://[^"]*)"', html):
        start = html.rfind("<", 0, match.start())
        assert html[start : match.start()].startswith('<a class="alignment" ') and match.group(1) == "href", html[start : match.end()]


def test_html_has_the_diagram_or_a_note(generated):
    html = generated[docs.HTML_NAME]
    region = html[html.index(docs.DIAGRAM_START) : html.index(docs.DIAGRAM_END)]
    if shutil.which("dot"):
        assert "<svg" in region and 'href="#class-Actor"' in region
    else:
        assert "Graphviz" in region


def test_committed_html_has_the_diagram():
    committed = (docs.DOCS_DIR / docs.HTML_NAME).read_text(encoding="utf-8")
    assert "<svg" in committed, f"docs/{docs.HTML_NAME} was generated without Graphviz: install graphviz, then {STALE}"


def test_markdown_has_a_mermaid_diagram(generated):
    block = re.search(r"```mermaid\n(.*?)```", generated[docs.MARKDOWN_NAME], re.S)
    assert block and block.group(1).startswith("classDiagram")
    assert "Actor <|-- Person" in block.group(1) and "Person --> Post : holds office" in block.group(1)


def test_check_option(tmp_path):
    runner = CliRunner()
    result = runner.invoke(docs.docs_command, ["--out", str(tmp_path), "--check"])
    assert result.exit_code == 1 and "STALE" in result.output
    result = runner.invoke(docs.docs_command, ["--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [docs.HTML_NAME, docs.MARKDOWN_NAME]
    result = runner.invoke(docs.docs_command, ["--out", str(tmp_path), "--check"])
    assert result.exit_code == 0 and "PASS docs" in result.output


def test_check_ignores_only_the_diagram(tmp_path, generated):
    docs.write(generated, tmp_path)
    page = tmp_path / docs.HTML_NAME
    text = page.read_text(encoding="utf-8")
    page.write_text(docs.without_diagram(text).replace(docs.DIAGRAM_START, docs.DIAGRAM_START + "<p>other drawing</p>"), encoding="utf-8")
    assert docs.stale_files(generated, tmp_path) == []
    page.write_text(text.replace("<h1>", "<h1>Old "), encoding="utf-8")
    assert docs.stale_files(generated, tmp_path) == [docs.HTML_NAME]


def test_examples_come_from_the_data(tmp_path, mini_seeds):
    from peacegraph.build import Inputs, build

    build(Inputs.from_seeds(mini_seeds), graph_dir=tmp_path / "graph", reason=False)
    model = docs.read(data_path=tmp_path / "graph" / "peacegraph-data.ttl")
    entries = {e.curie: e for section in model.sections.values() for e in section}
    assert entries["pg:holdsPost"].example == "Nikol Pashinyan → holds office → Prime Minister of Armenia"
    assert entries["pg:Ceasefire"].example == "Test ceasefire"
    assert entries["pg:State"].example == "Armenia (one of 3 instances)"
    assert entries["pg:quotation"].example.startswith("the statement “Nikol Pashinyan welcomes Test ceasefire”")


def test_without_graphviz_the_page_has_a_note_and_is_not_stale(monkeypatch, tmp_path, generated):
    docs.write(generated, tmp_path)  # as committed, drawn by Graphviz where it is installed
    monkeypatch.setattr(docs.shutil, "which", lambda name: None)
    page = docs.generate()[docs.HTML_NAME]
    assert "<svg" not in page and "Graphviz" in page
    assert docs.stale_files({**generated, docs.HTML_NAME: page}, tmp_path) == []
