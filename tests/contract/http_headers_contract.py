"""The HTTP suite for the protective headers: nosniff everywhere, no-store on token answers."""

from __future__ import annotations

from typing import Any

from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.contract.http_auth_contract import login, register
from tests.contract.http_contract import assert_envelope
from tests.contract.http_input_contract import OwnedItem


class HttpHeadersContract(OwnedItem):
    """Headers that keep tokens out of caches and stop content sniffing, on every backend."""

    @staticmethod
    def assert_not_stored(response: TestResponse) -> None:
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Pragma"] == "no-cache"

    def test_every_answer_that_carries_a_token_may_not_be_stored(self, client: FlaskClient) -> None:
        public = client.get("/api/public")
        assert "token" in public.get_json()
        self.assert_not_stored(public)
        register(client, "cautious")
        answer = client.post(
            "/api/auth/token", json={"username": "cautious", "password": "correct horse battery"}
        )
        assert "refresh_token" in answer.get_json()
        self.assert_not_stored(answer)
        renewed = client.post(
            "/api/auth/refresh", json={"refresh_token": answer.get_json()["refresh_token"]}
        )
        assert renewed.status_code == 200
        self.assert_not_stored(renewed)
        refused = client.post("/api/auth/token", json={"username": "cautious", "password": "x"})
        assert_envelope(refused, 401)
        self.assert_not_stored(refused)

    def test_answers_without_a_token_stay_cacheable(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]]
    ) -> None:
        _, created = item
        for response in (client.get(f"/api/items/{created['id']}"), client.get("/")):
            assert "no-store" not in response.headers.get("Cache-Control", "")

    def test_every_answer_forbids_content_sniffing_errors_included(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]]
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        tokens = login(client, register(client, "sniffless")["username"])
        answers = [
            client.get("/"),
            client.get(url),
            client.get(url, headers={"If-None-Match": '"v1"'}),
            client.get("/api/items/missing"),
            client.put("/api/items"),
            client.post("/api/items", data="x", headers=auth),
            client.post("/api/items", json={"title": 1}, headers=auth),
            client.patch(url, json={"title": "x"}, headers={**auth, "If-Match": '"v9"'}),
            client.get("/api/restricted"),
            client.post("/api/auth/logout", headers={"Authorization": f"Bearer {tokens['token']}"}),
            client.get("/docs"),
            client.get("/openapi.json"),
        ]
        assert {response.status_code for response in answers} >= {200, 204, 304, 401, 404, 405}
        for response in answers:
            assert response.headers["X-Content-Type-Options"] == "nosniff", response.status

    def test_a_crash_answer_forbids_content_sniffing_too(self, app: Flask) -> None:
        class Exploding:
            def get(self, item_id: str) -> None:
                raise RuntimeError(item_id)

        with app.extensions["container"].item_service.override(providers.Object(Exploding())):
            response = app.test_client().get("/api/items/<script>")
        assert_envelope(response, 500)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
