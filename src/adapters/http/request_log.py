"""Request ids and one structured log line per request."""

from __future__ import annotations

import logging
import random
import re
import time

from flask import Flask, Response, g, request

log = logging.getLogger("api.requests")

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_ENVIRON = "HTTP_X_REQUEST_ID"
# Where the request's id is kept once decided: in the WSGI environ, beside the request it names.
REQUEST_ID_KEY = "hexapi.request_id"
# A caller's id is kept only if it is short and plain, so it cannot forge log lines or headers.
_ACCEPTABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def new_request_id() -> str:
    """32 random hex digits, from the process's own generator.

    An id must be unique, not secret: `random` is seeded from the OS and reseeded in every
    forked worker, while `secrets` made a system call (getrandom) for each request.
    """
    return f"{random.getrandbits(128):032x}"


def current_request_id() -> str:
    """The id of the request being handled: the caller's `X-Request-ID` if plain, else a new one.

    Decided on first use (an error handler's log line, or the response header), so a request
    pays for no hook of its own before its view.
    """
    environ = request.environ
    request_id: str | None = environ.get(REQUEST_ID_KEY)
    if request_id is None:
        offered = environ.get(REQUEST_ID_ENVIRON, "")
        request_id = offered if _ACCEPTABLE_ID.fullmatch(offered) else new_request_id()
        environ[REQUEST_ID_KEY] = request_id
    return request_id


def track_requests(app: Flask, *, log_each: bool) -> None:
    """Give every request an id (the caller's `X-Request-ID` or a new one) and echo it.

    With `log_each`, also log one line per request; under gunicorn its access log is that line
    and carries the echoed id, so the id is kept even when this line is off.
    """
    if log_each:

        @app.before_request
        def start() -> None:
            g.request_started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        request_id = current_request_id()
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
