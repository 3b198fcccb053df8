"""In-process worker CPU per request with observability off, metrics on, tracing at sampler 0 and 1.

Each variant runs in a fresh interpreter (the SDK reads OTEL_TRACES_SAMPLER from the
environment), as `make serve` runs the service (production settings, SQLite and file sessions
in a temporary instance folder), driven through its WSGI callable with no server or client in
the way, so the figures are the app's own; spans are exported in batches to an exporter that
drops them. Median of `--rounds` rounds of `--requests` requests, CPU time (`process_time`):

    python bench/observability_cost.py [--requests 2000] [--rounds 5]

Under valgrind, instruction counts are the load-independent figure: `--callgrind` runs each
variant under `valgrind --tool=callgrind` and reads the instructions of the measured requests
alone (a dump before and after them, `callgrind_control --dump`). `--boundary` times the
server-span boundary alone on a trivial WSGI app, at sampler 0: bare, ServerSpans, and
OpenTelemetry's WSGI middleware (best of 5 rounds, CPU µs per call).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The app's settings, and the variables libraries read themselves in the child (OTEL_*,
# PROMETHEUS_MULTIPROC_DIR: given a fresh folder).
VARIANTS: dict[str, dict[str, str]] = {
    "off": {"METRICS_ENABLED": "false"},
    # As under gunicorn with METRICS_BIND: values written to files of a multiprocess folder.
    "metrics on": {"METRICS_ENABLED": "true", "PROMETHEUS_MULTIPROC_DIR": ""},
    "tracing, sampler 0": {
        "METRICS_ENABLED": "false",
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
        "OTEL_TRACES_SAMPLER_ARG": "0",
    },
    "tracing, sampler 1": {
        "METRICS_ENABLED": "false",
        "OTEL_TRACES_EXPORTER": "otlp",
        "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
        "OTEL_TRACES_SAMPLER_ARG": "1",
    },
}
ROUTES = ("GET /api/items/<id>", "POST /api/items")
OWN_VARIABLES = ("OTEL_", "PROMETHEUS_")


def wsgi_driver(app: Any) -> Callable[..., tuple[str, list[tuple[str, str]], bytes]]:
    """Call the app as a server would: a fresh environ per request, the body iterated and closed."""
    from werkzeug.test import EnvironBuilder

    def call(
        method: str, path: str, *, headers: Sequence[tuple[str, str]] = (), body: bytes = b""
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        environ = EnvironBuilder(path=path, method=method, headers=list(headers)).get_environ()
        environ["wsgi.input"] = BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        answered: list[Any] = []
        chunks = app(environ, lambda status, head, _exc_info=None: answered.extend((status, head)))
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return answered[0], answered[1], content

    return call


def child(variant: str, requests: int, rounds: int, callgrind: bool) -> None:
    """One variant in this interpreter: print its figures as JSON."""
    import logging

    from dependency_injector import providers
    from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

    from adapters.auth.keys import dump_token_keys, generate_token_keys
    from adapters.sql.database import db_create_all
    from api import create_app
    from api.app import build_container
    from api.gunicorn_metrics import MULTIPROC_ENV, use_multiprocess_values
    from api.settings import load_settings

    class Dropped(SpanExporter):
        """Exports nowhere: the cost measured is the service's, not a collector's."""

        def export(self, spans: Any) -> SpanExportResult:  # noqa: ARG002
            return SpanExportResult.SUCCESS

    if os.environ.get(MULTIPROC_ENV):
        # As the gunicorn master sets it before its (gevent) workers build their apps.
        use_multiprocess_values(Path(os.environ[MULTIPROC_ENV]), threads=False)
    instance = Path(tempfile.mkdtemp(prefix="hexapi-cost-"))
    db_create_all(f"sqlite:///{instance / 'app.db'}")
    settings = {
        "APP_ENV": "production",
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "TOKEN_KEYS": dump_token_keys(generate_token_keys()),
        "RATELIMIT_DEFAULT": "100000000 per minute",
    } | {k: v for k, v in VARIANTS[variant].items() if not k.startswith("PROMETHEUS_")}
    container = build_container(load_settings(settings))
    container.span_exporter.override(providers.Object(Dropped()))
    app = create_app(settings, container=container)
    logging.disable(logging.CRITICAL)
    call = wsgi_driver(app.wsgi_app)

    _, headers, content = call("GET", "/api/public")
    token = json.loads(content)["token"]
    cookie = next(v.split(";")[0] for k, v in headers if k == "Set-Cookie")
    auth = (("Authorization", f"Bearer {token}"), ("Cookie", cookie))
    json_type = (("Content-Type", "application/json"),)
    _, _, content = call("POST", "/api/items", headers=auth + json_type, body=b'{"title": "one"}')
    item = json.loads(content)["id"]
    counter = iter(range(10**9))

    def get() -> object:
        return call("GET", f"/api/items/{item}")

    def post() -> object:
        body = json.dumps({"title": f"cost {next(counter)}"}).encode()
        return call("POST", "/api/items", headers=auth + json_type, body=body)

    figures: dict[str, float] = {}
    for route, request in zip(ROUTES, (get, post), strict=True):
        for _ in range(max(requests // 10, 50)):
            request()
        if callgrind:
            figures[route] = instructions_per_request(request, requests)
            continue
        per_round = []
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(requests):
                request()
            per_round.append((time.process_time() - started) / requests * 1e6)
        figures[route] = statistics.median(per_round)
    print(json.dumps(figures))  # noqa: T201
    container.sql_database().dispose()
    shutil.rmtree(instance, ignore_errors=True)


def instructions_per_request(request: Callable[[], object], requests: int) -> float:
    """Instructions per request: callgrind's counters zeroed before the requests, dumped after."""
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "--zero", pid], check=True, capture_output=True)
    for _ in range(requests):
        request()
    subprocess.run(["callgrind_control", "--dump", pid], check=True, capture_output=True)
    dumps = Path(os.environ["CALLGRIND_DIR"]).glob(f"cg.{pid}.*")
    latest = max(dumps, key=lambda dump: int(dump.suffix[1:]))
    for line in latest.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1]) / requests
    raise RuntimeError(f"no totals in {latest}")


