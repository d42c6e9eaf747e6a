"""Progress on stderr for large exports (click's progress bar), silent for small ones."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: Below this many items a step shows no progress bar.
THRESHOLD = 5000


def track(items: Iterable[T], label: str) -> Iterator[T]:
    """Iterate ``items``, with a progress bar on stderr when there are at least ``THRESHOLD`` of them.

    >>> list(track([1, 2], "counting"))
    [1, 2]
    """
    items = items if hasattr(items, "__len__") else list(items)
    if len(items) < THRESHOLD:  # type: ignore[arg-type]
        yield from items
        return
    import click

    with click.progressbar(items, label=label, file=sys.stderr, show_pos=True) as bar:
        yield from bar
