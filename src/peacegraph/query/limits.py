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
from collections.abc import Callable
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


def in_child(function: Callable[..., Any], args: tuple, seconds: float, on_timeout: Callable[[], PeacegraphError]) -> Any:
    """Run function(*args) in a forked child and return its value; kill it after ``seconds``.

    A PeacegraphError raised in the child is raised here; any other failure
    becomes a QueryError; past the deadline the child is killed and
    ``on_timeout()`` is raised.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    parent = os.getpid()

    def child():
        die_with_parent(parent)
        receiver.close()
        try:
            outcome = ("ok", function(*args))
        except PeacegraphError as err:
            outcome = ("error", err)
        except RecursionError:
            outcome = ("error", QueryError("the answer is nested too deeply to read"))
        except MemoryError:
            outcome = ("error", QueryError("the answer does not fit in memory; narrow the query or lower --max-rows/--max-bytes"))
        except Exception as err:  # report, never hang the parent
            outcome = ("error", QueryError(f"the query failed: {type(err).__name__}: {err}"))
        try:
            sender.send(outcome)
        except Exception as err:  # an unpicklable value or error
            sender.send(("error", QueryError(f"the query failed: {type(err).__name__}: {err}")))

    process = context.Process(target=child, daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise on_timeout()
        try:
            status, payload = receiver.recv()
        except (EOFError, OSError):
            process.join(5)
            raise QueryError(f"the query process died (exit code {process.exitcode}); narrow the query or lower --max-rows") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if status == "error":
        raise payload
    return payload
