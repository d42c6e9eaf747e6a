"""The source documents: their texts (byte for byte) and metadata.

A document's ``file`` must name a regular file inside the documents folder
(after symbolic links are resolved) of at most ``MAX_DOCUMENT_BYTES``: a
seed cannot make the build read /proc/self/environ, /etc/passwd, a FIFO or
/dev/zero into the graph.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import Problem
from peacegraph.load.dates import TimeValue, parse_time
from peacegraph.load.yamlsource import FileTooLarge, NotRegularFile, Record, Seq, check_keys, env_limit, read_regular, read_yaml

#: An id: lower-case words of letters and digits joined by '-' (\A and \Z: '$' would let a trailing newline through).
ID_PATTERN = re.compile(r"\A[a-z0-9]+(-[a-z0-9]+)*\Z")
#: Largest document read, in bytes (raise with PEACEGRAPH_MAX_DOCUMENT_BYTES).
MAX_DOCUMENT_BYTES = 10_000_000

#: document key -> required?
DOCUMENT_KEYS = {
    "id": True,
    "file": True,
    "title": True,
    "published": True,
    "author": False,
    "editor": False,
    "publisher": False,
    "modified": False,
    "not_before": False,
    "not_after": False,
    "date_inferred": False,
    "note": False,
}


@dataclass
class Document:
    """One source article."""

    id: str
    file: str
    text: str
    sha256: str
    title: str
    published: TimeValue
    line: int
    meta_file: str
    author: str | None = None
    editor: str | None = None
    publisher: str | None = None
    modified: TimeValue | None = None
    not_before: dt.date | None = None
    not_after: dt.date | None = None
    date_inferred: str | None = None
    note: str | None = None
    lines: dict[str, int] | None = None

    @property
    def latest_possible(self) -> dt.date:
        """The last day the document can have been written on."""
        return self.not_after or self.published.latest


def display_path(path: Path) -> str:
    """A path as users see it in messages: relative to the repository when inside it."""
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def load_documents(metadata_path: Path | None = None) -> tuple[dict[str, Document], list[Problem]]:
    """Read the metadata file and each document's text; return documents by id and problems."""
    metadata_path = metadata_path or paths.DOCUMENTS_METADATA_PATH
    shown = display_path(metadata_path)
    if not metadata_path.exists():
        return {}, [
            Problem(shown, 1, "the document metadata file is missing", "create it with a 'documents:' list (see seeds/facts/README.md)")
        ]
    tree, problems = read_yaml(metadata_path, shown)
    if problems:
        return {}, problems
    if not isinstance(tree, Record) or not isinstance(tree.values.get("documents"), Seq):
        return {}, [
            Problem(
                shown,
                1,
                "expected a mapping with a 'documents:' list",
                "start the file with 'documents:' and list one mapping per document",
            )
        ]
    problems += check_keys(tree, {"documents": True}, "the document metadata file")
    documents: dict[str, Document] = {}
    seq = tree.values["documents"]
    assert isinstance(seq, Seq)
    for item in seq.items:
        if not isinstance(item, Record):
            problems.append(
                Problem(
                    shown, seq.line, "each document must be a mapping of keys", "write '- id: ...' with 'file:', 'title:', 'published:'"
                )
            )
            continue
        item.file = shown
        problems += check_keys(item, DOCUMENT_KEYS, "document")
        doc = _document(item, metadata_path.parent, problems)
        if doc is None:
            continue
        if doc.id in documents:
            problems.append(
                item.problem(
                    "id", f"duplicate document id '{doc.id}' (first at line {documents[doc.id].line})", "give each document its own id"
                )
            )
            continue
        documents[doc.id] = doc
    return documents, problems


