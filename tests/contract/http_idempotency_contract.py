"""Idempotency-Key on every resource's create, on every backend: one write however often sent."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from adapters.http.auth import SESSION_UID
from adapters.http.idempotency.keys import fingerprint, scoped
from adapters.http.idempotency.store import IdempotencyStore
from tests.contract.http_contract import assert_envelope, session_token
from tests.contract.http_resource_contract import ResourceClients
from tests.contract.http_resource_spec import HttpResourceSpec
from tests.helpers import unique

REPLAYED = ("Content-Type", "ETag", "Location")


def keyed(auth: dict[str, str], key: str) -> dict[str, str]:
    """The caller's headers with an Idempotency-Key."""
    return {**auth, "Idempotency-Key": f'"{key}"'}


def same_answer(first: TestResponse, again: TestResponse) -> None:
    """`again` is `first` replayed: status, body and the headers the view set."""
    assert again.status_code == first.status_code
    assert again.get_data() == first.get_data()
    for name in REPLAYED:
        assert again.headers.get(name) == first.headers.get(name), name
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers


class HttpIdempotencyContract(ResourceClients):
    """A keyed create is written once and its answer replayed, for every resource and backend."""

    def count(self, client: FlaskClient, resource: HttpResourceSpec) -> int:
        total: int = client.get(resource.url).get_json()["total"]
        return total

    def test_a_create_resent_with_its_key_is_written_once_and_answered_alike(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        body, headers = resource.new(), keyed(auth, unique("key"))
        first = client.post(resource.url, json=body, headers=headers)
        assert first.status_code == 201
        for _ in range(3):
            same_answer(first, client.post(resource.url, json=body, headers=headers))
        assert self.count(client, resource) == 1
        assert client.get(first.headers["Location"]).get_json() == first.get_json()

    def test_a_resent_body_spelt_otherwise_is_the_same_request(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        body, headers = resource.new(), keyed(auth, unique("key"))
        first = client.post(resource.url, json=body, headers=headers)
        spelt = json.dumps(dict(reversed(body.items())), indent=3)
        again = client.post(
            resource.url, data=spelt, content_type="application/json", headers=headers
        )
        same_answer(first, again)
        assert self.count(client, resource) == 1

    def test_a_key_reused_for_another_body_is_422_and_writes_nothing(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        headers = keyed(auth, unique("key"))
        assert client.post(resource.url, json=resource.new(), headers=headers).status_code == 201
        other = client.post(resource.url, json=resource.new(), headers=headers)
        body = assert_envelope(other, 422)
        assert "Idempotency-Key" in body["message"]
        assert self.count(client, resource) == 1

    def test_a_key_reused_on_another_path_is_422(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        headers = keyed(auth, unique("key"))
        body = resource.new()
        assert client.post(resource.url, json=body, headers=headers).status_code == 201
        elsewhere = client.post(f"{resource.url}?again=1", json=body, headers=headers)
        assert_envelope(elsewhere, 422)
        assert self.count(client, resource) == 1

    def test_a_retry_while_the_first_still_runs_is_409_and_writes_nothing(
        self, app: Flask, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        key, body = unique("key"), resource.new()
        # The first request, as the server records it while it runs: its claim on the key.
        with client.session_transaction() as session:
            uid = session[SESSION_UID]
        container: Any = app.extensions["container"]
        caller = container.auth_service().authenticate(
            auth["Authorization"].removeprefix("Bearer "), session_uid=lambda: uid
        )
        store = IdempotencyStore(container.idempotency_cache(), ttl=60, claim_ttl=60)
        asked = fingerprint(method="POST", path=resource.url, body=body, raw=b"")
        assert store.claim(scoped(caller.subject, key), asked) is None
        retry = client.post(resource.url, json=body, headers=keyed(auth, key))
        assert "still being processed" in assert_envelope(retry, 409)["message"]
        assert self.count(client, resource) == 0
        # Once the first is gone (it failed), the key serves a new attempt.
        store.release(scoped(caller.subject, key))
        assert client.post(resource.url, json=body, headers=keyed(auth, key)).status_code == 201
        assert self.count(client, resource) == 1

    def test_a_key_belongs_to_its_caller(
        self, app: Flask, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        key = unique("key")
        stranger = app.test_client()
        mine = client.post(resource.url, json=resource.new(), headers=keyed(auth, key))
        theirs = stranger.post(
            resource.url, json=resource.new(), headers=keyed(session_token(stranger), key)
        )
        assert mine.status_code == theirs.status_code == 201
        assert mine.get_json()["id"] != theirs.get_json()["id"]
        assert "Idempotent-Replayed" not in theirs.headers
        assert self.count(client, resource) == 2

    def test_a_refused_create_is_replayed_as_refused(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        for field in resource.unique:
            taken = self.make(client, auth, resource)
            repeated, headers = resource.new() | {field: taken[field]}, keyed(auth, unique("key"))
            first = client.post(resource.url, json=repeated, headers=headers)
            assert_envelope(first, 409)
            same_answer(first, client.post(resource.url, json=repeated, headers=headers))
        assert self.count(client, resource) == len(resource.unique)

    def test_a_create_without_a_key_is_written_each_time(
        self, client: FlaskClient, auth: dict[str, str], resource: HttpResourceSpec
    ) -> None:
        for _ in range(2):
            created = client.post(resource.url, json=resource.new(), headers=auth)
            assert created.status_code == 201
            assert "Idempotent-Replayed" not in created.headers
        assert self.count(client, resource) == 2
