"""A request body that cannot be read is the client's fault: 400 in the envelope, never a 500."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeVar

from flask import Flask
from werkzeug.exceptions import HTTPException

T = TypeVar("T")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class UnreadableBody(HTTPException):
    """The server could not read the body: bad chunk framing or trailer, a stalled or lost peer."""

    # Not a BadRequest: code that turns BadRequest into "not valid JSON" must let this through.
    code = 400
    description = "the request body could not be read (malformed chunked framing or a lost client)"


class GuardedInput:
    """`wsgi.input` whose read failures, whatever the server, raise UnreadableBody."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def read(self, size: int | None = -1) -> bytes:
        return self._guard(lambda: self._stream.read(-1 if size is None else size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._guard(lambda: self._stream.readline(-1 if size is None else size))

    def readlines(self, hint: int | None = -1) -> list[bytes]:
        return self._guard(lambda: self._stream.readlines(-1 if hint is None else hint))

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def _guard(self, read: Callable[[], T]) -> T:
        try:
            return read()
        except HTTPException:
            raise
        # The server's own exceptions (gunicorn's InvalidChunkSize, a socket timeout, ...): the
        # adapter cannot name them all, and none of them is the service's fault.
        except Exception as error:
            raise UnreadableBody() from error


def guard_body_reads(app: Flask) -> None:
    """Wrap the app so that every route reads its body through GuardedInput."""
    inner: WsgiApp = app.wsgi_app

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        stream = environ.get("wsgi.input")
        if stream is not None:
            environ["wsgi.input"] = GuardedInput(stream)
        return inner(environ, start_response)

    app.wsgi_app = guarded  # type: ignore[method-assign]
