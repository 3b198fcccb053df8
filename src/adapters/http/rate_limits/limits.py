"""Rate limits: a default per client and route, a stricter one for credentials, none on probes.

Counting is the `limits` library's fixed window on a shared store (Redis, ...), or
LocalWindows in process for `memory://`; this module only decides, once per route, which
limits apply, and answers 429 with the X-RateLimit-* headers. Flask-Limiter, which sits on
the same library, resolved each route's limits afresh on every request (docs/decisions.md,
docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Flask, Response, request
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from werkzeug.exceptions import TooManyRequests

from adapters.http.rate_limits.counters import Counters
from adapters.http.rate_limits.login_throttle import LoginThrottle
from adapters.http.rate_limits.windows import Hit

F = TypeVar("F", bound=Callable[..., Any])

# The limits a view function carries; functools.wraps copies it to the decorators above it.
LIMITS_ATTRIBUTE = "hexapi_rate_limits"
# Where a request's Hit waits for its response headers (in the WSGI environ, with the request).
REQUEST_LIMIT = "hexapi.rate_limit"
NO_LIMITS: tuple[RateLimitItem, ...] = ()
IN_PROCESS = "memory://"
PREFLIGHT = "cors-preflight"  # the counter identifier every OPTIONS request shares


def counter_store(uri: str, options: Mapping[str, Any] | None = None) -> Storage | None:
    """The limits store a URI names, its failures arriving as limits' StorageError.

    None for `memory://`: those windows are counted by the rate limiter itself, in process.
    """
    if uri.startswith(IN_PROCESS):
        return None
    store = storage_from_string(uri, wrap_exceptions=True, **(options or {}))
    if not isinstance(store, Storage):
        raise ValueError(f"{uri.split('://')[0]}:// is an asyncio store; a WSGI app needs another")
    return store


class RateLimits:
    """The limits of one app and the decorators its views wear."""

    _app: Flask  # the app it counts for, set by attach()

    def __init__(
        self,
        *,
        default: str,
        credentials: str,
        storage_uri: str,
        login_failures: str,
        login_failures_account: str,
        storage_options: Mapping[str, Any] | None = None,
        enabled: bool,
    ) -> None:
        self._default = tuple(parse_many(default))
        self._credentials = tuple(parse_many(credentials))
        self._enabled = enabled
        self.counters = Counters(counter_store(storage_uri, storage_options)) if enabled else None
        self._by_endpoint: dict[str, tuple[RateLimitItem, ...]] = {}
        self.logins = LoginThrottle(
            self.counters,
            per_client=tuple(parse_many(login_failures)),
            per_account=tuple(parse_many(login_failures_account)),
        )

    def credentials(self, view: F) -> F:
        """The stricter limit for routes that take a password (login, register)."""
        setattr(view, LIMITS_ATTRIBUTE, self._credentials)
        return view

    def exempt(self, view: F) -> F:
        """No limit: probes a load balancer polls, and the API's own documentation."""
        setattr(view, LIMITS_ATTRIBUTE, NO_LIMITS)
        return view

    def attach(self, app: Flask) -> None:
        """Start counting this app's requests."""
        if self.counters is None:
            return
        self._app = app
        app.before_request(self._count)
        app.after_request(self._describe)
        app.extensions["rate_limits"] = self

    def _limits_of(self, endpoint: str) -> tuple[RateLimitItem, ...]:
        """The limits a route counts against (decided once per route)."""
        limits = self._by_endpoint.get(endpoint)
        if limits is None:
            view = self._app.view_functions.get(endpoint)
            limits = getattr(view, LIMITS_ATTRIBUTE, self._default)
            self._by_endpoint[endpoint] = limits
        return limits

    def _count(self) -> None:
        current = request._get_current_object()  # type: ignore[attr-defined]  # once, not per use
        endpoint = current.endpoint
        if endpoint is None or self.counters is None:
            return  # no route matched: the 404 or 405 costs nothing to count
        # ProxyFix (PROXY_FIX_X_FOR) has already put the client's own address here.
        client = current.remote_addr or "unknown"
        if current.method == "OPTIONS":
            # A browser's CORS preflight is not the request it asks about: it spends no route's
            # budget (a login's least of all), only a default window of its own.
            limits, endpoint = self._default, PREFLIGHT
        else:
            limits = self._limits_of(endpoint)
        for limit in limits:
            hit = self.counters.hit(limit, client, endpoint)
            current.environ[REQUEST_LIMIT] = hit
            if not hit.allowed:
                raise TooManyRequests(description=str(limit), retry_after=hit.seconds_to_reset())

    def _describe(self, response: Response) -> Response:
        hit: Hit | None = request.environ.get(REQUEST_LIMIT)
        if hit is not None:
            # add, not set: no one else writes these, and set would first look for them
            headers = response.headers
            headers.add("X-RateLimit-Limit", str(hit.limit.amount))
            headers.add("X-RateLimit-Remaining", str(hit.remaining))
            headers.add("X-RateLimit-Reset", str(int(hit.reset_at)))
        return response
