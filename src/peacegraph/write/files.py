"""Writing graph/: deterministic Turtle, written atomically under a lock.

Each file is written to a temporary file in graph/ and renamed over the old one
only after every file of the build has been written and flushed, so a build
that fails or is killed leaves the previous files in place; a lock file keeps
two builds from interleaving their output.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from peacegraph import paths
from peacegraph.namespaces import bind_prefixes


def turtle_bytes(graph) -> bytes:
    """Sorted, readable Turtle; the same graph always gives the same bytes.

    rdflib's ``longturtle`` sorts subjects and predicates and gives blank nodes
    canonical names, which is what makes two builds byte-identical.
    """
    bind_prefixes(graph)
    data = graph.serialize(format="longturtle", encoding="utf-8")
    return data if data.endswith(b"\n") else data + b"\n"


@contextlib.contextmanager
def build_lock(graph_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on graph_dir while writing (a second build waits)."""
    graph_dir.mkdir(parents=True, exist_ok=True)
    with open(graph_dir / paths.LOCK_FILE_NAME, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_files(files: dict[str, bytes | None], graph_dir: Path) -> list[Path]:
    """Write every file or none: temporary files first, then renames; a None value removes that file."""
    graph_dir.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[str, Path]] = []
    try:
        for name, data in sorted(files.items()):
            if data is None:
                continue
            fd, tmp = tempfile.mkstemp(dir=graph_dir, prefix=f".{name}.", suffix=".tmp")
            temps.append((name, Path(tmp)))
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a built graph is for everyone to read
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        written = []
        for name, tmp in temps:
            os.replace(tmp, graph_dir / name)
            written.append(graph_dir / name)
        for name, data in files.items():
            if data is None and (graph_dir / name).exists():
                (graph_dir / name).unlink()
        _fsync_dir(graph_dir)
        return written
    finally:
        for _, tmp in temps:
            if tmp.exists():
                tmp.unlink()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
