"""A reset app (tests/shared_apps.py's reset_app) answers as a newly created one does."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from api import create_app
from tests.helpers import app_settings
from tests.shared_apps import reset_app

PASSWORD = "a long enough password"
BACKENDS = {
    "memory": app_settings(STORAGE_BACKEND="memory"),
    "mongomock": app_settings(
        STORAGE_BACKEND="mongo", MONGODB_URI="mongomock://localhost", SESSION_TYPE="mongodb"
    ),
}


def scenario(app: Flask) -> list[Any]:
    """What one client sees touching every kind of state an app keeps between requests: stored
    entities, sessions, revoked tokens, rate-limit windows and the failed-login throttle."""
    client = app.test_client()
    seen: list[Any] = []

    def note(response: Any, *headers: str) -> Any:
        seen.append((response.status_code, *(response.headers.get(name) for name in headers)))
        return response.get_json(silent=True)

    public = note(client.get("/api/public"), "X-RateLimit-Remaining")
    note(client.get("/api/restricted", headers=bearer(public["token"])))
    account = {"username": "reset-probe", "password": PASSWORD}
    note(client.post("/api/users", json=account), "X-RateLimit-Remaining")
    login = note(client.post("/api/auth/token", json=account), "X-RateLimit-Remaining")
    token = login.get("token", "none: throttled")
    note(client.post("/api/items", json={"title": "left behind?"}, headers=bearer(token)))
    seen.append(note(client.get("/api/items"))["total"])
    note(client.post("/api/auth/logout", headers=bearer(token)))
    note(client.get("/api/users/me", headers=bearer(token)))
    for _ in range(6):
        wrong = {"username": "reset-probe", "password": "not the password"}
        note(client.post("/api/auth/token", json=wrong), "Retry-After")
    return seen


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("settings", BACKENDS.values(), ids=BACKENDS.keys())
def test_a_reset_app_answers_a_scenario_exactly_as_a_new_app_does(
    settings: dict[str, Any],
) -> None:
    app = create_app(settings)
    first = scenario(app)
    assert first == scenario(create_app(settings))
    assert scenario(app) != first  # the state the reset must remove is there
    assert scenario(reset_app(app)) == first


@pytest.mark.parametrize("settings", BACKENDS.values(), ids=BACKENDS.keys())
def test_a_session_and_its_token_from_before_a_reset_are_gone(settings: dict[str, Any]) -> None:
    app = create_app(settings)
    client = app.test_client()
    token = client.get("/api/public").get_json()["token"]
    assert client.get("/api/restricted", headers=bearer(token)).status_code == 200
    reset_app(app)
    assert client.get("/api/restricted", headers=bearer(token)).status_code == 401
