"""Headers every answer carries, and those of the answers that hand out tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, request

F = TypeVar("F", bound=Callable[..., Any])

NO_STORE_ATTRIBUTE = "_no_store"


def no_store(view: F) -> F:
    """Mark a view whose answers carry a token: no cache may keep them (RFC 6749 §5.1)."""
    setattr(view, NO_STORE_ATTRIBUTE, True)
    return view


def send_protective_headers(app: Flask) -> None:
    """`X-Content-Type-Options: nosniff` on every answer, errors included; `no-store` where marked.

    nosniff stops a browser from guessing that a JSON error echoing request text is HTML or a
    script. The marks are read once per endpoint.
    """
    marked: dict[str | None, bool] = {}

    @app.after_request
    def protect(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        endpoint = request.endpoint
        if endpoint not in marked:
            view = app.view_functions.get(endpoint) if endpoint else None
            marked[endpoint] = bool(getattr(view, NO_STORE_ATTRIBUTE, False))
        if marked[endpoint]:
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"  # for HTTP/1.0 caches, as RFC 6749 asks
        return response
