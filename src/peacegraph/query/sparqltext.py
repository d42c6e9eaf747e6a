"""What a piece of SPARQL text is, decided before anything runs it.

Every engine first puts the text in ``canonical()`` form and then runs exactly
that text, so the checks here and the engine that runs it read the same
characters. Two decisions are made here:

- **query or update** (remote endpoints): by parsing with a real SPARQL parser
  (rdflib's), never by looking at the first keyword. Text that parses as
  neither is refused: when unsure, refuse.
- **SERVICE** (embedded engine, ``serve``): a SERVICE clause makes this
  machine send requests to any URL the query names. A quick scan for the
  letters ``service`` settles almost every query without a parser; only when
  they occur is the text parsed, and it is refused if the parse shows
  SERVICE, if a token scan shows it, or if the parser cannot read the text.
  A false refusal is possible; a SERVICE that runs unasked is not.

This module is on the query path: rdflib is imported only inside the
functions that need it, never when the quick scan decides.
"""

from __future__ import annotations

import functools
import re

from peacegraph.errors import QueryError
from peacegraph.namespaces import PREFIXES

BOM = "\ufeff"

#: Lines of an error message that quote the user's text are cut to this many characters.
SHOWN = 160


def canonical(text: str) -> str:
    r"""The text every check and every engine sees: no leading byte-order mark, LF line ends.

    Line ends matter because parsers disagree on where a comment ends (rdflib
    reads a comment past a lone CR; Oxigraph stops there), and what one
    reads as a comment the other could run.

    >>> canonical("\ufeffASK {}\r\n# note\rDROP ALL")
    'ASK {}\n# note\nDROP ALL'
    """
    if text.startswith(BOM):
        text = text[len(BOM) :]
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------------------
# Tokens: comments, strings, IRIs and variables, for scans that must skip them
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def token_pattern() -> re.Pattern:
    # Compiled on first use: costly to compile, and most queries never need it.
    return re.compile(
        r"(?P<comment>#[^\n]*)"
        r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
        r'|(?P<iri><[^<>"{}|^`\\\s]*>)'
        r"|(?P<var>[?$][A-Za-z0-9_]+)",
    )


def code_only(text: str) -> str:
    """The text with comments, strings and IRIs blanked out (variables kept).

    >>> code_only('SELECT ?s # SERVICE\\nWHERE { ?s ?p "SERVICE" ; ?q <http://e/SERVICE> }')
    'SELECT ?s \\nWHERE { ?s ?p "" ; ?q <> }'
    """

    def blank(match: re.Match) -> str:
        if match.group("comment"):
            return ""
        if match.group("string"):
            quote = match.group(0)[0]
            return quote + quote
        if match.group("iri"):
            return "<>"
        return match.group(0)

    return token_pattern().sub(blank, text)


# ---------------------------------------------------------------------------
# SERVICE
# ---------------------------------------------------------------------------

SERVICE_REFUSED = (
    "SERVICE is refused: it makes this machine send requests to whatever URL the query names; pass --allow-service if you mean it"
)
_SERVICE_LETTERS = re.compile("service", re.IGNORECASE)
_SERVICE_KEYWORD = re.compile(r"(?<![A-Za-z0-9_?$:.-])service(?![A-Za-z0-9_:-])", re.IGNORECASE)


def may_call_out(text: str) -> bool:
    """True unless the (canonical) text surely has no SERVICE clause.

    >>> may_call_out("SELECT ?s WHERE { ?s ?p ?o }")
    False
    >>> may_call_out("SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }")
    True
    """
    if not _SERVICE_LETTERS.search(text):
        return False  # the keyword can only be written with its letters: nothing to parse
    if _SERVICE_KEYWORD.search(code_only(text)):
        return True
    return _service_in_parse(text)


def refuse_service(text: str) -> None:
    """Raise QueryError when the (canonical) text may hold a SERVICE clause."""
    if may_call_out(text):
        raise QueryError(SERVICE_REFUSED)


def _service_in_parse(text: str) -> bool:
    """Parse with rdflib and look for a SERVICE pattern; an unreadable text counts as one."""
    # rdflib expands \\uXXXX escapes over the whole text before parsing; Oxigraph
    # reads them only inside strings and IRIs. Neutral escapes keep both parsers
    # seeing the same tokens (a \\t inside a string is still inside it).
    neutral = re.sub(r"\\[uU]", r"\\t", text)
    try:
        from rdflib.plugins.sparql.parser import parseQuery

        tree = parseQuery(neutral)
    except Exception:  # any parser failure, RecursionError included: cannot tell, so refuse
        return True
    return _has_component(tree, "ServiceGraphPattern")


def _has_component(node, name: str, depth: int = 0) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 500:
        return True
    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_has_component(value, name, depth + 1) for value in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_has_component(item, name, depth + 1) for item in node)
    if isinstance(node, dict):
        return any(_has_component(value, name, depth + 1) for value in node.values())
    return False


# ---------------------------------------------------------------------------
# Query or update (remote endpoints)
# ---------------------------------------------------------------------------


