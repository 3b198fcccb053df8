"""The two ends of a transfer: what the mover reads from and writes to, a store or files."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from adapters.transfer.resource import Transferable


class Reader(Protocol):
    """Entities of each resource, read in batches in the end's own order of ids."""

    label: str
    identity: str  # equal for two ends that reach the same data

    def present(self) -> bool:
        """Whether the end holds this service's data layout; Unavailable when unreachable."""
        ...

    def count(self, resource: Transferable[Any]) -> int:
        """How many entities of the resource are held."""
        ...

    def batches(
        self, resource: Transferable[Any], *, after: str | None, size: int
    ) -> Iterator[list[Any]]:
        """Batches of at most `size` entities, following the id `after` when given."""
        ...


class Writer(Reader, Protocol):
    """An end entities are written to; it can be read back to verify them."""

    def prepare(self) -> None:
        """Create what holds the data (database, schema, indexes, folder) when missing."""
        ...

    def insert(self, resource: Transferable[Any], entities: Sequence[Any]) -> None:
        """Store new entities as one; Conflict (nothing stored) when one is already held."""
        ...

    def existing(self, resource: Transferable[Any], ids: Sequence[str]) -> list[Any]:
        """The held entities among these ids."""
        ...

    def defer_indexes(self, resource: Transferable[Any]) -> None:
        """Leave out the indexes a bulk load need not keep up to date row by row (a no-op where
        there are none): the load into a new target builds them once, at its end."""
        ...

    def restore_indexes(self, resource: Transferable[Any]) -> None:
        """Create whichever of the resource's indexes `defer_indexes` left out."""
        ...

    def mark(self, resource: Transferable[Any]) -> Any:
        """A JSON value that `rewind` takes back to the state after the last insert."""
        ...

    def rewind(self, resource: Transferable[Any], mark: Any) -> None:
        """Undo whatever was written after `mark` was taken (a no-op for a transactional end)."""
        ...


@runtime_checkable
class Shared(Protocol):
    """An end that worker processes may read or write once it has been `forked` in each."""

    forkable: bool

    def forked(self) -> None:
        """In a forked child: let go of the connections inherited from the parent."""
        ...

    def id_at(self, resource: Transferable[Any], offset: int) -> str:
        """The id at this offset in the end's order of ids (the order `batches` reads in)."""
        ...


def shared(end: object) -> bool:
    """Whether worker processes may use the end (forked: a platform without fork has none)."""
    forks = "fork" in multiprocessing.get_all_start_methods()
    return forks and isinstance(end, Shared) and end.forkable
