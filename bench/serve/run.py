"""`make bench`: the service under its production server against a bare Flask app, one run.

Both are served the same way (gunicorn, deploy/gunicorn.conf.py, 2 gevent workers by default,
the service on its embedded default: SQLite in a temporary instance folder, production
settings) and loaded from a second process (wrk, else bench/serve/load.py). Each route of
the service runs right after a run of the bare app, and its ratio is to that run:

    python bench/serve/run.py [--duration 5] [--rounds 3] [--connections 8] [--server granian]
                              [--worker gevent|gthread|sync]

Prints one table, writes bench/results.json and bench/results.png (with matplotlib).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from http.client import HTTPConnection
from importlib.metadata import version
from pathlib import Path
from typing import Any

from load import Load, LoadResult, run
from overhead import measure_overhead, print_overhead
from report import machine, print_table, write_chart
from servers import Server, production_env, serving

BENCH = Path(__file__).resolve().parents[1]
SEEDED_ITEMS = 100


def request(server: Server, method: str, path: str, **kwargs: Any) -> tuple[int, Any, str]:
    """One request: status, JSON body, Set-Cookie."""
    connection = HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        headers = dict(kwargs.get("headers", {}))
        body = None
        if "body" in kwargs:
            body = json.dumps(kwargs["body"]).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return response.status, json.loads(content or b"null"), response.getheader("Set-Cookie", "")
    finally:
        connection.close()


def seed(
    service: Server, *, count: int = SEEDED_ITEMS
) -> tuple[tuple[tuple[str, str], ...], str]:
    """A session-bound token with its cookie, and `count` items; (headers, an item id)."""
    status, body, cookie = request(service, "GET", "/api/public")
    assert status == 200, body
    match = re.search(r"(session=[^;]+)", cookie)
    assert match, cookie
    auth = (("Authorization", f"Bearer {body['token']}"), ("Cookie", match.group(1)))
    item_id = ""
    batch = secrets.token_hex(3)  # a service may be seeded twice (the overhead runs)
    for number in range(count):
        status, item, _ = request(
            service,
            "POST",
            "/api/items",
            headers=dict(auth),
            body={"title": f"seed {batch} {number}"},
        )
        assert status == 201, item
        item_id = item_id or item["id"]
    return auth, item_id


def routes(auth: tuple[tuple[str, str], ...], item_id: str) -> list[tuple[str, dict[str, Any]]]:
    """The service's routes under test, as Load fields."""
    json_type = (("Content-Type", "application/json"),)
    return [
        ("GET /", {"path": "/"}),
        ("GET /api/restricted", {"path": "/api/restricted", "headers": auth}),
        ("GET /api/items/<id>", {"path": f"/api/items/{item_id}"}),
        ("GET /api/items?limit=20", {"path": "/api/items?limit=20"}),
        (
            "POST /api/items",
            {
                "path": "/api/items",
                "method": "POST",
                "headers": auth + json_type,
                "body": '{"title": "bench {n}"}',
            },
        ),
    ]


@dataclass(frozen=True)
class Sample:
    """One run against one server: the load's figures and the workers' CPU per request."""

    load: LoadResult
    cpu_ms: float


def sample(server: Server, load: Load) -> Sample:
    """Run the load; CPU is read from the workers before and after (robust to a busy host)."""
    before = server.worker_cpu_seconds()
    result = run(load)
    spent = server.worker_cpu_seconds() - before
    return Sample(result, 1000 * spent / max(result.requests, 1))


def measure(
    bare: Server, service: Server, *, connections: int, duration: float, rounds: int
) -> list[dict[str, Any]]:
    """Each route `rounds` times, each run right after a run of the bare app."""
    shapes = routes(*seed(service))
    pairs: dict[str, list[tuple[Sample, Sample]]] = {name: [] for name, _ in shapes}
    for number in range(rounds):
        for name, shape in shapes:
            fields = dict(shape)
            path = fields.pop("path")
            reference = sample(
                bare, Load(f"{bare.url}/", connections=connections, duration=duration)
            )
            measured = sample(
                service,
                Load(f"{service.url}{path}", connections=connections, duration=duration, **fields),
            )
            pairs[name].append((measured, reference))
            ratio = measured.load.per_second / reference.load.per_second
            print(f"  round {number + 1} {name}: ratio {ratio:.2f}", file=sys.stderr)
    return [row(name, runs) for name, runs in pairs.items()]


def row(name: str, runs: list[tuple[Sample, Sample]]) -> dict[str, Any]:
    """Medians over the rounds; the ratio is the median of each round's own ratio."""

    def median(values: list[float]) -> float:
        return statistics.median(values)

    service, bare = [run[0] for run in runs], [run[1] for run in runs]
    return {
        "route": name,
        "requests_per_second": round(median([s.load.per_second for s in service]), 1),
        "p50_ms": round(median([s.load.p50_ms for s in service]), 2),
        "p99_ms": round(median([s.load.p99_ms for s in service]), 2),
        "worker_cpu_ms_per_request": round(median([s.cpu_ms for s in service]), 3),
        "errors": sum(s.load.bad_status + s.load.socket_errors for s in service),
        "bare_requests_per_second": round(median([b.load.per_second for b in bare]), 1),
        "bare_p50_ms": round(median([b.load.p50_ms for b in bare]), 2),
        "bare_p99_ms": round(median([b.load.p99_ms for b in bare]), 2),
        "bare_worker_cpu_ms_per_request": round(median([b.cpu_ms for b in bare]), 3),
        "ratio": round(median([s.load.per_second / b.load.per_second for s, b in runs]), 3),
        "rounds": len(runs),
        "tool": service[0].load.tool,
    }


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--worker", choices=["gevent", "gthread", "sync"], default="gevent")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    parser.add_argument("--chart", type=Path, default=BENCH / "results.png")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hexapi-bench-") as temporary:
        folder = Path(temporary)
        # Metrics and tracing off, as `make serve` without METRICS_BIND or OTEL_* variables.
        env = production_env(
            folder / "instance", GUNICORN_WORKER=args.worker, METRICS_ENABLED="false"
        )
        with (
            serving("bare_app:app", env, folder / "bare", server=args.server) as bare,
            serving("api.wsgi:app", env, folder / "service", server=args.server) as service,
        ):
            rows = measure(
                bare,
                service,
                connections=args.connections,
                duration=args.duration,
                rounds=args.rounds,
            )
            memory = {"service": service.worker_rss_mib(), "bare": bare.worker_rss_mib()}
            overhead = measure_overhead(
                service,
                serve=lambda app, env, where: serving(app, env, where, server=args.server),
                production_env=production_env,
                folder=folder,
                routes_of=lambda server: routes(*seed(server)),
                sample=sample,
                connections=args.connections,
                duration=args.duration,
                rounds=args.rounds,
            )
        startup = startup_seconds(folder / "startup")

    results = {
        "run_id": secrets.token_hex(4),
        "machine": machine(),
        "server": args.server,
        "server_version": version(args.server),
        "python": platform.python_version(),
        "connections": args.connections,
        "duration_seconds": args.duration,
        "rounds": args.rounds,
        "routes": rows,
        "observability_overhead": overhead,
        "tokens_per_second": token_rates(),
        "startup": startup,
        "worker_rss_mib": {
            name: [round(value, 1) for value in values] for name, values in memory.items()
        },
    }
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    print_overhead(overhead)
    write_chart(results, args.chart)


if __name__ == "__main__":
    main()
