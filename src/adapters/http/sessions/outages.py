"""Server-side sessions whose store is down: a 503 for the requests that use them, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin

from adapters.http.errors import domain_error_response
from core.errors import Unavailable

# Headers of the original answer that still hold once it has become a 503.
_KEPT_HEADERS = ("x-request-id", "access-control-", "vary")


class UnreachableSession(SessionMixin):
    """Stands in for a session the store could not load: any read or write raises Unavailable."""

    def __init__(self, cause: Unavailable) -> None:
        self._cause = cause

    def _fail(self) -> NoReturn:
        raise Unavailable(self._cause.message) from self._cause

    def __getitem__(self, key: str) -> Any:
        self._fail()

    def __setitem__(self, key: str, value: Any) -> None:
        self._fail()

    def __delitem__(self, key: str) -> None:
        self._fail()

    def __iter__(self) -> Iterator[str]:
        self._fail()

    def __len__(self) -> int:
        self._fail()


class OutageTolerantSessions(SessionInterface):
    """Wraps Flask-Session's interface so that a store outage reaches the error handlers.

    Flask opens the session before any handler can answer, so an exception there is a 500.
    Here it becomes an UnreachableSession: routes that never touch the session still work,
    and those that do raise Unavailable inside the view, which the envelope maps to 503.
    """

    def __init__(self, inner: SessionInterface) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        # Flask-Session's extras (regenerate) stay reachable through current_app.
        return getattr(self._inner, name)

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        """The stored session, or an UnreachableSession when the store does not answer."""
        try:
            return self._inner.open_session(app, request)
        except Unavailable as error:
            return UnreachableSession(error)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Store the session; if the store fails now, the answer becomes a 503."""
        if isinstance(session, UnreachableSession):
            return
        try:
            self._inner.save_session(app, session, response)
        except Unavailable as error:
            # The view answered, but what it put in the session is lost (a bound token whose
            # uid nobody stored): the client must not take that answer as a success.
            _replace(response, domain_error_response(error))


def _replace(response: Response, error: Response) -> None:
    kept = [
        (name, value) for name, value in response.headers if name.lower().startswith(_KEPT_HEADERS)
    ]
    response.status_code = error.status_code
    response.set_data(error.get_data())
    response.headers.clear()
    response.headers.extend(error.headers)
    response.headers.extend(kept)
