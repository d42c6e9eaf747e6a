"""Progress for long commands (build, publish, large exports): on a terminal only, never in pipes, logs or --quiet.

rich draws a spinner with the running stage and its elapsed time, and a bar
when the amount of work is known (bytes sent, items exported). Everything
goes to standard error, so standard output stays what the command answers.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_enabled = True


def enabled() -> bool:
    """True when progress may be shown: standard error is a terminal and --quiet was not given."""
    return _enabled and sys.stderr.isatty()


def set_quiet(quiet: bool) -> None:
    """--quiet: no progress at all."""
    global _enabled
    _enabled = not quiet


@contextlib.contextmanager
def stage(name: str) -> Iterator[None]:
    """Show ``name`` with a spinner while the block runs (on a terminal).

    >>> with stage("loading"):
    ...     pass
    """
    if not enabled():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(f"{name} ...", spinner="dots"):
        yield


def track(items: Iterable[T], label: str, total: int | None = None, threshold: int = 5000) -> Iterator[T]:
    """Iterate ``items`` with a progress bar on a terminal when there are at least ``threshold`` of them.

    >>> list(track([1, 2], "counting"))
    [1, 2]
    """
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    if not enabled() or (total is not None and total < threshold):
        yield from items
        return
    from rich.progress import Progress

    with Progress(transient=True, console=_console()) as progress:
        task = progress.add_task(label, total=total)
        for item in items:
            yield item
            progress.advance(task)


@contextlib.contextmanager
def bar(label: str, total: int) -> Iterator:
    """A bar to advance by hand (``advance(n)``), e.g. bytes sent; a no-op off a terminal."""
    if not enabled():
        yield lambda n: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True, console=_console()) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


def _console():
    from rich.console import Console

    return Console(stderr=True)
