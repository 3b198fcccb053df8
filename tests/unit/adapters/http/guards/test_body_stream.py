"""A body the server cannot read answers 400 in the envelope on every route."""

from __future__ import annotations

import io

import pytest
from flask import Flask

from api import create_app
from tests.contract.http_contract import assert_envelope
from tests.helpers import app_settings
from tests.shared_apps import reset_app


class BrokenBody(io.RawIOBase):
    """A request body whose reader fails after the first bytes, as a server's reader does."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.sent = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self.sent:
            self.sent = True
            buffer[:1] = b"{"
            return 1
        raise self.error


@pytest.fixture(scope="module")
def shared_app() -> Flask:
    return create_app(app_settings())


@pytest.fixture
def app(shared_app: Flask) -> Flask:
    return reset_app(shared_app)


def post_broken(app: Flask, path: str, error: Exception) -> object:
    return app.test_client().post(
        path,
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        environ_overrides={
            "wsgi.input": io.BufferedReader(BrokenBody(error)),
            "wsgi.input_terminated": True,
        },
    )


@pytest.mark.parametrize(
    "path", ["/api/users", "/api/auth/token", "/api/items", "/api/auth/refresh"]
)
@pytest.mark.parametrize(
    "error",
    [ValueError("Invalid chunk size: b'zz'"), TimeoutError("timed out"), OSError("reset")],
    ids=["bad framing", "stalled client", "lost client"],
)
def test_a_body_that_cannot_be_read_is_a_400_on_any_post_route(
    app: Flask, path: str, error: Exception
) -> None:
    body = assert_envelope(post_broken(app, path, error), 400)  # type: ignore[arg-type]
    assert "could not be read" in body["message"]
