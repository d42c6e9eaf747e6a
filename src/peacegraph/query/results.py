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
    #: Why an answer is empty, when that can be told (see peacegraph.query.canned.empty_answer_hints); not part of the answer.
    hints: list[str] = field(default_factory=list)

    def values(self) -> list[dict[str, str]]:
        """Rows as plain strings ('' for unbound): what people and tests compare."""
        return [{c: ("" if r.get(c) is None else r[c].value) for c in self.columns} for r in self.rows]

    def as_set(self) -> set[tuple[str, ...]]:
        return {tuple(row[c] for c in self.columns) for row in self.values()}


#: A column this narrow (a date, an id, a short label) is kept whole when the short ones fit together.
SHORT_COLUMN = 20
#: The narrowest a column gets: an ellipsis and two characters.
FLOOR_COLUMN = 3
ELLIPSIS = "\u2026"


def fit_widths(natural: list[int], width: int, gap: int = 2) -> list[int]:
    """Column widths that fit ``width`` characters.

    Each column first gets its natural width up to the largest share (at most
    ``SHORT_COLUMN``, at least ``FLOOR_COLUMN``) that every column can have
    at once, so a date, an id or a short label stays whole when it can; what
    is left goes to the wider columns in proportion to what they lack, so a
    long quote gives up more than a label.

    >>> fit_widths([4, 40, 80], 60)
    [4, 23, 29]
    >>> fit_widths([4, 10], 60)
    [4, 10]
    """
    room = width - gap * (len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    # The largest share up to SHORT_COLUMN that every column can have at once.
    share = next((k for k in range(SHORT_COLUMN, FLOOR_COLUMN - 1, -1) if sum(min(n, k) for n in natural) <= room), FLOOR_COLUMN)
    base = [min(n, share) for n in natural]
    extra = room - sum(base)
    if extra <= 0:
        return base
    lack = [n - b for n, b in zip(natural, base, strict=True)]
    total = sum(lack)
    widths = [b + (extra * k // total) for b, k in zip(base, lack, strict=True)]
    return [min(w, n) for w, n in zip(widths, natural, strict=True)]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def format_table(columns: list[str], rows: list[dict[str, str]], width: int | None = None) -> str:
    """An aligned plain-text table; with ``width``, wide columns are cut with an ellipsis so each line fits.

    >>> print(format_table(["a", "b"], [{"a": "x", "b": "yy"}]))
    a  b
    -  --
    x  yy
    >>> print(format_table(["id", "quote"], [{"id": "d001", "quote": "a long sentence that does not fit"}], width=24))
    id    quote
    ----  ------------------
    d001  a long sentence t…
    """
    # Control characters are written out (\x1b), so a value cannot drive the terminal it is printed on.
    clean = [{c: " ".join(printable(r[c]).split()) for c in columns} for r in rows]
    names = {c: printable(c) for c in columns}
    natural = [max([len(names[c])] + [len(r[c]) for r in clean]) for c in columns]
    widths = dict(zip(columns, fit_widths(natural, width) if width else natural, strict=True))
    lines = [
        "  ".join(_cut(names[c], widths[c]).ljust(widths[c]) for c in columns).rstrip(),
        "  ".join("-" * widths[c] for c in columns).rstrip(),
    ]
    lines += ["  ".join(_cut(r[c], widths[c]).ljust(widths[c]) for c in columns).rstrip() for r in clean]
    return "\n".join(lines)


def _table(result: ResultSet, width: int | None = None) -> str:
    if result.boolean is not None:
        return "true" if result.boolean else "false"
    values = result.values()
    text = format_table(result.columns, values, width)
    count = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    if width and any(len(line) > width for line in format_table(result.columns, values).splitlines()):
        import textwrap

        note = f"{count}; cells cut to fit {width} columns: --wide shows them whole)"
        return text + "\n" + "\n".join(textwrap.wrap(note, max(width, 20)))
    return f"{text}\n{count})"


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


def render(result: ResultSet, fmt: str, width: int | None = None) -> str:
    """The result in format ``fmt``; ``width`` (a table's most characters per line) applies to the table only."""
    if fmt not in FORMATTERS:
        raise QueryError(f"unknown output format {fmt!r}; use one of: {', '.join(FORMATTERS)}")
    if result.boolean is not None and fmt in ("csv", "tsv", "markdown"):
        return "true" if result.boolean else "false"
    if fmt == "table":
        return _table(result, width)
    return FORMATTERS[fmt](result)


#: The columns --brief leaves out: the source's sentence behind each fact (the source id stays).
QUOTE_COLUMNS = ("quote", "quotes", "statusQuote", "exampleQuote")


def without_columns(result: ResultSet, names) -> ResultSet:
    """The result without the named columns (``--brief`` drops the quotes).

    >>> r = ResultSet(["a", "quote"], [{"a": Term.literal("x"), "quote": Term.literal("long")}])
    >>> without_columns(r, QUOTE_COLUMNS).values()
    [{'a': 'x'}]
    """
    if result.boolean is not None:
        return result
    keep = [c for c in result.columns if c not in set(names)]
    return ResultSet(keep, [{c: row.get(c) for c in keep} for row in result.rows], hints=list(result.hints))
