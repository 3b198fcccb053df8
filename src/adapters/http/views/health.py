"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from spectree import Response, SpecTree

from adapters.http.envelope import error_response
from adapters.http.errors import RETRY_AFTER_SECONDS
from adapters.http.rate_limits.limits import RateLimits
from adapters.http.schemas import DependencyState, HealthOut, NotReadyOut, ReadyOut
from adapters.http.services import services
from core.errors import Unavailable

TAGS = ["probes"]


def health_blueprint(spec: SpecTree, limits: RateLimits) -> Blueprint:
    """`GET /healthz` (the process runs) and `GET /readyz` (its dependencies answer)."""
    blueprint = Blueprint("health", __name__)

    @blueprint.get("/healthz")
    @limits.exempt
    @spec.validate(resp=Response(HTTP_200=HealthOut), tags=TAGS)
    def healthz() -> HealthOut:
        """200 while the process runs."""
        return HealthOut(status="ok")

    @blueprint.get("/readyz")
    @limits.exempt
    @spec.validate(resp=Response(HTTP_200=ReadyOut, HTTP_503=NotReadyOut), tags=TAGS)
    def readyz() -> Any:
        """200 when storage and the session store answer, else 503 naming the one that does not."""
        states: dict[str, DependencyState] = {}
        for name, check in services().readiness_checks().items():
            try:
                check()
            except Unavailable as error:
                states[name] = DependencyState(status="unavailable", message=error.message)
            else:
                states[name] = DependencyState(status="ok")
        if all(state.status == "ok" for state in states.values()):
            return ReadyOut(status="ok", dependencies=states).model_dump(exclude_none=True)
        return error_response(
            503,
            "a dependency is unavailable",
            headers={"Retry-After": RETRY_AFTER_SECONDS},
            extra={
                "dependencies": {
                    name: state.model_dump(exclude_none=True) for name, state in states.items()
                }
            },
        )

    return blueprint
