"""Under gunicorn the access line is the request's one log line, under the id it answered with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.sql.database import db_create_all
from tests.integration.processes import gunicorn_service, service_env, wait_until

pytestmark = pytest.mark.integration


def access_records(directory: Path) -> list[dict[str, object]]:
    lines = (directory / "access.log").read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_each_access_line_names_the_request_id_the_service_answered_with(tmp_path: Path) -> None:
    db_create_all(f"sqlite:///{tmp_path / 'app.db'}")
    with gunicorn_service(service_env(tmp_path), tmp_path / "run") as service:
        generated = service.call("GET", "/api/items?limit=1").headers["x-request-id"]
        offered = service.call("GET", "/", headers={"X-Request-ID": "lb-trace-9"})
        assert offered.headers["x-request-id"] == "lb-trace-9"
        assert len(generated) == 32

        def logged() -> list[dict[str, object]]:
            return [r for r in access_records(tmp_path / "run") if r.get("path") != "/healthz"]

        wait_until(lambda: len(logged()) >= 2, timeout=10, what="two access lines")
    ids = {(record["path"], record["request_id"]) for record in logged()}
    assert ("/api/items", generated) in ids
    assert ("/", "lb-trace-9") in ids
    assert "api.requests" not in (tmp_path / "run" / "gunicorn.log").read_text()
