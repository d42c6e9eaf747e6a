"""Canned questions: ``queries/*.rq`` with grlc-style ``#+`` headers.

Parameters follow the BASIL convention (``?_state_iri`` required,
``?__since_xsd_date`` optional; the suffix gives the type) and are bound as
RDF terms by the engine, never pasted into the query text.

An IRI parameter accepts whatever the answers themselves show: an entity's
or concept's label or alias (``Türkiye``, ``welcome``), a document's
identifier or title (``d001``), a class's label or name (``state``,
``State``), a prefixed name (``ent:armenia``) or a full IRI; an id or IRI the
graph does not know is refused with the closest known ones. A date parameter
takes a day (``2021-06-01``), a month (``2021-06``) or a year (``2021``), bound
as ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``: each question says what a
month or year means for it (any day of it, or from its first / up to its last
day), comparing at the precision given. When a question answers nothing, the
result carries hints: where the value does appear (``Russia`` is an actor of
``mediators``, not a thing mediated) or what dropping a parameter would give.
This module is on the query path: no rdflib, pyshacl or owlready2.
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
            "iri": "a label or alias as the answers show it, an id such as d001, ent:<id> or an IRI",
            "xsd_date": "date YYYY-MM-DD, or a month YYYY-MM or year YYYY",
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


def _close(value: str, choices, n: int = 6) -> list[str]:
    """The names closest to ``value``: those holding it as a word first, then the most alike.

    >>> _close("lachin", ["China", "Lachin corridor", "Nakhchivan"])
    ['Lachin corridor', 'China', 'Nakhchivan']
    """
    import difflib

    by_case = {c.lower(): c for c in choices}
    word = re.compile(r"\b" + re.escape(value.lower()))
    holding = sorted((c for c in by_case if word.search(c)), key=lambda c: (len(c), c))
    alike = [c for c in difflib.get_close_matches(value.lower(), list(by_case), n=n, cutoff=0.5) if c not in holding]
    return [by_case[c] for c in (holding + alike)[:n]]


#: Namespaces whose IRIs a parameter may name and that the graph must describe (prefix, what they are).
_CHECKED = {"ent": "entity", "doc": "document", "pgc": "concept", "pg": "ontology term", "stmt": "statement"}


def _check_known(engine, iri: str, param: str) -> None:
    """Refuse an IRI in one of the project's namespaces that the graph does not describe, with the closest known ids."""
    for prefix, kind in _CHECKED.items():
        base = PREFIXES[prefix]
        if iri.startswith(base):
            # One index lookup for a known IRI; the namespace is listed only to suggest ids for an unknown one.
            described = engine.run(_lookup("is-described"), {"node": Term.iri(iri)})
            if isinstance(described, ResultSet) and described.boolean:
                return
            found = engine.run(_lookup("known-iris"), {"namespace": Term.literal(base)})
            known = {row["iri"].value for row in found.rows}
            if iri in known:
                return
            # Suggest ids, not the nodes minted under them (ent:russia/alias/2).
            ids = [k[len(base) :] for k in known if "/" not in k[len(base) :]]
            close = _close(iri[len(base) :], ids)
            hint = f"; closest: {', '.join(f'{prefix}:{c}' for c in close)}" if close else ""
            raise QueryError(f"parameter '{param}': the graph has no {kind} {prefix}:{iri[len(base) :]}{hint}")


def _names(engine) -> dict[str, list[dict]]:
    """Every name a parameter may give (lower-cased) -> what it names: read once per engine, then a dictionary lookup.

    A question about one entity then costs what that entity's facts cost, not a scan of every label in the graph.
    """
    index = getattr(engine, "_peacegraph_names", None)
    if index is None:
        index = {}
        columns = ("name", "entity", "label", "kind", "byLabel")
        store = getattr(engine, "store", None)
        if store is not None and hasattr(store, "query"):
            # The embedded store's solutions read directly: the engine's general result conversion cost 4x more.
            rows = ([None if s[c] is None else s[c].value for c in columns] for s in store.query(_lookup("names")))
        else:
            found = _lookup_rows(engine, "names", {}, columns[:-1])
            rows = ([None if r.get(c) is None else r[c].value for c in columns] for r in found)
        for name, entity, label, kind, by_label in rows:
            entry = {"name": name, "entity": entity, "label": label, "kind": kind, "byLabel": by_label == "true"}
            index.setdefault(name.lower(), []).append(entry)
        try:
            engine._peacegraph_names = index
        except AttributeError:  # an engine that takes no attributes: no cache, still correct
            pass
    return index


