"""Engines, the process's SQL database, and db_create_all / db_drop_all (migrations to head)."""

from __future__ import annotations

import gc
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy_utils import create_database, database_exists, drop_database

from adapters.sql import migrate
from adapters.sql.errors import DatabaseCreationError, translate_errors
from adapters.sql.schema import schema

# The mark a read-only unit of work puts on its pooled connection, taken by the next BEGIN.
READ_ONLY = "hexapi_read_only"


@dataclass(frozen=True, slots=True)
class PoolSettings:
    """Connection pool tuning; SQLite files use the same pool, in-memory SQLite ignores it."""

    size: int = 5
    max_overflow: int = 10
    timeout: float = 10.0
    recycle: int = 1800
    pre_ping: bool = True
    connect_timeout: int = 5


@dataclass(frozen=True, slots=True)
class SqlDatabase:
    """The engine units of work take their connections from."""

    engine: Engine

    def ping(self) -> None:
        """Run a trivial query; Unavailable when the server does not answer."""
        with translate_errors("database"), self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def create_sql_engine(url: str | URL, pool: PoolSettings | None = None) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout."""
    url = make_url(url)
    pool = pool or PoolSettings()
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": pool.timeout})
        _tune_sqlite(engine)
        return engine
    return create_engine(
        url,
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.timeout,
        pool_recycle=pool.recycle,
        pool_pre_ping=pool.pre_ping,
        connect_args=_connect_timeout(url, pool.connect_timeout),
    )


def _connect_timeout(url: URL, seconds: int) -> dict[str, Any]:
    # Drivers wait for the operating system's TCP timeout (minutes) without one; the URL's
    # own `connect_timeout` query parameter, if any, wins.
    if "connect_timeout" in url.query:
        return {}
    if url.get_backend_name() in ("postgresql", "mysql", "mariadb"):
        return {"connect_timeout": seconds}
    return {}


def open_sql_database(url: str | URL, pool: PoolSettings | None = None) -> SqlDatabase:
    """The database at the URL, its engine tuned for the dialect."""
    return SqlDatabase(engine=create_sql_engine(url, pool))


def db_create_all(conn: str | URL | Engine) -> None:
    """Create the database if the server lacks it (SQLAlchemy-Utils), then migrate to head."""
    engine = conn if isinstance(conn, Engine) else create_sql_engine(conn)
    try:
        _make_sqlite_folder(engine.url)
        if not database_exists(engine.url):
            _create_database(engine.url)
        migrate.upgrade(engine)
    finally:
        if engine is not conn:
            engine.dispose()


def db_drop_all(conn: str | URL | Engine, *, drop_db: bool = False) -> None:
    """Drop every table; with `drop_db`, drop the database itself too (test clean-up)."""
    engine = conn if isinstance(conn, Engine) else create_sql_engine(conn)
    try:
        if database_exists(engine.url):
            schema().drop_all(engine)
            migrate.VERSION_TABLE.drop(engine, checkfirst=True)
            if drop_db:
                engine.dispose()
                drop_database(engine.url)
    finally:
        if engine is not conn:
            engine.dispose()


def _create_database(url: URL) -> None:
    encoding = "utf8mb4" if url.get_backend_name() in ("mysql", "mariadb") else "utf8"
    # SQLAlchemy-Utils does not dispose of its engine when CREATE DATABASE fails; collect it
    # here, quietly, instead of leaving an open connection for a later garbage collection.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            create_database(url, encoding=encoding)
        except DBAPIError as error:
            reason = str(error.orig)
        else:
            return
        finally:
            gc.collect()
    raise DatabaseCreationError(
        f"could not create database {url.database!r} as user {url.username!r}: {reason}. "
        "Create it as an administrator, or grant this user the right to create databases."
    )


def _make_sqlite_folder(url: URL) -> None:
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def _tune_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot do BEGIN IMMEDIATE; take it over.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # LIKE ignores ASCII case by default; the other backends' prefix filters do not.
        cursor.execute("PRAGMA case_sensitive_like=ON")
        cursor.close()

    # IMMEDIATE takes the write lock at the start, so a read-then-write transaction waits for
    # another writer (busy timeout) instead of failing with SQLITE_BUSY halfway through; a unit
    # that only reads begins a plain (deferred) transaction and takes no lock in WAL mode.
    # This is the dialect's do_begin rather than a "begin" event: any connection event makes
    # SQLAlchemy dispatch the execution events of every statement, 17 µs of each read here.
    # SQLAlchemy wraps what it raises (a busy database) as it wraps every driver error.
    def begin(connection: PoolProxiedConnection) -> None:
        read_only = connection.info.pop(READ_ONLY, False)
        connection.driver_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")  # type: ignore[union-attr]

    engine.dialect.do_begin = begin  # type: ignore[method-assign, assignment]


# Drivers whose autocommit is a flag of the client's own, switched without a round trip.
CLIENT_SIDE_AUTOCOMMIT = frozenset({("postgresql", "psycopg"), ("postgresql", "psycopg2")})


def autocommit_reads(engine: Engine) -> bool:
    """Whether a unit that only reads runs its statements in autocommit, outside a transaction.

    In READ COMMITTED (PostgreSQL's default) each statement of a transaction takes its own
    snapshot, so a read-only transaction promises nothing that autocommit does not, and its
    BEGIN and ROLLBACK are two round trips of nothing. Known once the engine has connected.
    On MySQL and MariaDB switching autocommit is a statement of its own (and REPEATABLE READ
    keeps one snapshot), on SQLite a read transaction keeps one snapshot: those keep theirs.
    """
    dialect = engine.dialect
    return (dialect.name, dialect.driver) in CLIENT_SIDE_AUTOCOMMIT and (
        getattr(dialect, "default_isolation_level", None) == "READ COMMITTED"
    )


def mark_read_only(connection: Connection) -> None:
    """Promise that the transaction this connection begins next only reads.

    SQLite then begins it without the write lock; other databases ignore the mark.
    """
    connection.connection.info[READ_ONLY] = True
