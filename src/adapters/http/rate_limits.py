"""Rate limits (Flask-Limiter): a default per client address, a stricter one for credentials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from adapters.http.rate_limit_storage import storage_uri_for

F = TypeVar("F", bound=Callable[..., Any])


class RateLimits:
    """The limiter of one app and the decorator its credential routes wear."""

    def __init__(self, *, default: str, credentials: str, storage_uri: str, enabled: bool) -> None:
        self.limiter = Limiter(
            get_remote_address,
            default_limits=[default],
            storage_uri=storage_uri_for(storage_uri),
            headers_enabled=True,
            enabled=enabled,
            # A counter store that stops answering must not take the API down with it.
            swallow_errors=True,
            in_memory_fallback_enabled=True,
        )
        self._credentials = credentials

    def credentials(self, view: F) -> F:
        """The stricter limit for routes that take a password (login, register)."""
        return cast(F, self.limiter.limit(self._credentials)(view))

    def exempt(self, view: F) -> F:
        """No limit: probes a load balancer polls, and the API's own documentation."""
        return cast(F, self.limiter.exempt(view))

    def attach(self, app: Flask) -> None:
        """Start counting this app's requests."""
        self.limiter.init_app(app)
        # Flask-Limiter's route decorators hold the limiter weakly; the app must hold it.
        app.extensions["rate_limits"] = self
