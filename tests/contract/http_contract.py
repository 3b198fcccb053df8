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
from tests.helpers import unique


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


class HttpContract:
    """What clients of the API can rely on, whatever the storage behind it."""

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

    def test_creating_an_item_answers_201_with_location(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        response = client.post("/api/items", json={"title": "  first item  "}, headers=auth)
        assert response.status_code == 201
        item = response.get_json()
        assert item["title"] == "first item"
        assert item["version"] == 1
        assert response.headers["Location"] == f"/api/items/{item['id']}"
        assert client.get(response.headers["Location"]).get_json() == item

    def test_the_owner_is_the_token_subject(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        first = self.create(client, auth, unique())
        second = self.create(client, auth, unique())
        assert first["owner_id"] == second["owner_id"]

    def test_creating_without_a_token_is_401_and_stores_nothing(self, client: FlaskClient) -> None:
        assert_envelope(client.post("/api/items", json={"title": "x"}), 401)
        assert client.get("/api/items").get_json()["total"] == 0

    def test_a_duplicate_title_is_409(self, client: FlaskClient, auth: dict[str, str]) -> None:
        self.create(client, auth, "taken")
        assert_envelope(client.post("/api/items", json={"title": "taken"}, headers=auth), 409)

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

    def test_malformed_json_is_400(self, client: FlaskClient, auth: dict[str, str]) -> None:
        response = client.post(
            "/api/items", data='{"title": ', content_type="application/json", headers=auth
        )
        assert_envelope(response, 400)

    def test_absurdly_nested_json_is_400(self, client: FlaskClient, auth: dict[str, str]) -> None:
        response = client.post(
            "/api/items", data="[" * 200_000, content_type="application/json", headers=auth
        )
        assert_envelope(response, 400)

    def test_invalid_utf8_is_400(self, client: FlaskClient, auth: dict[str, str]) -> None:
        response = client.post(
            "/api/items",
            data=b'{"title": "\xff\xfe"}',
            content_type="application/json",
            headers=auth,
        )
        assert_envelope(response, 400)

    def test_a_body_that_is_not_json_is_415(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        response = client.post("/api/items", data="title=x", headers=auth)
        assert_envelope(response, 415)

    def test_a_body_over_the_size_limit_is_413(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        big = '{"title": "' + "x" * (1024 * 1024) + '"}'
        response = client.post(
            "/api/items", data=big, content_type="application/json", headers=auth
        )
        assert_envelope(response, 413)

    def test_a_missing_item_is_404(self, client: FlaskClient) -> None:
        assert_envelope(client.get("/api/items/" + "0" * 32), 404)
        assert_envelope(client.get("/api/items/" + "z" * 500), 404)

    def test_the_owner_changes_an_item(self, client: FlaskClient, auth: dict[str, str]) -> None:
        item = self.create(client, auth, "draft")
        response = client.patch(
            f"/api/items/{item['id']}", json={"title": "final", "version": 1}, headers=auth
        )
        assert response.status_code == 200
        changed = response.get_json()
        assert (changed["title"], changed["version"]) == ("final", 2)
        assert changed["created_at"] == item["created_at"]

    def test_a_stale_version_is_412_and_changes_nothing(
        self, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        item = self.create(client, auth, "v1")
        client.patch(f"/api/items/{item['id']}", json={"title": "v2"}, headers=auth)
        response = client.patch(
            f"/api/items/{item['id']}", json={"title": "v3", "version": 1}, headers=auth
        )
        assert_envelope(response, 412)
        assert client.get(f"/api/items/{item['id']}").get_json()["title"] == "v2"

    def test_another_caller_may_not_change_or_delete_an_item(
        self, app: Flask, client: FlaskClient, auth: dict[str, str]
    ) -> None:
        item = self.create(client, auth, "mine")
        stranger = app.test_client()
        theirs = session_token(stranger)
        url = f"/api/items/{item['id']}"
        assert_envelope(stranger.patch(url, json={"title": "stolen"}, headers=theirs), 403)
        assert_envelope(stranger.delete(url, headers=theirs), 403)
        assert client.get(url).get_json() == item

    def test_the_owner_deletes_an_item(self, client: FlaskClient, auth: dict[str, str]) -> None:
        item = self.create(client, auth, "short-lived")
        response = client.delete(f"/api/items/{item['id']}", headers=auth)
        assert response.status_code == 204
        assert response.get_data() == b""
        assert_envelope(client.get(f"/api/items/{item['id']}"), 404)

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

    @pytest.mark.parametrize(
        "query",
        [
            "limit=0",
            "limit=101",
            "limit=ten",
            "offset=-1",
            "limit=99999999999999999999999",
            "sort=password",
            "sort=title;drop",
            "color=red",
            "limit=1&limit=2",
        ],
    )
    def test_a_bad_listing_query_is_422(self, client: FlaskClient, query: str) -> None:
        assert_envelope(client.get(f"/api/items?{query}"), 422)

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

    @pytest.mark.parametrize(
        "query",
        [
            {"title[$ne]": "x"},
            {"title_prefix[$regex]": ".*"},
            {"$where": "true"},
            {"title": ["a", "b"]},
        ],
    )
    def test_an_operator_as_a_query_parameter_name_is_422(
        self, client: FlaskClient, auth: dict[str, str], query: dict[str, Any]
    ) -> None:
        self.create(client, auth, "visible")
        assert_envelope(client.get("/api/items", query_string=query), 422)

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

    def test_an_unknown_route_is_404(self, client: FlaskClient) -> None:
        assert_envelope(client.get("/no/such/route"), 404)

    def test_a_wrong_method_is_405_with_allow(self, client: FlaskClient) -> None:
        response = client.put("/api/items")
        assert_envelope(response, 405)
        assert "POST" in response.headers["Allow"]

    def test_an_unexpected_failure_is_a_bare_500(self, app: Flask, client: FlaskClient) -> None:
        class Exploding:
            def get(self, item_id: str) -> None:
                raise RuntimeError(f"secret detail about {item_id}")

        with app.extensions["container"].item_service.override(providers.Object(Exploding())):
            response = client.get("/api/items/anything")
        body = assert_envelope(response, 500)
        assert "secret" not in body["message"]

    # Probes and CORS.

    def test_healthz_answers_while_the_process_runs(self, client: FlaskClient) -> None:
        assert client.get("/healthz").get_json() == {"status": "ok"}

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

    def test_cors_allows_only_configured_origins(self, client: FlaskClient) -> None:
        allowed = client.get("/", headers={"Origin": "http://allowed.example"})
        refused = client.get("/", headers={"Origin": "http://evil.example"})
        assert allowed.headers["Access-Control-Allow-Origin"] == "http://allowed.example"
        assert "Access-Control-Allow-Origin" not in refused.headers

    def test_cors_headers_only_answer_an_origin(self, client: FlaskClient) -> None:
        same_origin = client.get("/")
        assert not [name for name in same_origin.headers.keys() if name.startswith("Access-")]
        cross = client.get("/", headers={"Origin": "http://allowed.example"})
        assert cross.headers["Access-Control-Allow-Credentials"] == "true"

    def test_cors_headers_reach_error_answers_too(self, client: FlaskClient) -> None:
        missing = client.get("/api/items/nope", headers={"Origin": "http://allowed.example"})
        assert_envelope(missing, 404)
        assert missing.headers["Access-Control-Allow-Origin"] == "http://allowed.example"

    def test_cors_lets_scripts_read_the_etag_location_and_request_id(
        self, client: FlaskClient
    ) -> None:
        response = client.get("/", headers={"Origin": "http://allowed.example"})
        exposed = {
            name.strip().lower()
            for name in response.headers["Access-Control-Expose-Headers"].split(",")
        }
        assert {"etag", "location", "x-request-id", "retry-after"} <= exposed

    def test_cors_preflight_lists_methods_and_headers(self, client: FlaskClient) -> None:
        response = client.options(
            "/api/items",
            headers={
                "Origin": "http://allowed.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Authorization, Content-Type",
            },
        )
        assert response.status_code == 200
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
        assert "authorization" in response.headers["Access-Control-Allow-Headers"].lower()
