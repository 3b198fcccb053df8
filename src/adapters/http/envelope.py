"""The one JSON error body every failure answers with: the envelope, or RFC 9457 on request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Response, json

from adapters.http.problems import PROBLEM_JSON, problem_body, wants_problem


def error_response(
    status: int,
    message: str,
    *,
    details: Sequence[Mapping[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """`{"error": status, "message": text, "success": false}` (+ `details`, `extra`).

    A client that asks for `application/problem+json` (or any client, when problem details
    are the configured default) gets the same facts as problem details (problems.py).
    """
    if wants_problem():
        body = problem_body(status, message, details=details, extra=extra)
        mimetype = PROBLEM_JSON
    else:
        body = {"error": status, "message": message, "success": False}
        if details is not None:
            body["details"] = list(details)
        body.update(extra or {})
        mimetype = "application/json"
    response = Response(json.dumps(body), status=status, mimetype=mimetype)
    response.headers.update(dict(headers or {}))
    response.vary.add("Accept")  # the body's shape follows the request's Accept
    return response
