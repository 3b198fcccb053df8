"""Fewer runs of the cyclic garbage collector while rows stream through.

A batch read makes thousands of tuples (and entities), each counted towards the collector's
next run: at Python's default of a run every 700 new containers, the collector walks the rows
in flight many times a batch, and that doubled the CPU of reading a batch (docs/data.md).
Rows make no reference cycles, so running it every few batches frees the same memory.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG = 100_000  # new containers between two runs: about four batches of 5,000 rows


@contextmanager
def spaced_collections() -> Iterator[None]:
    """The collector's first threshold raised to YOUNG while inside; as it was after."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], YOUNG), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def forked() -> None:
    """In a forked worker: leave what it inherited out of every collection; the collector
    then never walks (nor writes to, unsharing their pages) the parent's objects."""
    gc.freeze()
