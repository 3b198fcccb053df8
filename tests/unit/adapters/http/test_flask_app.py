"""ApiFlask remembers plain functions and still runs `async def` views through Flask's wrapper."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from adapters.http.flask_app import ApiFlask


class RecordingApp(ApiFlask):
    """Runs coroutines with asyncio (no asgiref here) and records each wrapping."""

    def __init__(self) -> None:
        super().__init__("recording")
        self.wrapped: list[Callable[..., Any]] = []

    def async_to_sync(self, func: Callable[..., Coroutine[Any, Any, Any]]) -> Callable[..., Any]:
        self.wrapped.append(func)
        return lambda *args, **kwargs: asyncio.run(func(*args, **kwargs))


def recording_app() -> RecordingApp:
    app = RecordingApp()

    @app.get("/sync")
    def plain() -> dict[str, str]:
        return {"kind": "sync"}

    @app.get("/async")
    async def coroutine() -> dict[str, str]:
        await asyncio.sleep(0)
        return {"kind": "async"}

    return app


def test_plain_views_answer_and_are_returned_as_they_are() -> None:
    app = recording_app()
    client = app.test_client()
    for _ in range(3):
        assert client.get("/sync").get_json() == {"kind": "sync"}
    plain = app.view_functions["plain"]
    assert app.ensure_sync(plain) is plain
    assert app.wrapped == []


def test_async_views_go_through_flasks_wrapper_on_every_request() -> None:
    app = recording_app()
    client = app.test_client()
    for _ in range(2):
        assert client.get("/async").get_json() == {"kind": "async"}
    assert app.wrapped == [app.view_functions["coroutine"]] * 2
