"""Load from a second process: wrk when installed, else a Python generator; same JSON result.

A run is one URL, one method, fixed headers, a fixed number of connections for a fixed
duration; a POST body may contain `{n}`, replaced by a number unique to the run, so that
every request creates a new item. The Python generator runs as its own process:

    python bench/serve/load.py URL --connections 8 --duration 10 [--method POST --body ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from http.client import HTTPConnection
from urllib.parse import urlsplit

WRK_SCRIPT = """
local counter = 0
wrk.method = "{method}"
{headers}
local body = {body}
request = function()
  if body == nil then return wrk.format() end
  counter = counter + 1
  return wrk.format(nil, nil, nil, string.gsub(body, "{{n}}", tid .. "-" .. counter))
end
local threads = {{}}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("tid", "{run}-" .. #threads)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {{"requests": %d, "seconds": %f, "p50_ms": %f, "p99_ms": %f, "bad_status": %d,'
    .. ' "socket_errors": %d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass(frozen=True)
class LoadResult:
    """What one run measured."""

    tool: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bad_status: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


@dataclass(frozen=True)
class Load:
    """One run's shape."""

    url: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    connections: int = 8
    duration: float = 10.0


def add_load_arguments(parser: argparse.ArgumentParser, *, rounds: int, duration: float) -> None:
    """`--rounds`, `--duration` (seconds a run) and `--connections`: how a bench loads a server."""
    parser.add_argument("--rounds", type=int, default=rounds)
    parser.add_argument("--duration", type=float, default=duration)
    parser.add_argument("--connections", type=int, default=8)


def run(load: Load, *, prefer_wrk: bool = True) -> LoadResult:
    """Run the load with wrk if it is installed (and preferred), else the Python generator."""
    if prefer_wrk and shutil.which("wrk"):
        return run_wrk(load)
    command = [sys.executable, __file__, load.url, "--method", load.method]
    command += ["--connections", str(load.connections), "--duration", str(load.duration)]
    for name, value in load.headers:
        command += ["--header", f"{name}: {value}"]
    if load.body is not None:
        command += ["--body", load.body]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return LoadResult(**json.loads(output))


def run_wrk(load: Load) -> LoadResult:
    """wrk with two threads and a Lua script that reports the figures as JSON."""
    headers = "\n".join(
        f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}" for name, value in load.headers
    )
    script = WRK_SCRIPT.format(
        method=load.method,
        headers=headers,
        body="nil" if load.body is None else json.dumps(load.body),
        run=os.urandom(4).hex(),
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as file:
        file.write(script)
        file.flush()
        threads = min(2, load.connections)
        command = ["wrk", f"-t{threads}", f"-c{load.connections}", f"-d{load.duration:.0f}s"]
        command += ["--timeout", "10s", "-s", file.name, load.url]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    return LoadResult(tool="wrk", **json.loads(line.removeprefix("WRK ")))


def python_load(load: Load) -> LoadResult:
    """`connections` threads, each on its own keep-alive connection, for `duration` seconds."""
    parts = urlsplit(load.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    bad, errors, lock = [0], [0], threading.Lock()
    deadline = time.monotonic() + load.duration
    run_id = os.urandom(4).hex()

    def client(number: int) -> None:
        connection = HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=10)
        mine: list[float] = []
        count = 0
        try:
            while time.monotonic() < deadline:
                count += 1
                body = None
                if load.body is not None:
                    body = load.body.replace("{n}", f"{run_id}-{number}-{count}").encode()
                started = time.perf_counter()
                try:
                    connection.request(load.method, path, body=body, headers=dict(load.headers))
                    response = connection.getresponse()
                    response.read()
                except OSError:
                    connection.close()
                    with lock:
                        errors[0] += 1
                    continue
                mine.append(time.perf_counter() - started)
                if response.status >= 400:
                    with lock:
                        bad[0] += 1
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(load.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return LoadResult(
        tool="python",
        requests=len(latencies),
        seconds=seconds,
        p50_ms=cuts[49] * 1000,
        p99_ms=cuts[98] * 1000,
        bad_status=bad[0],
        socket_errors=errors[0],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--body")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    args = parser.parse_args()
    headers = tuple(tuple(item.split(": ", 1)) for item in args.header)
    load = Load(
        url=args.url,
        method=args.method,
        headers=headers,  # type: ignore[arg-type]
        body=args.body,
        connections=args.connections,
        duration=args.duration,
    )
    print(json.dumps(asdict(python_load(load))))


if __name__ == "__main__":
    main()
