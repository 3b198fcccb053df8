"""Liveness and readiness probes."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from adapters.http.envelope import error_response
from adapters.http.errors import RETRY_AFTER_SECONDS
from adapters.http.services import services
from core.errors import Unavailable


def health_blueprint() -> Blueprint:
    """`GET /healthz` (the process runs) and `GET /readyz` (its dependencies answer)."""
    blueprint = Blueprint("health", __name__)

    @blueprint.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @blueprint.get("/readyz")
    def readyz() -> Response:
        states: dict[str, dict[str, str]] = {}
        for name, check in services().readiness_checks().items():
            try:
                check()
            except Unavailable as error:
                states[name] = {"status": "unavailable", "message": error.message}
            else:
                states[name] = {"status": "ok"}
        if all(state["status"] == "ok" for state in states.values()):
            return jsonify(status="ok", dependencies=states)
        return error_response(
            503,
            "a dependency is unavailable",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
            extra={"dependencies": states},
        )

    return blueprint
