"""Registration and the current user."""

from __future__ import annotations

from flask import Blueprint, request
from spectree import SpecTree

from adapters.http.auth import current_principal, requires_auth
from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.rate_limits.limits import RateLimits
from adapters.http.schemas import UserCreate, UserOut, registration_schema
from adapters.http.services import services

TAGS = ["users"]


def users_blueprint(spec: SpecTree, limits: RateLimits, *, min_password_length: int) -> Blueprint:
    """`POST /api/users` and `GET /api/users/me`."""
    blueprint = Blueprint("users", __name__, url_prefix="/api/users")
    registration = registration_schema(min_password_length)

    @blueprint.post("")
    @limits.credentials
    @spec.validate(
        json=registration, resp=answers(409, 422, body=True, HTTP_201=UserOut), tags=TAGS
    )
    def register() -> tuple[UserOut, int]:
        """Create an account; the password must be long enough and not the username."""
        body: UserCreate = request.context.json  # type: ignore[attr-defined]
        user = services().user_service().register(username=body.username, password=body.password)
        return UserOut.of(user), 201

    @blueprint.get("/me")
    @requires_auth
    @spec.validate(resp=answers(401, 404, HTTP_200=UserOut), tags=TAGS, security=BEARER_AUTH)
    def me() -> UserOut:
        """The account the token belongs to (404 for an anonymous session token)."""
        return UserOut.of(services().user_service().get(current_principal().subject))

    return blueprint
