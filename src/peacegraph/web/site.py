"""``peacegraph site -o DIR``: the entity, document and question pages as a static site, with the templates ``serve`` uses.

Links are relative and end in ``.html``, so the folder works opened from disk
and on any web host. The search runs in the browser over ``search-index.js``
(exact, prefix and substring matches; misspellings need ``serve``). Question
pages show the answer for the default parameters when a question needs none;
the REST API and free SPARQL need ``serve``. The output is byte-for-byte the
same for the same graph: files are written in sorted order, with no dates.
"""

from __future__ import annotations

from pathlib import Path

from peacegraph.web.catalog import Catalog
from peacegraph.web.pages import Pages, script_json

#: Static files the site copies (the query page's YASGUI is left out: SPARQL needs the server).
SITE_ASSETS = ("app.css", "app.js", "graph.css", "cytoscape.min.js", "cytoscape.LICENSE", "graph.js")


def write_site(out: Path, catalog: Catalog | None = None, graphs: bool = True, graph_dir: Path | None = None, progress=None) -> list[Path]:
    """Write every page under ``out``; return the files written, in order."""
    from peacegraph.query.results import Term
    from peacegraph.web import api
    from peacegraph.web.app import asset_bytes  # the asset table the server uses
    from peacegraph.web.catalog import web_query

    catalog = catalog or Catalog(graph_dir=graph_dir)
    pages = Pages(catalog, static=True, graphs=graphs)
    written: list[Path] = []

    def write(relative: str, content: str | bytes) -> None:
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        written.append(path)

    write("index.html", pages.home())
    write("questions.html", pages.questions())
    write("disagreements.html", pages.disagreements())
    write("search.html", pages.search("", []))

    rdf_query = web_query("entity-rdf")
    entities = sorted(catalog.entities.values(), key=lambda e: e.id)
    for number, entity in enumerate(entities, start=1):
        write(f"entity/{entity.id}.html", pages.entity(entity))
        write(f"entity/{entity.id}.ttl", catalog.engine.run(rdf_query.text, {"_entity_iri": Term.iri(entity.iri)}))
        if graphs:
            write(f"entity/{entity.id}.graph.html", pages.entity_graph(entity))
        if progress:
            progress(number, len(entities))
    for doc in sorted(catalog.documents.values(), key=lambda d: d.id):
        write(f"document/{doc.id}.html", pages.document(doc))
    for query in catalog.questions:
        answer, sparql = None, ""
        if api.ready(query, {}):
            asked = api.ask(catalog.engine, query, {})
            answer, sparql = asked.answer, asked.sparql
        write(f"questions/{query.name}.html", pages.question(query, {}, answer=answer, sparql=sparql, ran=answer is not None))
    for name in SITE_ASSETS:
        write(f"static/{name}", asset_bytes(name))
    # A script rather than JSON: a page opened from disk can load a script but not fetch a file.
    write("static/search-index.js", "window.peacegraphSearchIndex = " + script_json(catalog.search.client_index()) + ";\n")
    return written
