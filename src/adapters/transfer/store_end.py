"""A store as an end of a transfer: its units of work, each batch in a unit of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, cast

from adapters.transfer.resource import Transferable
from core.ports.unit_of_work import UnitOfWorkFactory

CONCURRENT_INDEXES = 4  # index builds at once, well within a connection pool's size


class Indexed(Protocol):
    """A repository whose secondary indexes can be dropped and created again (SQL, Mongo)."""

    def drop_secondary_indexes(self) -> None:
        """Drop them, those already missing apart."""
        ...

    def create_secondary_indexes(self) -> None:
        """Create the missing ones."""
        ...

    def secondary_index_names(self) -> list[str]:
        """The names of those indexes."""
        ...

    def create_secondary_index(self, name: str) -> None:
        """Build the one named so, when it is missing; `create_secondary_indexes` after every
        such build finishes what they leave (a SQL key is built as its index first)."""
        ...


class RowRepository(Protocol):
    """A repository that reads and writes its rows as plain tuples (SQL, `adapters.sql.rows`)."""

    @property
    def row_layout(self) -> tuple[str, ...]:
        """The names of a row's values."""
        ...

    def scan_rows(self, after: str | None = None, *, limit: int) -> list[tuple[Any, ...]]:
        """The next rows in the order of ids."""
        ...

    def get_rows(self, ids: Sequence[str]) -> list[tuple[Any, ...]]:
        """The held rows among these ids."""
        ...

    def add_rows(self, values: Sequence[Sequence[Any]]) -> None:
        """Insert rows as read."""
        ...


@dataclass
class StoreEnd:
    """Reads and writes through the repositories; short units keep a lost connection cheap."""

    label: str
    identity: str
    units: UnitOfWorkFactory
    present: Callable[[], bool]
    prepare: Callable[[], None] = field(default=lambda: None)
    close: Callable[[], None] = field(default=lambda: None)
    indexed: bool = False  # whether its repositories are `Indexed`
    # Whether its indexes may be built at once, each on a connection of its own (a server
    # that builds two indexes of one table side by side: PostgreSQL).
    concurrent_indexes: bool = False
    plain_rows: bool = False  # whether its repositories are `RowRepository` (records.PlainRows)
    # Whether a forked process may use it once `forked` has run there: a server or a file,
    # never data held in this process (mongomock), nor a client that is not fork-safe.
    forkable: bool = False
    forked: Callable[[], None] = field(default=lambda: None)

    def defer_indexes(self, resource: Transferable[Any]) -> None:
        """Drop the resource's secondary indexes before a bulk load, when the store has any."""
        if self.indexed:
            with self.units() as unit:
                cast(Indexed, resource.repository(unit)).drop_secondary_indexes()
                unit.commit()

    def restore_indexes(self, resource: Transferable[Any]) -> None:
        """Create the resource's missing secondary indexes, at once where the store can."""
        if not self.indexed:
            return
        if self.concurrent_indexes:
            with self.units(read_only=True) as unit:
                names = cast(Indexed, resource.repository(unit)).secondary_index_names()

            def create(name: str) -> None:
                with self.units() as unit:
                    cast(Indexed, resource.repository(unit)).create_secondary_index(name)
                    unit.commit()

            if names:
                builds = min(len(names), CONCURRENT_INDEXES)
                with ThreadPoolExecutor(builds, thread_name_prefix="index") as pool:
                    list(pool.map(create, names))  # the first error, once every build has ended
        # Every missing one; after builds at once, what they leave (a key taking its index).
        with self.units() as unit:
            cast(Indexed, resource.repository(unit)).create_secondary_indexes()
            unit.commit()

    def count(self, resource: Transferable[Any]) -> int:
        """How many entities the resource holds."""
        with self.units(read_only=True) as unit:
            return resource.repository(unit).count(resource.everything)

    def id_at(self, resource: Transferable[Any], offset: int) -> str:
        """The id of the entity at this offset in the store's order of ids (what `scan` reads)."""
        query = replace(resource.everything, sort=(), limit=1, offset=offset)
        with self.units(read_only=True) as unit:
            page = resource.repository(unit).list(query)
        return str(page.items[0].id)

    def batches(
        self, resource: Transferable[Any], *, after: str | None, size: int
    ) -> Iterator[list[Any]]:
        """Keyset batches in the store's order of ids."""
        while True:
            with self.units(read_only=True) as unit:
                batch = resource.repository(unit).scan(after, limit=size)
            if not batch:
                return
            yield batch
            after = batch[-1].id

    def insert(self, resource: Transferable[Any], entities: Sequence[Any]) -> None:
        """Add the entities in one unit of work, ids, versions and timestamps as given."""
        if not entities:
            return
        with self.units() as unit:
            resource.repository(unit).add_many(entities)
            unit.commit()

    def existing(self, resource: Transferable[Any], ids: Sequence[str]) -> list[Any]:
        """The stored entities among these ids."""
        with self.units(read_only=True) as unit:
            return resource.repository(unit).get_many(ids)

    def mark(self, resource: Transferable[Any]) -> None:  # noqa: ARG002 - the protocol's
        """Nothing to mark: a unit of work commits all of a batch or none of it."""
        return None

    def rewind(self, resource: Transferable[Any], mark: Any) -> None:  # noqa: ARG002
        """Nothing to undo (see `mark`)."""

    def row_layout(self, resource: Transferable[Any]) -> tuple[str, ...]:
        """The names of the values of the resource's plain rows."""
        with self.units(read_only=True) as unit:
            return self._rows(resource, unit).row_layout

    def row_batches(
        self, resource: Transferable[Any], *, after: str | None, size: int
    ) -> Iterator[list[Any]]:
        """As `batches`, plain rows."""
        while True:
            with self.units(read_only=True) as unit:
                rows = self._rows(resource, unit)
                batch, key = rows.scan_rows(after, limit=size), rows.row_layout.index("id")
            if not batch:
                return
            yield batch
            after = batch[-1][key]

    def insert_rows(self, resource: Transferable[Any], rows: Sequence[Any]) -> None:
        """As `insert`, plain rows."""
        if not rows:
            return
        with self.units() as unit:
            self._rows(resource, unit).add_rows(rows)
            unit.commit()

    def existing_rows(self, resource: Transferable[Any], ids: Sequence[str]) -> list[Any]:
        """As `existing`, plain rows."""
        with self.units(read_only=True) as unit:
            return self._rows(resource, unit).get_rows(ids)

    def _rows(self, resource: Transferable[Any], unit: Any) -> RowRepository:
        return cast(RowRepository, resource.repository(unit))
