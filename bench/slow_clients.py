"""Ordinary requests timed while N clients trickle their requests a byte at a time.

Runs the service as `make serve` does (SQLite in a temporary folder, production settings, the
rate limit raised since every client shares one address) on a free loopback port:

    python bench/slow_clients.py [--worker gevent|gthread|sync] [--slow 100] [--seconds 3]

Prints how many slow connections the server held to the end, the ordinary requests answered
and their p50/p99 latency, as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.sql.database import db_create_all  # noqa: E402
from tests.integration.processes import gunicorn_service, service_env  # noqa: E402
from tests.integration.slow_clients import Traffic, Tricklers, still_waiting  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", default="gevent", choices=["gevent", "gthread", "sync"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--slow", type=int, default=100, help="slow clients")
    parser.add_argument("--seconds", type=float, default=3.0, help="ordinary traffic duration")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hexapi-slow-") as folder:
        directory = Path(folder)
        db_create_all(f"sqlite:///{directory / 'app.db'}")
        env = service_env(
            directory,
            RATELIMIT_DEFAULT="1000000 per minute",
            GUNICORN_WORKER=options.worker,
            GUNICORN_THREADS=str(options.threads),
        )
        with gunicorn_service(env, directory / "run") as service:
            slow = Tricklers(service.port, options.slow)
            slow.start()
            try:
                traffic = Traffic(service.port)
                traffic.run_for(options.seconds)
                held = sum(still_waiting(c) for c in slow.heads + slow.bodies)
            finally:
                slow.close()
    latencies = traffic.latencies
    print(
        json.dumps(
            {
                "worker": options.worker,
                "threads": options.threads,
                "slow_clients": options.slow,
                "held_to_the_end": held,
                "ordinary_answered": len(latencies),
                "ordinary_failed": len(traffic.failures),
                "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
                "p99_ms": round(traffic.p99() * 1000, 1) if latencies else None,
            }
        )
    )


if __name__ == "__main__":
    main()
