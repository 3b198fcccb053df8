"""The one JSON error body every failure answers with."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Response, json


def error_response(
    status: int,
    message: str,
    *,
    details: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """`{"error": status, "message": text, "success": false}` (+ `details`, `extra`)."""
    body: dict[str, Any] = {"error": status, "message": message, "success": False}
    if details is not None:
        body["details"] = list(details)
    body.update(extra or {})
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers.update(dict(headers or {}))
    return response
