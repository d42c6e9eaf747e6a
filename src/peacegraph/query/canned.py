"""Canned questions: ``queries/*.rq`` with grlc-style ``#+`` headers.

Parameters follow the BASIL convention (``?_state_iri`` required,
``?__since_xsd_date`` optional; the suffix gives the type) and are bound as
RDF terms by the engine, never pasted into the query text. An IRI parameter
also accepts a prefixed name (``ent:armenia``) or a label or alias
(``Türkiye``). This module is on the query path: no rdflib, pyshacl or owlready2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import QueryError
from peacegraph.namespaces import PREFIXES
from peacegraph.query.results import ResultSet, Term

_PARAM = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z0-9]+(?:_[A-Za-z0-9]+)*))?\b")
_XSD = PREFIXES["xsd"]


@dataclass(frozen=True)
class Param:
    """One query parameter: its name, SPARQL variable, whether required, and its type suffix."""

    name: str
    variable: str
    required: bool
    kind: str  # "iri", "xsd_date", "integer", "en", "string" ...

    def describe(self) -> str:
        return {
            "iri": "entity: IRI, ent:id, label or alias",
            "xsd_date": "date YYYY-MM-DD",
            "integer": "whole number",
            "xsd_boolean": "true or false",
        }.get(self.kind, self.kind)


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
        if name not in seen:
            seen[name] = Param(name, match.group(0)[1:], underscores == "_", kind or "string")
    return list(seen.values())


def load_query(path: Path, header: bool = True) -> CannedQuery:
    """Read a question; with ``header=False`` its #+ header is read only if it sets defaults (YAML costs startup time)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}: cannot read the query file ({err})") from err
    if not header and "#+ defaults" not in text:
        return CannedQuery(name=path.stem, path=path, text=text, params=find_params(text))
    try:
        header = parse_header(text)
    except Exception as err:
        raise QueryError(f"{path}: its '#+' header is not valid YAML ({err}); fix the header lines") from err
    defaults: dict[str, str] = {}
    for item in header.get("defaults") or []:
        if isinstance(item, dict):
            defaults.update({str(k): str(v) for k, v in item.items()})
    return CannedQuery(
        name=path.stem,
        path=path,
        text=text,
        summary=str(header.get("summary", "")),
        description=" ".join(str(header.get("description", "")).split()),
        tags=list(header.get("tags") or []),
        defaults=defaults,
        params=find_params(text),
    )


