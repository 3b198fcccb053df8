"""A store held in this process (mongomock) as an end: each read takes the stored rows once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol, cast

from adapters.transfer.resource import Transferable
from adapters.transfer.store_end import StoreEnd


class Stored(Protocol):
    """A repository that reads all it holds in one pass (`MongoRepository.stored_batches`)."""

    def stored_batches(self, after: str | None, *, size: int) -> Iterator[list[Any]]:
        """Every entity following `after`, in the order of ids, in batches of `size`."""
        ...


@dataclass
class StoredEnd(StoreEnd):
    """Batches read in one pass over the store, not one query each: mongomock answers a query
    in time growing with the whole collection, so a keyset batch there costs a full read."""

    def batches(
        self, resource: Transferable[Any], *, after: str | None, size: int
    ) -> Iterator[list[Any]]:
        """Keyset batches in the store's order of ids, of the rows held when the read began."""
        with self.units(read_only=True) as unit:
            batches = cast(Stored, resource.repository(unit)).stored_batches(after, size=size)
        return batches
