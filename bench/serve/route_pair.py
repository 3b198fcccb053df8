"""One route on the service and on its limit app, alternated, to compare a change quickly:

    python bench/serve/route_pair.py [--route 'POST /api/items'] [--workers 1]
                                     [--backend postgresql|sqlite] [--rounds 3]
                                     [--duration 5] [--connections 4]

Both are served as `make bench` serves them (gunicorn, production settings, the same storage),
with `--workers` workers each; every round runs the route on the service then on the limit app
after a warm-up of each, and prints requests/s, worker CPU ms a request and `limit_ratio`. With
one worker, a profiler can watch the worker the whole time (its pid is printed), e.g.
`py-spy record --gil -p PID`. `make bench` is the measure; this shows a direction in minutes.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from backends import BACKENDS, provisioned
from load import Load, add_load_arguments, run
from rounds import routes, sample, seed
from servers import Server, production_env, serving

WARM_SECONDS = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--route", default="POST /api/items")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--backend", choices=BACKENDS, default="postgresql")
    add_load_arguments(parser, rounds=3, duration=5.0)
    parser.set_defaults(connections=4)
    args = parser.parse_args()
    names = [name for name, _ in routes((), "")]
    if args.route not in names:
        parser.error(f"--route: one of {', '.join(names)}")
    folder = Path(tempfile.mkdtemp(prefix="hexapi-route-pair-"))
    with provisioned(args.backend) as settings:
        env = production_env(folder, WEB_CONCURRENCY=str(args.workers), **settings)
        with (
            serving("api.wsgi:app", env, folder / "service") as service,
            serving("limit_app:app", env, folder / "limit") as limit,
        ):
            fields = dict(dict(routes(*seed(service)))[args.route])
            path = fields.pop("path")
            loads = {
                name: Load(
                    f"{server.url}{path}",
                    connections=args.connections,
                    duration=args.duration,
                    **fields,
                )
                for name, server in (("service", service), ("limit", limit))
            }
            print(f"worker pids: service {service.worker_pids()}, limit {limit.worker_pids()}")
            for number in range(args.rounds):
                measured = {name: measure(server, loads[name]) for name, server in
                            (("service", service), ("limit", limit))}  # fmt: skip
                (rate, cpu), (limit_rate, limit_cpu) = measured["service"], measured["limit"]
                print(
                    f"round {number + 1} {args.route}: service {rate:,.0f} req/s {cpu:.3f} ms CPU,"
                    f" limit app {limit_rate:,.0f} req/s {limit_cpu:.3f} ms CPU,"
                    f" limit_ratio {rate / limit_rate:.3f}",
                    flush=True,
                )


def measure(server: Server, load: Load) -> tuple[float, float]:
    """(requests/s, worker CPU ms a request) of one run after a warm-up."""
    run(Load(load.url, load.method, load.headers, load.body, load.connections, WARM_SECONDS))
    measured = sample(server, load)
    return measured.load.per_second, measured.cpu_ms


if __name__ == "__main__":
    main()
