"""A cursor walk skips and repeats nothing while ten writers insert, on SQLite, PostgreSQL, MariaDB.

The walk goes page by page, each page in its own unit of work, as requests would; after each
page it waits until the writers have committed more items, whose random titles land on both
sides of the walk's place. Everything stored before the walk must be seen exactly once, in
order; what lands ahead of the place is seen, what lands behind it is not, none twice.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import replace

import pytest

from adapters.sql.database import SqlDatabase
from adapters.sql.unit_of_work import sql_units
from core.entities import Item
from core.query import ITEM_QUERY, ItemQuery, Sort
from core.seek import Seek
from tests.helpers import an_item

WRITERS = 10
STORED = 300
PAGE = 20
INSERTS_PER_PAGE = WRITERS  # what the walk waits for between two pages
PATIENCE = 60  # seconds a page waits for the writers before the test fails, never hangs


class Writers:
    """Threads that each insert items one unit of work at a time until told to stop."""

    def __init__(self, database: SqlDatabase) -> None:
        self._units = sql_units(database.engine)
        self._done = threading.Event()
        self._committed = threading.Condition()
        self.inserted: list[Item] = []
        self.errors: list[BaseException] = []
        self._threads = [threading.Thread(target=self._write) for _ in range(WRITERS)]

    def __enter__(self) -> Writers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        for thread in self._threads:
            thread.join(PATIENCE)

    def _write(self) -> None:
        while not self._done.is_set():
            item = an_item(title=f"t {secrets.token_hex(6)}")
            try:
                with self._units() as unit:
                    unit.items.add(item)
                    unit.commit()
            except BaseException as error:  # a failed writer fails the test, not silently
                self.errors.append(error)
                return
            with self._committed:
                self.inserted.append(item)
                self._committed.notify_all()

    def wait_for_more(self, count: int) -> None:
        """Block until `count` more items are committed than now."""
        with self._committed:
            target = len(self.inserted) + count
            arrived = self._committed.wait_for(
                lambda: len(self.inserted) >= target or bool(self.errors), PATIENCE
            )
        assert arrived and not self.errors, self.errors


@pytest.mark.parametrize("sort", ["title", "-title"])
def test_a_full_walk_skips_and_repeats_nothing_while_ten_writers_insert(
    any_sql_database: SqlDatabase, sort: str
) -> None:
    units = sql_units(any_sql_database.engine)
    before = [an_item(title=f"t {secrets.token_hex(6)}") for _ in range(STORED)]
    with units() as unit:
        unit.items.add_many(before)
        unit.commit()
    query = ItemQuery(sort=(Sort.parse(sort),), limit=PAGE)
    walked: list[Item] = []
    with Writers(any_sql_database) as writers:
        page = None
        while page is None or page.after is not None:
            seek = None if page is None else Seek(page.after)  # type: ignore[arg-type]
            with units(read_only=True) as unit:
                page = unit.items.list(replace(query, seek=seek))
            walked += page.items
            writers.wait_for_more(INSERTS_PER_PAGE)
    assert not writers.errors, writers.errors
    ids = [item.id for item in walked]
    assert len(ids) == len(set(ids)), "an item was repeated"
    assert {item.id for item in before} <= set(ids), "an item stored before the walk was skipped"
    keys = [ITEM_QUERY.position(item, query) for item in walked]
    descending = sort.startswith("-")
    assert all(
        (a[0] > b[0] if descending else a[0] < b[0]) for a, b in zip(keys, keys[1:], strict=False)
    ), "the walk left its order"
    # Inserts landed on both sides of the walk's place: some were met ahead, and some, within
    # the walked range, were not, having landed behind the place.
    seen, end = set(ids), keys[-1]
    met = [item for item in writers.inserted if item.id in seen]
    behind = [
        item
        for item in writers.inserted
        if item.id not in seen and (ITEM_QUERY.position(item, query) > end) == descending
    ]
    assert met and behind, (len(met), len(behind))
