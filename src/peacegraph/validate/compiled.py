"""SHACL shapes compiled to SPARQL and run on pyoxigraph: the build's validator.

pySHACL is the reference (``check --validator pyshacl``); this module gives
the same results (the same set of focus node, path, shape and severity, which
tests check on every shape fixture and on the seeds) at the engine's speed:
one SELECT per constraint, each returning the focus nodes and values that
violate it, instead of one evaluation per focus node.

Supported: node shapes with ``sh:targetClass``, ``sh:targetNode``,
``sh:targetSubjectsOf`` and ``sh:targetObjectsOf``; property shapes with IRI,
inverse, alternative, sequence and zero/one-or-more paths; the core
constraints ``minCount``, ``maxCount``, ``datatype``, ``class``, ``nodeKind``,
``in``, ``hasValue``, ``pattern`` (with ``flags``), ``minLength``,
``maxLength``, ``languageIn``, ``min/maxInclusive``, ``min/maxExclusive``,
``lessThan``, ``lessThanOrEquals``, ``equals``, ``disjoint`` and ``or`` (of
shapes built from the value-node constraints); and SPARQL-based constraints
(``sh:sparql`` with ``sh:select``, prefixes from ``sh:declare``). Anything
else in a shape is an error when the shapes are compiled, never a constraint
silently skipped. Following SHACL, class membership is ``rdf:type/rdfs:subClassOf*``
in the data graph, which holds the ontology.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from peacegraph import paths
from peacegraph.errors import OntologyError
from peacegraph.validate.shacl import Violation, short_name

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"


class ShapeCompileError(OntologyError):
    """A shape uses a feature the compiler does not translate; the message names it."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: the query, and what its violations report."""

    shape: str  # the node shape's IRI (results name the node shape, as the pySHACL reader does)
    path: str  # the path as people read it (prefixed names), "" for node-level constraints
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    query: str  # SELECT ?this ?value ...


@dataclass
class _Shapes:
    triples: dict[tuple[str, str], list] = field(default_factory=dict)  # (subject key, predicate) -> objects

    def objects(self, node, predicate: str) -> list:
        return self.triples.get((_key(node), predicate), [])

    def value(self, node, predicate: str):
        found = self.objects(node, predicate)
        return found[0] if found else None

    def predicates(self, node) -> set[str]:
        key = _key(node)
        return {p for (s, p) in self.triples if s == key}

    def subjects(self, predicate: str, obj) -> list:
        return [s for (s, p), objs in self.triples.items() if p == predicate and any(_key(o) == _key(obj) for o in objs)]

    def items(self, node) -> list:
        """An RDF list as a Python list."""
        out = []
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF + "nil"):
            out.append(self.value(node, RDF + "first"))
            node = self.value(node, RDF + "rest")
        return out


def _key(node) -> str:
    if isinstance(node, ox.BlankNode):
        return "_:" + node.value
    return node.value if isinstance(node, ox.NamedNode) else str(node)


def _term(node) -> str:
    """A term in SPARQL syntax."""
    if isinstance(node, ox.NamedNode):
        return f"<{node.value}>"
    if isinstance(node, ox.Literal):
        return str(node)  # pyoxigraph writes a literal in N-Triples syntax, which SPARQL accepts
    raise ShapeCompileError(f"a blank node {node} where the compiler expects an IRI or a literal")


#: Properties of shapes that carry no constraint.
_IGNORED = {
    RDF + "type",
    RDFS + "label",
    RDFS + "comment",
    SH + "message",
    SH + "severity",
    SH + "path",
    SH + "property",
    SH + "name",
    SH + "description",
    SH + "order",
    SH + "group",
    SH + "deactivated",
    SH + "targetClass",
    SH + "targetNode",
    SH + "targetSubjectsOf",
    SH + "targetObjectsOf",
    SH + "sparql",
    SH + "flags",
    "http://www.w3.org/2004/02/skos/core#definition",
}


def load_checks(path: Path | None = None) -> list[Check]:
    """Compile the shapes file into checks; ShapeCompileError on anything not translated."""
    path = path or paths.SHAPES_PATH
    try:
        parsed = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError, ValueError) as err:
        raise OntologyError(f"{path}: cannot read the shapes ({err}); restore or fix ontology/shapes.ttl") from err
    return compile_shapes(parsed, str(path))


