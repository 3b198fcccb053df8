"""The production server refuses to start on settings that would fail every request later."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.processes import GUNICORN_CONF, service_env

pytestmark = pytest.mark.integration

# On PYTHONPATH, this shadows the installed driver: gunicorn runs as if the extra were missing.
NOT_INSTALLED = "raise ModuleNotFoundError(\"No module named 'psycopg'\", name='psycopg')\n"


def start_gunicorn(env: dict[str, str], directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "api.wsgi:app"],
        env=env,
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gunicorn_without_the_postgresql_driver_exits_naming_database_url_and_the_extra(
    tmp_path: Path,
) -> None:
    (tmp_path / "psycopg.py").write_text(NOT_INSTALLED)
    env = service_env(
        tmp_path,
        DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:9/app",
        PYTHONPATH=str(tmp_path),
    )
    finished = start_gunicorn(env, tmp_path)
    assert finished.returncode != 0
    assert "DATABASE_URL" in finished.stderr
    assert "pip install 'hexapi[postgresql]'" in finished.stderr
    assert "Traceback" not in finished.stderr
    assert "Listening at" not in finished.stderr


def test_gunicorn_with_a_malformed_redis_url_exits_naming_it(tmp_path: Path) -> None:
    env = service_env(tmp_path, REDIS_URL="redis://cache.internal:sixty/0")
    finished = start_gunicorn(env, tmp_path)
    assert finished.returncode != 0
    assert "REDIS_URL" in finished.stderr
    assert "Listening at" not in finished.stderr


def test_gunicorn_with_metrics_bind_on_a_taken_port_exits_naming_it(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        bind = f"127.0.0.1:{taken.getsockname()[1]}"
        finished = start_gunicorn(service_env(tmp_path, METRICS_BIND=bind), tmp_path)
    assert finished.returncode != 0
    assert f"METRICS_BIND={bind} cannot be served: Address already in use" in finished.stderr
    assert "Traceback" not in finished.stderr
    assert "Listening at" not in finished.stderr
