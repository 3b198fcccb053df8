"""Bulk writes in batches, shared by the SQL and Mongo adapters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

# Large enough that per-statement overhead vanishes, small enough for every driver's limits.
BULK_BATCH = 5000


def batched(values: Iterable[T], size: int = BULK_BATCH) -> Iterator[list[T]]:
    """Consecutive lists of at most `size` values (itertools.batched arrived in Python 3.12)."""
    iterator = iter(values)
    while batch := list(islice(iterator, size)):
        yield batch