def compile_shapes(triples: list, where: str = "shapes") -> list[Check]:
    shapes = _Shapes()
    for t in triples:
        shapes.triples.setdefault((_key(t.subject), t.predicate.value), []).append(t.object)
    node_shapes = [s for s in _distinct(shapes.subjects(RDF + "type", ox.NamedNode(SH + "NodeShape")))]
    checks: list[Check] = []
    for shape in sorted(node_shapes, key=_key):
        if isinstance(shape, ox.BlankNode):
            continue  # an inline shape, compiled where it is used (sh:or)
        if shapes.value(shape, SH + "deactivated") is not None and str(shapes.value(shape, SH + "deactivated").value) == "true":
            continue
        focus = _focus(shapes, shape, where)
        severity = _severity(shapes, shape)
        message = _message(shapes, shape)
        unknown = shapes.predicates(shape) - _IGNORED - set(_VALUE_CONSTRAINTS) - set(_COUNT_CONSTRAINTS) - set(_PAIR_CONSTRAINTS)
        if unknown:
            raise ShapeCompileError(f"{where}: shape {shape} uses {sorted(unknown)}, which the SHACL compiler does not translate")
        checks += _constraints(shapes, shape, shape, focus, "?this", "", severity, message, where)
        for prop in shapes.objects(shape, SH + "property"):
            path_node = shapes.value(prop, SH + "path")
            if path_node is None:
                raise ShapeCompileError(f"{where}: a property shape of {shape} has no sh:path")
            sparql_path = _path(shapes, path_node, where)
            shown = _path_text(shapes, path_node)
            unknown = shapes.predicates(prop) - _IGNORED - set(_VALUE_CONSTRAINTS) - set(_COUNT_CONSTRAINTS) - set(_PAIR_CONSTRAINTS)
            if unknown:
                raise ShapeCompileError(
                    f"{where}: a property shape of {shape} uses {sorted(unknown)}, which the SHACL compiler does not translate"
                )
            checks += _constraints(
                shapes, prop, shape, focus, sparql_path, shown, _severity(shapes, prop, severity), _message(shapes, prop, message), where
            )
        for constraint in shapes.objects(shape, SH + "sparql"):
            checks.append(_sparql_check(shapes, shape, constraint, focus, severity, message, where))
    return checks


def _distinct(nodes: list) -> list:
    seen, out = set(), []
    for n in nodes:
        if _key(n) not in seen:
            seen.add(_key(n))
            out.append(n)
    return out


def _severity(shapes: _Shapes, node, default: str = "Violation") -> str:
    value = shapes.value(node, SH + "severity")
    return value.value[len(SH) :] if value is not None else default


def _message(shapes: _Shapes, node, default: str = "") -> str:
    value = shapes.value(node, SH + "message")
    return value.value if value is not None else default


def _focus(shapes: _Shapes, shape, where: str) -> str:
    """A graph pattern binding ?this to every focus node of the shape."""
    parts = []
    for cls in shapes.objects(shape, SH + "targetClass"):
        # Walked from the class: Oxigraph evaluates a path from its bound end.
        parts.append(f"{{ {_term(cls)} ^<{RDFS}subClassOf>* ?thisClass . ?this a ?thisClass . }}")
    for node in shapes.objects(shape, SH + "targetNode"):
        parts.append(f"{{ BIND({_term(node)} AS ?this) }}")
    for prop in shapes.objects(shape, SH + "targetSubjectsOf"):
        parts.append(f"{{ ?this {_term(prop)} ?thisAny . }}")
    for prop in shapes.objects(shape, SH + "targetObjectsOf"):
        parts.append(f"{{ ?thisAny {_term(prop)} ?this . }}")
    if not parts:
        raise ShapeCompileError(
            f"{where}: node shape {shape} has no target the compiler understands (use sh:targetClass, sh:targetNode, sh:targetSubjectsOf or sh:targetObjectsOf)"
        )
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


