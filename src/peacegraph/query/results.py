"""Engine-neutral SPARQL terms and result sets, and their output formats.

Both engines (embedded pyoxigraph, a remote SPARQL endpoint) return a
``ResultSet`` of ``Term`` values, so the same question gives the same rows
whichever engine answered it. Formats: an aligned table for people, CSV and
TSV (SPARQL 1.1 CSV/TSV results), JSON (SPARQL 1.1 JSON results) and Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peacegraph.errors import QueryError
from peacegraph.query.sparqltext import printable

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term: an IRI, a literal (with datatype or language) or a blank node."""

    kind: str  # "uri", "literal" or "bnode"
    value: str
    datatype: str | None = None
    lang: str | None = None

    @classmethod
    def iri(cls, value: str) -> Term:
        """An IRI term; refuses characters no IRI may hold.

        >>> Term.iri("https://w3id.org/peacegraph/entity/a> } UNION { ?s ?p ?o")
        Traceback (most recent call last):
        ...
        peacegraph.errors.QueryError: not a valid IRI: 'https://w3id.org/peacegraph/entity/a> } UNION { ?s ?p ?o' (IRIs cannot contain spaces, quotes, <, >, {, }, |, ^, ` or backslashes)
        """
        if not value or _IRI_FORBIDDEN.search(value):
            raise QueryError(f"not a valid IRI: {value!r} (IRIs cannot contain spaces, quotes, <, >, {{, }}, |, ^, ` or backslashes)")
        return cls("uri", value)

    @classmethod
    def literal(cls, value: str, datatype: str | None = None, lang: str | None = None) -> Term:
        if datatype is not None:
            cls.iri(datatype)
        if lang is not None and not _LANG.match(lang):
            raise QueryError(f"not a valid language tag: {lang!r}")
        return cls("literal", value, datatype, lang)

    def n3(self) -> str:
        """The term in SPARQL/N-Triples syntax, escaped so it can only ever be one term.

        >>> Term.literal('say "hi"\\n} UNION {').n3()
        '"say \\\\"hi\\\\"\\\\n} UNION {"'
        """
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        body = '"' + "".join(_ESCAPES.get(ch, ch) for ch in self.value) + '"'
        if self.lang:
            return f"{body}@{self.lang}"
        if self.datatype and self.datatype != "http://www.w3.org/2001/XMLSchema#string":
            return f"{body}^^<{self.datatype}>"
        return body

    def to_json(self) -> dict:
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.datatype and self.kind == "literal":
            out["datatype"] = self.datatype
        return out


@dataclass
class ResultSet:
    """Columns and rows of a SELECT (rows map column -> Term or None), or an ASK boolean."""

    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    boolean: bool | None = None

    def values(self) -> list[dict[str, str]]:
        """Rows as plain strings ('' for unbound): what people and tests compare."""
        return [{c: ("" if r.get(c) is None else r[c].value) for c in self.columns} for r in self.rows]

    def as_set(self) -> set[tuple[str, ...]]:
        return {tuple(row[c] for c in self.columns) for row in self.values()}


def format_table(columns: list[str], rows: list[dict[str, str]]) -> str:
    """An aligned plain-text table.

    >>> print(format_table(["a", "b"], [{"a": "x", "b": "yy"}]))
    a  b
    -  --
    x  yy
    """
    # Control characters are written out (\x1b), so a value cannot drive the terminal it is printed on.
    clean = [{c: " ".join(printable(r[c]).split()) for c in columns} for r in rows]
    names = {c: printable(c) for c in columns}
    widths = {c: max([len(names[c])] + [len(r[c]) for r in clean]) for c in columns}
    lines = ["  ".join(names[c].ljust(widths[c]) for c in columns).rstrip(), "  ".join("-" * widths[c] for c in columns).rstrip()]
    lines += ["  ".join(r[c].ljust(widths[c]) for c in columns).rstrip() for r in clean]
    return "\n".join(lines)


def _table(result: ResultSet) -> str:
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    text = format_table(result.columns, result.values())
    return f"{text}\n({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})"


def _csv(result: ResultSet, delimiter: str = ",") -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.values():
        writer.writerow([row[c] for c in result.columns])
    return buffer.getvalue()


def _tsv(result: ResultSet) -> str:
    # SPARQL 1.1 TSV: a header of ?variables, then terms in their SPARQL syntax.
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    for row in result.rows:
        lines.append("\t".join("" if row.get(c) is None else row[c].n3() for c in result.columns))
    return "\n".join(lines) + "\n"


def _json(result: ResultSet) -> str:
    import json

    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
    bindings = [{c: t.to_json() for c, t in row.items() if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.columns}, "results": {"bindings": bindings}}, indent=2, ensure_ascii=False)


def _markdown(result: ResultSet) -> str:
    def cell(text: str) -> str:
        return " ".join(printable(text).split()).replace("|", "\\|")

    lines = ["| " + " | ".join(cell(c) for c in result.columns) + " |", "|" + "---|" * len(result.columns)]
    lines += ["| " + " | ".join(cell(r[c]) for c in result.columns) + " |" for r in result.values()]
    return "\n".join(lines)


#: --format name -> formatter
FORMATTERS = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "markdown": _markdown}


def render(result: ResultSet, fmt: str) -> str:
    if fmt not in FORMATTERS:
        raise QueryError(f"unknown output format {fmt!r}; use one of: {', '.join(FORMATTERS)}")
    if result.boolean is not None and fmt in ("csv", "tsv", "markdown"):
        return "true" if result.boolean else "false"
    return FORMATTERS[fmt](result)
