"""The HTTP suite for hostile bodies and text: refused with a clear answer, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.contract.http_contract import assert_envelope, session_token


class OwnedItem:
    """An item created by the client's own anonymous session: `(auth headers, item)`."""

    @pytest.fixture
    def item(self, client: FlaskClient) -> tuple[dict[str, str], dict[str, Any]]:
        auth = session_token(client)
        response = client.post("/api/items", json={"title": "guarded"}, headers=auth)
        assert response.status_code == 201
        return auth, response.get_json()


class HttpInputContract(OwnedItem):
    """Hostile bodies and text are refused with the envelope, the same on every backend."""

    # A PATCH body is a JSON object; a change to nothing keeps the version.

    # Duplicate keys: refused, nothing stored, whatever the route.

    @pytest.mark.parametrize(
        "body",
        [
            '{"title": "first", "title": "second"}',
            '{"title": "same", "title": "same"}',
            '{"title": "outer", "x": {"a": 1, "a": 2}}',
        ],
    )
    def test_a_body_repeating_a_key_is_422_and_stores_nothing(
        self, client: FlaskClient, body: str
    ) -> None:
        auth = session_token(client)
        answer = client.post("/api/items", data=body, content_type="application/json", headers=auth)
        details = assert_envelope(answer, 422)["details"]
        assert details[0]["message"] == "must be given once"
        assert client.get("/api/items").get_json()["total"] == 0

    # NUL characters: one answer on every backend, before any store sees them.

    def test_a_title_holding_nul_is_422_and_stores_nothing(self, client: FlaskClient) -> None:
        auth = session_token(client)
        for body in ({"title": "a\u0000b"}, {"title": "ok", "extra": ["\u0000"]}):
            answer = client.post("/api/items", json=body, headers=auth)
            assert assert_envelope(answer, 422)["details"][0]["message"] == (
                "must not contain NUL characters"
            )
        assert client.get("/api/items").get_json()["total"] == 0
