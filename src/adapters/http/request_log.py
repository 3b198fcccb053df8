"""Request ids and one structured log line per request."""

from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, Response, g, request

log = logging.getLogger("api.requests")

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is kept only if it is short and plain, so it cannot forge log lines or headers.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def new_request_id() -> str:
    """32 random hex digits (as a UUID4's hex, without building the UUID)."""
    return secrets.token_hex(16)


def current_request_id() -> str | None:
    """The id of the request being handled, if any."""
    request_id: str | None = g.get("request_id")
    return request_id


def track_requests(app: Flask, *, log_each: bool) -> None:
    """Give every request an id (the caller's `X-Request-ID` or a new one) and echo it.

    With `log_each`, also log one line per request; under gunicorn its access log is that line
    and carries the echoed id, so the id is kept even when this line is off.
    """

    @app.before_request
    def start() -> None:
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = offered if _ACCEPTABLE_ID.fullmatch(offered) else new_request_id()
        if log_each:
            g.request_started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        request_id = g.get("request_id") or new_request_id()
        response.headers[REQUEST_ID_HEADER] = request_id
        if log_each:
            log_request(response, request_id)
        return response


def log_request(response: Response, request_id: str) -> None:
    """The request's one structured log line."""
    started = g.get("request_started", time.perf_counter())
    log.info(
        "request",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            "request_id": request_id,
            "remote_addr": request.remote_addr,
        },
    )
