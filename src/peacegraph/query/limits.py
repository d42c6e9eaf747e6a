"""The limits every query and upload runs under, and the child process that enforces them.

- A total wall-clock **deadline**: the work runs in a forked child that is
  killed when the deadline passes, whatever it is doing (pyoxigraph cannot
  interrupt a query; a server can trickle one byte every half second and
  never trip a per-read socket timeout; a name lookup ignores socket
  timeouts altogether).
- The child **dies with its parent** (Linux ``PR_SET_PDEATHSIG``), so a
  killed ``peacegraph sparql`` leaves no query running behind it.
- **Caps** on result rows and answer bytes, each with the flag that raises it.

Nothing here imports rdflib.
"""

from __future__ import annotations

import ctypes
import math
import os
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from peacegraph.errors import PeacegraphError, QueryError

#: Seconds a query may run by default (``--timeout``).
DEFAULT_TIMEOUT = 30.0
#: The longest ``--timeout`` accepted: a day.
MAX_TIMEOUT = 86400.0
#: The shortest ``--timeout`` accepted.
MIN_TIMEOUT = 0.1
#: Rows (or triples) an answer may have by default (``--max-rows``).
DEFAULT_MAX_ROWS = 100_000
#: Bytes a remote answer or a Turtle result may have by default (``--max-bytes``): 64 MiB.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The caps one command runs under."""

    timeout: float = DEFAULT_TIMEOUT
    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_BYTES


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""


class TooLarge(QueryError):
    """An answer went past a row or byte cap."""


def check_timeout(value: float) -> float:
    """The value if it is a usable number of seconds, else ValueError saying what is accepted.

    >>> check_timeout(2)
    2.0
    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: nan is not a number of seconds from 0.1 to 86400
    """
    seconds = float(value)
    if not math.isfinite(seconds) or not MIN_TIMEOUT <= seconds <= MAX_TIMEOUT:
        raise ValueError(f"{value!r} is not a number of seconds from {MIN_TIMEOUT:g} to {MAX_TIMEOUT:g}")
    return seconds


def too_many_rows(limit: int, where: str = "the answer") -> TooLarge:
    return TooLarge(f"{where} has more than {limit} rows; add LIMIT to the query or raise --max-rows")


def too_many_bytes(limit: int, where: str = "the answer") -> TooLarge:
    return TooLarge(f"{where} is more than {limit} bytes; narrow the query or raise --max-bytes")


class Deadline:
    """A point in time, fixed when the command starts; every step gets only what is left of it."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())


PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if the parent is already gone."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's deadline still kills the child
        pass
    if os.getppid() != parent_pid:
        os._exit(1)


def streamed_from_child(
    function: Callable[..., Any], args: tuple, seconds: float, on_timeout: Callable[[], PeacegraphError]
) -> Iterator[tuple[str, Any]]:
    """Run function(*args, send) in a forked child; yield each (kind, payload) it sends, then ("done", its value).

    The deadline covers the whole stream: past it the child is killed and
    ``on_timeout()`` raised. Errors are raised as in ``in_child``. The child
    is killed when the consumer stops early, too.
    """
    deadline = Deadline(seconds)
    child = _Child(function, args, streamed=True)
    try:
        while True:
            kind, payload = child.receive(deadline, on_timeout)
            if kind == "error":
                raise payload
            yield kind, payload
            if kind == "done":
                return
    finally:
        child.close()


def in_child(function: Callable[..., Any], args: tuple, seconds: float, on_timeout: Callable[[], PeacegraphError]) -> Any:
    """Run function(*args) in a forked child and return its value; kill it after ``seconds``.

    A PeacegraphError raised in the child is raised here; any other failure
    becomes a QueryError; past the deadline the child is killed and
    ``on_timeout()`` is raised.
    """
    child = _Child(function, args, streamed=False)
    try:
        kind, payload = child.receive(Deadline(seconds), on_timeout)
    finally:
        child.close()
    if kind == "error":
        raise payload
    return payload


def _outcome(work: Callable[[], tuple[str, Any]]) -> tuple[str, Any]:
    """work()'s (kind, value), or ("error", a PeacegraphError) for whatever it raised: the child never dies silently."""
    try:
        return work()
    except PeacegraphError as err:
        return ("error", err)
    except RecursionError:
        return ("error", QueryError("the answer is nested too deeply to read"))
    except MemoryError:
        return ("error", QueryError("the answer does not fit in memory; narrow the query or lower --max-rows/--max-bytes"))
    except Exception as err:  # report, never hang the parent
        return ("error", QueryError(f"the query failed: {type(err).__name__}: {err}"))


class _Child:
    """A forked child running one function, talking back through a pipe in length-prefixed pickles.

    Plain os.fork, not multiprocessing: this runs for every query of the CLI,
    and multiprocessing's import and process machinery cost more than the query.
    """

    _HEADER = 8

    def __init__(self, function: Callable[..., Any], args: tuple, streamed: bool):
        import pickle

        self._pickle = pickle
        parent = os.getpid()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, report, and leave without running any of the parent's exit code
            try:
                import gc

                gc.disable()  # a collection would touch, and so copy, every page of the heap this child shares with its parent
                os.close(read_fd)
                die_with_parent(parent)
                send = lambda message: self._send(write_fd, message)  # noqa: E731
                send(_outcome(lambda: ("done", function(*args, send)) if streamed else ("ok", function(*args))))
            except BaseException:  # noqa: BLE001 (a failure to report: the parent sees the pipe close and says the process died)
                pass
            finally:
                os._exit(0)
        os.close(write_fd)
        self.pid: int | None = pid
        self.fd = read_fd

    def _send(self, fd: int, message: tuple[str, Any]) -> None:
        try:
            data = self._pickle.dumps(message, protocol=self._pickle.HIGHEST_PROTOCOL)
        except Exception as err:  # an unpicklable value or error
            data = self._pickle.dumps(("error", QueryError(f"the query failed: {type(err).__name__}: {err}")))
        view = memoryview(len(data).to_bytes(self._HEADER, "big") + data)
        while view:
            view = view[os.write(fd, view) :]

    def receive(self, deadline: Deadline, on_timeout: Callable[[], PeacegraphError]) -> tuple[str, Any]:
        size = int.from_bytes(self._read(self._HEADER, deadline, on_timeout), "big")
        return self._pickle.loads(self._read(size, deadline, on_timeout))

    def _read(self, size: int, deadline: Deadline, on_timeout: Callable[[], PeacegraphError]) -> bytes:
        import select

        chunks, got = [], 0
        while got < size:
            ready, _, _ = select.select([self.fd], [], [], deadline.remaining())
            if not ready:
                raise on_timeout()
            chunk = os.read(self.fd, min(size - got, 1 << 20))
            if not chunk:
                status = self.close()
                raise QueryError(f"the query process died ({status}); narrow the query or lower --max-rows")
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def close(self) -> str:
        """Kill the child if it still runs and reap it; say how it ended."""
        how = "exit status unknown"
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, status = os.waitpid(self.pid, 0)
            how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.WEXITSTATUS(status)}"
            self.pid = None
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        return how
