"""Views: named slices of the graph, one CONSTRUCT query each in ``queries/views/``.

A view file has the ``#+`` header of the canned questions (summary,
description, tags, defaults) plus grlc's ``enumerate`` for parameters that take
one of a few values. Files whose name starts with ``_`` are helpers, not views:
``_describe.rq`` adds to a view's facts what people read (labels, types,
property labels, statement nodes, sources, quotes). Parameters are bound as RDF
terms through pyoxigraph ``substitutions``, never pasted into the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import QueryError
from peacegraph.query.canned import CannedQuery, bind, load_query, parse_header
from peacegraph.query.engines import substitute, syntax_message
from peacegraph.query.results import Term

#: The view queries (CONSTRUCT, grlc headers). TODO(lead): move to paths.VIEWS_DIR.
VIEWS_DIR = getattr(paths, "VIEWS_DIR", paths.QUERIES_DIR / "views")
#: The helper query that describes a view's facts.
DESCRIBE_NAME = "_describe"
#: The named graph the view's own triples are put in while _describe runs.
VIEW_GRAPH_IRI = "urn:peacegraph:view"


@dataclass
class View:
    """A view query plus the allowed values of its enumerated parameters."""

    query: CannedQuery
    enumerate: dict[str, list[str]]

    @property
    def name(self) -> str:
        return self.query.name


def load_view(path: Path) -> View:
    """Read one view file, its header and its parameters.

    >>> view = load_view(VIEWS_DIR / "neighbourhood.rq")
    >>> [(p.name, p.required, p.kind) for p in view.query.params], view.enumerate
    ([('entity', True, 'iri'), ('depth', False, 'integer')], {'depth': ['1', '2', '3']})
    """
    query = load_query(path)
    header = parse_header(query.text)
    allowed: dict[str, list[str]] = {}
    for item in header.get("enumerate") or []:
        if isinstance(item, dict):
            allowed.update({str(k): [str(v) for v in (vs or [])] for k, vs in item.items()})
    return View(query, allowed)


def list_views(folder: Path | None = None) -> list[View]:
    """Every view, sorted by name (helpers starting with ``_`` left out)."""
    folder = folder or VIEWS_DIR
    return [load_view(p) for p in sorted(folder.glob("*.rq")) if not p.name.startswith("_")]


def get_view(name: str, folder: Path | None = None) -> View:
    """The view called ``name``, or QueryError listing the known views."""
    folder = folder or VIEWS_DIR
    path = folder / f"{name}.rq"
    if name.startswith("_") or not path.is_file():
        known = ", ".join(v.name for v in list_views(folder))
        raise QueryError(f"no view named '{name}'; known views: {known}")
    return load_view(path)


def check_values(view: View, values: dict[str, str]) -> None:
    """Reject a value outside a parameter's ``enumerate`` list.

    >>> check_values(load_view(VIEWS_DIR / "neighbourhood.rq"), {"depth": "4"})
    Traceback (most recent call last):
    ...
    peacegraph.errors.QueryError: view 'neighbourhood': parameter 'depth' must be one of 1, 2, 3, not '4'
    """
    for name, allowed in view.enumerate.items():
        value = values.get(name)
        if value is not None and allowed and value.strip() not in allowed:
            raise QueryError(f"view '{view.name}': parameter '{name}' must be one of {', '.join(allowed)}, not {value!r}")


def run_view(engine, view: View, values: dict[str, str] | None = None) -> list:
    """The view's triples plus their description, as a sorted list of pyoxigraph Triples.

    ``engine`` is a :class:`peacegraph.query.engines.EmbeddedEngine`; parameters are
    bound the way every canned question binds them (``engines.substitute``).
    The view's CONSTRUCT result is put in a named graph of the engine's store
    (removed again afterwards), and ``_describe.rq`` adds labels, types,
    statement nodes, sources and quotes for what is in it.
    """
    import pyoxigraph

    values = dict(values or {})
    check_values(view, values)
    bindings = bind(engine, view.query, values)
    store = engine.store
    selected = _construct(store, view.query, bindings)
    if len(set(selected)) >= len(store):
        # The view is every triple of the graph (whole-graph): _describe could only give some of them again.
        return sorted(set(selected), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    graph = pyoxigraph.NamedNode(VIEW_GRAPH_IRI)
    store.extend([pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in selected])
    try:
        describe = load_query(VIEWS_DIR / f"{DESCRIBE_NAME}.rq")
        triples = set(selected)
        triples.update(_construct(store, describe, {"view": Term.iri(VIEW_GRAPH_IRI)}))
    finally:
        store.remove_graph(graph)
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _construct(store, query: CannedQuery, bindings: dict[str, Term]) -> list:
    text = substitute(query.text, bindings)
    try:
        return list(store.query(text))
    except SyntaxError as err:
        raise QueryError(f"{query.path}: {syntax_message(err, text)}") from err
    except (RuntimeError, ValueError, OSError) as err:
        raise QueryError(f"{query.path}: the query failed: {err}") from err
