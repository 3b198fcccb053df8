"""Round trip of every resource through the backends with `data copy`'s mover, and pgloader.

    python bench/data_round_trip.py [--items 1000000] [--users 10000] [--mongomock-items 5000]
                                    [--pgloader] [--out bench/data_round_trip.json]
                                    [--workers N] [--source FILE] [--mongomock-only]
                                    [--pgloader-only [--rounds 3]]

1. A SQLite file is filled with N items and M users (varied versions, microsecond timestamps,
   permissions, password hashes) through the repositories, in batches.
2. SQLite -> PostgreSQL -> MariaDB -> SQLite at that size, each hop the Mover of
   `flask --app api data copy` (batches of 5000, parts copied by --workers processes, then both
   sides verified by count and content checksum). Per hop: rows/s of the copy, of the
   verification, CPU seconds (this process's, its workers'), peak RSS (alone, with its workers).
3. The same five-hop chain with mongomock (SQLite -> PostgreSQL -> mongomock -> MariaDB ->
   SQLite) at --mongomock-items, or with --mongomock-only at the size of step 1 (and no step 2),
   its figures replacing the "with_mongomock" ones of --out.
4. With --pgloader: pgloader (Debian's package) loads the same SQLite file into a fresh
   PostgreSQL database, timed beside the mover's SQLite -> PostgreSQL hop. With --pgloader-only,
   that alone, in --rounds rounds that alternate which goes first, the server checkpointed before
   each, the mover's load (all but its verification) compared with pgloader's time.

Checksums must be equal at every hop, or the script fails. Servers come from TEST_POSTGRES_URL
and TEST_MYSQL_URL (defaulting to the local ones); their databases are dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy import text as text_clause
from sqlalchemy.engine import URL, make_url
from sqlalchemy_utils import create_database, database_exists, drop_database

from adapters.system.ids import TimeOrderedIds
from adapters.transfer.journal import Journal
from adapters.transfer.mover import Mover
from adapters.transfer.progress import Silent
from adapters.transfer.store_end import StoreEnd
from api.catalogue import RESOURCES
from api.data.commands import WORKERS
from api.data.endpoints import open_store
from api.data.resources import transferable_resources
from core.entities import Item, User

START = datetime(2026, 1, 1, tzinfo=UTC)
FILL_BATCH = 10_000


class PeakRss:
    """The largest resident set seen, sampled every 20 ms in a thread (per hop, not per life):
    of this process, and the proportional set (pages shared since the fork counted once) of it
    with its worker processes at the same instant."""

    def __init__(self) -> None:
        self.peak = self.peak_with_workers = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def now() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    @staticmethod
    def proportional(pid: str) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                found = next(line for line in rollup if line.startswith("Pss:"))
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            return 0  # a worker that has just ended
        return int(found.split()[1]) * 1024

    @staticmethod
    def workers() -> list[str]:
        pid = os.getpid()
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()

    def _sample(self) -> None:
        ticks = 0
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.now())
            ticks += 1
            # The kernel walks every mapping for a proportional set: a few milliseconds a
            # process, so it is taken every half second, not every tick, to leave the CPU to
            # the copy being measured.
            if ticks % 25 == 0:
                pids = [str(os.getpid()), *self.workers()]
                together = sum(self.proportional(each) for each in pids)
                self.peak_with_workers = max(self.peak_with_workers, together)

    def __enter__(self) -> PeakRss:
        self.peak = self.now()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.now())


def items(count: int) -> Iterator[list[Item]]:
    ids = TimeOrderedIds()
    for start in range(0, count, FILL_BATCH):
        yield [
            Item(
                id=ids.new_id(),
                title=f"item {n:07d} é🍎",
                owner_id=f"user-{n % 997}",
                created_at=START + timedelta(microseconds=1013 * n),
                updated_at=START + timedelta(days=1, microseconds=7 * n),
                version=1 + n % 7,
            )
            for n in range(start, min(start + FILL_BATCH, count))
        ]


def users(count: int) -> list[User]:
    ids = TimeOrderedIds()
    return [
        User(
            id=ids.new_id(),
            username=f"Zoë{n:05d}",
            password_hash=f"$argon2id$v=19$m=65536,t=3,p=4${secrets.token_hex(22)}",
            created_at=START + timedelta(seconds=n, microseconds=n),
            permissions=frozenset({"items:admin", f"team:{n % 5}"}) if n % 3 else frozenset(),
            version=1 + n % 3,
        )
        for n in range(count)
    ]


def fill(end: StoreEnd, *, item_count: int, user_count: int) -> float:
    started = time.perf_counter()
    end.prepare()
    for batch in items(item_count):
        with end.units() as unit:
            unit.items.add_many(batch)
            unit.commit()
    with end.units() as unit:
        unit.users.add_many(users(user_count))
        unit.commit()
    return time.perf_counter() - started


def server(variable: str, default: str) -> URL:
    base = make_url(os.environ.get(variable) or default)
    return base.set(database=f"hexapi_trip_{secrets.token_hex(4)}")


def text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def children_cpu() -> float:
    """CPU seconds of the child processes that have ended (the mover's workers)."""
    times = os.times()
    return times.children_user + times.children_system


def hop(source: str, target: str, folder: Path, *, workers: int) -> dict[str, Any]:
    """One copy with the mover, timed, its checksums returned."""
    load = os.getloadavg()
    reader = open_store(source, option="--from", catalogue=RESOURCES)
    writer = open_store(target, option="--to", catalogue=RESOURCES)
    journal = Journal(folder / f"{secrets.token_hex(4)}.json", source=source, target=target)
    mover = Mover(reader, writer, journal, Silent(), workers=workers)
    try:
        cpu, wall, forked = time.process_time(), time.perf_counter(), children_cpu()
        with PeakRss() as rss:
            reports = mover.run(transferable_resources(RESOURCES))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        forked = children_cpu() - forked
    finally:
        reader.close()
        writer.close()
    rows = sum(report.written for report in reports)
    copying = sum(report.seconds for report in reports)
    verifying = sum(report.verify_seconds for report in reports)
    return {
        "from": reader.label,
        "to": writer.label,
        "rows": rows,
        "copy_seconds": round(copying, 2),
        "copy_rows_per_s": round(rows / copying),
        # What pgloader's time covers: the checks, the schema, the copy and its indexes.
        "load_seconds": round(wall - verifying, 2),
        "verify_seconds": round(verifying, 2),
        "total_seconds": round(wall, 2),
        "workers": workers,
        "cpu_seconds": round(cpu, 2),
        "workers_cpu_seconds": round(forked, 2),
        "peak_rss_mib": round(rss.peak / 2**20, 1),
        "peak_pss_with_workers_mib": round(rss.peak_with_workers / 2**20, 1),
        "checksums": {r.name: [r.source.count, r.source.digest[:16]] for r in reports},
        "equal": all(r.source.digest == r.target.digest for r in reports),
        "load_average_1_5_15": [round(each, 1) for each in load],
    }


def chain(urls: list[str], folder: Path, *, workers: int) -> list[dict[str, Any]]:
    hops = []
    for source, target in zip(urls, urls[1:], strict=False):
        result = hop(source, target, folder, workers=workers)
        print(json.dumps(result))
        if hops and result["checksums"] != hops[0]["checksums"] or not result["equal"]:
            raise SystemExit(f"checksums differ at {source} -> {target}")
        hops.append(result)
    return hops


def pgloader(sqlite: Path, base: URL) -> dict[str, Any]:
    """pgloader's load of the same SQLite file into a fresh database, timed the same way."""
    binary = shutil.which("pgloader")
    if binary is None:
        return {"skipped": "pgloader is not installed (apt-get install pgloader)"}
    target = base.set(database=f"hexapi_pgloader_{secrets.token_hex(4)}")
    create_database(target)
    plain = f"postgresql://{target.username}@{target.host}:{target.port or 5432}/{target.database}"
    try:
        wall, forked = time.perf_counter(), children_cpu()
        done = subprocess.run(
            [binary, "--quiet", f"sqlite://{sqlite}", plain], capture_output=True, text=True
        )
        wall, forked = time.perf_counter() - wall, children_cpu() - forked
    finally:
        drop_database(target)
    return {
        "seconds": round(wall, 2),
        "exit": done.returncode,
        "children_cpu_seconds": round(forked, 2),
        "output_tail": (done.stdout + done.stderr)[-1500:],
    }


def checkpoint(server: URL) -> None:
    """Write the server's dirty pages out now, so that neither load meets the other's checkpoint."""
    engine = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text_clause("CHECKPOINT"))
    finally:
        engine.dispose()


