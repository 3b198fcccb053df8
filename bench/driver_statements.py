"""CPU per call of an item read by id and of one insert: SQLAlchemy's execute against the driver's
cursor (adapters/sql/driver_statements.py), alternated in batches in one process, one connection.

    TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        PYTHONPATH=.:src .venv/bin/python bench/driver_statements.py

SQLite (a temporary file) always; PostgreSQL when TEST_POSTGRES_URL is set (a database of its own
on that server, dropped at the end).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import make_url

from adapters.sql.database import create_sql_engine, db_create_all, db_drop_all
from adapters.sql.driver_statements import first_row, insert_of, insert_row
from adapters.sql.resources import ITEMS
from tests.helpers import an_item

BATCH, BATCHES = 100, 40


def measure(url: str) -> dict[str, float]:
    """Microseconds of process CPU per call of each way, on the database at `url`."""
    db_drop_all(url, drop_db=True)
    db_create_all(url)
    engine = create_sql_engine(url)
    try:
        item = an_item(at=datetime.now(UTC))
        with engine.begin() as connection:
            connection.execute(insert_of(ITEMS.table), ITEMS.to_row(item))
        by_id, parameters = ITEMS.statements.by_id, {"match_id": item.id}
        rows = iter(
            [ITEMS.to_row(an_item(at=datetime.now(UTC))) for _ in range(2 * BATCH * BATCHES)]
        )
        connection = engine.connect()
        if url.startswith("postgresql"):
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        ways: dict[str, Callable[[], Any]] = {
            "read by id, SQLAlchemy": lambda: connection.execute(by_id, parameters).first(),
            "read by id, driver": lambda: first_row(connection, by_id, ITEMS.table, parameters),
            "insert, SQLAlchemy": lambda: connection.execute(insert_of(ITEMS.table), next(rows)),
            "insert, driver": lambda: insert_row(connection, ITEMS.table, next(rows)),
        }
        spent = dict.fromkeys(ways, 0.0)
        for number in range(BATCHES):
            order = list(ways) if number % 2 == 0 else list(reversed(ways))
            for name in order:
                started = time.process_time()
                for _ in range(BATCH):
                    ways[name]()
                spent[name] += time.process_time() - started
        connection.commit()
        connection.close()
    finally:
        engine.dispose()
        db_drop_all(url, drop_db=True)
    return {name: seconds / (BATCH * BATCHES) * 1e6 for name, seconds in spent.items()}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        urls = {"SQLite": f"sqlite:///{folder}/bench.db"}
        server = os.environ.get("TEST_POSTGRES_URL")
        if server:
            urls["PostgreSQL"] = (
                make_url(server)
                .set(database="hexapi_driver_bench")
                .render_as_string(hide_password=False)
            )
        for name, url in urls.items():
            figures = measure(url)
            print(name + ": " + ", ".join(f"{way} {us:.1f} µs" for way, us in figures.items()))


if __name__ == "__main__":
    main()
