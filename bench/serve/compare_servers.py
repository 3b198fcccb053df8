"""Which server: gunicorn `sync`, `gthread`, `gevent` and granian (WSGI), one load, two backends.

Every contender serves the service (`api.wsgi:app`, production settings, 2 workers) on SQLite (a
temporary instance folder) and on PostgreSQL with Redis sessions and limits (the database
`hexapi_serving`, made anew, and Redis db 10, emptied). The contenders of a backend run side by
side, each warmed up first, and take turns: each round loads every one of them back to back
(A B C D A B C D), so whatever else the machine does weighs on all of them alike. wrk (8
connections) loads a read (`GET /api/items/<id>`) and a write (`POST /api/items`); then the
slow-client check runs the read again while `--slow` connections trickle their requests a byte
every 0.5 s (half a head, half a body, as tests/integration/test_slow_clients.py does). It
passes when every round answers fast requests, none fails, and their p99 stays under 1 s:

    python bench/serve/compare_servers.py [--duration 5] [--rounds 3] [--connections 8]
                                          [--slow 100] [--backend sqlite --backend postgresql]

Prints a table per backend and writes bench/servers.json (medians over the rounds).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path
from typing import Any

import psycopg
import redis
from load import Load
from report import machine
from rounds import Sample, sample, seed
from servers import Server, production_env, serving

from adapters.sql.database import db_create_all

BENCH = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BENCH.parent))  # the trickling clients of the integration tests

from tests.integration.slow_clients import Tricklers, still_waiting  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "hexapi_serving"
REDIS_URL = "redis://127.0.0.1:6379/10"
# tests/integration/test_slow_clients.py's bound on ordinary requests beside slow clients.
SLOW_CHECK_P99_MS = 1000.0
WARM_UP_SECONDS = 2.0


@dataclass(frozen=True)
class Contender:
    """One way of serving the app: the server and the settings that choose its workers."""

    name: str
    server: str
    settings: tuple[tuple[str, str], ...] = ()


CONTENDERS = (
    Contender("gunicorn sync", "gunicorn", (("GUNICORN_WORKER", "sync"),)),
    Contender(
        "gunicorn gthread (4 threads)",
        "gunicorn",
        (("GUNICORN_WORKER", "gthread"), ("GUNICORN_THREADS", "4")),
    ),
    Contender("gunicorn gevent", "gunicorn", (("GUNICORN_WORKER", "gevent"),)),
    Contender("granian", "granian"),
)


def backend_env(backend: str, instance: Path) -> dict[str, str]:
    """Production settings on `backend`, its database made anew."""
    # Metrics and tracing off, as `make serve` without METRICS_BIND or OTEL_* variables.
    env = production_env(instance, METRICS_ENABLED="false")
    if backend == "sqlite":
        return env
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as pg:
        pg.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        pg.execute(f"CREATE DATABASE {DATABASE}")
    url = f"{POSTGRES}/{DATABASE}"
    db_create_all(url)
    redis.Redis.from_url(REDIS_URL).flushdb()
    return env | {"DATABASE_URL": url, "REDIS_URL": REDIS_URL}


@contextmanager
def contenders_serving(env: dict[str, str], folder: Path) -> Iterator[dict[str, Server]]:
    """Every contender up at once, each in its own folder; all stopped when the block ends."""
    with ExitStack() as stack:
        yield {
            contender.name: stack.enter_context(
                serving(
                    "api.wsgi:app",
                    env | dict(contender.settings),
                    folder / contender.name.replace(" ", "-"),
                    server=contender.server,
                )
            )
            for contender in CONTENDERS
        }


def loads(
    server: Server, auth: tuple[tuple[str, str], ...], item_id: str, **shape: Any
) -> dict[str, Load]:
    """The read and the write, against `server`."""
    return {
        "GET /api/items/<id>": Load(f"{server.url}/api/items/{item_id}", **shape),
        "POST /api/items": Load(
            f"{server.url}/api/items",
            method="POST",
            headers=(*auth, ("Content-Type", "application/json")),
            body='{"title": "bench {n}"}',
            **shape,
        ),
    }


def slow_sample(server: Server, load: Load, slow: int) -> tuple[Sample, int]:
    """`load` while `slow` connections trickle; the sample and how many of them were still held."""
    tricklers = Tricklers(server.port, slow)
    tricklers.start()
    try:
        measured = sample(server, load)
        held = sum(still_waiting(c) for c in tricklers.heads + tricklers.bodies)
    finally:
        tricklers.close()
    return measured, held


def progress(what: str, measured: Sample) -> None:
    load = measured.load
    errors = load.bad_status + load.socket_errors
    print(
        f"  {what}: {load.per_second:.0f} req/s, p99 {load.p99_ms:.1f} ms, {errors} errors",
        file=sys.stderr,
    )


def figures(runs: list[Sample]) -> dict[str, Any]:
    """Medians over the rounds, every error of every round, and each round's own figures."""
    answered = [s for s in runs if s.load.requests]
    each = {
        "requests_per_second": [round(s.load.per_second, 1) for s in runs],
        "p99_ms": [round(s.load.p99_ms, 2) for s in runs],
        "worker_cpu_ms_per_request": [
            round(s.cpu_ms, 3) if s.load.requests else None for s in runs
        ],
    }
    return {
        "requests_per_second": round(statistics.median([s.load.per_second for s in runs]), 1),
        # Latency and CPU per request of the rounds that answered anything.
        "p50_ms": median_of([s.load.p50_ms for s in answered], 2),
        "p99_ms": median_of([s.load.p99_ms for s in answered], 2),
        "worker_cpu_ms_per_request": median_of([s.cpu_ms for s in answered], 3),
        "errors": sum(s.load.bad_status + s.load.socket_errors for s in runs),
        "rounds": len(runs),
        "each_round": each,
    }


