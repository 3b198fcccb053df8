"""Private server processes for the integration tests: redis-server, PostgreSQL, gunicorn.

Each runs on a free loopback port in a temporary folder and is stopped (and waited for) when
its context ends. A missing binary skips the test locally and fails it in CI (CI=true).
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.helpers import token_keys_json

REPO = Path(__file__).resolve().parents[2]
GUNICORN_CONF = REPO / "deploy" / "gunicorn.conf.py"
POSTGRES_BIN = Path("/usr/lib/postgresql")
STOP_TIMEOUT = 30.0


def required_binary(name: str, *, search: Path | None = None) -> str:
    """The path of a server binary; skips locally and fails in CI when it is missing."""
    found = shutil.which(name)
    if found is None and search is not None:
        candidates = sorted(search.glob(f"*/bin/{name}"), key=_major_version)
        found = str(candidates[-1]) if candidates else None
    if found is None:
        message = f"{name} is not installed: no server to test against"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{message} (CI requires it)")
        pytest.skip(message)
    return found


def _major_version(binary: Path) -> int:
    # /usr/lib/postgresql/15/bin/initdb: the newest installed major version wins.
    version = binary.parts[-3]
    return int(version) if version.isdigit() else 0


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def stop_process(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> int:
    """Send `sig`, wait for the exit, kill after STOP_TIMEOUT; the exit code."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


