"""A resource's records at one end, as the mover reads and writes them: entities or plain rows.

Between two SQL stores the records are plain rows (`adapters.sql.rows`): no entity is built of a
row read, no row of an entity written, and each row's canonical line comes from its values
(`EntityCodec.row_lines`, the very line of the entity they build). Any other pair of ends moves
entities, which every end reads and writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Any, Protocol, runtime_checkable

from adapters.transfer.resource import Transferable


@runtime_checkable
class PlainRows(Protocol):
    """An end whose repositories read and write plain rows (SQL), when `plain_rows` is set."""

    plain_rows: bool

    def row_layout(self, resource: Transferable[Any]) -> tuple[str, ...]:
        """The names of the values of the resource's rows, in order."""
        ...

    def row_batches(
        self, resource: Transferable[Any], *, after: str | None, size: int
    ) -> Iterator[list[Any]]:
        """As `Reader.batches`, plain rows."""
        ...

    def insert_rows(self, resource: Transferable[Any], rows: Sequence[Any]) -> None:
        """As `Writer.insert`, plain rows."""
        ...

    def existing_rows(self, resource: Transferable[Any], ids: Sequence[str]) -> list[Any]:
        """As `Writer.existing`, plain rows."""
        ...


@dataclass(frozen=True)
class Records:
    """Batches of one resource's records at one end, their ids and their canonical lines."""

    end: Any  # a Reader, or a Writer to write to
    resource: Transferable[Any]
    plain: bool
    id: Callable[[Any], str]
    lines: Callable[[Sequence[Any]], list[str]]

    def batches(self, *, after: str | None, size: int) -> Iterator[list[Any]]:
        """Keyset batches in the end's order of ids."""
        read = self.end.row_batches if self.plain else self.end.batches
        batches: Iterator[list[Any]] = read(self.resource, after=after, size=size)
        return batches

    def insert(self, records: Sequence[Any]) -> None:
        """Store new records as one; Conflict (nothing stored) when one is held already."""
        (self.end.insert_rows if self.plain else self.end.insert)(self.resource, records)

    def existing(self, ids: Sequence[str]) -> list[Any]:
        """The held records among these ids."""
        held: list[Any] = (self.end.existing_rows if self.plain else self.end.existing)(
            self.resource, ids
        )
        return held


def _plain(end: object) -> bool:
    return isinstance(end, PlainRows) and end.plain_rows


def entities(end: Any, resource: Transferable[Any]) -> Records:
    """The resource's entities at the end."""
    return Records(end, resource, plain=False, id=attrgetter("id"), lines=resource.codec.lines)


def plain_rows(end: PlainRows, resource: Transferable[Any]) -> Records:
    """The resource's plain rows at an end that has them."""
    layout = end.row_layout(resource)
    return Records(
        end,
        resource,
        plain=True,
        id=itemgetter(layout.index("id")),
        lines=resource.codec.row_lines(layout),
    )


def records_of(end: Any, resource: Transferable[Any]) -> Records:
    """The cheapest records to read the resource at the end in: plain rows when it has them."""
    return plain_rows(end, resource) if _plain(end) else entities(end, resource)


def records_between(
    source: Any, target: Any, resource: Transferable[Any]
) -> tuple[Records, Records]:
    """Records of the resource both ends read and write alike: plain rows between two ends
    that have them in the same layout, else entities."""
    if _plain(source) and _plain(target):
        if source.row_layout(resource) == target.row_layout(resource):
            return plain_rows(source, resource), plain_rows(target, resource)
    return entities(source, resource), entities(target, resource)
