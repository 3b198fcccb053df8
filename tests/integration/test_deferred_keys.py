"""A bulk load's deferred indexes on each SQL server: the keys too on PostgreSQL only (the primary
key of an empty table only), and a key that cannot be built again is a Conflict, every row kept."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
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


def keys(url: str) -> set[str]:
    """The names of the items table's primary key and unique constraints on the server."""
    engine = create_sql_engine(url)
    try:
        held = inspect(engine)
        return {
            str(each["name"])
            for each in [*held.get_unique_constraints("items"), held.get_pk_constraint("items")]
            if each["name"]
        }
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


def test_a_load_into_an_empty_table_goes_without_the_keys_on_postgresql_only(
    store: tuple[str, StoreEnd],
) -> None:
    url, end = store
    migrated, before = definitions(url), keys(url)
    assert "uq_items_title" in before
    with end.units() as unit:
        unit.items.drop_secondary_indexes()
        unit.commit()
    kept = keys(url)
    if url.startswith("postgresql"):
        assert kept == set()
    else:
        assert kept == before  # MySQL names every primary key PRIMARY
        with end.units() as unit:
            unit.items.add(an_item(title="taken"))
            unit.commit()
        with pytest.raises(Conflict), end.units() as unit:
            unit.items.add(an_item(title="taken"))
            unit.commit()
    with end.units() as unit:
        unit.items.create_secondary_indexes()
        unit.commit()
    assert keys(url) == before
    assert definitions(url) == migrated  # built again as the migration made it


@pytest.mark.parametrize("server", ["postgresql"])
def test_a_table_holding_rows_keeps_its_primary_key_or_gets_it_back(server: str) -> None:
    # A resumed load finds the rows of the first run: it needs the key to tell them apart.
    with absent_database(server_url(SERVERS[server])) as target, opened(url_text(target)) as end:
        end.prepare()
        with end.units() as unit:
            unit.items.drop_secondary_indexes()  # empty: the key is dropped
            unit.items.add(an_item(title="one"))
            unit.commit()
        assert "pk_items" not in keys(url_text(target))
        with end.units() as unit:
            unit.items.drop_secondary_indexes()  # as a resumed load does: rows held
            unit.commit()
        assert keys(url_text(target)) == {"pk_items"}
        with end.units() as unit:
            unit.items.drop_secondary_indexes()
            unit.commit()
        assert keys(url_text(target)) == {"pk_items"}


@pytest.mark.parametrize("server", ["postgresql"])
def test_two_rows_sharing_an_id_refuse_the_primary_key_and_both_stay(server: str) -> None:
    with absent_database(server_url(SERVERS[server])) as target, opened(url_text(target)) as end:
        end.prepare()
        twice = an_item(title="first")
        with end.units() as unit:
            unit.items.drop_secondary_indexes()
            unit.items.add_many([twice, replace(twice, title="second")])
            unit.commit()
        with pytest.raises(
            Conflict, match="items: two stored rows share an id, so its primary key pk_items cannot"
        ):
            with end.units() as unit:
                unit.items.create_secondary_indexes()
                unit.commit()
        assert "pk_items" not in keys(url_text(target))


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
        assert "uq_items_title" not in keys(url_text(target))