def beside_pgloader(
    sqlite: Path, pg: URL, folder: Path, *, workers: int, rounds: int
) -> list[dict[str, Any]]:
    """pgloader and the mover's hop on the same file, in turn: each round alternates which goes
    first, and the server is checkpointed before each, so that order and the server's writes
    weigh alike on both. The mover's load (what pgloader's time covers) is compared."""
    results = []
    for round_ in range(rounds):
        result: dict[str, Any] = {}
        order = ("pgloader", "mover") if round_ % 2 == 0 else ("mover", "pgloader")
        for contender in order:
            checkpoint(pg)
            if contender == "pgloader":
                result["pgloader"] = pgloader(sqlite, pg.set(database="postgres"))
            else:
                target = pg.set(database=f"hexapi_trip_{secrets.token_hex(4)}")
                with databases(target):
                    result["mover"] = hop(
                        f"sqlite:///{sqlite}", text(target), folder, workers=workers
                    )
        result["first"] = order[0]
        loads = result["mover"]["load_seconds"], result["pgloader"]["seconds"]
        result["load_ratio"] = round(loads[0] / loads[1], 3)
        shown = {k: v for k, v in result["pgloader"].items() if k != "output_tail"}
        print(json.dumps({"round": round_ + 1, **result, "pgloader": shown}))
        results.append(result)
    ratios = sorted(each["load_ratio"] for each in results)
    print(f"mover load / pgloader: {ratios} (median {statistics.median(ratios):.3f})")
    return results


