"""Sessions opened on first use: a request that never uses its session never reaches the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin


class LazySession(SessionMixin):
    """The request's session, loaded from the store the first time it is read or written.

    Flask opens the session of every request before the view runs. With a cookie that is a
    store read (a file, a Redis round trip) on every call, also on routes that never look at
    the session; without one it is a new random id. Here that work waits for the first use.
    """

    def __init__(self, open_session: Callable[[], SessionMixin]) -> None:
        self._open = open_session
        self._session: SessionMixin | None = None

    @property
    def opened(self) -> bool:
        """Whether anything has used the session in this request."""
        return self._session is not None

    def loaded(self) -> SessionMixin:
        """The session itself, opened now if nothing has used it yet."""
        if self._session is None:
            self._session = self._open()
        return self._session

    def __getitem__(self, key: str) -> Any:
        return self.loaded()[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.loaded()[key] = value

    def __delitem__(self, key: str) -> None:
        del self.loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.loaded())

    def __len__(self) -> int:
        return len(self.loaded())

    # Dict methods go to the session itself, so that it tracks access and changes as usual.
    def get(self, key: str, default: Any = None) -> Any:
        return self.loaded().get(key, default)

    def setdefault(self, key: str, default: Any = None) -> Any:
        return self.loaded().setdefault(key, default)

    def pop(self, key: str, *default: Any) -> Any:
        return self.loaded().pop(key, *default)

    def clear(self) -> None:
        self.loaded().clear()

    @property
    def permanent(self) -> bool:
        return self.loaded().permanent

    @permanent.setter
    def permanent(self, value: bool) -> None:
        self.loaded().permanent = value

    @property
    def modified(self) -> bool:
        return self._session is not None and self._session.modified

    @modified.setter
    def modified(self, value: bool) -> None:
        self.loaded().modified = value

    @property
    def accessed(self) -> bool:
        return self._session is not None and self._session.accessed

    @accessed.setter
    def accessed(self, value: bool) -> None:
        self.loaded().accessed = value

    def __getattr__(self, name: str) -> Any:
        # The store's own attributes (Flask-Session's `sid`).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.loaded(), name)


def vary_on_cookie(response: Response) -> None:
    """Add `Cookie` to the response's `Vary` header.

    Werkzeug's `response.vary.add` parses and rewrites the header; most responses have no
    `Vary` yet, and setting it outright is far cheaper (docs/performance.md).
    """
    if "Vary" in response.headers:
        response.vary.add("Cookie")
    else:
        response.headers["Vary"] = "Cookie"


class LazySessions(SessionInterface):
    """Wraps a session interface so that each request's session opens on first use."""

    def __init__(self, inner: SessionInterface) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        """A session that asks the store only when used."""
        return LazySession(lambda: self._open(app, request))

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Store the session if anything used it; an unused one has nothing to store."""
        if isinstance(session, LazySession):
            if not session.opened:
                return
            session = session.loaded()
        if not session.modified and not (
            session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]
        ):
            # Read, not changed: the store would write nothing and set no cookie; what is left
            # of its work is to say that the answer depended on the cookie.
            if session.accessed:
                vary_on_cookie(response)
            return
        self._inner.save_session(app, session, response)

    def regenerate(self, session: SessionMixin) -> None:
        """Flask-Session's new id for a session (after a login), on the session itself."""
        inner = session.loaded() if isinstance(session, LazySession) else session
        self._inner.regenerate(inner)  # type: ignore[attr-defined]

    def _open(self, app: Flask, request: Request) -> SessionMixin:
        opened = self._inner.open_session(app, request)
        return opened if opened is not None else self._inner.make_null_session(app)
