"""A URL given to `--from` or `--to` opened as a store: SQL through an engine, Mongo, mongomock.

The URLs are those of the settings (`DATABASE_URL`, `MONGODB_URI`); a Mongo URL names its
database in its path, else MONGODB_DATABASE's default is used. Opening connects to nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from adapters.mongo.client import SCHEMES, Client, check_uri, connect, is_mock
from adapters.mongo.errors import translate_errors as mongo_errors
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import mongo_units
from adapters.sql.database import create_sql_engine, db_create_all
from adapters.sql.drivers import driver_problem
from adapters.sql.errors import translate_errors
from adapters.sql.tables import METADATA
from adapters.sql.unit_of_work import sql_units
from adapters.transfer.store_end import StoreEnd
from adapters.transfer.stored_end import StoredEnd
from api.resource import Catalogue, mongo_collections, mongo_declarations, sql_declarations

SQL_BACKENDS = ("sqlite", "postgresql", "mysql", "mariadb")
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306}
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
# mongomock keeps its data in its client: one per process, so a chain of transfers in one
# process (the round-trip benchmark, the tests) finds what an earlier one wrote.
_MOCK_CLIENTS: dict[str, Client] = {}


class EndpointError(ValueError):
    """A URL that cannot name a store, with the option that gave it."""


def open_store(
    text: str, *, option: str, catalogue: Catalogue, mongo_database: str = "app"
) -> StoreEnd:
    """The store the URL names, holding the catalogue's resources beside items and users;
    EndpointError when the URL is malformed or unsupported."""
    catalogue = tuple(catalogue)
    scheme = text.partition("://")[0] + "://" if "://" in text else ""
    if scheme in SCHEMES:
        return _mongo(text, option=option, default_database=mongo_database, catalogue=catalogue)
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise EndpointError(f"{option}: {_hidden(text)!r} is not a database URL") from None
    if url.get_backend_name() not in SQL_BACKENDS:
        supported = ", ".join([*SQL_BACKENDS, *(each.rstrip(":/") for each in SCHEMES)])
        raise EndpointError(f"{option}: unsupported URL scheme {url.drivername!r}; use {supported}")
    if (problem := driver_problem(url)) is not None:
        raise EndpointError(f"{option}: {problem}")
    return _sql(url, catalogue)


def _hidden(text: str) -> str:
    """The URL with any password replaced, for messages."""
    head, at, tail = text.rpartition("@")
    if not at or "://" not in head:
        return text
    scheme, _, credentials = head.partition("://")
    user = credentials.partition(":")[0]
    return f"{scheme}://{user}:***@{tail}"


def _sql(url: URL, catalogue: Catalogue) -> StoreEnd:
    engine = create_sql_engine(url)

    def present() -> bool:
        with translate_errors("database"):
            if not _sql_database_exists(engine.url):
                return False
            return bool(set(inspect(engine).get_table_names()) & set(METADATA.tables))

    return StoreEnd(
        label=url.render_as_string(hide_password=True),
        identity=_sql_identity(url),
        units=sql_units(engine, sql_declarations(catalogue)),
        present=present,
        prepare=lambda: db_create_all(engine),
        close=engine.dispose,
        indexed=True,
        concurrent_indexes=url.get_backend_name() == "postgresql",
        plain_rows=True,
        forkable=True,
        # A forked worker opens connections of its own; those it inherited are the parent's.
        forked=lambda: engine.dispose(close=False),
    )


def _sql_database_exists(url: URL) -> bool:
    """Whether the database exists; OperationalError when its server does not answer.

    SQLite is only looked for (connecting would create the file); a server is asked with a
    connection to the database, then to the server itself when that fails.
    """
    from sqlalchemy_utils import database_exists  # as adapters/sql/database.py imports it

    if url.get_backend_name() == "sqlite":
        return bool(database_exists(url))
    engine = create_sql_engine(url)
    try:
        with engine.connect():
            return True
    except OperationalError:
        maintenance = "postgres" if url.get_backend_name() == "postgresql" else None
        # URL.set ignores None; URL is a named tuple, and _replace is that type's public API.
        server = create_sql_engine(url._replace(database=maintenance))
        try:
            with server.connect():  # raises when the server itself is unreachable
                return False
        finally:
            server.dispose()
    finally:
        engine.dispose()


def _sql_identity(url: URL) -> str:
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ":memory:"
        return f"sqlite:{Path(database).resolve() if database != ':memory:' else database}"
    family = "mysql" if backend == "mariadb" else backend
    host = "localhost" if (url.host or "localhost") in LOCAL_HOSTS else url.host
    port = url.port or DEFAULT_PORTS.get(family)
    return f"{family}://{host}:{port}/{url.database}"


def _mongo(uri: str, *, option: str, default_database: str, catalogue: Catalogue) -> StoreEnd:
    try:
        check_uri(uri)
    except ValueError as error:
        raise EndpointError(f"{option}: {_hidden(uri)!r} is not a Mongo URL: {error}") from None
    hosts, database = _mongo_parts(uri)
    database = database or default_database
    client = None
    if is_mock(uri):
        if hosts not in _MOCK_CLIENTS:
            _MOCK_CLIENTS[hosts] = connect(uri)
        client = _MOCK_CLIENTS[hosts]
    storage = MongoStorage(
        uri=uri, database=database, client=client, declared=mongo_collections(catalogue)
    )

    def present() -> bool:
        return bool(storage.raw_database().list_collection_names())

    # mongomock is read in one pass over its store, a server in keyset batches.
    end = StoredEnd if is_mock(uri) else StoreEnd
    return end(
        label=f"{_hidden(uri).partition('?')[0]} (database {database})",
        identity=f"mongo{'mock' if is_mock(uri) else ''}://{hosts}/{database}",
        units=mongo_units(storage, mongo_declarations(catalogue)),
        present=lambda: _translated(present),
        prepare=lambda: _ignore(storage.ensure_indexes()),
        close=storage.close,
        indexed=True,
    )


def _mongo_parts(uri: str) -> tuple[str, str]:
    """The hosts (credentials left out, local names made one) and the database of a Mongo URI."""
    rest = uri.partition("://")[2].partition("?")[0]
    hosts, _, database = rest.partition("/")
    hosts = hosts.rpartition("@")[2]
    names = sorted(
        "localhost" + each[len(each.partition(":")[0]) :]
        if each.partition(":")[0] in LOCAL_HOSTS
        else each
        for each in hosts.split(",")
    )
    return ",".join(names), database


def _ignore(_result: object) -> None:
    """Drop a result the caller has no use for (the index names)."""


def _translated(check: Callable[[], bool]) -> bool:
    with mongo_errors("database"):
        return bool(check())
