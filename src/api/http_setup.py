"""The HTTP adapter put together for one app: extensions, guards, limits and blueprints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Flask
from flask_session import Session

from adapters.http.cors import allow_cross_origin
from adapters.http.cursors import PageCursors, cursor_key
from adapters.http.deprecation import send_deprecation_headers
from adapters.http.errors import register_error_handlers
from adapters.http.guards.body_stream import guard_body_reads
from adapters.http.guards.json_guard import require_json_bodies
from adapters.http.guards.nul_guard import refuse_nul_characters
from adapters.http.idempotency.routes import IdempotencyPolicy
from adapters.http.openapi import api_spec
from adapters.http.proxies import TrustedProxyFix
from adapters.http.rate_limits.limits import RateLimits
from adapters.http.request_log import track_requests
from adapters.http.resources.blueprint import resource_blueprint
from adapters.http.resources.declaration import HttpResource
from adapters.http.response_headers import send_protective_headers
from adapters.http.views.docs import docs_blueprint
from adapters.http.views.health import health_blueprint
from adapters.http.views.root import root_blueprint
from adapters.http.views.tokens import tokens_blueprint
from adapters.http.views.users import users_blueprint
from adapters.session_store.redis_cache import redis_options
from api.settings import Settings, SettingsError
from api.version import __version__


def install_http(app: Flask, settings: Settings, *, resources: Sequence[HttpResource[Any]]) -> None:
    """Sessions, CORS, errors, guards, rate limits, routes (`resources` on the resource blueprint)
    and their OpenAPI document."""
    if settings.PROXY_FIX_X_FOR:
        app.wsgi_app = TrustedProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, trusted=settings.TRUSTED_PROXIES, hops=settings.PROXY_FIX_X_FOR
        )
    track_requests(app, log_each=settings.REQUEST_LOG)
    Session(app)
    allow_cross_origin(
        app,
        origins=settings.cors_origins(),
        methods=settings.CORS_METHODS,
        headers=settings.CORS_HEADERS,
        expose=settings.CORS_EXPOSE_HEADERS,
    )
    register_error_handlers(app)
    guard_body_reads(app)
    require_json_bodies(app)
    refuse_nul_characters(app)
    send_protective_headers(app)
    send_deprecation_headers(app)
    limits = RateLimits(
        default=settings.RATELIMIT_DEFAULT,
        credentials=settings.RATELIMIT_CREDENTIALS,
        login_failures=settings.RATELIMIT_LOGIN_FAILURES,
        login_failures_account=settings.RATELIMIT_LOGIN_FAILURES_ACCOUNT,
        storage_uri=settings.RATELIMIT_STORAGE_URI,
        # Counters in Redis get the same bounded timeouts as the session store.
        storage_options=(
            redis_options(timeout=settings.REDIS_TIMEOUT)
            if settings.RATELIMIT_STORAGE_URI.startswith("redis")
            else {}
        ),
        enabled=settings.RATELIMIT_ENABLED,
    )
    spec = api_spec(title=settings.TOKEN_ISSUER, version=__version__)
    cursors = PageCursors(cursor_key(app.config["SECRET_KEY"]))
    idempotency = idempotency_policy(settings, resources)
    blueprints = (
        root_blueprint(spec),
        users_blueprint(spec, limits, min_password_length=settings.PASSWORD_MIN_LENGTH),
        tokens_blueprint(spec, limits, bind_to_session=settings.LOGIN_TOKENS_SESSION_BOUND),
        *(
            resource_blueprint(spec, resource, cursors=cursors, idempotency=idempotency)
            for resource in resources
        ),
        health_blueprint(spec, limits),
        docs_blueprint(spec, limits, title=settings.TOKEN_ISSUER),
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    # Not spec.register(app): the document and the page are served by the docs blueprint.
    limits.attach(app)


def idempotency_policy(
    settings: Settings, resources: Sequence[HttpResource[Any]]
) -> IdempotencyPolicy:
    """How the resources' writes keep answers for Idempotency-Key; an IDEMPOTENCY_REQUIRED entry
    naming no keyed write is refused at start-up, naming it."""
    methods = {"POST", "PATCH"} if settings.IDEMPOTENCY_PATCH else {"POST"}
    keyed = {
        resource.operation(verb)
        for resource in resources
        for verb, method in (("create", "POST"), ("change", "PATCH"))
        if method in methods
    }
    unknown = sorted(set(settings.IDEMPOTENCY_REQUIRED) - keyed)
    if unknown:
        raise SettingsError(
            f"invalid settings: IDEMPOTENCY_REQUIRED: no keyed write is named {', '.join(unknown)}"
            f" (keyed: {', '.join(sorted(keyed))}; PATCH needs IDEMPOTENCY_PATCH=true)"
        )
    return IdempotencyPolicy(
        ttl=settings.IDEMPOTENCY_TTL,
        claim_ttl=settings.IDEMPOTENCY_CLAIM_TTL,
        wait=settings.IDEMPOTENCY_WAIT,
        methods=frozenset(methods),
        required=frozenset(settings.IDEMPOTENCY_REQUIRED),
    )