def _path(shapes: _Shapes, node, where: str) -> str:
    if isinstance(node, ox.NamedNode):
        return f"<{node.value}>"
    preds = shapes.predicates(node)
    if SH + "inversePath" in preds:
        return f"^({_path(shapes, shapes.value(node, SH + 'inversePath'), where)})"
    if SH + "alternativePath" in preds:
        return "(" + "|".join(_path(shapes, n, where) for n in shapes.items(shapes.value(node, SH + "alternativePath"))) + ")"
    for name, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        if SH + name in preds:
            return f"({_path(shapes, shapes.value(node, SH + name), where)}){op}"
    if RDF + "first" in preds:
        return "(" + "/".join(_path(shapes, n, where) for n in shapes.items(node)) + ")"
    raise ShapeCompileError(f"{where}: a path the compiler does not translate ({sorted(preds)})")


def _path_text(shapes: _Shapes, node) -> str:
    """The path as the pySHACL reader shows it (prefixed names), so results compare equal."""
    if isinstance(node, ox.NamedNode):
        return short_name(node.value)
    preds = shapes.predicates(node)
    if SH + "inversePath" in preds:
        return "^" + _path_text(shapes, shapes.value(node, SH + "inversePath"))
    if SH + "alternativePath" in preds:
        return "(" + "|".join(_path_text(shapes, n) for n in shapes.items(shapes.value(node, SH + "alternativePath"))) + ")"
    for name, op in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        if SH + name in preds:
            return _path_text(shapes, shapes.value(node, SH + name)) + op
    if RDF + "first" in preds:
        return "/".join(_path_text(shapes, n) for n in shapes.items(node))
    return str(node)


# ---------------------------------------------------------------------------
# Constraints on value nodes: each gives a SPARQL expression true when ?v CONFORMS.
# ---------------------------------------------------------------------------

