"""gunicorn's answers to requests it cannot parse, as the JSON envelope instead of its HTML page.

Relies on gunicorn's internals (its parser's exception classes, `Worker.handle_error`, the
`Response` it logs): the version range is pinned in pyproject.toml and
tests/integration/test_gunicorn_errors.py fails when gunicorn answers differently.
"""

from __future__ import annotations

import json
import ssl
from datetime import datetime
from http import HTTPStatus
from typing import Any

from gunicorn import util
from gunicorn.http import errors
from gunicorn.http.wsgi import Response, default_environ

# Most specific first; the statuses gunicorn 27 gives (workers/base.py, handle_error). A header
# the application tried to send is the application's fault: 500, as gunicorn has it.
STATUS_OF: tuple[tuple[type[BaseException], int], ...] = (
    (errors.InvalidResponseHeader, 500),
    (errors.InvalidResponseHeaderName, 500),
    (errors.ConfigurationProblem, 500),
    (errors.LimitRequestLine, 414),
    (errors.LimitRequestHeaders, 431),
    (errors.ExpectationFailed, 417),
    (errors.UnsupportedTransferCoding, 501),
    (errors.ForbiddenProxyRequest, 403),
    (ssl.SSLError, 403),
    # Every other complaint of the parser is about the request (gunicorn answers 500 to a
    # malformed PROXY header alone, InvalidProxyHeader; here it is a 400 like the rest).
    (errors.ParseException, 400),
)
MESSAGE_LIMIT = 200


def status_of(error: BaseException) -> int:
    """The status of the answer to a request that failed with `error` inside gunicorn."""
    return next((code for kind, code in STATUS_OF if isinstance(error, kind)), 500)


def envelope_bytes(status: int, message: str) -> bytes:
    """A whole HTTP/1.1 answer carrying the envelope; the connection closes after it."""
    body = json.dumps({"error": status, "message": message, "success": False}).encode()
    head = (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class JsonErrors:
    """Mixin for a gunicorn worker class: its `handle_error` answers the envelope."""

    cfg: Any
    log: Any

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        """Log as gunicorn does (a warning, or a traceback when ours), then answer the envelope."""
        started = datetime.now()
        addr = addr or ("", -1)  # a unix socket has no peer address
        status = status_of(exc)
        if status == 500:
            self.log.exception("Error handling request %s", getattr(req, "uri", "(no URI read)"))
            message = "internal server error"
        else:
            self.log.warning("Invalid request from ip=%s: %s", addr[0], exc)
            message = str(exc)[:MESSAGE_LIMIT] or HTTPStatus(status).phrase.lower()
        payload = envelope_bytes(status, message)
        if req is None and isinstance(exc, errors.InvalidHeader | errors.InvalidHeaderName):
            req = getattr(exc, "req", None)  # for the access line
        if req is not None:
            self._log_access(req, client, addr, status, len(payload), started)
        try:
            util.write_nonblock(client, payload)
            # The rest of a refused request may still be arriving: closing with it unread
            # would reset the connection and could drop the answer before the client reads it.
            util.close_graceful(client)
        except Exception:  # the client is gone; nothing more to tell it
            self.log.debug("Failed to send error message.")

    def _log_access(
        self, req: Any, client: Any, addr: Any, status: int, sent: int, started: datetime
    ) -> None:
        environ = default_environ(req, client, self.cfg)
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = addr[0], str(addr[1])
        response = Response(req, client, self.cfg)
        response.status = f"{status} {HTTPStatus(status).phrase}"
        response.sent = sent
        self.log.access(response, req, environ, datetime.now() - started)
