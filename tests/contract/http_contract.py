"""The HTTP suite: every storage backend serves these requests with the same answers.

A backend's test module subclasses `HttpContract` and provides the `app` fixture.
"""

from __future__ import annotations

from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from core.errors import Unavailable


def assert_envelope(response: TestResponse, status: int) -> dict[str, Any]:
    """The response is the JSON error envelope with this status; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body: dict[str, Any] = response.get_json()
    assert body["error"] == status
    assert body["success"] is False
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def session_token(client: FlaskClient) -> dict[str, str]:
    """Authorization headers for an anonymous token bound to this client's session."""
    response = client.get("/api/public")
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


class HttpClients:
    """A test client, an anonymous session's token and a way to create an item; `app` is given."""

    @pytest.fixture
    def client(self, app: Flask) -> FlaskClient:
        return app.test_client()

    @pytest.fixture
    def auth(self, client: FlaskClient) -> dict[str, str]:
        return session_token(client)

    def create(self, client: FlaskClient, auth: dict[str, str], title: str) -> dict[str, Any]:
        response = client.post("/api/items", json={"title": title}, headers=auth)
        assert response.status_code == 201, response.get_data(as_text=True)
        body: dict[str, Any] = response.get_json()
        return body


class HttpContract(HttpClients):
    """What clients of the API can rely on, whatever the storage behind it."""

    # The original boilerplate's endpoints.

    def test_root_says_hello(self, client: FlaskClient) -> None:
        response = client.get("/")
        assert response.status_code == 200
        assert response.get_json() == {"message": "Hello World"}

    def test_public_gives_a_token_and_a_session_cookie(self, client: FlaskClient) -> None:
        response = client.get("/api/public")
        assert response.status_code == 200
        body = response.get_json()
        assert body["message"] == "this is a public url."
        assert body["token"].count(".") == 4  # a compact JWE
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    def test_restricted_accepts_the_token_with_its_session(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        response = client.get("/api/restricted", headers=auth)
        assert response.status_code == 200
        assert response.get_json() == {"message": "this is a restricted url."}

    def test_restricted_refuses_the_token_from_another_session(
        self, app: Flask, auth: dict[str, str]
    ) -> None:
        assert_envelope(app.test_client().get("/api/restricted", headers=auth), 401)

    def test_a_second_public_call_keeps_earlier_tokens_valid(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        client.get("/api/public")
        assert client.get("/api/restricted", headers=auth).status_code == 200

    @pytest.mark.parametrize(
        "header",
        [None, "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Bearer a.b.c.d.e"],
    )
    def test_restricted_without_a_valid_token_is_401(
        self, client: FlaskClient, header: str | None
    ) -> None:
        headers = {"Authorization": header} if header else {}
        response = client.get("/api/restricted", headers=headers)
        assert_envelope(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")

    # Items.

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"title": ""}, "title"),
            ({"title": "   "}, "title"),
            ({"title": "x" * 81}, "title"),
            ({"title": "tab\tinside"}, "title"),
            ({"title": 12}, "title"),
            ({"title": None}, "title"),
            ({"title": ["a"]}, "title"),
            ({}, "title"),
            ({"title": "ok", "owner_id": "me"}, "owner_id"),
            ([{"title": "a list"}], "body"),
            ("just a string", "body"),
            (7, "body"),
        ],
    )
    def test_an_invalid_body_is_422_with_details(
        self, client: FlaskClient, auth: dict[str, str], body: Any, field: str
    ) -> None:
        answer = assert_envelope(client.post("/api/items", json=body, headers=auth), 422)
        assert field in [detail["field"] for detail in answer["details"]]
        assert client.get("/api/items").get_json()["total"] == 0

    def test_listing_pages_sorts_and_filters(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        for title in ["pear", "apple", "plum", "apricot"]:
            self.create(client, auth, title)
        page = client.get("/api/items?sort=-title&limit=2&offset=1").get_json()
        assert [item["title"] for item in page["items"]] == ["pear", "apricot"]
        assert (page["total"], page["limit"], page["offset"]) == (4, 2, 1)
        prefixed = client.get("/api/items?title_prefix=ap&sort=title").get_json()
        assert [item["title"] for item in prefixed["items"]] == ["apple", "apricot"]
        exact = client.get("/api/items?title=plum").get_json()
        assert [item["title"] for item in exact["items"]] == ["plum"]

    # Operator injection: nothing from a request may become a Mongo operator, on any backend.

    @pytest.mark.parametrize(
        "body",
        [
            {"title": {"$gt": ""}},
            {"title": {"$where": "sleep(1000) || true"}},
            {"title": {"$ne": None}},
            {"title": ["$gt", ""]},
            {"$where": "this.title.length > 0"},
            {"title": "ok", "$ne": None},
            {"title": "ok", "owner_id": {"$ne": None}},
        ],
    )
    def test_an_operator_in_a_json_field_is_422_and_stores_nothing(
        self, client: FlaskClient, auth: dict[str, str], body: dict[str, Any]
    ) -> None:
        assert_envelope(client.post("/api/items", json=body, headers=auth), 422)
        assert client.get("/api/items").get_json()["total"] == 0

    @pytest.mark.parametrize(
        "body",
        [
            {"title": {"$gt": ""}},
            {"title": {"$ne": None}},
            {"title": {"$set": {"owner_id": "me"}}},
            {"version": {"$ne": None}},
            {"$where": "true"},
            {"$set": {"title": "x"}},
        ],
    )
    def test_an_operator_in_a_change_is_422_and_changes_nothing(
        self, client: FlaskClient, auth: dict[str, str], body: dict[str, Any]
    ) -> None:
        item = self.create(client, auth, "unchanged")
        response = client.patch(f"/api/items/{item['id']}", json=body, headers=auth)
        assert_envelope(response, 422)
        assert client.get(f"/api/items/{item['id']}").get_json() == item

    @pytest.mark.parametrize("title", ["$where", "$gt", "$ne", "$regex", "$set the table"])
    def test_operator_text_is_an_ordinary_title_found_only_literally(
        self, client: FlaskClient, auth: dict[str, str], title: str
    ) -> None:
        self.create(client, auth, "visible")
        item = self.create(client, auth, f"  {title}  ")
        assert item["title"] == title
        exact = client.get("/api/items", query_string={"title": title}).get_json()
        assert [found["id"] for found in exact["items"]] == [item["id"]]
        prefixed = client.get("/api/items", query_string={"title_prefix": title[:3]}).get_json()
        assert [found["id"] for found in prefixed["items"]] == [item["id"]]
        assert client.get("/api/items").get_json()["total"] == 2
        renamed = client.patch(
            f"/api/items/{item['id']}", json={"title": f"{title}!"}, headers=auth
        )
        assert renamed.get_json()["title"] == f"{title}!"

    @pytest.mark.parametrize(
        "query",
        [
            {"title": "$ne"},
            {"title": "$gt"},
            {"title_prefix": "$where"},
            {"title_prefix": "$regex"},
            {"title": "$where", "title_prefix": "$"},
        ],
    )
    def test_operator_text_in_a_filter_matches_nothing_but_itself(
        self, client: FlaskClient, auth: dict[str, str], query: dict[str, str]
    ) -> None:
        self.create(client, auth, "visible")
        page = client.get("/api/items", query_string=query).get_json()
        assert (page["total"], page["items"]) == (0, []), query

    def test_operator_text_in_a_query_parameter_is_a_literal_that_matches_nothing(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        self.create(client, auth, "visible")
        for query in ({"title": '{"$gt": ""}'}, {"title_prefix": ".*"}, {"title_prefix": "^"}):
            page = client.get("/api/items", query_string=query).get_json()
            assert (page["total"], page["items"]) == (0, []), query

    def test_a_dollar_before_a_digit_is_an_ordinary_title(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        item = self.create(client, auth, "$5 deal")
        assert self.create(client, auth, "$ sign")["title"] == "$ sign"
        exact = client.get("/api/items", query_string={"title": "$5 deal"}).get_json()
        assert [found["id"] for found in exact["items"]] == [item["id"]]
        prefixed = client.get("/api/items", query_string={"title_prefix": "$5"}).get_json()
        assert [found["id"] for found in prefixed["items"]] == [item["id"]]
        changed = client.patch(f"/api/items/{item['id']}", json={"title": "$10 deal"}, headers=auth)
        assert changed.get_json()["title"] == "$10 deal"

    # Errors raised by the framework itself.

    # Probes and CORS.

    def test_readyz_names_each_dependency(self, client: FlaskClient) -> None:
        response = client.get("/readyz")
        assert response.status_code == 200
        assert response.get_json()["dependencies"] == {
            "storage": {"status": "ok"},
            "session_store": {"status": "ok"},
        }

    def test_readyz_is_503_when_storage_is_down(self, app: Flask, client: FlaskClient) -> None:
        def down() -> None:
            raise Unavailable("database is not answering")

        with app.extensions["container"].storage_check.override(providers.Object(down)):
            response = client.get("/readyz")
        body = assert_envelope(response, 503)
        assert body["dependencies"]["storage"]["status"] == "unavailable"
        assert body["dependencies"]["session_store"] == {"status": "ok"}
