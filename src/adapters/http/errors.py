"""Error handlers: domain errors, Werkzeug's own errors and crashes all answer the envelope."""

from __future__ import annotations

import logging

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from adapters.http.envelope import error_response
from adapters.http.request_log import current_request_id
from core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    StaleVersion,
    Unauthorized,
    Unavailable,
    ValidationError,
)

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = "5"

# Most specific first: StaleVersion is a Conflict the client asked to be told about as 412.
STATUS_OF: list[tuple[type[DomainError], int]] = [
    (StaleVersion, 412),
    (NotFound, 404),
    (Conflict, 409),
    (ValidationError, 422),
    (Unauthorized, 401),
    (Forbidden, 403),
    (Unavailable, 503),
]

# Headers of Werkzeug's own responses that still mean something inside the envelope.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


def domain_error_response(error: DomainError) -> Response:
    """The envelope for a domain error, with the status and headers it implies."""
    status = next((code for kind, code in STATUS_OF if isinstance(error, kind)), 400)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if status == 503:
        headers["Retry-After"] = RETRY_AFTER_SECONDS
    details = None
    if isinstance(error, ValidationError):
        details = [{"field": field, "message": text} for field, text in error.details.items()]
    return error_response(status, error.message, details=details, headers=headers)


def http_error_response(error: HTTPException) -> Response:
    """The envelope for an error Werkzeug raised (404, 405, 413, malformed JSON, ...)."""
    status = error.code or 500
    kept = {name: value for name, value in error.get_headers() if name in KEPT_HEADERS}
    if error.response is not None:
        kept |= {name: value for name, value in error.response.headers if name in KEPT_HEADERS}
    message = error.description or error.name
    if status == 429:
        message = f"too many requests: at most {message}"  # the rate limiter describes the limit
    return error_response(status, message, headers=kept)


def crash_response(error: Exception) -> Response:
    """A 500 that logs the traceback under the request id and tells the client only the id."""
    request_id = current_request_id()
    log.error("unhandled error", exc_info=error, extra={"request_id": request_id})
    return error_response(500, f"internal server error (request {request_id})")


def register_error_handlers(app: Flask) -> None:
    """Route every failure through the envelope."""
    app.register_error_handler(DomainError, domain_error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(Exception, crash_response)