def resolve_entity(engine, value: str, param: str = "entity") -> Term:
    """What an IRI parameter's text names -> an IRI term, or QueryError saying what is accepted and what is close.

    Accepted: a full IRI, a prefixed name (``ent:armenia``, ``doc:d001``), or a name as the answers show it:
    an entity's or concept's label or alias, a document's identifier or title, a class's label or name.
    """
    value = value.strip()
    if re.match(r"^[a-z][a-z0-9+.-]*://", value):
        term = Term.iri(value)
        _check_known(engine, term.value, param)
        return term
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and re.match(r"^[A-Za-z0-9_.-]+$", local):
        term = Term.iri(PREFIXES[prefix] + local)
        _check_known(engine, term.value, param)
        return term
    rows = _names(engine).get(value.lower(), [])
    named = {row["entity"]: (row["label"], row["kind"]) for row in rows}
    if len(named) > 1:
        # A label outranks an alias: "Baku" is the city, though Azerbaijan is also called so.
        by_label = {row["entity"] for row in rows if row["byLabel"]}
        if len(by_label) == 1:
            named = {iri: named[iri] for iri in by_label}
    if len(named) == 1:
        return Term.iri(next(iter(named)))
    if not named:
        labels = {entry["name"] for entries in _names(engine).values() for entry in entries if entry["kind"] != "class"}
        close = _close(value, labels, n=8)
        hint = f"; closest names: {', '.join(close)}" if close else ""
        raise QueryError(
            f"parameter '{param}': no entity has the label or alias {value!r}, and no concept, document or class is named so{hint}. "
            "Accepted: a label or alias as the answers show it "
            "('peacegraph query entities' lists the entities), a document id such as d001, ent:<id> or an IRI"
        )
    names = ", ".join(f"{label} ({kind}) <{iri}>" for iri, (label, kind) in sorted(named.items()))
    raise QueryError(f"parameter '{param}': {value!r} names {len(named)} things ({names}); give one of their IRIs")


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
            close = _close(name, known, n=3)
            hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
            raise QueryError(f"question '{query.name}' has no parameter '{name}'{hint}; its parameters: {accepted}")
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
            return date_term(param.name, raw)
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


def date_term(name: str, raw: str) -> Term:
    """A date parameter: a day, month or year, typed by its precision (the graph's own convention for dates).

    >>> date_term("asOf", "2022").n3(), date_term("asOf", "2022-06").n3()
    ('"2022"^^<http://www.w3.org/2001/XMLSchema#gYear>', '"2022-06"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>')
    >>> date_term("asOf", "2021-02-30")
    Traceback (most recent call last):
    ...
    peacegraph.errors.QueryError: parameter 'asOf' must be a real date written YYYY-MM-DD, or a month YYYY-MM or a year YYYY, not '2021-02-30'
    """
    import datetime

    raw = raw.strip()
    try:
        if re.fullmatch(r"\d{4}", raw):
            return Term.literal(raw, _XSD + "gYear")
        if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", raw):
            return Term.literal(raw, _XSD + "gYearMonth")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            datetime.date.fromisoformat(raw)
            return Term.literal(raw, _XSD + "date")
    except ValueError:
        pass
    raise QueryError(f"parameter '{name}' must be a real date written YYYY-MM-DD, or a month YYYY-MM or a year YYYY, not {raw!r}")


#: The parameter of the questions that can show deprecated statements too (--all-ranks).
ALL_RANKS = "allRanks"