def expand_escapes(text: str) -> str:
    r"""Apply SPARQL's \\uXXXX and \\UXXXXXXXX escapes once, as the spec says, before parsing.

    Refused: an escape that is not a Unicode scalar value, and an expansion that
    leaves another escape behind (a server that expands again would read
    something else).

    >>> expand_escapes("\\u0044ROP ALL")
    'DROP ALL'
    """

    def one(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryError(f"{match.group(0)} is not a Unicode character; correct the escape")
        return chr(code)

    escape = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
    expanded = escape.sub(one, text)
    if expanded != text and escape.search(expanded):
        raise QueryError("the query's \\u escapes expand into further escapes, which servers read differently; write the characters out")
    return expanded


def classify(text: str) -> tuple[str, str | None]:
    """('query', 'SELECT'|'ASK'|'CONSTRUCT'|'DESCRIBE') or ('update', None), by parsing the text.

    Raises QueryError when the text parses as neither: what cannot be told
    apart is never sent.

    >>> classify("BASE<http://e/>DROP ALL")
    ('update', None)
    >>> classify("PREFIX a: <x:> SELECT * WHERE { ?s ?p ?o }")
    ('query', 'SELECT')
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except (ParseBaseException, ValueError, RecursionError) as err:
        query_error = err
    else:
        form = tree[1].name.removesuffix("Query").upper() if len(tree) > 1 else "SELECT"
        return "query", form
    try:
        parseUpdate(text)
    except (ParseBaseException, ValueError, RecursionError):
        pass
    else:
        return "update", None
    raise QueryError(
        "the text is neither a query nor an update that peacegraph can read, so it was refused "
        f"(a server might read it differently); {syntax_detail(query_error, text)}"
    )


def syntax_detail(err: Exception, text: str) -> str:
    """A parser error as 'SPARQL syntax error at line L, column C: ...' plus the line and a caret."""
    line = getattr(err, "lineno", None)
    column = getattr(err, "col", None)
    what = getattr(err, "msg", None) or str(err)
    if isinstance(err, RecursionError):
        return "the query is nested too deeply to read"
    if line and column:
        return point_at(f"expected {_short(str(what).removeprefix('Expected '))}", text, int(line), int(column))
    return f"SPARQL syntax error: {_short(str(what))}"


def syntax_message(err: Exception, text: str) -> str:
    """Oxigraph's 'error at L:C: expected ...' as one readable line, the offending line and a caret.

    >>> print(syntax_message(SyntaxError("error at 1:10: expected CONSTRUCT"), "DELETE * {}"))
    SPARQL syntax error at line 1, column 10: expected CONSTRUCT
      DELETE * {}
               ^
    """
    message = str(err)
    match = re.search(r"(\d+):(\d+):\s*(.*)", message, re.S)
    if match:
        return point_at(_short(match.group(3)), text, int(match.group(1)), int(match.group(2)))
    return f"SPARQL syntax error: {_short(message)}"


def point_at(what: str, text: str, line: int, column: int) -> str:
    """'SPARQL syntax error at line L, column C: what', then the line and a caret under column C."""
    head = f"SPARQL syntax error at line {line}, column {column}: {what}"
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return head
    shown = printable(lines[line - 1]).replace("\t", " ")
    column = max(1, min(column, len(shown) + 1))
    start = max(0, column - SHOWN // 2) if len(shown) > SHOWN else 0
    window = shown[start : start + SHOWN]
    return f"{head}\n  {window}\n  {' ' * (column - 1 - start)}^"


def _short(message: str, alternatives: int = 8) -> str:
    """A parser's 'expected one of A, B, C, ...' cut to a few alternatives, on one line."""
    message = " ".join(message.split())
    head, sep, rest = message.partition("one of ")
    if sep:
        items = rest.split(", ")
        if len(items) > alternatives:
            message = f"{head}one of {', '.join(items[:alternatives])} (or {len(items) - alternatives} more)"
    return message[:SHOWN] + ("..." if len(message) > SHOWN else "")


def printable(text: str) -> str:
    r"""Text safe to print on a terminal: control characters (C0, DEL, C1) written as \xNN.

    >>> printable("red \x1b[31mALERT\x07")
    'red \\x1b[31mALERT\\x07'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown(text: str, limit: int = 300) -> str:
    r"""Text from elsewhere (a server, an error) made safe to print: one line, no control characters, cut to ``limit``.

    >>> shown("line one\nline two \x1b[2J", 22)
    'line one line two \\x1b...'
    """
    flat = " ".join(printable(text).split())
    return flat[:limit] + ("..." if len(flat) > limit else "")


# ---------------------------------------------------------------------------
# Prefixes
# ---------------------------------------------------------------------------


def prefix_lines() -> str:
    """The project's PREFIX declarations, one a line (what ``peacegraph sparql --prefixes`` prints)."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def missing_prefixes(text: str) -> str:
    """PREFIX lines for the project prefixes the text uses but does not declare.

    >>> missing_prefixes("PREFIX pg: <x:> SELECT * { ?s a pg:State ; rdfs:label ?l }")
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n'
    """
    code = code_only(text)
    lines = []
    for prefix, iri in PREFIXES.items():
        used = re.search(rf"(?<![\w.:-]){re.escape(prefix)}:", code)
        declared = re.search(rf"PREFIX\s*{re.escape(prefix)}:", code, re.IGNORECASE)
        if used and not declared:
            lines.append(f"PREFIX {prefix}: <{iri}>\n")
    return "".join(lines)
