"""Login, refresh and logout."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, session
from spectree import SpecTree

from adapters.http.auth import SESSION_UID, current_principal, requires_auth
from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.rate_limits import RateLimits
from adapters.http.response_headers import no_store
from adapters.http.schemas import LoginIn, RefreshIn, TokenOut
from adapters.http.services import services
from core.services.logins import TokenPair

TAGS = ["auth"]


def token_out(pair: TokenPair) -> TokenOut:
    """The response body of a token pair."""
    return TokenOut(
        token=pair.access.token,
        expires_in=pair.access.expires_in,
        refresh_token=pair.refresh.token,
        refresh_expires_in=pair.refresh.expires_in,
    )


def tokens_blueprint(spec: SpecTree, limits: RateLimits, *, bind_to_session: bool) -> Blueprint:
    """`POST /api/auth/token`, `/api/auth/refresh`, `/api/auth/logout`.

    With `bind_to_session`, login tokens work only with the session cookie they came with.
    """
    blueprint = Blueprint("tokens", __name__, url_prefix="/api/auth")

    @blueprint.post("/token")
    @no_store
    @limits.credentials
    @spec.validate(json=LoginIn, resp=answers(401, 422, body=True, HTTP_200=TokenOut), tags=TAGS)
    def login() -> TokenOut:
        """Trade a username and password for an access token and a refresh token."""
        body: LoginIn = request.context.json  # type: ignore[attr-defined]
        with limits.logins.attempt(body.username, client=request.remote_addr or "unknown"):
            pair = (
                services()
                .login_service()
                .login(username=body.username, password=body.password, session_uid=_new_session())
            )
        return token_out(pair)

    @blueprint.post("/refresh")
    @no_store
    @spec.validate(json=RefreshIn, resp=answers(401, 422, body=True, HTTP_200=TokenOut), tags=TAGS)
    def refresh() -> TokenOut:
        """Trade a refresh token (once) for a new pair; a reused one ends its whole login."""
        body: RefreshIn = request.context.json  # type: ignore[attr-defined]
        return token_out(services().login_service().refresh(body.refresh_token))

    @blueprint.post("/logout")
    @requires_auth
    @spec.validate(resp=answers(401, body=True, HTTP_204=None), tags=TAGS, security=BEARER_AUTH)
    def logout() -> Response:
        """Revoke this token and every token of its login."""
        claims = current_principal().claims
        if claims is not None:
            services().login_service().logout(claims)
        session.clear()
        return Response(status=204)

    def _new_session() -> str | None:
        # A fresh session id at every login, so an id planted before it is worth nothing.
        current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
        if not bind_to_session:
            return None
        uid = services().auth_service().new_session_uid()
        session[SESSION_UID] = uid
        return uid

    return blueprint
