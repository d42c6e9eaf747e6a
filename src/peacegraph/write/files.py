"""Writing graph/: deterministic Turtle, switched into place in one atomic step, under a lock.

A build writes a complete new folder beside graph/ (``.graph.new-<pid>``),
flushes it to disk, and then swaps it with graph/ in one system call
(Linux ``renameat2(RENAME_EXCHANGE)``): a reader, a crash or a SIGKILL sees
either every file of the previous build or every file of the new one, never
a mix. The previous generation is then deleted. Files in graph/ that the
build does not name (a README, say) are carried over.

Where the exchange is not available (not Linux, or a file system without
it) the fallback is two renames: graph/ aside to ``.graph.old-<pid>``, then
the new folder into place. A crash between the two leaves no graph/ for a
moment; the next build puts the set-aside generation back before it starts.
Either way the next build removes what a killed one left behind.

The lock is a file beside graph/ (``.graph.lock``), so it survives the swap.
It is opened without following symbolic links and never truncated, and a
symbolic link, FIFO or anything else that is not a regular file is refused.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import PeacegraphError
from peacegraph.namespaces import bind_prefixes

#: Left in graph/ by the writer that renamed file by file; never carried into a new generation.
_LEGACY = (paths.LOCK_FILE_NAME,)

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class GraphWriteError(PeacegraphError):
    """graph/ could not be written; it was left as it was."""


def turtle_bytes(graph) -> bytes:
    """Sorted, readable Turtle; the same graph always gives the same bytes.

    rdflib's ``longturtle`` sorts subjects and predicates and gives blank nodes
    canonical names, which is what makes two builds byte-identical.
    """
    bind_prefixes(graph)
    data = graph.serialize(format="longturtle", encoding="utf-8")
    return data if data.endswith(b"\n") else data + b"\n"


#: Locks this process holds (lock path -> depth), so build() and write_files() can both take it.
_held: dict[str, int] = {}


@contextlib.contextmanager
def build_lock(graph_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on graph_dir while writing (a second build waits); re-entrant within a process."""
    lock = paths.lock_file(_real(graph_dir))
    key = str(lock)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise GraphWriteError(f"cannot create {lock.parent}: {err.strerror}; graph/ was left as it was") from None
    fd = _open_lock(lock)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open_lock(lock: Path) -> int:
    # O_NOFOLLOW: a symbolic link planted here must not make the build open (let alone truncate) its target;
    # O_NONBLOCK: a FIFO planted here must not hang the build. No O_TRUNC, ever.
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(lock, flags, 0o666)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise GraphWriteError(f"the build lock {lock} is a symbolic link; remove it (the lock is never followed)") from None
        raise GraphWriteError(f"cannot open the build lock {lock}: {err.strerror}; remove it if it is not a plain file") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise GraphWriteError(f"the build lock {lock} is not a regular file; remove it")
    return fd


def write_files(files: dict[str, Content | None], graph_dir: Path) -> list[Path]:
    """Make graph_dir hold these files, switched in one atomic step; a None value removes that file.

    A file's content is its bytes, or a tuple of pieces written one after another (see ``Content``).

    Returns the paths written. Raises GraphWriteError (graph_dir untouched) when
    it cannot write: a read-only graph/, a full disk, a file too large.
    """
    graph_dir = Path(graph_dir)
    with build_lock(graph_dir):
        target = _real(graph_dir)
        _recover(target)
        _check_writable(target, graph_dir)
        new = paths.generation_dir(target, "new", os.getpid())
        try:
            _fill(new, target, files)
            old = _switch(new, target)
        except OSError as err:
            shutil.rmtree(new, ignore_errors=True)
            what = err.strerror or str(err)
            raise GraphWriteError(f"cannot write {graph_dir}: {what}; graph/ was left as it was") from None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return [graph_dir / name for name, data in sorted(files.items()) if data is not None]


def _real(graph_dir: Path) -> Path:
    """graph_dir with symbolic links resolved: a graph/ that links elsewhere is switched where it really is."""
    return Path(os.path.realpath(graph_dir))


def _check_writable(target: Path, shown: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise GraphWriteError(f"{shown} is not a folder; move it away or choose another --graph-dir; it was left as it was")
    # The swap would replace even a read-only folder (only its parent must be writable), so honour the mode bits.
    if not target.stat().st_mode & stat.S_IWUSR:
        raise GraphWriteError(f"{shown} is read-only; make it writable (chmod u+w) to build into it; graph/ was left as it was")


def _fill(new: Path, target: Path, files: dict[str, Content | None]) -> None:
    """Write the complete new generation into ``new`` and flush it to disk."""
    os.mkdir(new, 0o777)
    if target.is_dir():
        os.chmod(new, stat.S_IMODE(target.stat().st_mode))
        for entry in sorted(target.iterdir()):
            if entry.name not in files and entry.name not in _LEGACY and not _legacy_temporary(entry.name):
                _carry(entry, new / entry.name)
    for name, data in sorted(files.items()):
        if data is not None:
            _write_file(new / name, data)
    _fsync_dir(new)


def _legacy_temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def _carry(entry: Path, destination: Path) -> None:
    if entry.is_symlink():
        os.symlink(os.readlink(entry), destination)
    elif entry.is_dir():
        shutil.copytree(entry, destination, symlinks=True)
    else:
        try:
            os.link(entry, destination)  # the old generation is deleted after the swap, so sharing the inode is safe
        except OSError:
            shutil.copy2(entry, destination)


#: A file's content: its bytes, or pieces written one after another, each bytes or a file to copy.
Content = bytes | tuple[bytes | Path, ...]


def content_blocks(data: Content) -> Iterator[bytes]:
    """The content as blocks of bytes; a file piece is read a megabyte at a time, never whole."""
    for piece in (data,) if isinstance(data, bytes) else data:
        if isinstance(piece, Path):
            with open(piece, "rb") as source:
                while block := source.read(1 << 20):
                    yield block
        else:
            yield piece


def _write_file(path: Path, data: Content) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        for piece in content_blocks(data):
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _switch(new: Path, target: Path) -> Path | None:
    """Put ``new`` in place of ``target``; return where the previous generation now is (to delete), if any."""
    if not target.exists():
        os.rename(new, target)
        _fsync_dir(target.parent)
        return None
    try:
        _exchange(new, target)
    except _NoExchange:
        aside = paths.generation_dir(target, "old", os.getpid())
        os.rename(target, aside)
        os.rename(new, target)
        _fsync_dir(target.parent)
        return aside
    _fsync_dir(target.parent)
    return new


class _NoExchange(Exception):
    """renameat2(RENAME_EXCHANGE) is not available here."""


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE, glibc 2.28 or later)."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        raise _NoExchange from None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        raise _NoExchange
    raise OSError(code, os.strerror(code), str(second))


def _recover(target: Path) -> None:
    """Undo what a killed build left: put a set-aside generation back if graph/ is gone, remove the rest.

    Runs under the lock, so no other build of this graph/ is writing.
    """
    prefix = f".{target.name}."
    leftovers = sorted(
        (p for p in target.parent.glob(f"{prefix}*-*") if p.name[len(prefix) :].split("-", 1)[0] in ("new", "old")),
        key=lambda p: p.stat().st_mtime if not p.is_symlink() else 0,
    )
    if not target.exists() and not target.is_symlink():
        aside = [p for p in leftovers if p.name.startswith(prefix + "old-") and p.is_dir() and not p.is_symlink()]
        if aside:
            os.rename(aside[-1], target)
            leftovers.remove(aside[-1])
    for leftover in leftovers:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                leftover.unlink()


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
