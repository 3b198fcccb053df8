"""wrk's p99 beside the latencies recorded, on the same servers and load, in alternation.

wrk corrects its latency histogram for coordinated omission before it reports it (and before
the `done` hook the bench reads): every request slower than the run's mean interval per
connection adds made-up samples below it. ApacheBench (`ab`, Debian's apache2-utils) reports
the latencies it recorded. Little's law gives the mean both should agree with:
connections / requests per second.

    python bench/serve/latency_tail.py [--rounds 2] [--duration 8] [--connections 8] \
        [--backend sqlite]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WRK_LINE = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$")
AB_LINE = re.compile(r"^\s+(50|90|99)%\s+(\d+)")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, headers: list[str], connections: int, duration: float) -> dict[str, float]:
    """Requests/s, wrk's mean and its p50, p90 and p99 (ms)."""
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration:.0f}s"]
    command += ["--latency", *[flag for h in headers for flag in ("-H", h)], url]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    matches = [m for m in map(WRK_LINE.match, out.splitlines()) if m]
    figures = {f"p{m[1]}": float(m[2]) * UNITS[m[3]] for m in matches}
    mean = re.search(r"Latency\s+([\d.]+)(us|ms|s)", out)
    figures["mean"] = float(mean[1]) * UNITS[mean[2]] if mean else float("nan")
    figures["per_second"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    return figures


def ab(url: str, headers: list[str], connections: int, duration: float) -> dict[str, float]:
    """Requests/s, the mean and the p50, p90 and p99 (ms, whole) of the requests recorded."""
    command = ["ab", "-k", f"-c{connections}", f"-t{duration:.0f}", "-n100000000", "-q"]
    command += [*[flag for h in headers for flag in ("-H", h)], url]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = {f"p{m[1]}": float(m[2]) for m in map(AB_LINE.match, out.splitlines()) if m}
    per_request = re.search(r"Time per request:\s+([\d.]+) \[ms\] \(mean\)\n", out)
    figures["mean"] = float(per_request[1]) if per_request else float("nan")
    figures["per_second"] = float(re.search(r"Requests per second:\s+([\d.]+)", out)[1])  # type: ignore[index]
    return figures


def main() -> None:
    from backends import BACKENDS, provisioned
    from load import add_load_arguments
    from rounds import routes, seed
    from servers import production_env, serving

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_load_arguments(parser, rounds=2, duration=8.0)
    parser.add_argument("--backend", choices=BACKENDS, default="sqlite")
    args = parser.parse_args()
    missing = [tool for tool in ("wrk", "ab") if not shutil.which(tool)]
    if missing:
        sys.exit(f"needs {' and '.join(missing)} (Debian: apt-get install wrk apache2-utils)")
    print("| app | route | tool | req/s | mean ms | Little's law mean ms | p50 | p90 | p99 |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as temporary, provisioned(args.backend) as settings:
        folder = Path(temporary)
        env = production_env(folder / "instance", METRICS_ENABLED="false", **settings)
        for app, route in (("bare_app:app", "GET /"), ("api.wsgi:app", "GET /api/items/<id>")):
            with serving(app, env, folder / app.replace(":", "-")) as server:
                path, headers = "/", []
                if app == "api.wsgi:app":
                    fields = dict(dict(routes(*seed(server)))[route])
                    path = fields["path"]
                    headers = [f"{name}: {value}" for name, value in fields.get("headers", ())]
                for _ in range(args.rounds):
                    for tool in (wrk, ab):
                        f = tool(server.url + path, headers, args.connections, args.duration)
                        little = args.connections / f["per_second"] * 1000
                        print(
                            f"| {app.split(':')[0]} | `{route}` | {tool.__name__} "
                            f"| {f['per_second']:,.0f} | {f['mean']:.2f} | {little:.2f} "
                            f"| {f['p50']:.1f} | {f['p90']:.1f} | {f['p99']:.1f} |",
                            flush=True,
                        )


if __name__ == "__main__":
    main()
