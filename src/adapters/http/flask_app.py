"""The service's Flask classes: Flask's own, minus per-request costs that never change an answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.http import parse_cookie
from werkzeug.utils import cached_property

# Beyond this many callables the set stops growing (an app registers a few dozen at most).
KNOWN_SYNC_LIMIT = 4096


class ApiRequest(Request):
    """Flask's request, reading its cookies straight from the environ.

    Werkzeug joins every `Cookie` header it finds by walking all the request's headers, since
    its header view cannot know that a WSGI environ holds them in the one `HTTP_COOKIE` key
    (several headers arrive there joined). Looking that key up gives the same cookies, faster
    (docs/performance.md); tests/unit/adapters/http/test_library_shortcuts.py guards it.
    """

    @cached_property
    def cookies(self) -> ImmutableMultiDict[str, str]:
        """The request's cookies, as Werkzeug parses them."""
        # Werkzeug types the result as the base MultiDict whatever `cls` is.
        cookies = parse_cookie(self.environ.get("HTTP_COOKIE", ""), cls=self.dict_storage_class)
        return cast(ImmutableMultiDict[str, str], cookies)


class ApiFlask(Flask):
    """Flask, remembering which hooks and views are plain functions.

    Flask asks `inspect.iscoroutinefunction` about every hook, view and teardown of every
    request. A callable's kind never changes, so each is
    asked once. `async def` views still go through Flask's own `async_to_sync` on each call,
    exactly as before.
    """

    request_class = ApiRequest

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._known_sync: set[Callable[..., Any]] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """`func` itself when it is a plain function, else Flask's synchronous wrapper of it."""
        if func in self._known_sync:
            return func
        wrapped = super().ensure_sync(func)
        if wrapped is func and len(self._known_sync) < KNOWN_SYNC_LIMIT:
            self._known_sync.add(func)
        return wrapped
