"""Problem details and Idempotency-Key as settings make them: by default, required, on PATCH;
and what the document says of each."""

from __future__ import annotations

from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask

from api import create_app
from api.settings import SettingsError
from core.errors import Unavailable
from tests.contract.http_contract import assert_envelope, session_token
from tests.contract.http_problems_contract import assert_problem
from tests.helpers import app_settings


def document_of(app: Flask) -> dict[str, Any]:
    body: dict[str, Any] = app.test_client().get("/openapi.json").get_json()
    return body


def keyed(auth: dict[str, str], key: str) -> dict[str, str]:
    return {**auth, "Idempotency-Key": f'"{key}"'}


def test_problem_details_by_default_answer_every_client_that_does_not_ask_for_json() -> None:
    client = create_app(app_settings(PROBLEM_DETAILS_DEFAULT=True)).test_client()
    for accept in (None, "*/*", "application/problem+json", "text/html"):
        answer = client.get("/api/items/none", headers={"Accept": accept} if accept else {})
        assert_problem(answer, 404, path="/api/items/none")
    assert_envelope(client.get("/api/items/none", headers={"Accept": "application/json"}), 404)


def test_a_rate_limited_client_gets_a_429_problem_with_retry_after() -> None:
    client = create_app(app_settings(RATELIMIT_DEFAULT="1 per minute")).test_client()
    assert client.get("/").status_code == 200
    answer = client.get("/", headers={"Accept": "application/problem+json"})
    body = assert_problem(answer, 429, path="/")
    assert "1 per 1 minute" in body["detail"]
    assert 0 < int(answer.headers["Retry-After"]) <= 60


def test_a_not_ready_service_is_a_503_problem_naming_each_dependency() -> None:
    app = create_app(app_settings())

    def down() -> None:
        raise Unavailable("storage is not answering")

    with app.extensions["container"].storage_check.override(providers.Object(down)):
        answer = app.test_client().get("/readyz", headers={"Accept": "application/problem+json"})
    body = assert_problem(answer, 503, path="/readyz")
    assert body["dependencies"]["storage"]["status"] == "unavailable"
    assert answer.headers["Retry-After"]


def test_every_error_answer_of_the_document_offers_both_shapes() -> None:
    document = document_of(create_app(app_settings()))
    errors = [
        response
        for operations in document["paths"].values()
        for operation in operations.values()
        for status, response in operation["responses"].items()
        if int(status) >= 400
    ]
    assert errors
    for response in errors:
        assert set(response["content"]) == {"application/json", "application/problem+json"}
    problem = document["components"]["schemas"]["ProblemOut"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance"}
    assert "FieldProblem" in document["components"]["schemas"]


def test_the_document_shows_the_key_a_create_reads_and_what_it_may_answer() -> None:
    document = document_of(create_app(app_settings()))
    create = document["paths"]["/api/items"]["post"]
    (key,) = [each for each in create["parameters"] if each["name"] == "Idempotency-Key"]
    assert key["in"] == "header" and key["required"] is False
    assert key["schema"]["maxLength"] == 512
    assert {"400", "409", "422"} <= create["responses"].keys()
    assert "Idempotent-Replayed" in create["responses"]["201"]["headers"]
    change = document["paths"]["/api/items/{item_id}"]["patch"]
    assert "Idempotency-Key" not in {each["name"] for each in change["parameters"]}


def test_a_create_configured_to_require_a_key_is_400_without_one_and_documents_it() -> None:
    app = create_app(app_settings(IDEMPOTENCY_REQUIRED="create_item"))
    client = app.test_client()
    auth = session_token(client)
    refused = client.post("/api/items", json={"title": "unkeyed"}, headers=auth)
    assert "requires an Idempotency-Key" in assert_envelope(refused, 400)["message"]
    assert (
        client.post("/api/items", json={"title": "keyed"}, headers=keyed(auth, "k")).status_code
        == 201
    )
    assert client.get("/api/items").get_json()["total"] == 1
    create = document_of(app)["paths"]["/api/items"]["post"]
    (key,) = [each for each in create["parameters"] if each["name"] == "Idempotency-Key"]
    assert key["required"] is True


@pytest.mark.parametrize(
    ("required", "patch"), [("create_itme", False), ("change_item", False), ("get_item", True)]
)
def test_requiring_a_key_of_an_operation_that_reads_none_is_refused_at_start_up(
    required: str, patch: bool
) -> None:
    with pytest.raises(
        SettingsError, match=f"IDEMPOTENCY_REQUIRED: no keyed write is named {required}"
    ):
        create_app(app_settings(IDEMPOTENCY_REQUIRED=required, IDEMPOTENCY_PATCH=patch))


def test_a_change_may_require_a_key_once_patch_honours_one() -> None:
    client = create_app(
        app_settings(IDEMPOTENCY_REQUIRED="create_item,change_item", IDEMPOTENCY_PATCH=True)
    ).test_client()
    auth = session_token(client)
    created = client.post("/api/items", json={"title": "a"}, headers=keyed(auth, "c")).get_json()
    refused = client.patch(f"/api/items/{created['id']}", json={"title": "b"}, headers=auth)
    assert_envelope(refused, 400)


def patched_twice(*, honoured: bool, second: str) -> tuple[Flask, Any, Any, int]:
    """An item renamed by two keyed PATCHes (the second renaming it to `second`)."""
    app = create_app(app_settings(IDEMPOTENCY_PATCH=honoured))
    client = app.test_client()
    auth = session_token(client)
    created = client.post("/api/items", json={"title": "first"}, headers=auth).get_json()
    url, headers = f"/api/items/{created['id']}", keyed(auth, "rename")
    first = client.patch(url, json={"title": "renamed"}, headers=headers)
    again = client.patch(url, json={"title": second}, headers=headers)
    return app, first, again, client.get(url).get_json()["version"]


def test_patch_ignores_a_key_unless_configured() -> None:
    app, first, again, version = patched_twice(honoured=False, second="renamed again")
    assert first.status_code == again.status_code == 200
    assert version == 3
    assert "Idempotent-Replayed" not in again.headers
    change = document_of(app)["paths"]["/api/items/{item_id}"]["patch"]
    assert "Idempotency-Key" not in {each["name"] for each in change["parameters"]}


def test_patch_configured_to_honour_a_key_replays_its_first_answer() -> None:
    app, first, again, version = patched_twice(honoured=True, second="renamed")
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert version == 2
    change = document_of(app)["paths"]["/api/items/{item_id}"]["patch"]
    assert "Idempotency-Key" in {each["name"] for each in change["parameters"]}
    _, _, other, _ = patched_twice(honoured=True, second="another name")
    assert_envelope(other, 422)
