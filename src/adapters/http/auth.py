"""`requires_auth`: the bearer token (and the session it may be bound to) becomes a Principal."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, overload

from flask import g, request, session

from adapters.http.services import services
from core.principal import Principal

SESSION_UID = "uid"

F = TypeVar("F", bound=Callable[..., Any])


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer <token>` header, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def current_principal() -> Principal:
    """The caller proven by `requires_auth` for this request."""
    principal: Principal = g.principal
    return principal


@overload
def requires_auth(permission: F) -> F: ...
@overload
def requires_auth(permission: str | None = None) -> Callable[[F], F]: ...


def requires_auth(permission: str | Callable[..., Any] | None = None) -> Any:
    """401 without a valid token (or from another session), 403 without `permission`.

    Use bare (`@requires_auth`) or with a permission (`@requires_auth("items:admin")`).
    """
    if callable(permission):
        return _guard(permission, None)

    def decorate(view: F) -> F:
        return _guard(view, permission)

    return decorate


def _guard(view: F, permission: str | None) -> F:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        g.principal = (
            services()
            .auth_service()
            .authenticate(
                bearer_token(), session_uid=lambda: session.get(SESSION_UID), permission=permission
            )
        )
        return view(*args, **kwargs)

    return guarded  # type: ignore[return-value]
