"""A bulk load's deferred indexes on each SQL server: unique constraints too on PostgreSQL only,
and a constraint that cannot be built again is a Conflict that keeps every row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from adapters.sql.database import create_sql_engine
from adapters.transfer.store_end import StoreEnd
from core.errors import Conflict
from core.query import ItemQuery
from tests.helpers import an_item
from tests.integration.servers import SERVERS, server_url
from tests.integration.transfers import absent_database, opened, url_text


@pytest.fixture(params=["sqlite", *sorted(SERVERS)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, StoreEnd]]:
    """A fresh store of each SQL kind with the service's schema, and its URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'keys.db'}"
        with opened(url) as end:
            end.prepare()
            yield url, end
        return
    with absent_database(server_url(SERVERS[request.param])) as target:
        with opened(url_text(target)) as end:
            end.prepare()
            yield url_text(target), end


def unique_constraints(url: str) -> set[str]:
    engine = create_sql_engine(url)
    try:
        return {str(each["name"]) for each in inspect(engine).get_unique_constraints("items")}
    finally:
        engine.dispose()


def definitions(url: str) -> list[tuple[str, ...]]:
    """The items table's constraints and indexes as the server describes them (PostgreSQL)."""
    if not url.startswith("postgresql"):
        return []
    engine = create_sql_engine(url)
    try:
        with engine.connect() as connection:
            constraints = connection.execute(
                text(
                    "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint"
                    " WHERE conrelid = 'items'::regclass ORDER BY conname"
                )
            ).all()
            indexes = connection.execute(
                text("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'items'")
            ).all()
        return sorted(tuple(row) for row in [*constraints, *indexes])
    finally:
        engine.dispose()


def test_a_load_goes_without_the_unique_constraints_on_postgresql_only(
    store: tuple[str, StoreEnd],
) -> None:
    url, end = store
    migrated = definitions(url)
    with end.units() as unit:
        unit.items.drop_secondary_indexes()
        unit.commit()
    kept = unique_constraints(url)
    if url.startswith("postgresql"):
        assert kept == set()
    else:
        with end.units() as unit:
            unit.items.add(an_item(title="taken"))
            unit.commit()
        with pytest.raises(Conflict), end.units() as unit:
            unit.items.add(an_item(title="taken"))
            unit.commit()
    with end.units() as unit:
        unit.items.create_secondary_indexes()
        unit.commit()
    assert "uq_items_title" in unique_constraints(url)
    assert definitions(url) == migrated  # built again as the migration made it


@pytest.mark.parametrize("server", ["postgresql"])
def test_two_rows_sharing_a_unique_value_refuse_its_constraint_and_both_stay(server: str) -> None:
    with absent_database(server_url(SERVERS[server])) as target, opened(url_text(target)) as end:
        end.prepare()
        with end.units() as unit:
            unit.items.drop_secondary_indexes()
            unit.items.add_many([an_item(title="twice"), an_item(title="twice")])
            unit.commit()
        with pytest.raises(Conflict, match="items: two stored rows share a title"):
            with end.units() as unit:
                unit.items.create_secondary_indexes()
                unit.commit()
        with end.units(read_only=True) as unit:
            held = unit.items.list(ItemQuery(limit=10)).items
        assert [each.title for each in held] == ["twice", "twice"]
        assert "uq_items_title" not in unique_constraints(url_text(target))
