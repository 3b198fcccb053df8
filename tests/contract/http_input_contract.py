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

    @pytest.mark.parametrize("body", ["null", "[]", "false", "0", '""', "true", '"title"'])
    def test_a_change_whose_body_is_no_object_is_422_and_keeps_the_version(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], body: str
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        answer = client.patch(url, data=body, content_type="application/json", headers=auth)
        assert [detail["field"] for detail in assert_envelope(answer, 422)["details"]] == ["body"]
        assert client.get(url).get_json() == created

    def test_a_change_without_a_body_is_422(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]]
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        assert_envelope(client.patch(url, headers=auth), 422)
        assert_envelope(client.patch(url, content_type="application/json", headers=auth), 422)
        assert client.get(url).get_json() == created

    @pytest.mark.parametrize("body", [{}, {"title": "guarded"}, {"title": "  guarded "}])
    def test_a_change_to_nothing_answers_the_item_and_keeps_its_version_and_etag(
        self,
        client: FlaskClient,
        item: tuple[dict[str, str], dict[str, Any]],
        body: dict[str, Any],
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        etag = client.get(url).headers["ETag"]
        answer = client.patch(url, json=body, headers={**auth, "If-Match": etag})
        assert answer.status_code == 200
        assert answer.get_json() == created
        assert answer.headers["ETag"] == etag
        assert client.get(url).get_json() == created

    def test_a_change_to_nothing_with_a_stale_version_is_still_412(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]]
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        assert_envelope(client.patch(url, json={"version": 2}, headers=auth), 412)
        assert_envelope(client.patch(url, json={}, headers={**auth, "If-Match": '"v2"'}), 412)

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

    def test_a_change_repeating_a_key_is_422_and_changes_nothing(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]]
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        body = '{"title": "one", "version": 1, "title": "two"}'
        answer = client.patch(url, data=body, content_type="application/json", headers=auth)
        assert assert_envelope(answer, 422)["details"][0]["field"] == "title"
        assert client.get(url).get_json() == created

    def test_registration_and_login_refuse_a_repeated_key(self, client: FlaskClient) -> None:
        user = '{"username": "dupkey", "password": "correct horse", "password": "battery staple"}'
        registered = client.post("/api/users", data=user, content_type="application/json")
        assert_envelope(registered, 422)
        login = '{"username": "dupkey", "username": "other", "password": "correct horse"}'
        assert_envelope(
            client.post("/api/auth/token", data=login, content_type="application/json"), 422
        )

    # NUL characters: one answer on every backend, before any store sees them.

    def test_an_id_holding_nul_is_422_on_read_change_and_delete(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]]
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}%00"
        for answer in (
            client.get(url),
            client.patch(url, json={"title": "x"}, headers=auth),
            client.delete(url, headers=auth),
        ):
            assert assert_envelope(answer, 422)["details"][0]["field"] == "item_id"
        assert client.get(f"/api/items/{created['id']}").get_json() == created

    @pytest.mark.parametrize(
        "query", ["title=a%00b", "title_prefix=%00", "title%00=x", "sort=title%00"]
    )
    def test_a_filter_holding_nul_is_422(self, client: FlaskClient, query: str) -> None:
        assert_envelope(client.get(f"/api/items?{query}"), 422)

    @pytest.mark.parametrize(
        "body",
        [
            {"username": "nul\u0000user", "password": "correct horse"},
            {"username": "someone", "password": "correct\u0000horse"},
            {"username\u0000": "someone", "password": "correct horse"},
        ],
    )
    def test_a_login_or_registration_holding_nul_is_422(
        self, client: FlaskClient, body: dict[str, str]
    ) -> None:
        assert_envelope(client.post("/api/auth/token", json=body), 422)
        assert_envelope(client.post("/api/users", json=body), 422)

    def test_a_title_holding_nul_is_422_and_stores_nothing(self, client: FlaskClient) -> None:
        auth = session_token(client)
        for body in ({"title": "a\u0000b"}, {"title": "ok", "extra": ["\u0000"]}):
            answer = client.post("/api/items", json=body, headers=auth)
            assert assert_envelope(answer, 422)["details"][0]["message"] == (
                "must not contain NUL characters"
            )
        assert client.get("/api/items").get_json()["total"] == 0
