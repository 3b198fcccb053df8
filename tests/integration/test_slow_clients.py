"""The production server keeps answering while 100 clients trickle their requests.

gevent workers hold each slow connection in a greenlet (src/api/gunicorn_workers.py): ordinary
requests beside them are answered with a p99 under 1 s, a trickled head is cut at the keep-alive
bound and a body that stops arriving answers 400 after CLIENT_TIMEOUT_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.sql.database import db_create_all
from api.gunicorn_setup import KEEPALIVE_SECONDS
from api.gunicorn_workers import CLIENT_TIMEOUT_SECONDS
from tests.integration.processes import Service, gunicorn_service, service_env, wait_until
from tests.integration.slow_clients import Traffic, Tricklers, read_answer, still_waiting

pytestmark = pytest.mark.integration

SLOW_CLIENTS = 100
HELD_SECONDS = 3.0


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    db_create_all(f"sqlite:///{tmp_path / 'app.db'}")
    # Every client shares one address: the default limit would refuse the ordinary traffic.
    env = service_env(tmp_path, RATELIMIT_DEFAULT="1000000 per minute")
    with gunicorn_service(env, tmp_path / "run") as running:
        yield running


@pytest.fixture
def tricklers(service: Service) -> Iterator[Tricklers]:
    slow = Tricklers(service.port, SLOW_CLIENTS)
    slow.start()
    try:
        yield slow
    finally:
        slow.close()


def test_ordinary_requests_are_answered_within_a_second_beside_100_slow_clients(
    service: Service, tricklers: Tricklers
) -> None:
    traffic = Traffic(service.port)
    traffic.run_for(HELD_SECONDS)
    held = [still_waiting(connection) for connection in tricklers.heads + tricklers.bodies]
    assert traffic.failures == []
    assert len(traffic.latencies) >= 20, "too few ordinary requests were answered"
    assert traffic.p99() < 1.0, f"p99 {traffic.p99():.3f} s over {len(traffic.latencies)}"
    assert sum(held) == SLOW_CLIENTS, "the slow clients were not all held during the run"


def test_a_trickled_head_is_cut_and_a_stalled_body_answers_400(
    service: Service, tricklers: Tricklers
) -> None:
    started = time.monotonic()
    wait_until(
        lambda: not any(still_waiting(connection) for connection in tricklers.heads),
        timeout=KEEPALIVE_SECONDS + 5,
        what="the server to close connections whose head never ends",
    )
    assert time.monotonic() - started < KEEPALIVE_SECONDS + 5
    assert all(still_waiting(connection) for connection in tricklers.bodies)
    tricklers.stop()
    stalled = tricklers.bodies[0]
    stalled.settimeout(CLIENT_TIMEOUT_SECONDS + 5)
    answer = read_answer(stalled)
    assert answer.startswith(b"HTTP/1.1 400 "), answer
    assert b"could not be read" in answer
    assert service.call("GET", "/healthz").status == 200
