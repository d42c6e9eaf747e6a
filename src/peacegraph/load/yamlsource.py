"""YAML read with line numbers, every scalar kept as a string.

Curated files are built from the parser's events (never constructed) so that
each value keeps the line it came from, and so that YAML never turns ``2020-11`` or ``no`` into something
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


def _check_characters(text: str, file: str, line: int, problems: list[Problem]) -> None:
    found = _BAD_CHARACTER.search(text)
    if found:
        code = ord(found.group(0))
        what = "which is not a character (a lone surrogate)" if 0xD800 <= code <= 0xDFFF else "a control character"
        problems.append(
            Problem(file, line, f"the text contains U+{code:04X}, {what}", "remove it; seed text holds printable characters only")
        )


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _events_to_tree(text: str, display: str, max_depth: int, problems: list[Problem]) -> Value:
    """The value tree of the text, built from libyaml's parse events in one pass.

    Anchors, aliases and too-deep nesting are refused (raise _Refused) as they
    come, before anything is built from them: composing is where an alias bomb
    explodes and where deep nesting recurses in C. Building from the events
    also saves composing a node tree and walking it again (the three passes
    took 60% of the load stage at ten times the seeds).
    """
    root: Value = None
    stack: list[Seq | Record] = []
    keys: list[tuple[str, int] | None] = []  # per open mapping: the key waiting for its value
    documents = 0
    for event in yaml.parse(text, Loader=_LOADER):
        kind = type(event)
        line = event.start_mark.line + 1
        if kind is yaml.AliasEvent:
            raise _Refused(
                Problem(display, line, f"YAML alias '*{event.anchor}' is not allowed in seed files", "write the value out in full")
            )
        if getattr(event, "anchor", None):
            raise _Refused(
                Problem(
                    display,
                    line,
                    f"YAML anchor '&{event.anchor}' is not allowed in seed files",
                    "write the value out in full (anchors and aliases can blow a small file up into a huge one)",
                )
            )
        if kind is yaml.ScalarEvent:
            top = stack[-1] if stack else None
            if type(top) is Record and keys[-1] is None:
                key = str(event.value)
                _check_characters(key, display, line, problems)
                keys[-1] = (key, line)
                continue
            _check_characters(event.value, display, line, problems)
            value: Value = None if event.style is None and event.value in _NULLS else str(event.value)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if len(stack) >= max_depth:
                raise _Refused(
                    Problem(
                        display,
                        line,
                        f"the YAML is nested more than {max_depth} levels deep",
                        "flatten it (seed files need 5 levels), or raise PEACEGRAPH_MAX_YAML_DEPTH",
                    )
                )
            if kind is yaml.MappingStartEvent:
                stack.append(Record({}, {}, line, display))
                keys.append(None)
            else:
                stack.append(Seq([], line))
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop()
            if kind is yaml.MappingEndEvent:
                keys.pop()
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream", None, "but found another document", event.start_mark
                )
            continue
        else:
            continue
        _place(value, stack, keys)
        if not stack:
            root = value
    return root


def _place(value: Value, stack: list, keys: list) -> None:
    """Put a finished value into the collection being built (a mapping's key, a mapping's value, or a list item)."""
    if not stack:
        return
    top = stack[-1]
    if type(top) is Seq:
        top.items.append(value)
        return
    pending = keys[-1]
    if pending is None:  # a key that is itself a list or mapping: kept as text, so it is reported as an unknown key
        keys[-1] = (f"<{'list' if type(value) is Seq else 'mapping'} on line {value.line}>", value.line)
        return
    key, key_line = pending
    keys[-1] = None
    if key in top.values:
        top.duplicates.append((key, key_line))
        return
    top.values[key] = value
    top.lines[key] = key_line


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
    problems: list[Problem] = []
    try:
        tree = _events_to_tree(text, display, max_depth, problems)
    except _Refused as refused:
        return None, [refused.problem]
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
