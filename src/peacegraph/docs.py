"""Documentation of ontology/peacegraph.ttl: docs/ontology.md (GitHub) and docs/ontology.html (self-contained).

Every class and property with its label, definition, super- and sub-terms,
domain, range, inverse, characteristics, alignments to other vocabularies,
``pg:usage`` and an example from graph/peacegraph-data.ttl when it exists;
a diagram of the main classes (Mermaid in the Markdown, an SVG drawn by
Graphviz's ``dot`` in the HTML). Output is deterministic: sorted, no
timestamps, the same bytes for the same inputs.

The HTML's diagram sits between ``<!-- diagram -->`` markers. The staleness
check (``--check``, tests/test_docs.py) compares the rest of the page as
text, and the diagram by what it shows: each class box and arrow with its
title, words and link (:func:`diagram_summary`), not the coordinates that
another Graphviz version would place differently. A page without its diagram
is stale. Without Graphviz, ``peacegraph docs`` keeps the drawing already in
the page when it shows the current ontology's diagram, and otherwise refuses
to overwrite the page (nothing is written); the Markdown's Mermaid block
shows the same graph and is compared exactly.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import click

from peacegraph import paths
from peacegraph.errors import PeacegraphError
from peacegraph.namespaces import ONTOLOGY_IRI, PG_IRI, PREFIXES, curie


class DocsError(PeacegraphError):
    """The documentation cannot be written as it should be (exit code 2); nothing was written."""


#: Where the documentation goes.
DOCS_DIR = getattr(paths, "DOCS_DIR", paths.ROOT / "docs")
MARKDOWN_NAME = "ontology.md"
HTML_NAME = "ontology.html"
DIAGRAM_START, DIAGRAM_END = "<!-- diagram -->", "<!-- /diagram -->"

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_OWL = PREFIXES["owl"]
_SKOS = PREFIXES["skos"]
_DCT = PREFIXES["dcterms"]
#: Section title -> OWL kind, in the order the documentation lists them.
KINDS = {
    "Classes": _OWL + "Class",
    "Object properties": _OWL + "ObjectProperty",
    "Datatype properties": _OWL + "DatatypeProperty",
    "Annotation properties": _OWL + "AnnotationProperty",
}
#: owl:*Property type -> the characteristic it names.
CHARACTERISTICS = {_OWL + n + "Property": n.lower() for n in ("Transitive", "Symmetric", "Functional", "InverseFunctional", "Asymmetric")}


@dataclass(frozen=True, order=True)
class Link:
    """A reference to a term: its prefixed name, its label if known, and where it points."""

    curie: str
    label: str = ""
    target: str = ""  # "#anchor" inside the document, or an external IRI

    @property
    def text(self) -> str:
        return self.label or self.curie


@dataclass
class Entry:
    """What the documentation says about one class or property."""

    iri: str
    curie: str
    kind: str
    anchor: str
    label: str = ""
    definition: str = ""
    facts: list[tuple[str, list[Link] | str]] = field(default_factory=list)  # (field name, links or text)
    example: str = ""


# ---------------------------------------------------------------------------
# Reading the ontology and the data
# ---------------------------------------------------------------------------


def _anchor(kind: str, iri: str) -> str:
    short = {KINDS["Classes"]: "class"}.get(kind, "property")
    return f"{short}-{iri[len(PG_IRI) :]}"


class _Reader:
    """The ontology (and optionally the data) as an rdflib graph, with label and list helpers."""

    def __init__(self, ontology_path: Path, data_path: Path | None):
        from rdflib import Graph

        self.onto = Graph().parse(ontology_path, format="turtle")
        self.data = Graph().parse(data_path, format="turtle") if data_path is not None else None
        self.both = self.onto + self.data if self.data is not None else self.onto
        self.kinds = {
            str(s): kind
            for kind in KINDS.values()
            for s in self.onto.subjects(self.uri(_RDF + "type"), self.uri(kind))
            if str(s).startswith(PG_IRI)
        }

    @staticmethod
    def uri(iri):
        """An rdflib node: IRIs given as plain strings become URIRefs; nodes pass through."""
        from rdflib.term import Node, URIRef

        return iri if isinstance(iri, Node) else URIRef(iri)

    def objects(self, node, prop: str, graph=None) -> list:
        return sorted((graph or self.onto).objects(self.uri(node), self.uri(prop)), key=str)

    def subjects(self, prop: str, node) -> list:
        return sorted(self.onto.subjects(self.uri(prop), self.uri(node)), key=str)

    def definition(self, node) -> str:
        return " ".join(str(d) for d in self.objects(node, _SKOS + "definition"))

    def label(self, node, graph=None) -> str:
        labels = self.objects(node, _RDFS + "label", graph or self.both)
        return str(labels[0]) if labels else ""

    def link(self, node) -> list[Link]:
        """Links for a class expression: a named term, or the members of an owl:unionOf."""
        from rdflib import BNode
        from rdflib.collection import Collection

        if isinstance(node, BNode):
            members = self.objects(node, _OWL + "unionOf")
            if members:
                return [x for m in Collection(self.onto, members[0]) for x in self.link(m)]
            return [Link("(anonymous class)")]
        iri = str(node)
        if iri in self.kinds:
            return [Link(curie(iri), self.label(node), "#" + _anchor(self.kinds[iri], iri))]
        return [Link(curie(iri), "", iri)]

    def links(self, iri: str, prop: str) -> list[Link]:
        return [x for node in self.objects(iri, prop) for x in self.link(node)]


def _describe(reader: _Reader, node) -> str:
    """A node as people read it: its label, the fact a statement node reifies, a literal's text, or its prefixed name."""
    from rdflib import Literal

    if isinstance(node, Literal):
        return _shorten(str(node))
    label = reader.label(node)
    if label:
        return label
    graph = reader.data
    if graph is None:
        return curie(str(node))
    oa = PREFIXES["oa"]
    quote = [
        q
        for t in graph.objects(node, reader.uri(oa + "hasTarget"))
        for s in graph.objects(t, reader.uri(oa + "hasSelector"))
        for q in graph.objects(s, reader.uri(oa + "exact"))
    ]
    if quote:
        return f"the quote “{_shorten(str(quote[0]))}”"
    # A statement node: ent:s p:R node . node ps:R o
    for subject, claim in sorted(graph.subject_predicates(node)):
        if str(claim).startswith(PREFIXES["p"]) and "/" not in str(claim)[len(PREFIXES["p"]) :]:
            name = str(claim)[len(PREFIXES["p"]) :]
            obj = graph.value(node, reader.uri(PREFIXES["ps"] + name))
            predicate = reader.uri(PREFIXES["pg"] + name)
            return (
                f"the statement “{_describe(reader, subject)} {reader.label(predicate) or curie(str(predicate))} {_describe(reader, obj)}”"
            )
    return curie(str(node))


