"""Bulk insert of N items: the repository's add_many against SQLAlchemy Core executemany.

Each backend gets a fresh database migrated to head. The two paths run alternately (the table
is emptied between runs) and the median of each is compared in the same process:

    python bench/bulk_insert.py [--rows 100000] [--rounds 3]

Servers come from TEST_POSTGRES_URL / TEST_MYSQL_URL (the test suite's variables), defaulting
to the local PostgreSQL and MariaDB; a server that does not answer is reported and skipped.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sample_items import make_items
from sqlalchemy import delete, insert
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy_utils import create_database, drop_database

from adapters.sql.database import SqlDatabase, db_create_all, open_sql_database
from adapters.sql.resources import ITEMS
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from core.entities import Item

SERVERS = {
    "postgresql": os.environ.get(
        "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    ),
    "mariadb": os.environ.get("TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/mysql"),
}


def through_repository(database: SqlDatabase, items: list[Item]) -> None:
    with SqlAlchemyUnitOfWork(database.engine) as unit:
        unit.items.add_many(items)
        unit.commit()


def through_core(database: SqlDatabase, rows: list[dict[str, object]]) -> None:
    with database.engine.begin() as connection:
        connection.execute(insert(ITEMS.table), rows)


def timed(run: Callable[[], None], database: SqlDatabase) -> float:
    with database.engine.begin() as connection:
        connection.execute(delete(ITEMS.table))
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


@contextmanager
def fresh(url: URL) -> Iterator[SqlDatabase]:
    """A new database on the server (or a new SQLite file), migrated, dropped afterwards."""
    if url.get_backend_name() != "sqlite":
        url = url.set(database=f"hexapi_bench_{secrets.token_hex(4)}")
        create_database(url, encoding="utf8mb4" if url.get_backend_name() == "mysql" else "utf8")
    database = open_sql_database(url)
    try:
        db_create_all(database.engine)
        yield database
    finally:
        database.dispose()
        if url.get_backend_name() != "sqlite":
            drop_database(url)


def measure(url: URL, items: list[Item], rounds: int) -> tuple[float, float]:
    rows = [ITEMS.to_row(item) for item in items]
    repository, core = [], []
    with fresh(url) as database:
        for _ in range(rounds):
            repository.append(timed(lambda: through_repository(database, items), database))
            core.append(timed(lambda: through_core(database, rows), database))
    return statistics.median(repository), statistics.median(core)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = make_items(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        backends = {"sqlite": f"sqlite:///{Path(folder) / 'bench.db'}", **SERVERS}
        print(f"{args.rows:,} items, median of {args.rounds} alternating runs")
        print(
            "| backend | repository add_many s | Core executemany s | rows/s (repository) |"
            " ratio repository/Core |"
        )
        print("|---|---:|---:|---:|---:|")
        for name, url in backends.items():
            try:
                repository, core = measure(make_url(url), items, args.rounds)
            except OperationalError as error:
                print(f"| {name} | not reachable: {error.orig} | | | |")
                continue
            print(
                f"| {name} | {repository:.2f} | {core:.2f} | {args.rows / repository:,.0f} |"
                f" {core / repository:.2f} |"
            )


if __name__ == "__main__":
    main()
