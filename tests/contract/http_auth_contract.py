"""The HTTP suite for accounts and tokens: register, login, refresh, logout, permissions.

Backends run it next to `HttpContract`; it needs the same `app` and `client` fixtures.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.contract.http_contract import assert_envelope

PASSWORD = "correct horse battery"


def register(client: FlaskClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    response = client.post("/api/users", json={"username": username, "password": password})
    assert response.status_code == 201, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> dict[str, Any]:
    response = client.post("/api/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['token']}"}


class HttpAuthContract:
    """Accounts and tokens behave the same on every backend."""

    def test_registration_answers_the_user_without_its_hash(self, client: FlaskClient) -> None:
        user = register(client, "alice")
        assert set(user) == {"id", "username", "permissions", "created_at"}
        assert (user["username"], user["permissions"]) == ("alice", [])

    def test_a_username_taken_in_any_case_is_409(self, client: FlaskClient) -> None:
        register(client, "Alice")
        response = client.post("/api/users", json={"username": "aLiCe", "password": PASSWORD})
        assert_envelope(response, 409)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"username": "bob", "password": "short"}, "password"),
            ({"username": "bob.builder1", "password": "BOB.builder1"}, "password"),
            ({"username": "b", "password": PASSWORD}, "username"),
            ({"username": "bob", "password": PASSWORD, "admin": True}, "admin"),
            ({"username": "bob", "password": 123456789012}, "password"),
        ],
    )
    def test_a_bad_registration_is_422_with_details(
        self, client: FlaskClient, body: dict[str, Any], field: str
    ) -> None:
        answer = assert_envelope(client.post("/api/users", json=body), 422)
        assert field in [detail["field"] for detail in answer["details"]]

    @pytest.mark.parametrize(
        "name", [" kevin", "kevin ", "\u212aevin", "kevin\u200b", "k\u0435vin"]
    )
    def test_a_name_registration_refuses_never_logs_in(
        self, client: FlaskClient, name: str
    ) -> None:
        register(client, "kevin")
        refused = client.post("/api/users", json={"username": name, "password": PASSWORD})
        assert "username" in [
            detail["field"] for detail in assert_envelope(refused, 422)["details"]
        ]
        denied = client.post("/api/auth/token", json={"username": name, "password": PASSWORD})
        assert assert_envelope(denied, 401)["message"] == "invalid username or password"

    def test_a_fullwidth_name_is_its_ascii_name(self, client: FlaskClient) -> None:
        assert register(client, "\uff2bevin")["username"] == "Kevin"
        assert login(client, "kEvIn")["token"] and login(client, "\uff4b\uff45vin")["token"]
        taken = client.post("/api/users", json={"username": "KEVIN", "password": PASSWORD})
        assert_envelope(taken, 409)

    def test_login_gives_a_bearer_token_pair(self, client: FlaskClient) -> None:
        register(client, "carol")
        tokens = login(client, "CAROL")
        assert tokens["token_type"] == "Bearer"
        assert tokens["expires_in"] == 900 and tokens["refresh_expires_in"] == 14 * 24 * 3600
        me = client.get("/api/users/me", headers=bearer(tokens)).get_json()
        assert me["username"] == "carol"

    @pytest.mark.parametrize(
        ("username", "password"), [("dave", "not his password"), ("nobody", PASSWORD)]
    )
    def test_bad_credentials_are_401_with_one_message(
        self, client: FlaskClient, username: str, password: str
    ) -> None:
        register(client, "dave")
        response = client.post("/api/auth/token", json={"username": username, "password": password})
        assert assert_envelope(response, 401)["message"] == "invalid username or password"

    def test_login_tokens_need_no_session_cookie(self, app: Flask, client: FlaskClient) -> None:
        register(client, "erin")
        tokens = login(client, "erin")
        assert app.test_client().get("/api/restricted", headers=bearer(tokens)).status_code == 200

    def test_login_gives_a_new_session_id(self, client: FlaskClient) -> None:
        register(client, "fixation")
        client.get("/api/public")
        planted = client.get_cookie("session")
        assert planted is not None
        login(client, "fixation")
        after = client.get_cookie("session")
        assert after is None or after.value != planted.value

    def test_refresh_rotates_and_reuse_ends_the_login(self, client: FlaskClient) -> None:
        register(client, "frank")
        first = login(client, "frank")
        second = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert second.status_code == 200
        rotated = second.get_json()
        assert rotated["refresh_token"] != first["refresh_token"]
        reuse = client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert_envelope(reuse, 401)
        assert_envelope(client.get("/api/users/me", headers=bearer(rotated)), 401)
        again = client.post("/api/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
        assert_envelope(again, 401)

    def test_logout_revokes_the_token_and_its_refresh(self, client: FlaskClient) -> None:
        register(client, "grace")
        tokens = login(client, "grace")
        assert client.post("/api/auth/logout", headers=bearer(tokens)).status_code == 204
        assert_envelope(client.get("/api/users/me", headers=bearer(tokens)), 401)
        refresh = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert_envelope(refresh, 401)

    def test_logout_of_an_anonymous_token_revokes_it(self, client: FlaskClient) -> None:
        token = client.get("/api/public").get_json()["token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert client.post("/api/auth/logout", headers=headers).status_code == 204
        assert_envelope(client.get("/api/restricted", headers=headers), 401)

    def test_me_without_a_user_behind_the_token_is_404(self, client: FlaskClient) -> None:
        token = client.get("/api/public").get_json()["token"]
        response = client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
        assert_envelope(response, 404)

    def test_another_users_item_is_403_and_unchanged(self, client: FlaskClient) -> None:
        register(client, "owner")
        register(client, "intruder")
        owner, intruder = login(client, "owner"), login(client, "intruder")
        item = client.post("/api/items", json={"title": "private"}, headers=bearer(owner))
        url = item.headers["Location"]
        assert_envelope(client.patch(url, json={"title": "mine"}, headers=bearer(intruder)), 403)
        assert_envelope(client.delete(url, headers=bearer(intruder)), 403)
        assert client.get(url).get_json()["title"] == "private"

    def test_an_items_admin_may_change_any_item(self, app: Flask, client: FlaskClient) -> None:
        register(client, "writer")
        runner = app.test_cli_runner()
        result = runner.invoke(
            args=["users", "create", "moderator", "--permission", "items:admin"],
            input=f"{PASSWORD}\n{PASSWORD}\n",
        )
        assert result.exit_code == 0, result.output
        item = client.post(
            "/api/items", json={"title": "draft"}, headers=bearer(login(client, "writer"))
        )
        moderator = bearer(login(client, "moderator"))
        changed = client.patch(item.headers["Location"], json={"title": "ok"}, headers=moderator)
        assert changed.status_code == 200
        assert client.delete(item.headers["Location"], headers=moderator).status_code == 204
