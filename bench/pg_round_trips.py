"""Round trips per request to PostgreSQL and to Redis, for four routes of the real service.

The service runs in process (Flask's test client) on PostgreSQL, with sessions, the token
deny-list and rate-limit counters in Redis: the configuration of several instances. SQL round
trips are read from libpq's own trace of each pooled connection (every simple Query and every
extended-protocol Sync is one wait for the server, the BEGIN psycopg sends by itself and the
pool's ping and reset included); Redis ones from MONITOR, filtered to this run's database.

    PYTHONPATH=.:src python bench/pg_round_trips.py [--requests 50] [--no-pre-ping]

It creates (and drops) a database of its own on the server of BENCH_POSTGRES_URL and uses
Redis database BENCH_REDIS_DB (default 14) of BENCH_REDIS_URL, flushing it first. With
`--instructions`, no counting: the requests run under callgrind as bench/route_instructions.py
runs them (instructions per request of the PostgreSQL + Redis configuration):

    PYTHONPATH=.:src valgrind --tool=callgrind --instr-atstart=no \\
        --callgrind-out-file=/tmp/cg/pg.%p python bench/pg_round_trips.py --instructions
    python bench/route_instructions.py --summary /tmp/cg/pg.<pid>
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from redis import Redis
from sqlalchemy import event
from sqlalchemy.engine import make_url

SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_DB = int(os.environ.get("BENCH_REDIS_DB", "14"))
SEEDED = 100  # as make bench seeds: a page of 20 has more behind it
# What libpq's trace writes for each message the client sends that waits for an answer.
WAITS = re.compile(r"\tF\t\d+\t(Query|Sync)\b(.*)")


@contextmanager
def served(*, pre_ping: bool = True) -> Iterator[Any]:
    """The app on a fresh database (dropped afterwards) and an emptied Redis database."""
    from adapters.sql.database import db_create_all, db_drop_all

    url = make_url(SERVER).set(database=f"bench_round_trips_{secrets.token_hex(4)}")
    rendered = url.render_as_string(hide_password=False)
    db_create_all(rendered)
    app = None
    try:
        Redis.from_url(f"{REDIS}/{REDIS_DB}").flushdb()
        app = service(rendered, pre_ping=pre_ping)
        yield app
    finally:
        if app is not None:  # its pooled connections would keep the database from being dropped
            app.extensions["container"].sql_database().dispose()
        db_drop_all(rendered, drop_db=True)


def service(url: str, *, pre_ping: bool = True) -> Any:
    """The app on PostgreSQL and Redis, with production's rate limits on (at a high rate)."""
    from api import create_app
    from tests.helpers import app_settings

    return create_app(
        app_settings(
            STORAGE_BACKEND="sql",
            DATABASE_URL=url,
            SESSION_TYPE="redis",
            REDIS_URL=f"{REDIS}/{REDIS_DB}",
            RATELIMIT_DEFAULT="100000000 per minute",
            INSTANCE_PATH=tempfile.mkdtemp(),
            SQL_POOL_PRE_PING=pre_ping,
        )
    )


def routes(app: Any) -> dict[str, Callable[[], Any]]:
    """The four routes, as bench/serve/run.py loads them (a session-bound token, a cookie)."""
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    batch = secrets.token_hex(3)
    first = client.post("/api/items", json={"title": f"seed {batch}"}, headers=auth).get_json()
    for number in range(SEEDED - 1):
        client.post("/api/items", json={"title": f"seed {batch} {number}"}, headers=auth)
    titles = iter(range(10**9))
    return {
        "restricted": lambda: client.get("/api/restricted", headers=auth),
        "item": lambda: client.get(f"/api/items/{first['id']}"),
        "list": lambda: client.get("/api/items?limit=20"),
        "post": lambda: client.post(
            "/api/items", json={"title": f"n {batch} {next(titles)}"}, headers=auth
        ),
    }


class SqlTrace:
    """libpq's trace of every connection the engine opens, in one file."""

    def __init__(self, engine: Any) -> None:
        self._file = tempfile.TemporaryFile("w+")  # noqa: SIM115  # lives as long as the trace
        engine.dispose()  # connections opened before now would go untraced

        @event.listens_for(engine, "connect")
        def trace(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.pgconn.trace(self._file.fileno())

    def mark(self) -> int:
        """Where the trace ends now."""
        os.fsync(self._file.fileno())
        return os.fstat(self._file.fileno()).st_size

    def waits(self, since: int) -> list[str]:
        """The statements that waited for the server since `since`."""
        self._file.seek(since)
        found = []
        for line in self._file.read().splitlines():
            match = WAITS.search(line)
            if match:
                found.append(match.group(2).strip() or "(statement)")
        return found


class RedisMonitor:
    """The commands Redis receives on this run's database."""

    def __init__(self) -> None:
        self.commands: list[str] = []
        self._lock = threading.Lock()
        self._client = Redis.from_url(f"{REDIS}/{REDIS_DB}")
        self._monitor = self._client.monitor()  # type: ignore[no-untyped-call]
        self._monitor.__enter__()
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        while True:
            command = self._monitor.next_command()
            # What a script calls is shown too, from the client "lua": no round trip of its own.
            if command.get("db") == REDIS_DB and command.get("client_type") != "lua":
                with self._lock:
                    self.commands.append(command["command"].split(" ")[0].upper())

    def taken(self) -> list[str]:
        """The commands since the last call, once Redis has echoed a marker of our own."""
        marker = f"bench-marker-{secrets.token_hex(4)}"
        self._client.echo(marker)
        while True:
            with self._lock:
                if any(marker in each or each == "ECHO" for each in self.commands):
                    break
        with self._lock:
            commands, self.commands = self.commands, []
        return [each for each in commands if each != "ECHO"]


def per_request(seen: Counter[str], requests: int) -> str:
    """`total/request (each kind: its share)`."""
    kinds = ", ".join(f"{kind} {number / requests:g}" for kind, number in seen.most_common())
    return f"{sum(seen.values()) / requests:g}/request ({kinds})"


def count(requests: int, *, pre_ping: bool) -> None:
    """Print the round trips per request of each route."""
    logging.disable(logging.CRITICAL)
    with served(pre_ping=pre_ping) as app:
        calls = routes(app)
        engine = app.extensions["container"].sql_database().engine
        trace = SqlTrace(engine)
        monitor = RedisMonitor()
        for name, call in calls.items():
            for _ in range(10):
                answer = call()
                assert answer.status_code < 300, (name, answer.status_code, answer.get_data())
            monitor.taken()
            since = trace.mark()
            for _ in range(requests):
                call()
            sql = Counter(trace.waits(since))
            redis = Counter(monitor.taken())
            print(f"{name}: SQL {per_request(sql, requests)}; Redis {per_request(redis, requests)}")  # noqa: T201


def instructions() -> None:
    """The requests of bench/route_instructions.py, on PostgreSQL and Redis."""
    sys.path.insert(0, os.path.dirname(__file__))
    import route_instructions  # a sibling script, not a package

    logging.disable(logging.CRITICAL)
    with served() as app:
        route_instructions.counted(routes(app))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--no-pre-ping", action="store_true", help="SQL_POOL_PRE_PING=false")
    arguments = parser.parse_args()
    if arguments.instructions:
        instructions()
    else:
        count(arguments.requests, pre_ping=not arguments.no_pre_ping)