@dataclass(frozen=True)
class Answer:
    """A complete HTTP response."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    port: int,
    method: str,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    body: Any = None,
    timeout: float = 30.0,
) -> Answer:
    """One request on a new connection to 127.0.0.1:`port`; `body` is sent as JSON."""
    sent_headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent_headers["Content-Type"] = "application/json"
    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=data, headers=sent_headers)
        response = connection.getresponse()
        content = response.read()
        names = {name.lower(): value for name, value in response.getheaders()}
        return Answer(status=response.status, headers=names, body=content)
    finally:
        connection.close()


def session_cookie(answer: Answer) -> str:
    """`session=<id>` from the Set-Cookie header of an answer."""
    match = re.search(r"(session=[^;]+)", answer.headers.get("set-cookie", ""))
    assert match, f"no session cookie in {answer.headers}"
    return match.group(1)


@dataclass
class RedisServer:
    """A redis-server of our own: no persistence, loopback only."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it (again, on the same port) and wait until it answers PING."""
        self.process = subprocess.Popen(
            [
                required_binary("redis-server"),
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--dir", str(self.directory)),
                *("--logfile", str(self.directory / "redis.log")),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=20, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """Stop it and wait for the exit."""
        if self.process is not None:
            stop_process(self.process)
            self.process = None

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"redis-server exited: {self.directory / 'redis.log'}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def redis_server(directory: Path) -> Iterator[RedisServer]:
    """A started RedisServer, stopped at the end."""
    server = RedisServer(directory)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster of our own (initdb in a temporary folder), never the machine's."""

    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        """initdb with trust authentication (as the postgres user when we are root)."""
        subprocess.run(
            [
                required_binary("initdb", search=POSTGRES_BIN),
                *("-D", str(self.directory), "-U", "postgres", "--auth=trust"),
                *("--encoding=UTF8", "--no-sync", "--no-instructions"),
            ],
            check=True,
            capture_output=True,
            **_as_postgres(self.directory),
        )

    def start(self) -> None:
        """Run the server (again, on the same port) and wait until it takes connections."""
        with (self.directory / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    required_binary("postgres", search=POSTGRES_BIN),
                    *("-D", str(self.directory), "-p", str(self.port), "-k", str(self.directory)),
                    *("-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=log,
                **_as_postgres(self.directory),
            )
        wait_until(self._answers, timeout=60, what=f"PostgreSQL on port {self.port}")

    def stop(self) -> None:
        """Fast shutdown (SIGINT: clients are disconnected) and wait for the exit."""
        if self.process is not None:
            stop_process(self.process, signal.SIGINT)
            self.process = None

    def create_database(self, name: str) -> str:
        """A new database; its SQLAlchemy URL."""
        with psycopg.connect(self._dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _dsn(self) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres connect_timeout=2"

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"postgres exited: {self.directory / 'server.log'}")
        try:
            psycopg.connect(self._dsn()).close()
        except psycopg.OperationalError:
            return False
        return True


def _as_postgres(directory: Path) -> dict[str, Any]:
    # PostgreSQL refuses to run as root; as root, hand the folder and the process to postgres.
    if os.geteuid() != 0:
        return {}
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        pytest.fail("running as root needs a postgres user to start PostgreSQL")
    os.chown(directory, account.pw_uid, account.pw_gid)
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A started PostgresCluster in a new folder, stopped and removed at the end."""
    # Not pytest's tmp_path: its parent folders are private to root, unreadable to postgres.
    directory = Path(tempfile.mkdtemp(prefix="hexapi-pg-"))
    directory.chmod(0o711)
    try:
        cluster = PostgresCluster(directory / "data")
        cluster.directory.mkdir(mode=0o700)
        cluster.init()
        cluster.start()
        try:
            yield cluster
        finally:
            cluster.stop()
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def service_env(instance: Path, **settings: str) -> dict[str, str]:
    """The environment of a production service: its settings, nothing from ours."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(instance),
        "APP_ENV": "production",
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "integration-secret-key-" + "s" * 32,
        "TOKEN_KEYS": token_keys_json(),
        "BIND": "127.0.0.1:0",
        "WEB_CONCURRENCY": "2",
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST": "8",
        "ARGON2_PARALLELISM": "1",
    }
    # Where the code is, not a setting: a checkout tested through PYTHONPATH serves its own.
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env | settings


@dataclass
class Service:
    """The service under gunicorn in a subprocess."""

    env: dict[str, str]
    directory: Path
    process: subprocess.Popen[bytes] | None = None
    port: int = 0

    def start(self) -> None:
        """Start gunicorn (BIND port 0: the kernel picks) and wait until a worker answers."""
        self.directory.mkdir(parents=True, exist_ok=True)
        log = self.directory / "gunicorn.log"
        log.write_bytes(b"")
        with (self.directory / "access.log").open("ab") as out, log.open("ab") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "api.wsgi:app"],
                env=self.env,
                cwd=self.directory,  # no stray `.env` from the checkout
                stdout=out,
                stderr=err,
            )
        wait_until(lambda: self._listening(log), timeout=60, what="gunicorn to listen")
        wait_until(self._healthy, timeout=60, what="a gunicorn worker to answer")

    def stop(self) -> int:
        """SIGTERM (graceful), wait for the exit; the exit code."""
        code = stop_process(self.process) if self.process is not None else 0
        self.process = None
        return code

    def log(self) -> str:
        return (self.directory / "gunicorn.log").read_text(errors="replace")

    def call(self, method: str, path: str, **kwargs: Any) -> Answer:
        """One request to this service."""
        return http(self.port, method, path, **kwargs)

    def call_within(self, bound: float, method: str, path: str, **kwargs: Any) -> Answer:
        """One request, checked to have been answered within `bound` seconds and not with a 500."""
        started = time.monotonic()
        answer = self.call(method, path, **kwargs)
        elapsed = time.monotonic() - started
        assert elapsed < bound, f"{method} {path} took {elapsed:.1f} s"
        assert answer.status != 500, self.log()[-4000:]
        return answer

    def _listening(self, log: Path) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {self.log()}")
        match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
        if match:
            self.port = int(match.group(1))
        return match is not None

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {self.log()}")
        with suppress(OSError):
            return self.call("GET", "/healthz", timeout=5).status == 200
        return False


@contextmanager
def gunicorn_service(env: dict[str, str], directory: Path) -> Iterator[Service]:
    """A started Service, stopped at the end."""
    service = Service(env, directory)
    try:
        service.start()
        yield service
    finally:
        service.stop()
