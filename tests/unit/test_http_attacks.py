"""Attacks on the HTTP API: every forged, stale or misused token answers 401/403/404, never 500.

Runs on the memory backend with an injected clock (no sleeps), with real keys and tokens.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient

from adapters.auth.keys import TokenKeys, generate_token_keys, rotate
from api import create_app
from tests.contract.http_auth_contract import bearer, login, register
from tests.contract.http_contract import assert_envelope
from tests.fakes import FakeClock
from tests.helpers import app_settings
from tests.shared_apps import reset_app
from tests.unit.auth.tokens import b64, claims_of, encrypt, header_of, inner_jws, sign

Forge = Callable[[str, TokenKeys], str]


@pytest.fixture(scope="module")
def shared_app() -> Flask:
    return create_app(app_settings())


@pytest.fixture
def app(shared_app: Flask, clock: FakeClock) -> Iterator[Flask]:
    """The module's app, reset, on the test's clock; keys a test replaced are restored after it."""
    container = shared_app.extensions["container"]
    container.clock.override(providers.Object(clock))
    yield reset_app(shared_app)
    container.clock.reset_override()
    container.token_keys.reset_override()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def keys(app: Flask) -> TokenKeys:
    keys: TokenKeys = app.extensions["container"].token_keys()
    return keys


@pytest.fixture
def tokens(client: FlaskClient) -> dict[str, Any]:
    register(client, "victim")
    return login(client, "victim")


def refused(response: Any, status: int = 401) -> None:
    assert_envelope(response, status)


def with_token(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def tamper(part: int) -> Forge:
    def forge(token: str, _keys: TokenKeys) -> str:
        parts = token.split(".")
        text = parts[part] or "A"
        flipped = "B" if text[len(text) // 2] != "B" else "C"
        parts[part] = text[: len(text) // 2] + flipped + text[len(text) // 2 + 1 :]
        return ".".join(parts)

    return forge


def outer_alg(alg: str) -> Forge:
    def forge(token: str, _keys: TokenKeys) -> str:
        # The real kid, so only the algorithm allow-list can refuse it.
        header = header_of(token) | {"alg": alg}
        return ".".join([b64(json.dumps(header).encode()), *token.split(".")[1:]])

    return forge


def bare_jws(token: str, keys: TokenKeys) -> str:
    return inner_jws(token, keys)


def jws_around_jwe(token: str, keys: TokenKeys) -> str:
    return sign({"jwe": token}, keys.signing[-1])


def rewrapped(**changes: Any) -> Forge:
    """Our own token with changed claims, signed and wrapped with the real keys."""

    def forge(token: str, keys: TokenKeys) -> str:
        claims = claims_of(token, keys) | changes
        return encrypt(sign(claims, keys.signing[-1]), keys.wrapping[-1])

    return forge


FORGERIES: dict[str, Forge] = {
    **{f"tampered JWE part {n}": tamper(n) for n in range(5)},
    "alg none": outer_alg("none"),
    "alg dir": outer_alg("dir"),
    "alg A128KW": outer_alg("A128KW"),
    "alg RSA-OAEP": outer_alg("RSA-OAEP"),
    "JWS where a JWE is expected": bare_jws,
    "JWS wrapping a JWE": jws_around_jwe,
    "wrong issuer": rewrapped(iss="someone-else"),
    "wrong audience": rewrapped(aud="another-api"),
    "not yet valid": rewrapped(nbf=4_000_000_000, iat=4_000_000_000),
    "expired": rewrapped(exp=1_000_000_000),
    "one megabyte": lambda token, _keys: token + "A" * (1024 * 1024),
    "refresh type inside": lambda token, keys: encrypt(
        sign(claims_of(token, keys), keys.signing[-1], typ="refresh+jwt"), keys.wrapping[-1]
    ),
}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_a_forged_token_is_401_on_every_guarded_route(
    client: FlaskClient, keys: TokenKeys, tokens: dict[str, Any], name: str
) -> None:
    forged = with_token(FORGERIES[name](tokens["token"], keys))
    refused(client.get("/api/restricted", headers=forged))
    refused(client.get("/api/users/me", headers=forged))
    refused(client.post("/api/items", json={"title": "forged"}, headers=forged))
    refused(client.post("/api/auth/logout", headers=forged))
    assert client.get("/api/items").get_json()["total"] == 0


def test_an_expired_access_token_says_so(
    client: FlaskClient, clock: FakeClock, tokens: dict[str, Any]
) -> None:
    clock.advance(minutes=16)
    body = assert_envelope(client.get("/api/users/me", headers=bearer(tokens)), 401)
    assert body["message"] == "token has expired"


def test_a_token_signed_with_a_retired_key_is_refused(
    app: Flask, client: FlaskClient, tokens: dict[str, Any]
) -> None:
    container = app.extensions["container"]
    container.token_service.reset()
    container.token_keys.override(providers.Object(rotate(generate_token_keys())))
    refused(client.get("/api/users/me", headers=bearer(tokens)))


def test_tokens_issued_before_a_rotation_stay_valid(
    app: Flask, client: FlaskClient, keys: TokenKeys, tokens: dict[str, Any]
) -> None:
    container = app.extensions["container"]
    container.token_service.reset()
    container.token_keys.override(providers.Object(rotate(keys)))
    assert client.get("/api/users/me", headers=bearer(tokens)).status_code == 200
    fresh = login(client, "victim")
    assert client.get("/api/users/me", headers=bearer(fresh)).status_code == 200


def test_a_revoked_token_is_refused(client: FlaskClient, tokens: dict[str, Any]) -> None:
    assert client.post("/api/auth/logout", headers=bearer(tokens)).status_code == 204
    refused(client.get("/api/restricted", headers=bearer(tokens)))


def test_a_refresh_token_is_no_access_token(client: FlaskClient, tokens: dict[str, Any]) -> None:
    refused(client.get("/api/users/me", headers=with_token(tokens["refresh_token"])))
    refresh = client.post("/api/auth/refresh", json={"refresh_token": tokens["token"]})
    refused(refresh)


def test_refresh_token_reuse_revokes_the_family(
    client: FlaskClient, tokens: dict[str, Any]
) -> None:
    rotated = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200
    refused(client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}))
    refused(client.get("/api/users/me", headers=bearer(rotated.get_json())))


def test_another_sessions_bound_token_is_refused(app: Flask, client: FlaskClient) -> None:
    token = client.get("/api/public").get_json()["token"]
    refused(app.test_client().get("/api/restricted", headers=with_token(token)))


def test_user_b_cannot_touch_user_a_item(client: FlaskClient, tokens: dict[str, Any]) -> None:
    item = client.post("/api/items", json={"title": "a's"}, headers=bearer(tokens))
    register(client, "mallory")
    mallory = bearer(login(client, "mallory"))
    url = item.headers["Location"]
    refused(client.patch(url, json={"title": "b's"}, headers=mallory), 403)
    refused(client.delete(url, headers=mallory), 403)
    refused(client.patch("/api/items/" + "0" * 32, json={"title": "x"}, headers=mallory), 404)
    assert client.get(url).get_json()["title"] == "a's"


@pytest.mark.parametrize(
    "header",
    ["Bearer " + "A" * 9000, "Bearer a.b.c.d.e", "Bearer ....", "Bearer \u00e9\u00e9", "Token x"],
)
def test_malformed_authorization_headers_are_401(client: FlaskClient, header: str) -> None:
    refused(client.get("/api/restricted", headers={"Authorization": header}))
