"""A resource split into consecutive parts of its ids, each copied on its own and resumable.

A part is a count of rows following an id, in the source's own order of ids, so the split needs
no comparison of ids outside the backend (whose collation decides that order).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from adapters.transfer.ends import Shared
from adapters.transfer.records import Records
from adapters.transfer.resource import Transferable


@dataclass(frozen=True, slots=True)
class Part:
    """`size` rows (None: every one to the end) following the id `start` (None: the first).

    `after` is the last id written (`start` before any), `rows` how many were written.
    """

    start: str | None
    size: int | None
    after: str | None
    rows: int = 0
    done: bool = False

    @property
    def remaining(self) -> int | None:
        """Rows left to read; None when the part runs to the end."""
        return None if self.size is None else self.size - self.rows


def split(end: Shared, resource: Transferable[Any], *, total: int, count: int) -> tuple[Part, ...]:
    """`count` parts of nearly equal size; the last one reads to the end of the resource."""
    size = -(-total // count)
    starts: list[str | None] = [None]
    for offset in range(size - 1, total - 1, size)[: count - 1]:
        starts.append(end.id_at(resource, offset))
    sizes: list[int | None] = [size] * (len(starts) - 1)
    return tuple(
        Part(start=start, size=rows, after=start)
        for start, rows in zip(starts, [*sizes, None], strict=True)
    )


def part_batches(records: Records, part: Part, *, size: int) -> Iterator[list[Any]]:
    """The part's unwritten rows in batches of at most `size`, its last one cut to the part."""
    after, remaining = part.after, part.remaining
    while remaining is None or remaining > 0:
        limit = size if remaining is None else min(size, remaining)
        batch = next(records.batches(after=after, size=limit), None)
        if not batch:
            return
        yield batch
        after = records.id(batch[-1])
        if remaining is not None:
            remaining -= len(batch)


def advanced(part: Part, *, after: str, rows: int) -> Part:
    """The part once a batch of `rows` ending at `after` is written."""
    return replace(part, after=after, rows=part.rows + rows)