def time_field(record: Record, key: str, raw: str | None, problems: list[Problem]) -> TimeValue | None:
    """A record's date value at its precision, or None (with a problem when it is not a real date)."""
    if raw is None:
        return None
    try:
        return parse_time(raw)
    except ValueError as err:
        problems.append(
            record.problem(
                key, f"bad {key}: {err}", "write YYYY, YYYY-MM or YYYY-MM-DD (or a decade such as 1990s, or a range such as 1988..1994)"
            )
        )
        return None


def _read_document(item: Record, folder: Path, file: str, problems: list[Problem]) -> bytes | None:
    """The document's bytes, or None with a problem: outside the folder, not a regular file, too large, unreadable."""
    limit = env_limit("PEACEGRAPH_MAX_DOCUMENT_BYTES", MAX_DOCUMENT_BYTES)
    shown = display_path(folder)
    try:
        root = folder.resolve()
        path = (folder / file).resolve()  # symbolic links resolved first, then containment checked
    except (OSError, ValueError, RuntimeError):
        problems.append(item.problem("file", f"document file {file!r} is not a usable file name", "give the file's name in " + shown))
        return None
    if path != root and root not in path.parents:
        problems.append(
            item.problem(
                "file",
                f"document file '{file}' is outside the documents folder {shown}",
                "put the article in that folder and give its name relative to it",
            )
        )
        return None
    try:
        return read_regular(path, limit)
    except FileNotFoundError:
        problems.append(
            item.problem("file", f"document file '{file}' does not exist in {shown}", "put the article there or correct 'file'")
        )
    except NotRegularFile:
        problems.append(item.problem("file", f"document file '{file}' is not a regular file", "point 'file' at the article's text file"))
    except FileTooLarge:
        problems.append(
            item.problem(
                "file", f"document file '{file}' is larger than {limit} bytes", "use a shorter text, or raise PEACEGRAPH_MAX_DOCUMENT_BYTES"
            )
        )
    except OSError as err:
        problems.append(item.problem("file", f"cannot read document file '{file}' ({err.strerror})", "check that it is readable"))
    return None


def _text(record: Record, key: str) -> str | None:
    value = record.values.get(key)
    return value if isinstance(value, str) else None


def _document(item: Record, folder: Path, problems: list[Problem]) -> Document | None:
    for key, value in item.values.items():
        if key in DOCUMENT_KEYS and value is not None and not isinstance(value, str):
            problems.append(
                item.problem(key, f"'{key}' must be a single text value, not a list or mapping", f"write '{key}: ...' on one line")
            )
    doc_id, file, title, published = (_text(item, k) for k in ("id", "file", "title", "published"))
    if not (doc_id and file and title and published):
        return None
    if not ID_PATTERN.match(doc_id):
        problems.append(item.problem("id", f"document id {doc_id!r} is not lower-case letters, digits and '-'", "rename it, e.g. 'd005'"))
    raw = _read_document(item, folder, file, problems)
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append(
            item.problem(
                "file",
                f"document file '{file}' is not UTF-8 (byte {err.start})",
                "convert it to UTF-8; evidence offsets are counted in characters of the UTF-8 text",
            )
        )
        return None
    times: dict[str, TimeValue | None] = {}
    for key in ("published", "modified", "not_before", "not_after"):
        times[key] = time_field(item, key, _text(item, key), problems)
    if times["published"] is None:
        return None
    not_before = times["not_before"].earliest if times["not_before"] else None
    not_after = times["not_after"].latest if times["not_after"] else None
    if not_before and not_after and not_before > not_after:
        problems.append(item.problem("not_after", f"not_after {not_after} is before not_before {not_before}", "swap or correct them"))
    return Document(
        id=doc_id,
        file=file,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=title,
        published=times["published"],
        line=item.line,
        meta_file=item.file,
        author=_text(item, "author"),
        editor=_text(item, "editor"),
        publisher=_text(item, "publisher"),
        modified=times["modified"],
        not_before=not_before,
        not_after=not_after,
        date_inferred=_text(item, "date_inferred"),
        note=_text(item, "note"),
        lines=item.lines,
    )