def _shorten(text: str, limit: int = 100) -> str:
    """One line of at most ``limit`` characters.

    >>> _shorten("a  b\\nc"), _shorten("x" * 120)[-3:]
    ('a b c', 'xx…')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _example(reader: _Reader, iri: str, kind: str) -> str:
    """One use of the term in the data, chosen deterministically (the first in label order)."""
    if reader.data is None:
        return ""
    term = reader.uri(iri)
    if kind == KINDS["Classes"]:
        classes = _subclasses(reader, term)
        instances = {s for c in classes for s in reader.data.subjects(reader.uri(_RDF + "type"), c)}
        if not instances:
            return ""
        described = sorted((_describe(reader, s), str(s)) for s in instances)
        count = len(instances)
        more = f" (one of {count} instances)" if count > 1 else ""
        return f"{described[0][0]}{more}"
    pairs = list(reader.data.subject_objects(term))
    if not pairs and iri.startswith(PREFIXES["pg"]):
        # A qualifier is used on statement nodes only, through its pq: property.
        pairs = list(reader.data.subject_objects(reader.uri(PREFIXES["pq"] + iri[len(PREFIXES["pg"]) :])))
    triples = sorted((_describe(reader, s), _describe(reader, o), str(s), str(o)) for s, o in pairs)
    if not triples:
        return ""
    s, o, _, _ = triples[0]
    return f"{s} → {reader.label(term) or curie(iri)} → {o}"


def _subclasses(reader: _Reader, term) -> list:
    found, todo = [term], [term]
    while todo:
        for sub in reader.onto.subjects(reader.uri(_RDFS + "subClassOf"), todo.pop()):
            if sub not in found:
                found.append(sub)
                todo.append(sub)
    return found


def _entry(reader: _Reader, iri: str, kind: str) -> Entry:
    is_class = kind == KINDS["Classes"]
    entry = Entry(iri, curie(iri), kind, _anchor(kind, iri), reader.label(iri, reader.onto), reader.definition(iri))
    sub = _RDFS + ("subClassOf" if is_class else "subPropertyOf")
    parents = reader.links(iri, sub)
    own = [x for x in parents if x.target.startswith("#")]
    external = [x for x in parents if not x.target.startswith("#")]
    children = [x for node in reader.subjects(sub, iri) for x in reader.link(node)]
    facts: list[tuple[str, list[Link] | str]] = [("IRI", iri)]
    facts.append(("Superclasses" if is_class else "Super-properties", own))
    facts.append(("Subclasses" if is_class else "Sub-properties", children))
    if is_class:
        disjoint = set()
        for group in reader.subjects(_RDF + "type", _OWL + "AllDisjointClasses"):
            from rdflib.collection import Collection

            members = [str(m) for m in Collection(reader.onto, reader.objects(group, _OWL + "members")[0])]
            if iri in members:
                disjoint |= {m for m in members if m != iri}
        facts.append(("Disjoint with", sorted(x for m in disjoint for x in reader.link(reader.uri(m)))))
    else:
        facts.append(("Domain", reader.links(iri, _RDFS + "domain")))
        facts.append(("Range", reader.links(iri, _RDFS + "range")))
        inverse = reader.links(iri, _OWL + "inverseOf") + [x for n in reader.subjects(_OWL + "inverseOf", iri) for x in reader.link(n)]
        facts.append(("Inverse", sorted(set(inverse))))
        types = [str(t) for t in reader.objects(iri, _RDF + "type")]
        facts.append(("Characteristics", ", ".join(sorted(CHARACTERISTICS[t] for t in types if t in CHARACTERISTICS))))
        facts.append(("Usage", ", ".join(str(u) for u in reader.objects(iri, PG_IRI + "usage"))))
        for name, prop in (("Role concept", "roleConcept"), ("Stance concept", "stanceConcept")):
            facts.append((name, [Link(curie(str(c)), reader.label(c), "#concepts") for c in reader.objects(iri, PG_IRI + prop)]))
    matches = reader.links(iri, _SKOS + "closeMatch") + reader.links(iri, _SKOS + "exactMatch")
    facts.append(("Alignments", external + matches))
    entry.facts = [(name, value) for name, value in facts if value]
    entry.example = _example(reader, iri, kind)
    return entry


@dataclass
class Ontology:
    """Everything the documentation shows, in order."""

    header: list[tuple[str, str]]
    description: str
    sections: dict[str, list[Entry]]
    schemes: list[tuple[Link, str, list[tuple[Link, str]]]]
    diagram: tuple[list[str], list[tuple[str, str, str]]]  # classes; (from, to, label) with label "" for subclass-of
    has_data: bool


def read(ontology_path: Path | None = None, data_path: Path | None = None) -> Ontology:
    """The documentation model of the ontology, with examples from ``data_path`` when given."""
    reader = _Reader(ontology_path or paths.ONTOLOGY_PATH, data_path)
    onto = ONTOLOGY_IRI
    header = []
    for name, prop in (
        ("Title", _DCT + "title"),
        ("IRI", None),
        ("Version IRI", _OWL + "versionIRI"),
        ("Version", _OWL + "versionInfo"),
        ("License", _DCT + "license"),
        ("Creator", _DCT + "creator"),
        ("Created", _DCT + "created"),
        ("Preferred prefix", PREFIXES["vann"] + "preferredNamespacePrefix"),
        ("Namespace", PREFIXES["vann"] + "preferredNamespaceUri"),
    ):
        values = [onto] if prop is None else [str(v) for v in reader.objects(onto, prop)]
        if values:
            header.append((name, values[0]))
    description = " ".join(str(d) for d in reader.objects(onto, _DCT + "description"))
    sections = {
        title: [_entry(reader, iri, kind) for iri in sorted(i for i, k in reader.kinds.items() if k == kind)]
        for title, kind in KINDS.items()
    }
    schemes = []
    for scheme in reader.subjects(_RDF + "type", _SKOS + "ConceptScheme"):
        concepts = [(Link(curie(str(c)), reader.label(c)), reader.definition(c)) for c in reader.subjects(_SKOS + "inScheme", scheme)]
        schemes.append((Link(curie(str(scheme)), reader.label(scheme)), reader.definition(scheme), concepts))
    return Ontology(header, description, sections, schemes, _diagram(reader), reader.data is not None)


def _diagram(reader: _Reader) -> tuple[list[str], list[tuple[str, str, str]]]:
    """The main classes and the edges between them.

    Main classes: top-level classes, classes with subclasses, and classes
    named in the domain or range of an object property. Edges: subclass-of
    between them, and object properties from each domain class to each range
    class (parallel ones merged), leaving out sub-properties (their parent
    stands for them) and properties declared as another's owl:inverseOf target.
    """
    classes = {i for i, k in reader.kinds.items() if k == KINDS["Classes"]}
    local = {i: i[len(PG_IRI) :] for i in classes}
    parents = {i: [str(p) for p in reader.objects(i, _RDFS + "subClassOf") if str(p) in classes] for i in classes}
    main = {i for i in classes if not parents[i]} | {p for ps in parents.values() for p in ps}
    props = []
    for iri, kind in reader.kinds.items():
        if kind != KINDS["Object properties"] or any(str(p) in reader.kinds for p in reader.objects(iri, _RDFS + "subPropertyOf")):
            continue
        if reader.subjects(_OWL + "inverseOf", iri):  # drawn once, as the property it is the inverse of
            continue
        domain = [x.curie for x in reader.links(iri, _RDFS + "domain")]
        range_ = [x.curie for x in reader.links(iri, _RDFS + "range")]
        ends = [[PG_IRI + c[3:] for c in side if c.startswith("pg:") and PG_IRI + c[3:] in classes] for side in (domain, range_)]
        if ends[0] and ends[1]:
            props.append((reader.label(iri, reader.onto), ends[0], ends[1]))
            main |= set(ends[0]) | set(ends[1])
    edges: dict[tuple[str, str], list[str]] = {}
    for label, domain, range_ in props:
        for d in domain:
            for r in range_:
                edges.setdefault((local[d], local[r]), []).append(label)
    lines = [(local[c], local[p], "") for c in sorted(main) for p in parents[c] if p in main]
    lines += [(d, r, ", ".join(sorted(labels))) for (d, r), labels in sorted(edges.items())]
    return sorted(local[c] for c in main), lines


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", text)


def _md_value(value: list[Link] | str) -> str:
    if isinstance(value, str):
        return f"`{value}`" if value.startswith("http") else _md_escape(value)
    parts = []
    for link in value:
        if link.target.startswith("#"):
            parts.append(f"[{_md_escape(link.text)}]({link.target})")
        elif link.target:
            parts.append(f"[{link.curie}]({link.target})")
        else:
            parts.append(_md_escape(link.text))
    return ", ".join(parts)


def mermaid(model: Ontology) -> str:
    """A Mermaid class diagram of the main classes (GitHub renders it)."""
    classes, edges = model.diagram
    lines = ["classDiagram", "  direction LR"]
    lines += [f"  class {c}" for c in classes]
    for child, parent, label in edges:
        lines.append(f"  {parent} <|-- {child}" if not label else f"  {child} --> {parent} : {label}")
    return "\n".join(lines)


def markdown(model: Ontology) -> str:
    title = dict(model.header).get("Title", "Ontology")
    out = [f"# {title}", "", "<!-- Generated by 'peacegraph docs' from ontology/peacegraph.ttl; do not edit by hand. -->", ""]
    out += [_md_escape(model.description), ""]
    out += [f"- **{name}:** {_md_value(value)}" for name, value in model.header if name != "Title"]
    counts = ", ".join(f"{len(entries)} {title.lower()}" for title, entries in model.sections.items())
    out += ["", f"It has {counts}.", ""]
    if not model.has_data:
        out += ["Examples are missing: graph/peacegraph-data.ttl did not exist when this was generated (run `peacegraph build`).", ""]
    out += ["## Contents", "", "- [Diagram of the main classes](#diagram-of-the-main-classes)"]
    out += [f"- [{title}](#{title.lower().replace(' ', '-')})" for title in model.sections]
    out += ["- [Concept schemes](#concept-schemes)", "- [Namespaces](#namespaces)", ""]
    out += [
        "## Diagram of the main classes",
        "",
        "Open triangles point from a class to its superclass; arrows run from a property's domain to its range "
        "(sub-properties are shown under their parent).",
        "",
        "```mermaid",
        mermaid(model),
        "```",
        "",
    ]
    for title, entries in model.sections.items():
        out += [f"## {title}", ""]
        for e in entries:
            out += [f'<a id="{e.anchor}"></a>', "", f"### {e.curie}", "", f"**{_md_escape(e.label)}**: {_md_escape(e.definition)}", ""]
            out += [f"- {name}: {_md_value(value)}" for name, value in e.facts]
            if e.example:
                out.append(f"- Example: {_md_escape(e.example)}")
            out.append("")
    out += ['<a id="concepts"></a>', "", "## Concept schemes", ""]
    for scheme, definition, concepts in model.schemes:
        out += [f"### {scheme.curie}", "", f"**{_md_escape(scheme.label)}**: {_md_escape(definition)}", ""]
        out += ["| concept | label | definition |", "|---|---|---|"]
        out += [f"| `{c.curie}` | {_md_escape(c.label)} | {_md_escape(d)} |" for c, d in concepts]
        out.append("")
    out += ["## Namespaces", "", "| prefix | namespace |", "|---|---|"]
    out += [f"| `{p}` | `{iri}` |" for p, iri in PREFIXES.items()]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;
line-height:1.5;color:#1f2328}
h1{border-bottom:1px solid #d0d7de;padding-bottom:.3em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:2em}
h3{margin-bottom:.2em}code{background:#f6f8fa;padding:.1em .3em;border-radius:4px;font-size:90%}
section.term{border-left:3px solid #d0d7de;padding-left:1em;margin:1.5em 0}
dl{display:grid;grid-template-columns:11em 1fr;gap:.2em 1em;margin:.5em 0}dt{font-weight:600;color:#57606a}dd{margin:0}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.3em .6em;text-align:left;vertical-align:top}
figure{margin:1em 0;overflow-x:auto}figure svg{max-width:100%;height:auto}a{color:#0969da}.note{color:#57606a;font-style:italic}
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _html_value(value: list[Link] | str) -> str:
    if isinstance(value, str):
        return f"<code>{_h(value)}</code>" if value.startswith("http") else _h(value)
    parts = []
    for link in value:
        if link.target.startswith("#"):
            parts.append(f'<a href="{_h(link.target)}">{_h(link.text)}</a>')
        elif link.target:
            parts.append(f'<a class="alignment" href="{_h(link.target)}">{_h(link.curie)}</a>')
        else:
            parts.append(_h(link.text))
    return ", ".join(parts)


def dot_source(model: Ontology) -> str:
    """Graphviz DOT of the main-class diagram; nodes link to their entries."""
    from peacegraph.export.dot import quote, wrap

    classes, edges = model.diagram
    lines = [
        "digraph ontology {",
        "  graph [rankdir=LR, fontname=Helvetica, nodesep=0.3, ranksep=0.6];",
        '  node [shape=box, style="rounded,filled", fillcolor="#eef4fb", color="#4a6fa5", fontname=Helvetica, fontsize=11];',
        '  edge [fontname=Helvetica, fontsize=9, color="#555555", fontcolor="#333333"];',
    ]
    lines += [f"  {c} [URL={quote('#class-' + c)}, tooltip={quote('pg:' + c)}];" for c in classes]
    for child, parent, label in edges:
        if label:
            lines.append(f"  {child} -> {parent} [label={quote(wrap(label, 30))}, style=dashed];")
        else:
            lines.append(f"  {child} -> {parent} [arrowhead=onormal];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg(model: Ontology) -> str | None:
    """The diagram as inline SVG drawn by Graphviz's ``dot``, or None when ``dot`` is not installed."""
    if shutil.which("dot") is None:
        return None
    from peacegraph.export.dot import render

    text = render(dot_source(model).encode("utf-8"), "svg").decode("utf-8")
    text = text[text.index("<svg") :]
    text = re.sub(r"<!--.*?-->\n?", "", text, flags=re.S)  # Graphviz puts its version in comments
    return re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text).strip()