#: XSD datatypes whose well-formedness SPARQL can test by casting the lexical form.
_CASTABLE = {XSD + n for n in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime", "gYear", "gYearMonth")}


def _datatype(shapes, node, value, where) -> str:
    iri = value.value
    if iri == RDF + "langString":
        return '(isLiteral(?v) && LANG(?v) != "")'
    test = f'(isLiteral(?v) && DATATYPE(?v) = <{iri}> && LANG(?v) = "")'
    if iri in _CASTABLE:
        # An ill-typed literal ("2023-02-30"^^xsd:date) does not conform: its cast fails.
        test = f"COALESCE({test} && isLiteral(<{iri}>(STR(?v))), false)"
    return test


def _class(shapes, node, value, where) -> str:
    return f"EXISTS {{ ?v <{RDF}type>/<{RDFS}subClassOf>* {_term(value)} }}"


_NODE_KINDS = {
    "IRI": "isIRI(?v)",
    "BlankNode": "isBlank(?v)",
    "Literal": "isLiteral(?v)",
    "BlankNodeOrIRI": "(isBlank(?v) || isIRI(?v))",
    "BlankNodeOrLiteral": "(isBlank(?v) || isLiteral(?v))",
    "IRIOrLiteral": "(isIRI(?v) || isLiteral(?v))",
}


def _node_kind(shapes, node, value, where) -> str:
    return _NODE_KINDS[value.value[len(SH) :]]


def _in(shapes, node, value, where) -> str:
    members = shapes.items(value)
    return "(" + " || ".join(f"sameTerm(?v, {_term(m)})" for m in members) + ")" if members else "false"


def _pattern(shapes, node, value, where) -> str:
    flags = shapes.value(node, SH + "flags")
    flag_text = f", {_term(flags)}" if flags is not None else ""
    return f"(!isBlank(?v) && COALESCE(REGEX(STR(?v), {_term(value)}{flag_text}), false))"


def _length(op: str):
    return lambda shapes, node, value, where: f"(!isBlank(?v) && COALESCE(STRLEN(STR(?v)) {op} {value.value}, false))"


def _compare(op: str):
    return lambda shapes, node, value, where: f"COALESCE(?v {op} {_term(value)}, false)"


def _language_in(shapes, node, value, where) -> str:
    tags = shapes.items(value)
    return "(isLiteral(?v) && (" + " || ".join(f"LANGMATCHES(LANG(?v), {_term(t)})" for t in tags) + "))"


def _or(shapes, node, value, where) -> str:
    return "(" + " || ".join(_conforms(shapes, member, where) for member in shapes.items(value)) + ")"


def _conforms(shapes: _Shapes, member, where: str) -> str:
    """An inline shape of sh:or, applied to the value node itself, as one expression."""
    parts = []
    for predicate in sorted(shapes.predicates(member)):
        if predicate in _IGNORED:
            continue
        if predicate not in _VALUE_CONSTRAINTS:
            raise ShapeCompileError(f"{where}: sh:or member uses {predicate}, which the SHACL compiler does not translate")
        for value in shapes.objects(member, predicate):
            parts.append(_VALUE_CONSTRAINTS[predicate](shapes, member, value, where))
    return "(" + " && ".join(parts or ["true"]) + ")"


_VALUE_CONSTRAINTS = {
    SH + "datatype": _datatype,
    SH + "class": _class,
    SH + "nodeKind": _node_kind,
    SH + "in": _in,
    SH + "pattern": _pattern,
    SH + "minLength": _length(">="),
    SH + "maxLength": _length("<="),
    SH + "minInclusive": _compare(">="),
    SH + "maxInclusive": _compare("<="),
    SH + "minExclusive": _compare(">"),
    SH + "maxExclusive": _compare("<"),
    SH + "languageIn": _language_in,
    SH + "or": _or,
}
_COUNT_CONSTRAINTS = {SH + "minCount": "<", SH + "maxCount": ">", SH + "hasValue": None}
#: Property pair constraints: (value ?v, other ?w) -> expression true when the pair CONFORMS.
_PAIR_CONSTRAINTS = {
    SH + "lessThan": "COALESCE(?v < ?w, false)",
    SH + "lessThanOrEquals": "COALESCE(?v <= ?w, false)",
    SH + "disjoint": "!sameTerm(?v, ?w)",
    SH + "equals": None,
}


def _constraints(shapes, node, shape, focus: str, path: str, shown: str, severity: str, message: str, where: str) -> list[Check]:
    out: list[Check] = []
    shape_iri = _key(shape)

    def add(query: str) -> None:
        out.append(Check(shape_iri, shown, severity, message, query))

    value_pattern = f"?this {path} ?v ." if path != "?this" else "BIND(?this AS ?v)"
    for predicate, values in sorted((p, shapes.objects(node, p)) for p in shapes.predicates(node)):
        for value in values:
            if predicate == SH + "class":
                # The class's instances once, walked from the class, then an anti-join: testing
                # rdf:type/rdfs:subClassOf* from each value grew faster than the graph.
                add(
                    f"SELECT DISTINCT ?this (?v AS ?value) WHERE {{ {focus} {value_pattern} "
                    f"MINUS {{ {_term(value)} ^<{RDFS}subClassOf>* ?valueClass . ?v a ?valueClass . }} }}"
                )
            elif predicate in _VALUE_CONSTRAINTS:
                expression = _VALUE_CONSTRAINTS[predicate](shapes, node, value, where)
                add(f"SELECT DISTINCT ?this (?v AS ?value) WHERE {{ {focus} {value_pattern} FILTER(!({expression})) }}")
            elif predicate in (SH + "minCount", SH + "maxCount"):
                if path == "?this":
                    raise ShapeCompileError(f"{where}: {predicate} on node shape {shape}")
                count = int(value.value)
                if predicate == SH + "minCount" and count == 1:
                    # The common cases as an index lookup per focus node: grouping every focus node cost more.
                    add(f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?v }} }}")
                elif predicate == SH + "maxCount" and count == 1:
                    add(f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {path} ?v , ?other . FILTER(!sameTerm(?v, ?other)) }}")
                elif predicate == SH + "minCount" and count == 0:
                    continue
                else:
                    op = _COUNT_CONSTRAINTS[predicate]
                    add(
                        f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} "
                        f"GROUP BY ?this HAVING(COUNT(DISTINCT ?v) {op} {count})"
                    )
            elif predicate == SH + "hasValue":
                add(f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} {_term(value)} }} }}")
            elif predicate == SH + "equals":
                other = f"<{value.value}>"
                add(
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} "
                    f"{{ ?this {path} ?value . FILTER NOT EXISTS {{ ?this {other} ?value }} }} UNION "
                    f"{{ ?this {other} ?value . FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}"
                )
            elif predicate in _PAIR_CONSTRAINTS:
                add(
                    f"SELECT DISTINCT ?this (?v AS ?value) WHERE {{ {focus} {value_pattern} ?this <{value.value}> ?w . "
                    f"FILTER(!({_PAIR_CONSTRAINTS[predicate]})) }}"
                )
    return out


