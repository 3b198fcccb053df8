"""RFC 9457 problem details: the error body of a client that asks for `application/problem+json`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import current_app, has_request_context, request
from werkzeug.http import HTTP_STATUS_CODES

PROBLEM_JSON = "application/problem+json"
PLAIN_JSON = "application/json"
#: app.config key: True when a client naming neither media type gets problem details.
PROBLEMS_BY_DEFAULT = "HEXAPI_PROBLEMS_BY_DEFAULT"
# The problem type of every answer: its status says it all (RFC 9457 §4.2.1).
ABOUT_BLANK = "about:blank"
# Members of the request that are not in its body: named as parameters, not pointers.
WHOLE_BODY = frozenset({"body", "request"})


def wants_problem() -> bool:
    """Whether this request's error is answered with problem details.

    Its `Accept` decides; when it ranks both media types alike (`*/*`, or no Accept), the
    configured default does.
    """
    if not has_request_context():
        return False
    by_default = bool(current_app.config.get(PROBLEMS_BY_DEFAULT, False))
    offered = [PROBLEM_JSON, PLAIN_JSON] if by_default else [PLAIN_JSON, PROBLEM_JSON]
    return request.accept_mimetypes.best_match(offered, default=offered[0]) == PROBLEM_JSON


def problem_body(
    status: int,
    message: str,
    *,
    details: Sequence[Mapping[str, Any]] | None,
    extra: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """`type`, `title`, `status`, `detail`, `instance` (+ `errors`, and `extra` as members)."""
    body: dict[str, Any] = {
        "type": ABOUT_BLANK,
        "title": HTTP_STATUS_CODES.get(status, "Unknown Error"),
        "status": status,
        "detail": message,
        "instance": request.path,
    }
    if details is not None:
        body["errors"] = [field_problem(each["field"], each["message"]) for each in details]
    body.update(extra or {})
    return body


def field_problem(field: str, message: str) -> dict[str, str]:
    """One invalid field: a JSON pointer into the body, or the query or path parameter's name."""
    if field in request.args or field in (request.view_args or {}):
        return {"parameter": field, "detail": message}
    if field in WHOLE_BODY:
        return {"pointer": "", "detail": message}
    return {"pointer": json_pointer(field.split(".")), "detail": message}


def json_pointer(parts: Sequence[str]) -> str:
    """RFC 6901: `("tags", "0")` is `/tags/0`; `~` and `/` inside a part are escaped."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)
