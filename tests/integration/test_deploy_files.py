"""The proxy's and the compose stack's values agree with the service's own settings."""

from __future__ import annotations

import re
from pathlib import Path

from api.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
NGINX = (DEPLOY / "docker" / "nginx" / "nginx.conf").read_text()
COMPOSE = (DEPLOY / "compose" / "docker-compose.yml").read_text()
UNITS = {"": 1, "k": 1024, "m": 1024 * 1024}


def _directive(name: str) -> str:
    match = re.search(rf"^\s*{name}\s+([^;]+);", NGINX, re.MULTILINE)
    assert match, name
    return match.group(1).strip()


def test_the_proxy_refuses_exactly_the_bodies_the_service_would() -> None:
    size = re.fullmatch(r"(\d+)([km]?)", _directive("client_max_body_size"))
    assert size
    number, unit = size.groups()
    assert int(number) * UNITS[unit] == Settings.model_fields["MAX_CONTENT_LENGTH"].default


def test_the_proxy_waits_longer_than_gunicorn_lets_a_worker_run() -> None:
    seconds = int(_directive("proxy_read_timeout").removesuffix("s"))
    assert seconds > Settings.model_fields["WORKER_TIMEOUT"].default


def test_the_proxy_sends_requests_to_every_instance_of_the_stack() -> None:
    upstreams = re.search(r'UPSTREAMS: "([^"]+)"', COMPOSE)
    assert upstreams
    binds = re.findall(r'BIND: "([^"]+)"', COMPOSE)
    assert sorted(upstreams.group(1).split()) == sorted(binds)
    assert len(binds) == 3
