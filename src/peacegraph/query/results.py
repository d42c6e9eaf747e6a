"""Engine-neutral SPARQL terms and result sets, and their output formats.

Both engines (embedded pyoxigraph, a remote SPARQL endpoint) return a
``ResultSet`` of ``Term`` values, so the same question gives the same rows
whichever engine answered it. Formats: an aligned table for people, CSV and
TSV (SPARQL 1.1 CSV/TSV results), JSON (SPARQL 1.1 JSON results) and Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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


def _values(row: dict[str, Term | None], columns: list[str]) -> list[str]:
    return ["" if row.get(c) is None else row[c].value for c in columns]  # type: ignore[union-attr]


def _csv_pieces(columns: list[str], chunks: Iterable[list[dict[str, Term | None]]], delimiter: str = ",") -> Iterator[str]:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for chunk in chunks:
        for row in chunk:
            writer.writerow(_values(row, columns))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _tsv_pieces(columns: list[str], chunks: Iterable[list[dict[str, Term | None]]]) -> Iterator[str]:
    # SPARQL 1.1 TSV: a header of ?variables, then terms in their SPARQL syntax.
    yield "\t".join(f"?{c}" for c in columns) + "\n"
    for chunk in chunks:
        yield "".join("\t".join("" if row.get(c) is None else row[c].n3() for c in columns) + "\n" for row in chunk)  # type: ignore[union-attr]


def _json_pieces(columns: list[str], chunks: Iterable[list[dict[str, Term | None]]]) -> Iterator[str]:
    """SPARQL 1.1 JSON results, byte for byte what json.dumps(..., indent=2) gives, one chunk of rows at a time."""
    import json
    import textwrap

    head = json.dumps({"head": {"vars": columns}}, indent=2, ensure_ascii=False)
    yield head[: -len("\n}")] + ',\n  "results": {\n    "bindings": ['
    first = True
    for chunk in chunks:
        parts = []
        for row in chunk:
            binding = {c: t.to_json() for c, t in row.items() if t is not None}
            parts.append(("\n" if first else ",\n") + textwrap.indent(json.dumps(binding, indent=2, ensure_ascii=False), " " * 6))
            first = False
        yield "".join(parts)
    yield ("]" if first else "\n    ]") + "\n  }\n}"


def _markdown_pieces(columns: list[str], chunks: Iterable[list[dict[str, Term | None]]]) -> Iterator[str]:
    def cell(text: str) -> str:
        return " ".join(printable(text).split()).replace("|", "\\|")

    yield "| " + " | ".join(cell(c) for c in columns) + " |\n|" + "---|" * len(columns)
    for chunk in chunks:
        yield "".join("\n| " + " | ".join(cell(v) for v in _values(row, columns)) + " |" for row in chunk)


#: Formats written row by row: an answer streamed from the engine goes out as it arrives, never held whole.
PIECES = {"csv": _csv_pieces, "tsv": _tsv_pieces, "json": _json_pieces, "markdown": _markdown_pieces}


def render_pieces(columns: list[str], chunks: Iterable[list[dict[str, Term | None]]], fmt: str) -> Iterator[str]:
    """The rows in ``fmt`` (csv, tsv, json, markdown), piece by piece as their chunks arrive; joined, exactly ``render``'s text."""
    return PIECES[fmt](columns, chunks)


def _csv(result: ResultSet) -> str:
    return "".join(_csv_pieces(result.columns, [result.rows]))


def _tsv(result: ResultSet) -> str:
    return "".join(_tsv_pieces(result.columns, [result.rows]))


def _json(result: ResultSet) -> str:
    import json

    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, indent=2)
    return "".join(_json_pieces(result.columns, [result.rows]))


def _markdown(result: ResultSet) -> str:
    return "".join(_markdown_pieces(result.columns, [result.rows]))


@dataclass
class RowStream:
    """A SELECT answer still arriving: its columns, and its rows in chunks (each a list of rows)."""

    columns: list[str]
    chunks: Iterator[list[dict[str, Term | None]]]


#: --format name -> formatter
FORMATTERS = {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "markdown": _markdown}


def render(result: ResultSet, fmt: str) -> str:
    if fmt not in FORMATTERS:
        raise QueryError(f"unknown output format {fmt!r}; use one of: {', '.join(FORMATTERS)}")
    if result.boolean is not None and fmt in ("csv", "tsv", "markdown"):
        return "true" if result.boolean else "false"
    return FORMATTERS[fmt](result)
