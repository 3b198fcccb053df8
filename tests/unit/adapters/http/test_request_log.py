"""Every request gets an id and one structured log line; a crash is logged under its id."""

from __future__ import annotations

import io
import json
import logging
import os

import pytest
from dependency_injector import providers

from adapters.http.request_log import new_request_id
from api import create_app
from api.logging_setup import json_handler
from tests.contract.http_contract import assert_envelope
from tests.helpers import app_settings


def request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "api.requests"]


def test_a_request_gets_an_id_echoed_and_one_log_line(caplog: pytest.LogCaptureFixture) -> None:
    client = create_app(app_settings()).test_client()
    with caplog.at_level(logging.INFO, logger="api.requests"):
        response = client.get("/api/items?limit=5")
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    (record,) = request_records(caplog)
    assert (record.method, record.path, record.status) == ("GET", "/api/items", 200)  # type: ignore[attr-defined]
    assert record.request_id == request_id  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("offered", "kept"),
    [("trace-42.a:b", True), ("x" * 129, False), ("bad id;forged=1", False), ("", False)],
)
def test_a_callers_request_id_is_kept_only_when_plain(offered: str, kept: bool) -> None:
    client = create_app(app_settings()).test_client()
    echoed = client.get("/", headers={"X-Request-ID": offered}).headers["X-Request-ID"]
    assert (echoed == offered) is kept


def test_errors_carry_the_id_too(caplog: pytest.LogCaptureFixture) -> None:
    client = create_app(app_settings()).test_client()
    with caplog.at_level(logging.INFO, logger="api.requests"):
        response = client.get("/nowhere", headers={"X-Request-ID": "abc"})
    assert response.headers["X-Request-ID"] == "abc"
    assert request_records(caplog)[0].status == 404  # type: ignore[attr-defined]


def test_a_crash_logs_its_traceback_under_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(app_settings())

    class Exploding:
        def get(self, item_id: str) -> None:
            raise RuntimeError(f"secret {item_id}")

    with app.extensions["container"].item_service.override(providers.Object(Exploding())):
        response = app.test_client().get("/api/items/x", headers={"X-Request-ID": "crash-1"})
    body = assert_envelope(response, 500)
    assert "secret" not in body["message"] and "Traceback" not in response.get_data(as_text=True)
    (crash,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert crash.request_id == "crash-1"  # type: ignore[attr-defined]
    assert crash.exc_info is not None and "secret x" in str(crash.exc_info[1])


def test_log_lines_are_json_objects() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("api.test-json")
    logger.addHandler(json_handler(stream))
    logger.warning("request", extra={"status": 201, "path": "/x"})
    record = json.loads(stream.getvalue())
    assert (record["message"], record["status"], record["path"]) == ("request", 201, "/x")
    assert {"time", "level", "logger"} <= set(record)


def test_request_logging_can_be_switched_off(caplog: pytest.LogCaptureFixture) -> None:
    client = create_app(app_settings(REQUEST_LOG=False)).test_client()
    with caplog.at_level(logging.INFO, logger="api.requests"):
        client.get("/")
    assert request_records(caplog) == []


def test_without_the_log_line_requests_still_get_ids(caplog: pytest.LogCaptureFixture) -> None:
    # gunicorn's access line stands in for the request line and logs the id echoed here.
    app = create_app(app_settings(REQUEST_LOG=False))
    assert len(app.test_client().get("/").headers["X-Request-ID"]) == 32
    offered = app.test_client().get("/", headers={"X-Request-ID": "lb-7"})
    assert offered.headers["X-Request-ID"] == "lb-7"

    class Exploding:
        def get(self, item_id: str) -> None:
            raise RuntimeError(item_id)

    with app.extensions["container"].item_service.override(providers.Object(Exploding())):
        app.test_client().get("/api/items/x", headers={"X-Request-ID": "crash-2"})
    (crash,) = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert crash.request_id == "crash-2"  # type: ignore[attr-defined]


def test_forked_workers_draw_different_ids() -> None:
    read, write = os.pipe()
    new_request_id()  # the parent's generator is in use before the fork, as in gunicorn's master
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(write, new_request_id().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read, "rb") as pipe:
        theirs = pipe.read().decode()
    ours = new_request_id()
    assert len(theirs) == len(ours) == 32
    assert theirs != ours
