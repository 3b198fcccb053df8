"""Engines, the process's SQL database, and db_create_all / db_drop_all (migrations to head).

SQLAlchemy-Utils is imported by the functions that create or drop a database, not here (as
Alembic in migrate.py): every process imports this module, and only those need it.
"""

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

from adapters.sql import migrate
from adapters.sql.errors import DatabaseCreationError, translate_errors
from adapters.sql.schema import schema
from adapters.sql.unpinged import UNPINGED

# The mark a read-only unit of work puts on its pooled connection, taken by the next BEGIN.
READ_ONLY = "hexapi_read_only"
# The mark a writing unit puts on its pooled connection (in autocommit) while it holds it: each
# begin, the first and any after a commit, sends BEGIN at once (begins_itself).
OWN_BEGIN = "hexapi_own_begin"


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
    engine = create_engine(
        url,
        pool_size=pool.size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.timeout,
        pool_recycle=pool.recycle,
        pool_pre_ping=pool.pre_ping,
        connect_args=connect_args(url, pool.connect_timeout),
    )
    if (engine.dialect.name, engine.dialect.driver) == PSYCOPG:
        _tune_psycopg(engine)
    return engine


def connect_args(url: URL, connect_timeout: int) -> dict[str, Any]:
    """The driver's arguments beside the URL's: a connect timeout unless the URL sets one, and
    on psycopg a session in UTC added to the URL's `options`."""
    arguments: dict[str, Any] = {}
    # Drivers wait for the operating system's TCP timeout (minutes) without one.
    if "connect_timeout" not in url.query and url.get_backend_name() in (
        "postgresql",
        "mysql",
        "mariadb",
    ):
        arguments["connect_timeout"] = connect_timeout
    if (url.get_backend_name(), url.get_driver_name()) == PSYCOPG:
        # psycopg returns timestamps in the session's time zone: in `UTC` itself as
        # `datetime.UTC`, which UtcDateTime takes as it is, where any other name (a server's
        # default `Etc/UTC` too) costs a conversion of every value read. Set at connection, in
        # the startup message (no round trip), unless the URL's `options` set a zone.
        given = url.query.get("options", "")
        given = " ".join(given) if isinstance(given, tuple) else given
        if "timezone" not in given.lower():
            arguments["options"] = f"{given} -c TimeZone=UTC".strip()
    return arguments


def open_sql_database(url: str | URL, pool: PoolSettings | None = None) -> SqlDatabase:
    """The database at the URL, its engine tuned for the dialect."""
    return SqlDatabase(engine=create_sql_engine(url, pool))


def db_create_all(conn: str | URL | Engine) -> None:
    """Create the database if the server lacks it (SQLAlchemy-Utils), then migrate to head."""
    from sqlalchemy_utils import database_exists

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
    from sqlalchemy_utils import database_exists, drop_database

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
    from sqlalchemy_utils import create_database

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


PSYCOPG = ("postgresql", "psycopg")


def begins_itself(engine: Engine) -> bool:
    """Whether a writing unit sends its BEGIN itself, as its first round trip, with no ping before.

    The pool's ping (a round trip at every checkout) only proves the connection alive; a BEGIN
    sent at once proves the same, and a unit retries it once on a new connection when it finds
    the pooled one dead (nothing was done there yet). psycopg, in autocommit, then sends the
    unit's statements as they come and its COMMIT or ROLLBACK by the server's transaction status:
    a round trip fewer per write than the ping, psycopg's own BEGIN and the rest. Only where that
    BEGIN takes the isolation level the engine's own BEGIN would (no `isolation_level` set on
    the engine, READ COMMITTED as for autocommit_reads). Known once the engine has connected.
    """
    dialect = engine.dialect
    return (
        (dialect.name, dialect.driver) == PSYCOPG
        and getattr(dialect, "isolation_level", None) is None
        and autocommit_reads(engine)
    )


def mark_own_begin(connection: Connection) -> dict[str, Any]:
    """Switch the connection to autocommit, each begin sending BEGIN (begins_itself).

    Returns the pooled connection's info, whose mark the unit removes (OWN_BEGIN) when it ends:
    the mark outlives the checkout, and a later unit in autocommit must not send BEGIN.
    """
    connection.execution_options(isolation_level="AUTOCOMMIT")
    info: dict[str, Any] = connection.connection.info
    info[OWN_BEGIN] = True
    return info


def _tune_psycopg(engine: Engine) -> None:
    # The dialect's do_ping and do_begin rather than pool or connection events: any connection
    # event makes SQLAlchemy dispatch the execution events of every statement (see _tune_sqlite).
    dialect = engine.dialect
    ping, begin = dialect.do_ping, dialect.do_begin

    def do_ping(dbapi_connection: Any) -> bool:
        return True if UNPINGED.get() else ping(dbapi_connection)

    # SQLAlchemy calls it at connection.begin(): a dead connection fails there, and is
    # invalidated (with the pool) and wrapped as any statement's error would be.
    def do_begin(connection: PoolProxiedConnection) -> None:
        if connection.info.get(OWN_BEGIN):
            with connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
                cursor.execute("BEGIN")
        else:
            begin(connection)

    dialect.do_ping = do_ping  # type: ignore[method-assign]
    dialect.do_begin = do_begin  # type: ignore[method-assign, assignment]


def mark_read_only(connection: Connection) -> None:
    """Promise that the transaction this connection begins next only reads.

    SQLite then begins it without the write lock; other databases ignore the mark.
    """
    connection.connection.info[READ_ONLY] = True
