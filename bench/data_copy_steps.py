"""CPU seconds of each step of a SQLite -> PostgreSQL copy, each timed on the one thread doing it.

    python bench/data_copy_steps.py SOURCE.db [--batch 5000] [--keep-indexes] [--entities]

The steps of `data copy`'s mover, run in one thread so each one's CPU time is its own: reading
the source's batches (plain rows, as between two SQL stores; entities with --entities), the
canonical lines of the source checksum, the target's
`add_many` in a unit of work (into tables whose non-unique indexes are dropped first and built
after loading, as the mover does, unless --keep-indexes), and reading the target back. Also the
CPU of the PostgreSQL backends that served the writes and the read-back. The target is a fresh
database on TEST_POSTGRES_URL, dropped after.
"""

from __future__ import annotations

import argparse
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy_utils import database_exists, drop_database

from adapters.transfer.checksum import Checksum
from adapters.transfer.collection import spaced_collections
from adapters.transfer.records import entities, records_between, records_of
from adapters.transfer.store_end import StoreEnd
from api.catalogue import RESOURCES
from api.data.endpoints import open_store
from api.data.resources import transferable_resources


def backend_cpu(end: StoreEnd, database: str) -> float:
    """CPU seconds of the server processes connected to the database (the server is local)."""
    with end.units(read_only=True) as unit:
        pids = unit._connection.execute(  # type: ignore[attr-defined]
            text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": database}
        ).scalars()
        total = 0.0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--keep-indexes", action="store_true", help="load with every index kept")
    parser.add_argument(
        "--entities", action="store_true", help="move entities, as between other backends"
    )
    arguments = parser.parse_args()
    base = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/x")
    target = make_url(base).set(database=f"hexapi_steps_{secrets.token_hex(4)}")
    reader = open_store(f"sqlite:///{arguments.source}", option="--from", catalogue=RESOURCES)
    writer = open_store(
        target.render_as_string(hide_password=False), option="--to", catalogue=RESOURCES
    )
    steps = dict.fromkeys(("read", "line", "write", "indexes", "read back"), 0.0)

    @contextmanager
    def timed(step: str) -> Iterator[None]:
        started = time.thread_time()
        yield
        steps[step] += time.thread_time() - started

    try:
        writer.prepare()
        resources = transferable_resources(RESOURCES)
        for resource in resources:
            if not arguments.keep_indexes:
                writer.defer_indexes(resource)
            checksum = Checksum()
            read, write = records_between(reader, writer, resource)
            if arguments.entities:
                read, write = entities(reader, resource), entities(writer, resource)
            batches = read.batches(after=None, size=arguments.batch)
            while True:
                with timed("read"):
                    batch = next(batches, None)
                if batch is None:
                    break
                with timed("line"):
                    checksum.add_lines(read.lines(batch))
                with timed("write"):
                    write.insert(batch)
            with timed("indexes"):
                writer.restore_indexes(resource)
        written = backend_cpu(writer, str(target.database))
        for resource in resources:
            back = (entities if arguments.entities else records_of)(writer, resource)
            with timed("read back"):
                for _ in back.batches(after=None, size=arguments.batch):
                    pass
        server = backend_cpu(writer, str(target.database))
        print(
            {step: round(seconds, 2) for step, seconds in steps.items()},
            f"server: writes {written:.2f}, read back {server - written:.2f}",
        )
        print(f"load average {os.getloadavg()}")
    finally:
        reader.close()
        writer.close()
        if database_exists(target):
            drop_database(target)


if __name__ == "__main__":
    with spaced_collections():  # as the mover runs
        main()
