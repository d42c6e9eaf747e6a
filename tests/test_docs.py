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


def test_check_ignores_the_layout_but_not_the_diagram(tmp_path, generated):
    if not shutil.which("dot"):
        pytest.skip("Graphviz 'dot' is not installed (Debian: apt-get install graphviz)")
    docs.write(generated, tmp_path)
    page = tmp_path / docs.HTML_NAME
    text = page.read_text(encoding="utf-8")
    # Another Graphviz places things elsewhere: coordinates are not what the check compares.
    page.write_text(re.sub(r'x="[0-9.]+"', 'x="1.5"', text), encoding="utf-8")
    assert docs.stale_files(generated, tmp_path) == []
    # Anything outside the diagram counts.
    page.write_text(text.replace("<h1>", "<h1>Old "), encoding="utf-8")
    assert docs.stale_files(generated, tmp_path) == [docs.HTML_NAME]


def _hide_graphviz(monkeypatch, tmp_path):
    """PATH without Graphviz's dot (an empty folder), as on a machine where it is not installed."""
    empty = tmp_path / "no-graphviz-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None


def _stale_drawing(text: str) -> str:
    """The page as if its diagram had been drawn from an older ontology: one arrow's words differ (nothing else)."""
    start, end = text.index(docs.DIAGRAM_START), text.index(docs.DIAGRAM_END)
    region = text[start:end]
    assert ">holds office<" in region
    return text[:start] + region.replace(">holds office<", ">held office<") + text[end:]


def test_check_reports_a_page_without_its_diagram(tmp_path, generated):
    # Issue 14.4: a page written without Graphviz (a note instead of the diagram) passed --check.
    docs.write(generated, tmp_path)
    page = tmp_path / docs.HTML_NAME
    page.write_text(docs.without_diagram(page.read_text(encoding="utf-8")), encoding="utf-8")
    result = CliRunner().invoke(docs.docs_command, ["--out", str(tmp_path), "--check"])
    assert result.exit_code == 1 and f"STALE {page}" in result.output


def test_check_reports_a_diagram_drawn_from_another_ontology(tmp_path, generated):
    if not shutil.which("dot"):
        pytest.skip("Graphviz 'dot' is not installed (Debian: apt-get install graphviz)")
    docs.write(generated, tmp_path)
    page = tmp_path / docs.HTML_NAME
    page.write_text(_stale_drawing(page.read_text(encoding="utf-8")), encoding="utf-8")
    assert docs.stale_files(generated, tmp_path) == [docs.HTML_NAME]


def test_docs_without_graphviz_keeps_the_diagram_it_cannot_draw(tmp_path, monkeypatch, generated):
    # Issue 14.4: without dot, 'peacegraph docs' rewrote the page without its diagram (-465 lines).
    if not shutil.which("dot"):
        pytest.skip("Graphviz 'dot' is not installed: the committed page is needed as drawn")
    docs.write(generated, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    _hide_graphviz(monkeypatch, tmp_path)
    result = CliRunner().invoke(docs.docs_command, ["--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    assert "kept the diagram" in result.output
    result = CliRunner().invoke(docs.docs_command, ["--out", str(tmp_path), "--check"])
    assert result.exit_code == 0 and "PASS docs" in result.output


def test_docs_without_graphviz_refuses_to_overwrite_a_diagram_it_would_change(tmp_path, monkeypatch, generated):
    if not shutil.which("dot"):
        pytest.skip("Graphviz 'dot' is not installed: the committed page is needed as drawn")
    docs.write(generated, tmp_path)
    page = tmp_path / docs.HTML_NAME
    page.write_text(_stale_drawing(page.read_text(encoding="utf-8")), encoding="utf-8")
    (tmp_path / docs.MARKDOWN_NAME).write_text("old\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    _hide_graphviz(monkeypatch, tmp_path)
    result = CliRunner().invoke(docs.docs_command, ["--out", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "Graphviz" in result.output and "nothing was written" in result.output
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


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
