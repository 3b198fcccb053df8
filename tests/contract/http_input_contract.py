"""The HTTP suite for hostile input: refused with a clear answer, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.contract.http_auth_contract import login, register
from tests.contract.http_contract import assert_envelope, session_token

MANY_DIGITS = '"v' + "1" * 5000 + '"'
NEVER_ISSUED = [
    '""',
    '"v¹"',
    '"v١"',  # an Arabic-Indic digit one: a digit to str.isdigit, not to us
    MANY_DIGITS,
    '"v01"',
    '"v0"',
    "v1",
    'W/"v1"',
    '"v1',
    '"v1" "v1"',
    '*, "v1"',
    "",
    " ",
    '"v1"; x',
]


class HttpInputContract:
    """Hostile requests are refused with the envelope, the same on every backend."""

    @pytest.fixture
    def item(self, client: FlaskClient) -> tuple[dict[str, str], dict[str, Any]]:
        auth = session_token(client)
        response = client.post("/api/items", json={"title": "guarded"}, headers=auth)
        assert response.status_code == 201
        return auth, response.get_json()

    @pytest.mark.parametrize("tag", NEVER_ISSUED)
    def test_an_if_match_that_names_no_issued_tag_is_412_on_change_and_delete(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        headers = {**auth, "If-Match": tag}
        assert_envelope(client.patch(url, json={"title": "taken over"}, headers=headers), 412)
        assert_envelope(client.delete(url, headers=headers), 412)
        assert client.get(url).get_json() == created

    @pytest.mark.parametrize("tag", ['"v1"', ' "v1" ', '"v7", "v1"', ', "v1",', 'W/"v1", "v1"'])
    def test_an_if_match_list_naming_the_current_tag_writes(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        auth, created = item
        url = f"/api/items/{created['id']}"
        changed = client.patch(url, json={"title": "renamed"}, headers={**auth, "If-Match": tag})
        assert changed.status_code == 200, changed.get_data(as_text=True)
        assert changed.get_json()["version"] == 2

    @pytest.mark.parametrize("tag", ['"v1"', 'W/"v1"', '"v3", W/"v1"', "*"])
    def test_if_none_match_compares_weakly_and_answers_304(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        _, created = item
        answer = client.get(f"/api/items/{created['id']}", headers={"If-None-Match": tag})
        assert answer.status_code == 304

    @pytest.mark.parametrize("tag", ["v1", '"v01"', MANY_DIGITS, '"v¹"', "", '"v1'])
    def test_if_none_match_naming_no_issued_tag_answers_the_item(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], tag: str
    ) -> None:
        _, created = item
        answer = client.get(f"/api/items/{created['id']}", headers={"If-None-Match": tag})
        assert answer.status_code == 200
        assert answer.get_json() == created

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

    # Protective headers.

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

    # Titles: one rule, in the core, after trimming and normalisation.

    def test_a_title_of_80_characters_inside_spaces_is_accepted_trimmed(
        self, client: FlaskClient
    ) -> None:
        auth = session_token(client)
        created = client.post("/api/items", json={"title": "  " + "x" * 80 + "  "}, headers=auth)
        assert created.status_code == 201, created.get_data(as_text=True)
        assert created.get_json()["title"] == "x" * 80
        changed = client.patch(
            created.headers["Location"], json={"title": " " + "y" * 80 + " "}, headers=auth
        )
        assert changed.get_json()["title"] == "y" * 80
        too_long = client.post("/api/items", json={"title": "z" * 81}, headers=auth)
        assert assert_envelope(too_long, 422)["details"] == [
            {"field": "title", "message": "must be 1 to 80 characters"}
        ]

    def test_look_alike_spellings_are_one_title(self, client: FlaskClient) -> None:
        auth = session_token(client)
        created = client.post("/api/items", json={"title": "Cafe\u0301"}, headers=auth)
        assert created.get_json()["title"] == "Caf\u00e9"
        assert_envelope(client.post("/api/items", json={"title": "Caf\u00e9"}, headers=auth), 409)
        found = client.get("/api/items", query_string={"title": "Cafe\u0301"}).get_json()
        assert [item["id"] for item in found["items"]] == [created.get_json()["id"]]

    @pytest.mark.parametrize(
        "title", ["zero\u200bwidth", "\ufeffbom", "evil\u202etxt", "tag\U000e0041", "a\u200db"]
    )
    def test_a_title_with_invisible_characters_is_422_and_stores_nothing(
        self, client: FlaskClient, item: tuple[dict[str, str], dict[str, Any]], title: str
    ) -> None:
        auth, created = item
        refused = client.post("/api/items", json={"title": title}, headers=auth)
        assert [detail["field"] for detail in assert_envelope(refused, 422)["details"]] == ["title"]
        url = f"/api/items/{created['id']}"
        assert_envelope(client.patch(url, json={"title": title}, headers=auth), 422)
        assert client.get("/api/items").get_json()["items"] == [created]

    def test_emoji_sequences_make_valid_titles(self, client: FlaskClient) -> None:
        auth = session_token(client)
        for title in (
            "\U0001f468\u200d\U0001f469\u200d\U0001f467 family",
            "\U0001f3f3\ufe0f\u200d\U0001f308",
            "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f England",
        ):
            created = client.post("/api/items", json={"title": title}, headers=auth)
            assert created.status_code == 201, created.get_data(as_text=True)
            assert client.get(created.headers["Location"]).get_json()["title"] == title