# ---------------------------------------------------------------------------
# SPARQL-based constraints
# ---------------------------------------------------------------------------

_GROUP_OPENER = re.compile(r"(?i)\b(NOT\s+EXISTS|EXISTS)\s*$")


def _sparql_check(shapes, shape, constraint, focus: str, severity: str, message: str, where: str) -> Check:
    select = shapes.value(constraint, SH + "select")
    if select is None:
        raise ShapeCompileError(f"{where}: a sh:sparql constraint of {shape} has no sh:select")
    prefixes = ""
    for holder in shapes.objects(constraint, SH + "prefixes"):
        for declaration in shapes.objects(holder, SH + "declare"):
            prefix, namespace = shapes.value(declaration, SH + "prefix"), shapes.value(declaration, SH + "namespace")
            prefixes += f"PREFIX {prefix.value}: <{namespace.value}>\n"
    text = select.value.replace("$this", "?this")
    _check_prebinding(text, shape, where)
    brace = text.index("{")
    # Pre-binding $this: the focus nodes join the query's top-level group, which its
    # FILTER (NOT) EXISTS blocks see; _check_prebinding refused the shapes where that differs.
    body = text[: brace + 1] + " " + focus + " " + text[brace + 1 :]
    return Check(_key(shape), "", _severity(shapes, constraint, severity), _message(shapes, constraint, message), prefixes + body)


def _check_prebinding(text: str, shape, where: str) -> None:
    """Refuse a query where ?this occurs inside a nested group that is not (NOT) EXISTS: joining would differ from pre-binding."""
    depth_kinds: list[bool] = []  # per open group: is it a place where ?this is seen through the top-level binding?
    i = 0
    stripped = re.sub(r'"[^"\n]*"|<[^>\s]*>|#[^\n]*', lambda m: " " * len(m.group(0)), text)
    while i < len(stripped):
        ch = stripped[i]
        if ch == "{":
            before = stripped[:i]
            ok = bool(_GROUP_OPENER.search(before)) or not depth_kinds
            depth_kinds.append(ok and (all(depth_kinds) if depth_kinds else True))
        elif ch == "}":
            if depth_kinds:
                depth_kinds.pop()
        elif stripped.startswith("?this", i) and depth_kinds and not all(depth_kinds):
            raise ShapeCompileError(
                f"{where}: the SPARQL constraint of {shape} uses $this inside a nested group (UNION, OPTIONAL or a subquery); "
                "the compiler cannot pre-bind it there. Move $this to the top-level group or into FILTER (NOT) EXISTS"
            )
        i += 1


# ---------------------------------------------------------------------------
# Running the checks
# ---------------------------------------------------------------------------


def validate_store(store: ox.Store, checks: list[Check], where: dict[str, str] | None = None) -> list[Violation]:
    """Run every check on the store (ontology plus data); return violations, sorted, as the pySHACL reader gives them."""
    from peacegraph.validate.shacl import node_id

    where = where or {}
    label = ox.NamedNode(RDFS + "label")
    found: set[Violation] = set()
    for check in checks:
        for row in store.query(check.query):
            focus = row["this"]
            value = _has_value(row)
            focus_text = focus.value
            labels = list(store.quads_for_pattern(focus, label, None)) if isinstance(focus, ox.NamedNode) else []
            curated = node_id(focus_text)
            found.add(
                Violation(
                    focus=focus_text,
                    path=check.path,
                    shape=short_name(check.shape),
                    severity=check.severity,
                    message=check.message,
                    value=_value_text(value if value is not None else (focus if not check.path else None)),
                    label=labels[0].object.value if labels else "",
                    where=where.get(curated, "") if curated else "",
                )
            )
    return sorted(found)


def _has_value(row) -> ox.Term | None:
    try:
        return row["value"]
    except (KeyError, IndexError):
        return None


def _value_text(term) -> str:
    if term is None:
        return ""
    return term.value