def run(name: str, values: dict[str, str] | None = None, engine=None, graph_dir: Path | None = None, all_ranks: bool = False):
    """Run a canned question; return a ResultSet (SELECT/ASK) or Turtle bytes (CONSTRUCT).

    ``all_ranks`` also shows statements deprecated as known errors of their
    source, for the questions that have a rank column (QueryError otherwise).
    An empty answer carries ``hints`` (see :func:`empty_answer_hints`).
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
    result = engine.run(query.text, bindings)
    if isinstance(result, ResultSet) and result.boolean is None and not result.rows and values:
        result.hints = empty_answer_hints(engine, query, values or {}, bindings)
    return result


def empty_answer_hints(engine, query: CannedQuery, values: dict[str, str], bindings: dict[str, Term]) -> list[str]:
    """Why a question answered nothing: for each parameter given, what the answer is without it.

    When the value then shows up in another column (``mediators -p thing=Russia``:
    Russia is an actor, not a thing mediated), the hint names that column and
    the parameter that selects it, if the question has one.
    """
    hints = []
    by_name = {p.name: p for p in query.params}
    label_of = _labels_of(engine, [t for t in bindings.values() if t.kind == "uri"])
    for name, raw in values.items():
        param = by_name.get(name)
        if param is None or name == ALL_RANKS:
            continue
        rest = {k: v for k, v in bindings.items() if k != param.variable}
        if name in query.defaults:
            if values[name] != query.defaults[name]:
                rest[param.variable] = term_for(engine, param, query.defaults[name])
                with_default = engine.run(query.text, rest)
                if isinstance(with_default, ResultSet) and with_default.rows:
                    hints.append(
                        f"nothing for {name}={values[name]}; with its default {name}={query.defaults[name]} '{query.name}' has {_rows(with_default)}"
                    )
            continue
        if param.required:
            if param.kind == "iri":
                shown = label_of.get(bindings[param.variable].value, raw)
                hints.append(
                    f"nothing in '{query.name}' is about {shown}; 'peacegraph query entity -p entity={raw}' shows what the graph says of it"
                )
            continue
        without = engine.run(query.text, rest)
        if not isinstance(without, ResultSet) or not without.rows:
            hints.append(f"'{query.name}' has no answer even without -p {name}")
            continue
        hint = f"without -p {name}, '{query.name}' has {_rows(without)}"
        if param.kind == "iri":
            shown = label_of.get(bindings[param.variable].value, raw)
            columns = sorted({c for row in without.values() for c, v in row.items() if v == shown})
            if columns:
                offered = [c for c in columns if c in by_name and by_name[c].kind == "iri"]
                times = sum(1 for row in without.values() if any(row[c] == shown for c in columns))
                hint = f"{shown} is no {name} in '{query.name}': it is the {' or '.join(columns)} of {times} of its rows"
                hint += f"; try -p {offered[0]}={raw}" if offered else f"; without -p {name} they are listed"
            else:
                hint += f", none of them with {shown}"
        hints.append(hint)
    return hints


def _rows(result: ResultSet) -> str:
    return f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"


def _labels_of(engine, terms: list[Term]) -> dict[str, str]:
    labels = {}
    for term in terms:
        found = engine.run(_lookup("label"), {"node": term})
        if found.rows:
            labels[term.value] = found.rows[0]["label"].value
    return labels


def rows(name: str, engine=None, graph_dir: Path | None = None, **values: str) -> list[dict[str, str]]:
    """The Python API: run a canned question by name with keyword parameters; rows of strings.

    >>> rows("leaders", state="Armenia")   # doctest: +SKIP
    [{'person': 'Nikol Pashinyan', 'office': 'Prime Minister of Armenia', ...}]
    """
    result = run(name, {k: str(v) for k, v in values.items()}, engine=engine, graph_dir=graph_dir)
    if not isinstance(result, ResultSet):
        raise QueryError(f"question '{name}' is not a SELECT question")
    return result.values()
