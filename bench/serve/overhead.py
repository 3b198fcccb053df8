"""The cost of observability: the service with metrics on, and with tracing on at sampler 0,
each against the same service with both off, route by route in alternation, in one run.

`make bench` runs it (bench/serve/run.py); alone, on the `sqlite` configuration, 2 gevent
workers each, without the rest of the bench:

    python bench/serve/overhead.py [--rounds 40] [--duration 3] [--connections 8] [--backend sqlite]

`--backend postgresql` runs it on PostgreSQL with Redis-backed sessions and limits instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from load import Load, add_load_arguments

# The routes the goals are set on (at most 5 % fewer requests/s with metrics, 3 % with tracing).
ROUTES = ("GET /api/items/<id>", "POST /api/items")
# As `make serve` without METRICS_BIND or OTEL_* variables.
BOTH_OFF = {"METRICS_ENABLED": "false"}
VARIANTS: dict[str, dict[str, str]] = {
    # Metrics are recorded under gunicorn when they can be scraped: METRICS_BIND (port 0: any).
    "metrics on": {"METRICS_BIND": "127.0.0.1:0"},
    # Spans made and dropped by the sampler; nothing is exported (no collector is listening).
    "tracing on, sampler 0": {
        "METRICS_ENABLED": "false",
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9",
        "OTEL_TRACES_SAMPLER": "traceidratio",
        "OTEL_TRACES_SAMPLER_ARG": "0",
    },
}


def measure_overhead(
    *,
    serve: Any,
    production_env: Any,
    folder: Path,
    routes_of: Any,
    sample: Any,
    connections: int,
    duration: float,
    rounds: int,
) -> list[dict[str, Any]]:
    """Rows of (route, variant): requests/s and CPU per request beside the baseline's.

    The baseline is started here, as the variants are: a service that had served a whole bench
    before would meet a larger database and an older heap than they do.
    """
    with ExitStack() as stack:
        servers: dict[str, Any] = {}
        for name, settings in ({"off": BOTH_OFF} | VARIANTS).items():
            env = production_env(folder / f"instance-{len(servers)}", **settings)
            servers[name] = stack.enter_context(
                serve("api.wsgi:app", env, folder / f"variant-{len(servers)}")
            )
        shapes = {name: dict(routes_of(server)) for name, server in servers.items()}
        runs: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
        for number in range(rounds):
            for route in ROUTES:
                measured = {}
                # Each round starts with the next server: what the first run of a round pays
                # (or gains) falls on each of them in turn, not always on the baseline.
                names = list(servers)
                start = number % len(names)
                for name in names[start:] + names[:start]:
                    server = servers[name]
                    fields = dict(shapes[name][route])
                    path = fields.pop("path")
                    load = Load(
                        f"{server.url}{path}", connections=connections, duration=duration, **fields
                    )
                    measured[name] = sample(server, load)
                for name in VARIANTS:
                    runs.setdefault((route, name), []).append((measured[name], measured["off"]))
                    ratio = measured[name].load.per_second / measured["off"].load.per_second
                    print(f"  round {number + 1} {route} {name}: {ratio:.3f}", file=sys.stderr)
    return [row(route, name, pairs) for (route, name), pairs in runs.items()]


def row(route: str, variant: str, pairs: list[tuple[Any, Any]]) -> dict[str, Any]:
    """Medians over the rounds; the ratio is the median of each round's own ratio."""
    on, off = [pair[0] for pair in pairs], [pair[1] for pair in pairs]
    return {
        "route": route,
        "variant": variant,
        "requests_per_second": round(statistics.median(s.load.per_second for s in on), 1),
        "off_requests_per_second": round(statistics.median(s.load.per_second for s in off), 1),
        "ratio": round(
            statistics.median(a.load.per_second / b.load.per_second for a, b in pairs), 3
        ),
        "worker_cpu_ms_per_request": round(statistics.median(s.cpu_ms for s in on), 3),
        "off_worker_cpu_ms_per_request": round(statistics.median(s.cpu_ms for s in off), 3),
        "errors": sum(s.load.bad_status + s.load.socket_errors for s in on),
    }


def overhead_on(
    *, serve: Any, settings: dict[str, str], folder: Path, args: argparse.Namespace
) -> list[dict[str, Any]]:
    """measure_overhead on the backend `settings` select, seeded and sampled as the bench does."""
    from rounds import routes, sample, seed
    from servers import production_env

    return measure_overhead(
        serve=serve,
        production_env=lambda instance, **more: production_env(instance, **settings, **more),
        folder=folder,
        routes_of=lambda server: routes(*seed(server)),
        sample=sample,
        connections=args.connections,
        duration=args.duration,
        rounds=args.rounds,
    )


def print_overhead(rows: list[dict[str, Any]]) -> None:
    """The overhead table, in Markdown."""
    print()
    print("| route | with | req/s | req/s, both off | ratio | CPU ms/req (both off) | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| `{r['route']}` | {r['variant']} | {r['requests_per_second']:,.0f} "
            f"| {r['off_requests_per_second']:,.0f} | {r['ratio']:.3f} "
            f"| {r['worker_cpu_ms_per_request']:.3f} ({r['off_worker_cpu_ms_per_request']:.3f}) "
            f"| {r['errors']} |"
        )


def main() -> None:
    """The overhead table alone, with the load average before and after."""
    from backends import BACKENDS, provisioned
    from servers import serving

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_arguments(parser, rounds=40, duration=3.0)  # as make bench runs it
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    args = parser.parse_args()
    before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="hexapi-overhead-") as temporary,
        provisioned(args.backend) as settings,
    ):
        rows = overhead_on(
            serve=lambda *given, **more: serving(*given, **more, server="gunicorn"),
            settings=settings,
            folder=Path(temporary),
            args=args,
        )
    print(f"{args.backend}: load average {before:.1f} before, {os.getloadavg()[0]:.1f} after")
    print_overhead(rows)


if __name__ == "__main__":
    main()
