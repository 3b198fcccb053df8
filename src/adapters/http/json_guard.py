"""The API speaks JSON only: a request body must be JSON (415) and well-formed (400)."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def require_json_bodies(app: Flask) -> None:
    """Check every body before any view runs; the parsed JSON is cached for the view."""

    @app.before_request
    def check_body() -> None:
        if request.method not in BODY_METHODS or not _has_body():
            return
        if not request.is_json:
            raise UnsupportedMediaType("the request body must be JSON (application/json)")
        try:
            request.get_json()
        except BadRequest:
            raise BadRequest("the request body is not valid JSON") from None
        except RecursionError:
            raise BadRequest("the request body is nested too deeply") from None


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"
