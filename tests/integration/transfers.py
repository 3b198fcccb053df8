"""Stores to transfer between in the tests: varied entities, fresh databases, checksums."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy_utils import database_exists, drop_database

from adapters.sql.database import create_sql_engine
from adapters.transfer.checksum import Checksum
from adapters.transfer.progress import Silent
from adapters.transfer.store_end import StoreEnd
from adapters.transfer.verify import checksum
from api import catalogue
from api.data.endpoints import open_store
from api.data.resources import transferable_resources
from api.resource import Catalogue
from core.entities import Item, User
from tests.contract.declared import create_tables
from tests.helpers import EPOCH, a_user, an_item


def varied_items(count: int) -> list[Item]:
    """Items with microsecond timestamps, versions above 1, accents and emoji in titles."""
    return [
        replace(
            an_item(title=f"item {n} é🍎 {secrets.token_hex(2)}", owner_id=f"owner-{n % 7}"),
            created_at=EPOCH + timedelta(seconds=n, microseconds=n % 999_999),
            updated_at=EPOCH + timedelta(days=1, microseconds=7 * n % 999_999),
            version=1 + n % 9,
        )
        for n in range(count)
    ]


def varied_users(count: int) -> list[User]:
    """Users with permissions, real-looking hashes and versions above 1."""
    return [
        replace(
            a_user(
                username=f"Zoë{n}",
                permissions=frozenset({"items:admin", f"p{n % 3}"}) if n % 2 else frozenset(),
                password_hash=f"$argon2id$v=19$m=65536,t=3,p=4${secrets.token_hex(16)}",
            ),
            version=1 + n % 4,
        )
        for n in range(count)
    ]


def seed(end: StoreEnd, *, items: int, users: int) -> None:
    """Create the store's schema and fill it."""
    end.prepare()
    with end.units() as unit:
        unit.items.add_many(varied_items(items))
        unit.users.add_many(varied_users(users))
        unit.commit()


def checksums(end: StoreEnd, held: Catalogue = catalogue.RESOURCES) -> dict[str, tuple[int, str]]:
    """Each resource's count and content checksum, read independently of any transfer."""
    totals: dict[str, Checksum] = {
        each.name: checksum(end, each, batch=997, progress=Silent())
        for each in transferable_resources(held)
    }
    return {name: (each.count, each.digest) for name, each in totals.items()}


@contextmanager
def absent_database(server: URL) -> Iterator[URL]:
    """The URL of a database the server does not have yet; dropped afterwards if made."""
    url = server.set(database=f"hexapi_test_{secrets.token_hex(4)}")
    try:
        yield url
    finally:
        if database_exists(url):
            drop_database(url)


def url_text(url: URL) -> str:
    """The URL as `--from`/`--to` take it."""
    return url.render_as_string(hide_password=False)


@contextmanager
def opened(text: str, held: Catalogue = catalogue.RESOURCES) -> Iterator[StoreEnd]:
    """The store of a URL holding the resources of a catalogue, as the commands open it,
    closed afterwards."""
    end = open_store(text, option="--to", catalogue=held)
    try:
        yield end
    finally:
        end.close()


def with_test_tables(url: str, held: Catalogue) -> None:
    """The service's schema for `held` and the test resources' tables, as a team's migration
    makes them."""
    with opened(url, held) as end:
        end.prepare()
    engine: Engine = create_sql_engine(url)
    try:
        create_tables(engine)
    finally:
        engine.dispose()


def count_all(end: StoreEnd) -> dict[str, Any]:
    """How many rows each resource holds."""
    return {each.name: end.count(each) for each in transferable_resources(catalogue.RESOURCES)}
