"""The SQL unit of work holds a pooled connection only while it is open, whatever happens in it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

from adapters.sql.database import SqlDatabase
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from core.errors import Conflict, NotFound, Unavailable
from core.query import ItemQuery
from tests.helpers import an_item
from tests.integration.servers import connections_in_use

# More units of each kind than the pool holds (5 + 10 overflow): a leak would exhaust it.
ROUNDS = 20


@contextmanager
def failing(engine: Engine, event_name: str) -> Iterator[None]:
    """Inside, every "commit" or "rollback" of `engine` fails as if the server had gone away."""

    def refuse(_connection: Any) -> None:
        raise OperationalError(event_name, None, ConnectionError("server closed the connection"))

    event.listen(engine, event_name, refuse)
    try:
        yield
    finally:
        event.remove(engine, event_name, refuse)


def test_every_unit_returns_its_connection_to_the_pool(any_sql_database: SqlDatabase) -> None:
    uow = partial(SqlAlchemyUnitOfWork, any_sql_database.engine)
    taken = an_item(title="taken")
    with uow() as unit:
        unit.items.add(taken)
        unit.commit()
    for _ in range(ROUNDS):
        with uow(read_only=True) as unit:
            assert unit.items.get(taken.id) == taken
        with uow() as unit:
            unit.items.add(an_item())  # never committed
        with pytest.raises(NotFound), uow(read_only=True) as unit:
            unit.items.get("0" * 32)
        with pytest.raises(Conflict), uow() as unit:
            unit.items.add(an_item(title="taken"))
            unit.commit()
        with pytest.raises(RuntimeError), uow() as unit:
            unit.items.count(ItemQuery())
            raise RuntimeError("use case failed")
        assert connections_in_use(any_sql_database) == 0
    with uow(read_only=True) as unit:
        assert unit.items.count(ItemQuery()) == 1


def test_a_failed_commit_stores_nothing_and_returns_the_connection(
    any_sql_database: SqlDatabase,
) -> None:
    engine, item = any_sql_database.engine, an_item()
    with failing(engine, "commit"), SqlAlchemyUnitOfWork(engine) as unit:
        unit.items.add(item)
        with pytest.raises(Unavailable):
            unit.commit()
        unit.rollback()  # nothing left to roll back, and no error for it
    assert connections_in_use(any_sql_database) == 0
    with SqlAlchemyUnitOfWork(engine, read_only=True) as unit, pytest.raises(NotFound):
        unit.items.get(item.id)


def test_a_unit_whose_rollback_fails_still_returns_its_connection(
    any_sql_database: SqlDatabase,
) -> None:
    engine, item = any_sql_database.engine, an_item()
    with failing(engine, "rollback"):
        with pytest.raises(Unavailable), SqlAlchemyUnitOfWork(engine) as unit:
            unit.items.add(item)
        assert connections_in_use(any_sql_database) == 0
    # The pool rolled it back itself before keeping it.
    with SqlAlchemyUnitOfWork(engine, read_only=True) as unit, pytest.raises(NotFound):
        unit.items.get(item.id)
