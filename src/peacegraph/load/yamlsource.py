"""YAML read with line numbers, every scalar kept as a string.

Curated files are composed (not constructed) so that each value keeps the line
it came from, and so that YAML never turns ``2020-11`` or ``no`` into something
else behind the curator's back.

Refused, each as a ``file:line`` problem (see docs/refuses.md): anchors and
aliases (curators never need them, and a few hundred bytes of aliases expand
into gigabytes), nesting deeper than ``MAX_YAML_DEPTH``, files larger than
``MAX_YAML_BYTES``, anything that is not a regular file, and text holding
control characters or lone surrogates (which no RDF file can carry, and which
would reach terminals through query answers).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import yaml

from peacegraph.errors import PeacegraphError, Problem

#: Largest seed YAML file read, in bytes (raise with PEACEGRAPH_MAX_YAML_BYTES).
MAX_YAML_BYTES = 10_000_000
#: Deepest nesting of lists and mappings in a seed file (raise with PEACEGRAPH_MAX_YAML_DEPTH); the seeds need 5.
MAX_YAML_DEPTH = 20

_BAD_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class LimitSettingError(PeacegraphError):
    """A PEACEGRAPH_MAX_* environment variable is not a usable number."""


def env_limit(name: str, default: int) -> int:
    """The limit set in environment variable ``name``, or ``default``; LimitSettingError if it is not a whole number above 0.

    >>> env_limit("PEACEGRAPH_UNSET_FOR_DOCTEST", 7)
    7
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"[0-9]{1,18}", raw) or int(raw) < 1:
        raise LimitSettingError(f"{name} must be a whole number above 0, not {raw!r}; unset it to use {default}")
    return int(raw)


class NotRegularFile(OSError):
    """The path is a folder, FIFO, device or socket, not a file."""


class FileTooLarge(OSError):
    """The file is larger than the limit."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; NotRegularFile, FileTooLarge or OSError otherwise.

    Opened without blocking, so a FIFO cannot hang the read; read up to the
    limit only, so a file that grows (or /dev/zero) cannot exhaust memory.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{path} is not a regular file")
        if info.st_size > limit:
            raise FileTooLarge(f"{path} is larger than {limit} bytes")
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileTooLarge(f"{path} is larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


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


def _convert(node: yaml.Node, file: str, problems: list[Problem]) -> Value:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        _check_characters(str(node.value), file, line, problems)
        # An empty or '~' plain scalar is YAML null; anything quoted stays a string.
        if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        return Seq([_convert(item, file, problems) for item in node.value], line)
    assert isinstance(node, yaml.MappingNode)
    record = Record({}, {}, line, file)
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
        _check_characters(key, file, key_node.start_mark.line + 1, problems)
        if key in record.values:
            record.duplicates.append((key, key_node.start_mark.line + 1))
            continue
        record.values[key] = _convert(value_node, file, problems)
        record.lines[key] = key_node.start_mark.line + 1
    return record


def _check_characters(text: str, file: str, line: int, problems: list[Problem]) -> None:
    found = _BAD_CHARACTER.search(text)
    if found:
        code = ord(found.group(0))
        what = "which is not a character (a lone surrogate)" if 0xD800 <= code <= 0xDFFF else "a control character"
        problems.append(
            Problem(file, line, f"the text contains U+{code:04X}, {what}", "remove it; seed text holds printable characters only")
        )


def _refused(text: str, display: str, max_depth: int) -> Problem | None:
    """The first anchor, alias or too-deep nesting in the text's parse events, as a problem, before anything is composed.

    Composing is where an alias bomb explodes and where deep nesting recurses
    (in C, with libyaml), so these are refused on the event stream first.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            return Problem(display, line, f"YAML alias '*{event.anchor}' is not allowed in seed files", "write the value out in full")
        if getattr(event, "anchor", None):
            return Problem(
                display,
                line,
                f"YAML anchor '&{event.anchor}' is not allowed in seed files",
                "write the value out in full (anchors and aliases can blow a small file up into a huge one)",
            )
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > max_depth:
                return Problem(
                    display,
                    line,
                    f"the YAML is nested more than {max_depth} levels deep",
                    "flatten it (seed files need 5 levels), or raise PEACEGRAPH_MAX_YAML_DEPTH",
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def read_yaml(path: Path, display: str) -> tuple[Value, list[Problem]]:
    """Compose ``path``; return its value tree, or problems naming the file and line."""
    limit = env_limit("PEACEGRAPH_MAX_YAML_BYTES", MAX_YAML_BYTES)
    max_depth = env_limit("PEACEGRAPH_MAX_YAML_DEPTH", MAX_YAML_DEPTH)
    try:
        text = read_regular(path, limit).decode("utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(display, 1, f"the file is not UTF-8 ({err.reason} at byte {err.start})", "save it as UTF-8")]
    except FileTooLarge:
        return None, [Problem(display, 1, f"the file is larger than {limit} bytes", "split it, or raise PEACEGRAPH_MAX_YAML_BYTES")]
    except NotRegularFile:
        return None, [Problem(display, 1, "this is not a regular file", "replace it with a YAML file")]
    except OSError as err:
        return None, [Problem(display, 1, f"cannot read the file ({err.strerror})", "check that it exists and is readable")]
    try:
        refused = _refused(text, display, max_depth)
        if refused:
            return None, [refused]
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.reader.ReaderError as err:  # a control character written raw in the file
        line = text.encode("utf-8")[: err.position].count(b"\n") + 1 if isinstance(err.position, int) else 1
        code = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "?")
        return None, [Problem(display, line, f"the file holds U+{code:04X}, a control character YAML does not allow", "remove it")]
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
    problems: list[Problem] = []
    tree = _convert(node, display, problems)
    # A value with a control character is not used at all: it would reach messages and terminals.
    return (None, problems) if problems else (tree, [])


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


#: Past this many choices, rapidfuzz picks the candidates difflib then ranks: difflib alone over the
#: 240,000 fact ids of 300 times the seeds took seconds per unknown id, minutes for a file of them.
_MANY_CHOICES = 2000


def _suggest(word: str, choices: dict[str, bool] | list[str]) -> str:
    import difflib

    candidates = list(choices)
    if len(candidates) > _MANY_CHOICES:
        from rapidfuzz import fuzz, process

        candidates = [c for c, _, _ in process.extract(word, candidates, scorer=fuzz.ratio, limit=50, score_cutoff=50)]
    close = difflib.get_close_matches(word, candidates, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def suggest(word: str, choices: list[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    return _suggest(word, choices)
