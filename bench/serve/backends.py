"""The configurations the bench serves: the embedded default, and PostgreSQL with Redis.

`sqlite` is `make serve` out of the box (SQLite, file sessions, counters in process);
`postgresql` is the multi-instance configuration (DATABASE_URL on PostgreSQL, REDIS_URL, which
moves sessions, the token deny-list and rate-limit counters to Redis). The bench owns its
database and its Redis db: both are emptied before the run and after it. A server that does not
answer stops the run with its name: the PostgreSQL figures are never silently missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from adapters.sql.database import db_create_all, db_drop_all

BACKENDS = ("sqlite", "postgresql")
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/hexapi_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


class BackendUnavailable(SystemExit):
    """A server the run needs does not answer."""


@contextmanager
def provisioned(backend: str) -> Iterator[dict[str, str]]:
    """The settings that select `backend`, its storage created for the block and dropped after."""
    if backend == "sqlite":
        yield {}  # production_env creates the instance folder's SQLite file
        return
    _answering()
    db_drop_all(POSTGRES_URL, drop_db=True)  # a run that was killed leaves its database behind
    db_create_all(POSTGRES_URL)
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    try:
        yield {"DATABASE_URL": POSTGRES_URL, "REDIS_URL": REDIS_URL}
    finally:
        redis.flushdb()
        redis.close()
        db_drop_all(POSTGRES_URL, drop_db=True)


def _answering() -> None:
    server = make_url(POSTGRES_URL).set(database="postgres")
    engine = create_engine(server)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        raise BackendUnavailable(
            f"PostgreSQL at {server.render_as_string()} does not answer (BENCH_POSTGRES_URL): "
            f"{error.__class__.__name__}: {error.orig if hasattr(error, 'orig') else error}"
        ) from error
    finally:
        engine.dispose()
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except RedisError as error:
        raise BackendUnavailable(
            f"Redis at {REDIS_URL} does not answer (BENCH_REDIS_URL): {error}"
        ) from error