def html_page(model: Ontology, drawing: str | None) -> str:
    title = dict(model.header).get("Title", "Ontology")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS.strip()}</style>",
        "</head>",
        "<body>",
        "<!-- Generated by 'peacegraph docs' from ontology/peacegraph.ttl; do not edit by hand. -->",
        f"<h1>{_h(title)}</h1>",
        f"<p>{_h(model.description)}</p>",
        "<dl>",
    ]
    out += [f"<dt>{_h(name)}</dt><dd>{_html_value(value)}</dd>" for name, value in model.header if name != "Title"]
    out.append("</dl>")
    if not model.has_data:
        out.append('<p class="note">Examples are missing: graph/peacegraph-data.ttl did not exist when this was generated.</p>')
    out += ["<nav><h2>Contents</h2><ul>", '<li><a href="#diagram">Diagram of the main classes</a></li>']
    out += [f'<li><a href="#{_h(t.lower().replace(" ", "-"))}">{_h(t)}</a> ({len(es)})</li>' for t, es in model.sections.items()]
    out += ['<li><a href="#concepts">Concept schemes</a></li>', '<li><a href="#namespaces">Namespaces</a></li>', "</ul></nav>"]
    out += [
        '<h2 id="diagram">Diagram of the main classes</h2>',
        "<p>Open triangles point from a class to its superclass; dashed arrows run from a property's domain to its range "
        "(sub-properties are shown under their parent). Click a class to go to its entry.</p>",
        DIAGRAM_START,
    ]
    if drawing is None:
        out.append(
            '<p class="note">No diagram: Graphviz\'s <code>dot</code> was not installed when this page was generated '
            "(install graphviz and run <code>peacegraph docs</code>); docs/ontology.md has the same diagram in Mermaid.</p>"
        )
    else:
        out.append(f"<figure>{drawing}</figure>")
    out.append(DIAGRAM_END)
    for title, entries in model.sections.items():
        out.append(f'<h2 id="{_h(title.lower().replace(" ", "-"))}">{_h(title)}</h2>')
        for e in entries:
            out += [
                f'<section class="term" id="{_h(e.anchor)}">',
                f"<h3>{_h(e.label)} <code>{_h(e.curie)}</code></h3>",
                f"<p>{_h(e.definition)}</p>",
                "<dl>",
            ]
            out += [f"<dt>{_h(name)}</dt><dd>{_html_value(value)}</dd>" for name, value in e.facts]
            if e.example:
                out.append(f"<dt>Example</dt><dd>{_h(e.example)}</dd>")
            out += ["</dl>", "</section>"]
    out.append('<h2 id="concepts">Concept schemes</h2>')
    for scheme, definition, concepts in model.schemes:
        out += [
            f"<h3>{_h(scheme.label)} <code>{_h(scheme.curie)}</code></h3>",
            f"<p>{_h(definition)}</p>",
            "<table><tr><th>concept</th><th>label</th><th>definition</th></tr>",
        ]
        out += [f"<tr><td><code>{_h(c.curie)}</code></td><td>{_h(c.label)}</td><td>{_h(d)}</td></tr>" for c, d in concepts]
        out.append("</table>")
    out += ['<h2 id="namespaces">Namespaces</h2>', "<table><tr><th>prefix</th><th>namespace</th></tr>"]
    out += [f"<tr><td><code>{_h(p)}</code></td><td><code>{_h(iri)}</code></td></tr>" for p, iri in PREFIXES.items()]
    out += ["</table>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Generating, checking, and the command
# ---------------------------------------------------------------------------


class Generated(dict):
    """File name -> text of the documentation, plus what its diagram must show (``diagram``)."""

    diagram: list[tuple] | None = None


def generate(ontology_path: Path | None = None, graph_dir: Path | None = None) -> Generated:
    """File name -> text of the documentation, with examples from graph_dir/peacegraph-data.ttl if it exists."""
    data = paths.graph_file(graph_dir, paths.DATA_FILE_NAME)
    model = read(ontology_path, data if data.is_file() else None)
    generated = Generated({MARKDOWN_NAME: markdown(model), HTML_NAME: html_page(model, svg(model))})
    generated.diagram = diagram_of(model)
    return generated


def without_diagram(text: str) -> str:
    """The HTML with its diagram cut out.

    >>> without_diagram("a<!-- diagram --><svg/><!-- /diagram -->b")
    'a<!-- diagram --><!-- /diagram -->b'
    """
    return re.sub(re.escape(DIAGRAM_START) + ".*?" + re.escape(DIAGRAM_END), DIAGRAM_START + DIAGRAM_END, text, flags=re.S)


def _region(text: str) -> str:
    match = re.search(re.escape(DIAGRAM_START) + "(.*?)" + re.escape(DIAGRAM_END), text, re.S)
    return match.group(1) if match else ""


def diagram_summary(text: str) -> list[tuple] | None:
    """What the page's diagram shows, or None when it has no drawing: per box and arrow, its kind, title, words and links.

    Graphviz writes one ``<g class="node|edge">`` per box or arrow with a
    ``<title>`` (``Person``, ``Person->Post``) and one ``<text>`` per label line;
    their positions are left out, so another Graphviz version gives the same summary.

    >>> diagram_summary('<!-- diagram --><svg><g id="edge1" class="edge"><title>A&#45;&gt;B</title><text x="1">holds</text></g></svg><!-- /diagram -->')
    [('edge', 'A->B', ('holds',), ())]
    >>> diagram_summary("<!-- diagram --><p>No diagram</p><!-- /diagram -->") is None
    True
    """
    region = _region(text)
    if "<svg" not in region:
        return None
    parts = re.split(r'<g id="[^"]*" class="(node|edge)">', region)
    found = []
    for kind, body in zip(parts[1::2], parts[2::2], strict=True):
        title = re.search(r"<title>(.*?)</title>", body, re.S)
        texts = tuple(html.unescape(t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", body, re.S))
        links = tuple(html.unescape(t) for t in re.findall(r'href="([^"]*)"', body))
        found.append((kind, html.unescape(title.group(1)) if title else "", texts, links))
    return sorted(found)


def diagram_of(model: Ontology) -> list[tuple]:
    """What the diagram drawn from ``dot_source(model)`` shows, in :func:`diagram_summary`'s terms, without drawing it."""
    from peacegraph.export.dot import wrap

    classes, edges = model.diagram
    found = [("node", c, (c,), ("#class-" + c,)) for c in classes]
    found += [("edge", f"{child}->{parent}", tuple(wrap(label, 30).split("\n")) if label else (), ()) for child, parent, label in edges]
    return sorted(found)


def _expected_diagram(generated: dict[str, str]) -> list[tuple]:
    expected = getattr(generated, "diagram", None)
    if expected is None:
        expected = diagram_summary(generated[HTML_NAME]) or diagram_of(read())
    return expected


def stale_files(generated: dict[str, str], out_dir: Path | None = None) -> list[str]:
    """Names of the files in ``out_dir`` that differ from ``generated``.

    The HTML is compared without its diagram, and its diagram by what it
    shows (:func:`diagram_summary`): a page with no drawing, or a drawing of
    other classes or arrows, is stale.
    """
    out_dir = out_dir or DOCS_DIR
    stale = []
    for name, text in sorted(generated.items()):
        path = out_dir / name
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if name == HTML_NAME and current is not None:
            if diagram_summary(current) != _expected_diagram(generated):
                stale.append(name)
                continue
            current, text = without_diagram(current), without_diagram(text)
        if current != text:
            stale.append(name)
    return stale


def _with_kept_drawing(generated: dict[str, str], path: Path) -> str:
    """The generated page (drawn without Graphviz) with the drawing of the page at ``path``, if that shows the same diagram."""
    current = path.read_text(encoding="utf-8") if path.is_file() else ""
    if diagram_summary(current) != _expected_diagram(generated):
        raise DocsError(
            f"Graphviz's 'dot' is not installed, and {path} has no drawing of the current ontology's diagram to keep; "
            "install graphviz (Debian: apt-get install graphviz) and run 'peacegraph docs' again; nothing was written"
        )
    page = generated[HTML_NAME]
    start, end = page.index(DIAGRAM_START) + len(DIAGRAM_START), page.index(DIAGRAM_END)
    return page[:start] + _region(current) + page[end:]


def write(generated: dict[str, str], out_dir: Path | None = None) -> list[Path]:
    """Write the files; without Graphviz, keep the page's drawing when it shows the same diagram, or raise DocsError and write nothing.

    A new page (none at ``out_dir`` yet) is written with a note in place of the
    diagram, and ``--check`` reports it stale until Graphviz draws it.
    """
    out_dir = out_dir or DOCS_DIR
    texts = dict(generated)
    page = out_dir / HTML_NAME
    if diagram_summary(texts[HTML_NAME]) is None and page.is_file():
        texts[HTML_NAME] = _with_kept_drawing(generated, page)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(texts.items()):
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


@click.command("docs")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write ontology.md and ontology.html (default: docs/ in the repository).",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the files in --out differ from what would be generated.")
@click.option(
    "--graph-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where graph/peacegraph-data.ttl is read for examples (default: graph/ in the repository).",
)
def docs_command(out_dir: Path | None, check: bool, graph_dir: Path | None) -> None:
    """Generate the ontology documentation (Markdown and self-contained HTML) into docs/.

    Exit codes: 0 written or up to date, 1 stale (with --check), 2 input error.
    """
    out_dir = out_dir or DOCS_DIR
    try:
        generated = generate(graph_dir=graph_dir)
    except PeacegraphError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(err.exit_code)
    except (OSError, SyntaxError, ValueError) as err:  # unreadable or unparsable ontology or data
        click.echo(f"error: cannot read the ontology or graph/: {err}", err=True)
        sys.exit(2)
    if check:
        stale = stale_files(generated, out_dir)
        for name in stale:
            click.echo(f"STALE {out_dir / name}: run 'peacegraph docs' and commit it")
        if not stale:
            click.echo(f"PASS docs: {', '.join(sorted(generated))} in {out_dir} are up to date")
        sys.exit(1 if stale else 0)
    try:
        written = write(generated, out_dir)
    except PeacegraphError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(err.exit_code)
    for path in written:
        click.echo(f"wrote {path}")
    if diagram_summary(generated[HTML_NAME]) is None:
        page = out_dir / HTML_NAME
        if diagram_summary(page.read_text(encoding="utf-8")) is not None:
            click.echo(f"note: Graphviz's 'dot' is not installed; kept the diagram already in {page}, which shows the current ontology")
        else:
            click.echo(f"warning: Graphviz's 'dot' is not installed, so {page} has no diagram; install graphviz and run again", err=True)