def median_of(values: list[float], digits: int) -> float | None:
    return round(statistics.median(values), digits) if values else None


def passes(runs: list[tuple[Sample, int]]) -> bool:
    """Every round answered fast requests, none failed, and the p99 stayed under the bound."""
    return all(
        s.load.requests > 0
        and s.load.bad_status + s.load.socket_errors == 0
        and s.load.p99_ms < SLOW_CHECK_P99_MS
        for s, _ in runs
    )


def measure_backend(
    backend: str, folder: Path, *, rounds: int, slow: int, shape: dict[str, Any]
) -> dict[str, Any]:
    """Every contender on one backend, interleaved round by round."""
    env = backend_env(backend, folder / "instance")
    with contenders_serving(env, folder / "servers") as servers:
        auth, item_id = seed(next(iter(servers.values())))
        shapes = {name: loads(server, auth, item_id, **shape) for name, server in servers.items()}
        runs: dict[str, dict[str, list[Sample]]] = {name: {} for name in servers}
        slow_runs: dict[str, list[tuple[Sample, int]]] = {name: [] for name in servers}
        # A worker's first requests open its pools and fill its caches: not what is compared.
        for name, server in servers.items():
            for load in shapes[name].values():
                sample(server, replace(load, duration=WARM_UP_SECONDS))
        for number in range(rounds):
            for route in next(iter(shapes.values())):
                for name, server in servers.items():
                    measured = sample(server, shapes[name][route])
                    runs[name].setdefault(route, []).append(measured)
                    progress(f"{backend} round {number + 1} {route} {name}", measured)
            for name, server in servers.items():
                measured, held = slow_sample(server, shapes[name]["GET /api/items/<id>"], slow)
                slow_runs[name].append((measured, held))
                progress(
                    f"{backend} round {number + 1} slow clients {name} ({held} held)", measured
                )
        rss = {
            name: [round(v, 1) for v in server.worker_rss_mib()] for name, server in servers.items()
        }
    return {
        "contenders": [
            {
                "server": name,
                "routes": {route: figures(samples) for route, samples in runs[name].items()},
                "slow_clients": figures([s for s, _ in slow_runs[name]])
                | {
                    "held_to_the_end": min(held for _, held in slow_runs[name]),
                    "passes": passes(slow_runs[name]),
                },
                "worker_rss_mib": rss[name],
            }
            for name in servers
        ]
    }


def print_tables(results: dict[str, Any]) -> None:
    """One Markdown table per backend, as docs/performance.md shows them."""
    print(
        f"gunicorn {results['versions']['gunicorn']}, gevent {results['versions']['gevent']}, "
        f"granian {results['versions']['granian']}, Python {results['python']}, "
        f"{results['connections']} connections, {results['rounds']} rounds of "
        f"{results['duration_seconds']:.0f} s (medians), {results['slow_clients']} slow clients, "
        f"load average {results['load_average']['start']} → {results['load_average']['end']}, "
        f"{results['machine']}"
    )
    for backend, result in results["backends"].items():
        print(f"\n{backend}\n")
        print(
            "| server | read req/s | read p50 / p99 ms | read CPU ms/req | write req/s "
            "| write p50 / p99 ms | write CPU ms/req | slow clients: read req/s, p99 ms, held "
            "| passes |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for contender in result["contenders"]:
            read = contender["routes"]["GET /api/items/<id>"]
            write = contender["routes"]["POST /api/items"]
            slow = contender["slow_clients"]
            print(
                f"| {contender['server']} | {read['requests_per_second']:,.0f} "
                f"| {cell(read['p50_ms'], 2)} / {cell(read['p99_ms'], 2)} "
                f"| {cell(read['worker_cpu_ms_per_request'], 3)} "
                f"| {write['requests_per_second']:,.0f} "
                f"| {cell(write['p50_ms'], 2)} / {cell(write['p99_ms'], 2)} "
                f"| {cell(write['worker_cpu_ms_per_request'], 3)} "
                f"| {slow['requests_per_second']:,.0f}, {cell(slow['p99_ms'])}, "
                f"{slow['held_to_the_end']} | {'yes' if slow['passes'] else 'no'} |"
            )


def cell(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slow", type=int, default=100, help="slow clients in the check")
    parser.add_argument("--backend", action="append", choices=["sqlite", "postgresql"])
    parser.add_argument("--out", type=Path, default=BENCH / "servers.json")
    args = parser.parse_args()

    started = load_average()
    shape = {"connections": args.connections, "duration": args.duration}
    backends = {}
    for backend in args.backend or ["sqlite", "postgresql"]:
        with tempfile.TemporaryDirectory(prefix=f"hexapi-servers-{backend}-") as temporary:
            backends[backend] = measure_backend(
                backend, Path(temporary), rounds=args.rounds, slow=args.slow, shape=shape
            )
    results = {
        "run_id": secrets.token_hex(4),
        "machine": machine(),
        "load_average": {"start": started, "end": load_average()},
        "versions": {name: version(name) for name in ("gunicorn", "gevent", "granian")},
        "python": platform.python_version(),
        "workers": 2,
        "connections": args.connections,
        "duration_seconds": args.duration,
        "rounds": args.rounds,
        "slow_clients": args.slow,
        "slow_check_p99_bound_ms": SLOW_CHECK_P99_MS,
        "backends": backends,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print_tables(results)


if __name__ == "__main__":
    main()
