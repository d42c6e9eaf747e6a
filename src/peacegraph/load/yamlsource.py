"""YAML read with line numbers, every scalar kept as a string.

Curated files are composed (not constructed) so that each value keeps the line
it came from, and so that YAML never turns ``2020-11`` or ``no`` into something
else behind the curator's back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

from peacegraph.errors import Problem

Value = Union[str, "Seq", "Record", None]

#: libyaml's parser when PyYAML was built with it (ten times faster), else the pure-Python one; both give line marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Seq:
    """A YAML sequence: its items and the line it starts on."""

    items: list[Value]
    line: int


@dataclass
class Record:
    """A YAML mapping: key -> value, key -> line, and the line it starts on."""

    values: dict[str, Value]
    lines: dict[str, int]
    line: int
    file: str = ""
    duplicates: list[tuple[str, int]] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    def problem(self, key: str | None, message: str, fix: str = "") -> Problem:
        return Problem(self.file, self.line_of(key) if key else self.line, message, fix)


def _convert(node: yaml.Node, file: str) -> Value:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        # An empty or '~' plain scalar is YAML null; anything quoted stays a string.
        if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return Seq([_convert(item, file) for item in node.value], line)
    assert isinstance(node, yaml.MappingNode)
    record = Record({}, {}, line, file)
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
        if key in record.values:
            record.duplicates.append((key, key_node.start_mark.line + 1))
            continue
        record.values[key] = _convert(value_node, file)
        record.lines[key] = key_node.start_mark.line + 1
    return record


def read_yaml(path: Path, display: str) -> tuple[Value, list[Problem]]:
    """Compose ``path``; return its value tree, or problems naming the file and line."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(display, 1, f"the file is not UTF-8 ({err.reason} at byte {err.start})", "save it as UTF-8")]
    except OSError as err:
        return None, [Problem(display, 1, f"cannot read the file ({err.strerror})", "check that it exists and is readable")]
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        what = err.problem or err.context or "malformed YAML"
        return None, [
            Problem(
                display, line, f"malformed YAML: {what}", "fix the YAML syntax (indentation, quotes, colons) on or just before this line"
            )
        ]
    except yaml.YAMLError as err:
        return None, [Problem(display, 1, f"malformed YAML: {err}", "fix the YAML syntax")]
    if node is None:
        return None, []
    return _convert(node, display), []


def check_keys(record: Record, allowed: dict[str, bool], what: str) -> list[Problem]:
    """Problems for unknown, missing (required) and duplicated keys of a record.

    ``allowed`` maps each key to whether it is required.
    """
    problems = [Problem(record.file, line, f"duplicate key '{key}' in this {what}", "keep one of them") for key, line in record.duplicates]
    for key in record.values:
        if key not in allowed:
            problems.append(
                record.problem(key, f"unknown key '{key}' in {what}", f"use one of: {', '.join(allowed)}" + _suggest(key, allowed))
            )
    for key, required in allowed.items():
        if required and record.values.get(key) in (None, ""):
            problems.append(record.problem(key if key in record.values else None, f"{what} has no '{key}'", f"add '{key}:'"))
    return problems


def _suggest(word: str, choices: dict[str, bool] | list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def suggest(word: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    return _suggest(word, choices)