@contextmanager
def databases(*urls: URL) -> Iterator[None]:
    try:
        yield
    finally:
        for url in urls:
            if database_exists(url):
                drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--mongomock-items", type=int, default=5_000)
    parser.add_argument("--mongomock-users", type=int, default=500)
    parser.add_argument("--pgloader", action="store_true")
    parser.add_argument(
        "--pgloader-only",
        action="store_true",
        help="pgloader and the mover's SQLite -> PostgreSQL hop only, one after the other",
    )
    parser.add_argument(
        "--source", type=Path, help="A SQLite file filled by an earlier run (skips step 1)"
    )
    parser.add_argument(
        "--mongomock-only",
        action="store_true",
        help="only the chain through mongomock, from the file of step 1 (or --source)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="with --pgloader-only: rounds, alternating order"
    )
    parser.add_argument("--out", type=Path, default=Path("bench/data_round_trip.json"))
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help="the mover's processes (data copy's default)"
    )
    arguments = parser.parse_args()
    postgres = ("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    mysql = ("TEST_MYSQL_URL", "mysql+pymysql://root@127.0.0.1:3306/mysql")
    results: dict[str, Any] = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        first = folder / "first.db"
        pg, maria = server(*postgres), server(*mysql)
        pg_small, maria_small = server(*postgres), server(*mysql)
        with databases(pg, maria, pg_small, maria_small):
            if arguments.source:
                first = arguments.source
            else:
                seed = open_store(f"sqlite:///{first}", option="--from", catalogue=RESOURCES)
                results["fill_seconds"] = round(
                    fill(seed, item_count=arguments.items, user_count=arguments.users), 2
                )
                seed.close()
                print(f"filled {first} in {results['fill_seconds']} s")
            if arguments.pgloader_only:
                results["rounds"] = beside_pgloader(
                    first, pg, folder, workers=arguments.workers, rounds=arguments.rounds
                )
                results["load_after"] = os.getloadavg()
                arguments.out.write_text(json.dumps(results, indent=2) + "\n")
                return
            if arguments.pgloader:
                results["pgloader"] = pgloader(first, pg.set(database="postgres"))
                print(
                    json.dumps({k: v for k, v in results["pgloader"].items() if k != "output_tail"})
                )
            if arguments.mongomock_only:
                small = first
                # The other figures of --out stay; this run's load is kept beside its chain.
                previous = json.loads(arguments.out.read_text()) if arguments.out.exists() else {}
                results = {**previous, "with_mongomock_load_before": results["load_before"]}
            else:
                last = f"sqlite:///{folder / 'last.db'}"
                results["full"] = chain(
                    [f"sqlite:///{first}", text(pg), text(maria), last],
                    folder,
                    workers=arguments.workers,
                )
                small = folder / "small.db"
                seed = open_store(f"sqlite:///{small}", option="--from", catalogue=RESOURCES)
                fill(
                    seed, item_count=arguments.mongomock_items, user_count=arguments.mongomock_users
                )
                seed.close()
            mock = f"mongomock://localhost/trip_{secrets.token_hex(4)}"
            results["with_mongomock"] = chain(
                [f"sqlite:///{small}", text(pg_small), mock, text(maria_small),
                 f"sqlite:///{folder / 'small_last.db'}"],
                folder, workers=arguments.workers,
            )  # fmt: skip
    results["with_mongomock_load_after" if arguments.mongomock_only else "load_after"] = (
        os.getloadavg()
    )
    arguments.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {arguments.out}")


if __name__ == "__main__":
    main()
