"""`make bench`: the service under its production server, beside a bare Flask app and the
limit app, on each backend, in one run.

All three are served the same way (gunicorn, deploy/gunicorn.conf.py, 2 gevent workers by
default, production settings) and loaded from a second process (wrk, else bench/serve/load.py),
on two backends: `sqlite` (the embedded default: SQLite and file sessions in a temporary
instance folder) and `postgresql` (PostgreSQL with sessions and rate limits in Redis, the
multi-instance configuration; see bench/serve/backends.py). Each route of the service runs right
after a run of the bare app (`ratio`) and right before the same route on the limit app
(`limit_ratio`, bench/serve/limit_app.py):

    python bench/serve/run.py [--quick] [--duration 5] [--rounds 3] [--connections 8]
                              [--backend sqlite|postgresql ...] [--server granian]
                              [--worker gevent|gthread|sync]
                              [--overhead-on sqlite] [--overhead-rounds 40] [--overhead-duration 3]

Prints a table per backend, writes bench/results.json and bench/results.png (with matplotlib);
`python bench/serve/report.py --markdown` prints the tables again from the JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

from backends import BACKENDS, provisioned
from load import add_load_arguments
from overhead import overhead_on
from report import machine, print_observability, print_tables, write_chart
from rounds import measure
from servers import production_env, serving

BENCH = Path(__file__).resolve().parents[1]


def token_rates(count: int = 2000, rounds: int = 3) -> dict[str, float]:
    """In-process token issue and verify per second (bench/token_verify.py's measures)."""
    sys.path.insert(0, str(BENCH))
    import token_verify  # a sibling script, not a package

    from adapters.auth.keys import generate_token_keys

    keys = generate_token_keys()
    uncached = token_verify.service_for(keys, cache_size=0)
    cached = token_verify.service_for(keys, cache_size=4096)
    token = uncached.issue(subject="bench").token
    contenders = {
        "issue": lambda _token: uncached.issue(subject="bench"),
        "verify": uncached.verify,
        "verify_cached": cached.verify,
    }
    return {
        name: round(
            statistics.median(token_verify.per_second(call, token, count) for _ in range(rounds))
        )
        for name, call in contenders.items()
    }


STARTUP = """
import time
started = time.perf_counter()
from api import create_app
imported = time.perf_counter()
create_app({"APP_ENV": "testing", "INSTANCE_PATH": %r, "STORAGE_BACKEND": "sql"})
print(imported - started, time.perf_counter() - imported)
"""


def startup_seconds(instance: Path, rounds: int = 5) -> dict[str, float]:
    """Median import time of `api` and `create_app()` time, each in a fresh interpreter."""
    imports, creates = [], []
    for _ in range(rounds):
        output = subprocess.run(
            [sys.executable, "-c", STARTUP % str(instance)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        imported, created = map(float, output.split())
        imports.append(imported)
        creates.append(created)
    return {
        "import_seconds": round(statistics.median(imports), 3),
        "create_app_seconds": round(statistics.median(creates), 4),
    }


def bench_backend(
    backend: str, folder: Path, args: argparse.Namespace, *, with_overhead: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The bare app, the service and the limit app on one backend; its figures and, when
    asked, the observability overhead measured on it."""
    serve = partial(serving, server=args.server)
    with provisioned(backend) as settings:
        # Metrics and tracing off, as `make serve` without METRICS_BIND or OTEL_* variables.
        env = production_env(
            folder / "instance", GUNICORN_WORKER=args.worker, METRICS_ENABLED="false", **settings
        )
        with (
            serve("bare_app:app", env, folder / "bare") as bare,
            serve("api.wsgi:app", env, folder / "service") as service,
            serve("limit_app:app", env, folder / "limit") as limit,
        ):
            print(f"{backend}:", file=sys.stderr)
            rows = measure(
                bare,
                service,
                limit,
                connections=args.connections,
                duration=args.duration,
                rounds=args.rounds,
            )
            memory = {
                name: [round(value, 1) for value in server.worker_rss_mib()]
                for name, server in (("service", service), ("bare", bare), ("limit", limit))
            }
        overhead = []
        if with_overhead:
            # Its own rounds: a ratio of two runs moves more between rounds than one route's
            # requests/s, and the goals are a few per cent.
            given = {"rounds": args.overhead_rounds, "duration": args.overhead_duration}
            loads = argparse.Namespace(**vars(args) | given)
            served = settings | {"GUNICORN_WORKER": args.worker}
            overhead = overhead_on(serve=serve, settings=served, folder=folder, args=loads)
    return {"routes": rows, "worker_rss_mib": memory}, overhead


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_arguments(parser, rounds=3, duration=5.0)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 round of 2 s")
    parser.add_argument(
        "--backend", choices=BACKENDS, action="append", help="repeat for several (default: all)"
    )
    parser.add_argument("--overhead-on", choices=BACKENDS, default="sqlite")
    parser.add_argument("--overhead-rounds", type=int, default=40)
    parser.add_argument("--overhead-duration", type=float, default=3.0)
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--worker", choices=["gevent", "gthread", "sync"], default="gevent")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--chart", type=Path, default=BENCH / "results.png")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.duration = 1, 2.0
        args.overhead_rounds, args.overhead_duration = 1, 2.0
    chosen = args.backend or list(BACKENDS)

    load_before = os.getloadavg()
    backends, overhead = {}, []
    with tempfile.TemporaryDirectory(prefix="hexapi-bench-") as temporary:
        folder = Path(temporary)
        for backend in chosen:
            backends[backend], measured = bench_backend(
                backend, folder / backend, args, with_overhead=backend == args.overhead_on
            )
            overhead = overhead or measured
        startup = startup_seconds(folder / "startup", rounds=1 if args.quick else 5)

    results = {
        "run_id": secrets.token_hex(4),
        "machine": machine(),
        "load_average": {"start": load_before[0], "end": os.getloadavg()[0]},
        "server": args.server,
        "server_version": version(args.server),
        "worker": args.worker,
        "python": platform.python_version(),
        "connections": args.connections,
        "duration_seconds": args.duration,
        "rounds": args.rounds,
        "backends": backends,
        "observability_overhead_backend": args.overhead_on if overhead else None,
        "observability_overhead": overhead,
        "observability_overhead_rounds": args.overhead_rounds,
        "observability_overhead_duration_seconds": args.overhead_duration,
        "tokens_per_second": token_rates(),
        "startup": startup,
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print_tables(results)
    print_observability(results)
    write_chart(results, args.chart)


if __name__ == "__main__":
    main()