def list_queries(folder: Path | None = None) -> list[CannedQuery]:
    folder = folder or paths.QUERIES_DIR
    return [load_query(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, folder: Path | None = None, header: bool = True) -> CannedQuery:
    folder = folder or paths.QUERIES_DIR
    path = folder / f"{name}.rq"
    if not re.match(r"^[A-Za-z0-9_-]+$", name) or not path.is_file():
        known = ", ".join(q.name for q in list_queries(folder))
        raise QueryError(f"no canned question named '{name}'; known questions: {known}")
    return load_query(path, header)


def _lookup(name: str) -> str:
    return (paths.LOOKUP_DIR / f"{name}.rq").read_text(encoding="utf-8")


def resolve_entity(engine, value: str, param: str = "entity") -> Term:
    """An IRI, a prefixed name (``ent:armenia``) or a label/alias -> an IRI term, or QueryError."""
    value = value.strip()
    if re.match(r"^[a-z][a-z0-9+.-]*://", value):
        return Term.iri(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and re.match(r"^[A-Za-z0-9_.-]+$", local):
        return Term.iri(PREFIXES[prefix] + local)
    found = _lookup_rows(engine, "resolve-entity", {"text": Term.literal(value)}, ("entity", "label"))
    entities = sorted({row["entity"].value: row["label"].value for row in found}.items())
    if len(entities) == 1:
        return Term.iri(entities[0][0])
    if not entities:
        labels = sorted({row["label"].value for row in _lookup_rows(engine, "all-labels", {}, ("label",))})
        import difflib

        close = difflib.get_close_matches(value, labels, n=8, cutoff=0.5)
        hint = f"; closest labels: {', '.join(close)}" if close else ""
        raise QueryError(
            f"parameter '{param}': no entity has the label or alias {value!r}{hint}. Accepted: an IRI, ent:<id>, or one of the labels listed by 'peacegraph query entities'"
        )
    names = ", ".join(f"{label} <{iri}>" for iri, label in entities)
    raise QueryError(f"parameter '{param}': {value!r} names {len(entities)} entities ({names}); give one of their IRIs")


def _lookup_rows(engine, name: str, bindings: dict[str, Term], columns: tuple[str, ...]) -> list[dict[str, Term]]:
    """The rows of an internal lookup that bind every one of ``columns``; QueryError if the answer lacks a column."""
    found = engine.run(_lookup(name), bindings)
    if not isinstance(found, ResultSet) or found.boolean is not None:
        raise QueryError(f"the {name} lookup did not answer rows; is this endpoint serving the peacegraph graph?")
    missing = [c for c in columns if c not in found.columns]
    if missing:
        raise QueryError(
            f"the {name} lookup's answer has no '{missing[0]}' column; is this endpoint serving the peacegraph graph? "
            "Give an IRI or ent:<id> instead of a label"
        )
    return [row for row in found.rows if all(row.get(c) is not None for c in columns)]


def bind(engine, query: CannedQuery, values: dict[str, str]) -> dict[str, Term]:
    """Turn parameter values (strings) into RDF terms, checking names, types and required ones."""
    known = {p.name: p for p in query.params}
    for name in values:
        if name not in known:
            accepted = ", ".join(p.name for p in query.params) or "none"
            raise QueryError(f"question '{query.name}' has no parameter '{name}'; its parameters: {accepted}")
    bindings = {}
    for param in query.params:
        raw = values.get(param.name, query.defaults.get(param.name))
        if raw is None:
            if param.required:
                raise QueryError(f"question '{query.name}' needs parameter '{param.name}' ({param.describe()}); pass -p {param.name}=VALUE")
            continue
        bindings[param.variable] = term_for(engine, param, raw)
    return bindings


def term_for(engine, param: Param, raw: str) -> Term:
    kind = param.kind
    if kind == "iri":
        return resolve_entity(engine, raw, param.name)
    if kind.startswith("xsd_"):
        datatype = kind[4:]
        if datatype == "date":
            _check_date(param, raw)
        if datatype == "boolean" and raw not in ("true", "false"):
            raise QueryError(f"parameter '{param.name}' must be true or false, not {raw!r}")
        if datatype in ("integer", "int") and not re.match(r"^-?\d+$", raw):
            raise QueryError(f"parameter '{param.name}' must be a whole number, not {raw!r}")
        return Term.literal(raw, _XSD + datatype)
    if kind in ("integer", "number"):
        if not re.match(r"^-?\d+$", raw):
            raise QueryError(f"parameter '{param.name}' must be a whole number, not {raw!r}")
        return Term.literal(raw, _XSD + "integer")
    if re.match(r"^[a-z]{2,3}$", kind):
        return Term.literal(raw, lang=kind)
    return Term.literal(raw)


def _check_date(param: Param, raw: str) -> None:
    import datetime

    try:
        datetime.date.fromisoformat(raw)
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", raw):
            raise ValueError
    except ValueError:
        raise QueryError(f"parameter '{param.name}' must be a real date written YYYY-MM-DD, not {raw!r}") from None


#: The parameter of the questions that can show deprecated statements too (--all-ranks).
ALL_RANKS = "allRanks"


def run(
    name: str,
    values: dict[str, str] | None = None,
    engine=None,
    graph_dir: Path | None = None,
    all_ranks: bool = False,
    stream: bool = False,
):
    """Run a canned question; return a ResultSet (SELECT/ASK) or Turtle bytes (CONSTRUCT); with ``stream``, maybe a RowStream.

    ``all_ranks`` also shows statements deprecated as known errors of their
    source, for the questions that have a rank column (QueryError otherwise).
    """
    from peacegraph.query.engines import EmbeddedEngine

    query = get_query(name, header=False)
    if all_ranks:
        if ALL_RANKS not in {p.name for p in query.params}:
            offered = ", ".join(q.name for q in list_queries() if ALL_RANKS in {p.name for p in q.params})
            raise QueryError(
                f"question '{name}' always leaves deprecated statements out; ask one with a rank column for all ranks: {offered}"
            )
        values = {**(values or {}), ALL_RANKS: "true"}
    engine = engine if engine is not None else EmbeddedEngine(graph_dir)
    bindings = bind(engine, query, values or {})
    return engine.run(query.text, bindings, stream=True) if stream else engine.run(query.text, bindings)


def rows(name: str, engine=None, graph_dir: Path | None = None, **values: str) -> list[dict[str, str]]:
    """The Python API: run a canned question by name with keyword parameters; rows of strings.

    >>> rows("leaders", state="Armenia")   # doctest: +SKIP
    [{'person': 'Nikol Pashinyan', 'office': 'Prime Minister of Armenia', ...}]
    """
    result = run(name, {k: str(v) for k, v in values.items()}, engine=engine, graph_dir=graph_dir)
    if not isinstance(result, ResultSet):
        raise QueryError(f"question '{name}' is not a SELECT question")
    return result.values()
