"""Servers for the benchmarks: gunicorn (or granian) with the service's configuration, its RSS."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

from adapters.auth.keys import dump_token_keys, generate_token_keys
from adapters.sql.database import db_create_all

REPO = Path(__file__).resolve().parents[2]
GUNICORN_CONF = REPO / "deploy" / "gunicorn.conf.py"
BENCH_DIR = Path(__file__).resolve().parent


def production_env(instance: Path, **settings: str) -> dict[str, str]:
    """The environment of the service in production, on the embedded default (SQLite)."""
    db_create_all(f"sqlite:///{instance / 'app.db'}")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(instance),
        "APP_ENV": "production",
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "TOKEN_KEYS": dump_token_keys(generate_token_keys()),
        "BIND": "127.0.0.1:0",
        # The limiter still counts every request, but a load from one address must not trip it.
        "RATELIMIT_DEFAULT": "100000000 per minute",
    }
    return env | settings


@dataclass
class Server:
    """A running server process and the port it listens on."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The master's child processes (the workers)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def worker_cpu_seconds(self) -> float:
        """User and system CPU the workers have used so far."""
        ticks = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker, MiB."""
        return [rss_mib(pid) for pid in self.worker_pids()]


def rss_mib(pid: int) -> float:
    """VmRSS of a process, MiB."""
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def server_command(app: str, server: str) -> list[str]:
    """The command line serving `app` (module:attribute) with `server`."""
    if server == "granian":
        return [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", "2"]
    return [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), app]


@contextmanager
def serving(
    app: str, env: dict[str, str], folder: Path, *, server: str = "gunicorn"
) -> Iterator[Server]:
    """Serve `app` in a subprocess until the block ends (SIGTERM, then wait)."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{server}.log"
    command = server_command(app, server)
    if server == "granian":
        port = _free_port()
        command += ["--host", "127.0.0.1", "--port", str(port), app]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=env | {"PYTHONPATH": str(BENCH_DIR)},
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        if server != "granian":
            port = _wait_for_port(process, log)
        running = Server(process=process, port=port, log=log)
        _wait_for_answer(running)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_for_port(process: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text()}")
        match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
        if match:
            return int(match.group(1))
        time.sleep(0.05)
    raise RuntimeError(f"the server did not start:\n{log.read_text()}")


def _wait_for_answer(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{server.log.read_text()}")
        with suppress(OSError):
            connection = HTTPConnection("127.0.0.1", server.port, timeout=5)
            try:
                connection.request("GET", "/")
                if connection.getresponse().status == 200:
                    return
            finally:
                connection.close()
        time.sleep(0.05)
    raise RuntimeError(f"the server does not answer:\n{server.log.read_text()}")