def boundary_us(calls: int = 20000) -> dict[str, float]:
    """CPU µs per call of a trivial WSGI app, bare and behind each server-span middleware."""
    os.environ |= {
        "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
        "OTEL_TRACES_SAMPLER_ARG": "0",
    }
    from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware
    from opentelemetry.metrics import NoOpMeterProvider
    from opentelemetry.sdk.trace import TracerProvider
    from werkzeug.test import EnvironBuilder

    from adapters.tracing.http_spans import ServerSpans

    def hello(_environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [])
        return [b"hello"]

    provider, meters = TracerProvider(), NoOpMeterProvider()
    environ = EnvironBuilder(path="/api/items/x").get_environ()
    apps: dict[str, Any] = {
        "bare": hello,
        "ServerSpans": ServerSpans(hello, tracer_provider=provider, meter_provider=meters),
        "OpenTelemetryMiddleware": OpenTelemetryMiddleware(
            hello, tracer_provider=provider, meter_provider=meters
        ),
    }
    best: dict[str, float] = {}
    for name, app in apps.items():
        rounds = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(calls):
                body = app(dict(environ), lambda *_args: None)
                b"".join(body)
                getattr(body, "close", lambda: None)()
            rounds.append((time.process_time() - started) / calls * 1e6)
        best[name] = min(rounds)
    return best


def run_variant(variant: str, *, requests: int, rounds: int, callgrind: bool) -> dict[str, float]:
    """One variant's figures, from a fresh interpreter."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(OWN_VARIABLES)}
    env |= {key: value for key, value in VARIANTS[variant].items() if key.startswith(OWN_VARIABLES)}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    command = [sys.executable, __file__, "--child", variant, "--requests", str(requests)]
    command += ["--rounds", str(rounds)] + (["--callgrind"] if callgrind else [])
    with tempfile.TemporaryDirectory(prefix="hexapi-cost-") as dumps:
        if "PROMETHEUS_MULTIPROC_DIR" in env:
            env["PROMETHEUS_MULTIPROC_DIR"] = dumps
        if callgrind:
            env["CALLGRIND_DIR"] = dumps
            out = f"--callgrind-out-file={dumps}/cg.%p"
            command = ["valgrind", "--tool=callgrind", out, *command]
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    figures: dict[str, float] = json.loads(output.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--child")
    parser.add_argument("--boundary", action="store_true")
    args = parser.parse_args()
    if args.boundary:
        sys.path.insert(0, str(ROOT / "src"))
        for name, micros in boundary_us().items():
            print(f"{name}: {micros:.1f} µs")  # noqa: T201
        return
    if args.child:
        child(args.child, args.requests, args.rounds, args.callgrind)
        return
    unit = "instructions" if args.callgrind else "CPU µs"
    results = {
        name: run_variant(
            name, requests=args.requests, rounds=args.rounds, callgrind=args.callgrind
        )
        for name in args.variants
    }
    print(f"| variant | {' | '.join(ROUTES)} |")  # noqa: T201
    print("|---|" + "---:|" * len(ROUTES))  # noqa: T201
    base = results.get("off")
    for name, figures in results.items():
        cells = []
        for route in ROUTES:
            cell = f"{figures[route]:,.0f} {unit}"
            if base is not None and name != "off":
                cell += f" ({figures[route] / base[route]:.3f})"
            cells.append(cell)
        print(f"| {name} | {' | '.join(cells)} |")  # noqa: T201


if __name__ == "__main__":
    main()
