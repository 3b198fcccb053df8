"""A page deep in a big listing: cursor against offset, on SQLite and PostgreSQL.

Fills a fresh database with N items through the repository's `add_many`, then reads one page
of 20 at several places (offset 10, N/10, 9N/10) both ways, through the repository as a
request does (an offset page also counts the matches for its `total`; a cursor page does not),
and prints the median time of each and the query plan of the deepest cursor page:

    python bench/deep_pages.py [--rows 1000000] [--repeat 7] [--backends sqlite,postgresql]

Times are wall-clock medians (the server's work is in another process); on a shared machine
they are noisy, so each figure is the median of `--repeat` reads. SQLite runs in process, so
its CPU time (process_time) is printed too.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bulk_insert import SERVERS, fresh
from sample_items import make_items
from sqlalchemy import text
from sqlalchemy.engine import make_url

from adapters.sql.database import SqlDatabase
from adapters.sql.resources import ITEMS
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from core.entities import Item
from core.query import ITEM_QUERY, ItemQuery, Sort
from core.seek import Seek

LIMIT = 20
SORTS = ("created_at", "-created_at", "title")


def timed(read: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of `read`."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        read()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def reader(database: SqlDatabase, query: ItemQuery) -> Callable[[], object]:
    def read() -> object:
        with SqlAlchemyUnitOfWork(database.engine, read_only=True) as unit:
            page = unit.items.list(query)
        assert len(page.items) == LIMIT
        return page

    return read


def literal(database: SqlDatabase, statement: Any) -> str:
    return str(statement.compile(database.engine, compile_kwargs={"literal_binds": True}))


def plan(database: SqlDatabase, query: ItemQuery) -> str:
    statement = literal(database, ITEMS.page_statement(query, ITEMS.conditions(query)))
    prefix = "EXPLAIN QUERY PLAN " if database.engine.dialect.name == "sqlite" else "EXPLAIN "
    with database.engine.connect() as connection:
        rows = connection.execute(text(prefix + statement)).all()
    return "\n".join("    " + str(row[-1]) for row in rows)


def server_ms(database: SqlDatabase, query: ItemQuery, repeat: int) -> float:
    """PostgreSQL's own execution time of what the page runs (its COUNT too, on an offset page
    that has more behind it), without per-node timing, which would inflate it: steadier than
    the wall time on a busy machine."""
    statements = [literal(database, ITEMS.page_statement(query, ITEMS.conditions(query)))]
    if query.seek is None:
        statements.append(literal(database, ITEMS.statements.count))
    runs = []
    with database.engine.connect() as connection:
        for _ in range(repeat):
            total = 0.0
            for statement in statements:
                explained = connection.execute(
                    text("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + statement)
                ).scalar_one()
                total += float(explained[0]["Execution Time"])
            runs.append(total)
    return statistics.median(runs)


def bench(name: str, database: SqlDatabase, items: list[Item], repeat: int) -> None:
    places = [10, len(items) // 10, len(items) * 9 // 10]
    for sort in SORTS:
        query = ItemQuery(sort=(Sort.parse(sort),), limit=LIMIT)
        ordered = ITEM_QUERY.sorted(items, query)
        for place in places:
            by_offset = replace(query, offset=place)
            after = ITEM_QUERY.position(ordered[place - 1], query)
            by_cursor = replace(query, seek=Seek(after))
            offset_wall, offset_cpu = timed(reader(database, by_offset), repeat)
            cursor_wall, cursor_cpu = timed(reader(database, by_cursor), repeat)
            if name == "sqlite":
                cpu = f" | {offset_cpu:.2f} | {cursor_cpu:.2f}"
            else:
                offset_server = server_ms(database, by_offset, repeat)
                cursor_server = server_ms(database, by_cursor, repeat)
                cpu = f" | {offset_server:.2f} | {cursor_server:.2f}"
            print(f"| {name} | `{sort}` | {place:,} | {offset_wall:.2f} | {cursor_wall:.2f}{cpu} |")
        deepest = replace(query, seek=Seek(ITEM_QUERY.position(ordered[places[-1] - 1], query)))
        print(f"\n{name} `{sort}`, cursor page at {places[-1]:,}:\n{plan(database, deepest)}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    items = make_items(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        urls = {"sqlite": f"sqlite:///{Path(folder) / 'deep.db'}", **SERVERS}
        print(f"{args.rows:,} items, pages of {LIMIT}, median of {args.repeat} reads (ms)\n")
        print(
            "| backend | sort | place | offset wall | cursor wall |"
            " offset CPU (SQLite) or server time (PostgreSQL) | cursor, the same |"
        )
        print("|---|---|---:|---:|---:|---:|---:|")
        for name in args.backends.split(","):
            with fresh(make_url(urls[name])) as database:
                started = time.perf_counter()
                with SqlAlchemyUnitOfWork(database.engine) as unit:
                    unit.items.add_many(items)
                    unit.commit()
                with database.engine.begin() as connection:
                    connection.execute(text("ANALYZE" if name == "sqlite" else "ANALYZE items"))
                filled = time.perf_counter() - started
                print(f"| {name} | (filled by add_many in {filled:.0f} s) | | | | | |")
                bench(name, database, items, args.repeat)


if __name__ == "__main__":
    main()
