"""Canned questions: ``queries/*.rq`` with grlc-style ``#+`` headers, run on pyoxigraph.

This module is on the query path: it must not import rdflib, pyshacl or
owlready2. Parameters follow the BASIL convention (``?_state_iri`` required,
``?__since_xsd_date`` optional) and are bound as RDF terms through
pyoxigraph's ``substitutions``, never pasted into the query text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import GraphMissingError, QueryError
from peacegraph.namespaces import PREFIXES

_PARAM = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*))?\b")
_XSD = PREFIXES["xsd"]
_LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel")


@dataclass(frozen=True)
class Param:
    """One query parameter: its name, SPARQL variable, whether required, and its type suffix."""

    name: str
    variable: str
    required: bool
    kind: str  # "iri", "xsd_date", "integer", "en", "string" ...


@dataclass
class CannedQuery:
    name: str
    path: Path
    text: str
    summary: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    params: list[Param] = field(default_factory=list)


def parse_header(text: str) -> dict:
    """The YAML of the leading ``#+`` lines.

    >>> parse_header("#+ summary: Who leads what\\n#+ tags:\\n#+   - people\\nSELECT")
    {'summary': 'Who leads what', 'tags': ['people']}
    """
    import yaml

    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[2:].removeprefix(" "))
        elif line.strip() and not line.startswith("#"):
            break
    if not lines:
        return {}
    header = yaml.safe_load("\n".join(lines))
    return header if isinstance(header, dict) else {}


def find_params(text: str) -> list[Param]:
    """BASIL parameters of a query, in order of first use.

    >>> [(p.name, p.required, p.kind) for p in find_params("?_state_iri ?__since_xsd_date ?x")]
    [('state', True, 'iri'), ('since', False, 'xsd_date')]
    """
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    seen: dict[str, Param] = {}
    for match in _PARAM.finditer(body):
        underscores, name, kind = match.groups()
        variable = match.group(0)[1:]
        if name not in seen:
            seen[name] = Param(name, variable, underscores == "_", kind or "string")
    return list(seen.values())


def load_query(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    try:
        header = parse_header(text)
    except Exception as err:
        raise QueryError(f"{path}: its '#+' header is not valid YAML ({err}); fix the header lines") from err
    defaults: dict[str, str] = {}
    for item in header.get("defaults") or []:
        if isinstance(item, dict):
            defaults.update({str(k): str(v) for k, v in item.items()})
    return CannedQuery(
        name=path.stem, path=path, text=text, summary=str(header.get("summary", "")),
        description=str(header.get("description", "")), tags=list(header.get("tags") or []),
        defaults=defaults, params=find_params(text),
    )


def list_queries(folder: Path | None = None) -> list[CannedQuery]:
    folder = folder or paths.QUERIES_DIR
    return [load_query(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, folder: Path | None = None) -> CannedQuery:
    folder = folder or paths.QUERIES_DIR
    path = folder / f"{name}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in list_queries(folder))
        raise QueryError(f"no canned question named '{name}'; known questions: {known}")
    return load_query(path)


def open_store(graph_dir: Path | None = None):
    """A pyoxigraph store holding graph/peacegraph.ttl (ontology plus data)."""
    import pyoxigraph

    path = paths.graph_file(graph_dir)
    if not path.is_file():
        raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first")
    store = pyoxigraph.Store()
    with open(path, "rb") as handle:
        store.bulk_load(handle, pyoxigraph.RdfFormat.TURTLE)
    return store


def resolve_entity(store, value: str):
    """An IRI, a prefixed name (``ent:armenia``) or a label/alias -> NamedNode, or QueryError."""
    import pyoxigraph

    if re.match(r"^https?://", value):
        return pyoxigraph.NamedNode(value)
    prefix, _, local = value.partition(":")
    if local and prefix in PREFIXES and " " not in value:
        return pyoxigraph.NamedNode(PREFIXES[prefix] + local)
    query = (
        "SELECT DISTINCT ?e WHERE { VALUES ?p { <%s> <%s> } ?e ?p ?l . FILTER(LCASE(STR(?l)) = LCASE(STR(?text))) }"
        % _LABELS
    )
    found = sorted(
        (s["e"] for s in store.query(query, substitutions={pyoxigraph.Variable("text"): pyoxigraph.Literal(value)})),
        key=lambda n: n.value,
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise QueryError(f"no entity has the label or alias {value!r}; give an IRI, a prefixed name such as ent:armenia, or a label shown by 'peacegraph query entities'")
    raise QueryError(f"{value!r} names {len(found)} entities ({', '.join(n.value for n in found)}); give one of their IRIs")


def bind(store, query: CannedQuery, values: dict[str, str]) -> dict:
    """Turn parameter values into pyoxigraph substitutions, checking required ones."""
    import pyoxigraph

    known = {p.name: p for p in query.params}
    for name in values:
        if name not in known:
            accepted = ", ".join(p.name for p in query.params) or "none"
            raise QueryError(f"question '{query.name}' has no parameter '{name}'; its parameters: {accepted}")
    substitutions = {}
    for param in query.params:
        raw = values.get(param.name, query.defaults.get(param.name))
        if raw is None:
            if param.required:
                raise QueryError(f"question '{query.name}' needs parameter '{param.name}' ({param.kind}); pass -p {param.name}=VALUE")
            continue
        substitutions[pyoxigraph.Variable(param.variable)] = _term(store, param, raw)
    return substitutions


def _term(store, param: Param, raw: str):
    import pyoxigraph

    kind = param.kind
    if kind == "iri":
        return resolve_entity(store, raw)
    if kind.startswith("xsd_"):
        datatype = kind[4:]
        if datatype == "date" and not re.match(r"^\d{4}-\d{2}-\d{2}$", raw):
            raise QueryError(f"parameter '{param.name}' must be a date YYYY-MM-DD, not {raw!r}")
        return pyoxigraph.Literal(raw, datatype=pyoxigraph.NamedNode(_XSD + datatype))
    if kind in ("integer", "number"):
        if not re.match(r"^-?\d+$", raw):
            raise QueryError(f"parameter '{param.name}' must be a whole number, not {raw!r}")
        return pyoxigraph.Literal(raw, datatype=pyoxigraph.NamedNode(_XSD + "integer"))
    if re.match(r"^[a-z]{2,3}$", kind):
        return pyoxigraph.Literal(raw, language=kind)
    return pyoxigraph.Literal(raw)


def run(name: str, values: dict[str, str] | None = None, store=None, graph_dir: Path | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """Run a canned question; return its column names and rows of plain strings.

    >>> cols, rows = run("agreement-roles")   # doctest: +SKIP
    """
    query = get_query(name)
    store = store if store is not None else open_store(graph_dir)
    substitutions = bind(store, query, values or {})
    try:
        solutions = store.query(query.text, substitutions=substitutions)
    except SyntaxError as err:
        raise QueryError(f"{query.path}: {err}") from err
    columns = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        rows.append({c: ("" if solution[c] is None else solution[c].value) for c in columns})
    return columns, rows


def format_table(columns: list[str], rows: list[dict[str, str]]) -> str:
    """An aligned plain-text table.

    >>> print(format_table(["a", "b"], [{"a": "x", "b": "yy"}]))
    a  b
    -  --
    x  yy
    """
    widths = {c: max([len(c)] + [len(r[c]) for r in rows]) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns).rstrip(),
             "  ".join("-" * widths[c] for c in columns).rstrip()]
    lines += ["  ".join(r[c].ljust(widths[c]) for c in columns).rstrip() for r in rows]
    return "\n".join(lines)
