"""The document a client is generated from says what the service does: names, headers, fields."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pydantic import BaseModel, create_model

from adapters.http.document import RATE_LIMIT_HEADERS, Answers, ComponentNames
from api import create_app
from tests.helpers import app_settings

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(app_settings(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="1000 per hour"))


@pytest.fixture(scope="module")
def document(app: Flask) -> dict[str, Any]:
    body: dict[str, Any] = app.test_client().get("/openapi.json").get_json()
    return body


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def refs_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        own = {value["$ref"]} if isinstance(value.get("$ref"), str) else set()
        return own.union(*(refs_in(inner) for inner in value.values()))
    if isinstance(value, list):
        return set().union(*(refs_in(inner) for inner in value))
    return set()


def header_names(response: dict[str, Any]) -> set[str]:
    return set(response.get("headers", {}))


def test_each_model_is_one_component_named_after_its_class(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    titles = [schema["title"] for schema in schemas.values()]
    assert sorted(titles) == sorted(schemas)
    assert len(set(titles)) == len(titles)
    assert {"ItemOut", "ItemPageOut", "DependencyState", "ReadyOut", "FieldError"} <= set(schemas)


def test_every_reference_resolves_to_a_declared_component(document: dict[str, Any]) -> None:
    declared = {
        f"#/components/{kind}/{name}"
        for kind, entries in document["components"].items()
        for name in entries
    }
    assert refs_in(document["paths"]) | refs_in(document["components"]) <= declared


def test_a_page_of_items_and_readiness_refer_to_the_shared_models(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ItemPageOut"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/ItemOut"
    }
    assert schemas["ReadyOut"]["properties"]["dependencies"]["additionalProperties"] == {
        "$ref": "#/components/schemas/DependencyState"
    }


def test_operations_are_named_after_their_views(document: dict[str, Any]) -> None:
    ids = {(path, method): op["operationId"] for path, method, op in operations(document)}
    assert ids[("/api/items/{item_id}", "patch")] == "change_item"
    assert ids[("/api/auth/token", "post")] == "login"
    assert len(set(ids.values())) == len(ids)


def test_fields_always_sent_are_required_and_omitted_ones_are_not(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    assert set(schemas["ErrorOut"]["required"]) == {"error", "message", "success"}
    assert "success" in schemas["NotReadyOut"]["required"]
    assert "token_type" in schemas["TokenOut"]["required"]
    assert schemas["DependencyState"]["required"] == ["status"]


def test_conditional_and_keyed_routes_declare_the_request_headers_they_honour(
    document: dict[str, Any],
) -> None:
    def headers(path: str, method: str) -> set[str]:
        parameters = document["paths"][path][method].get("parameters", [])
        return {p["name"] for p in parameters if p["in"] == "header"}

    item = "/api/items/{item_id}"
    assert headers(item, "get") == {"If-None-Match"}
    assert headers(item, "patch") == {"If-Match"}
    assert headers(item, "delete") == {"If-Match"}
    assert headers("/api/items", "post") == {"Idempotency-Key"}


def test_item_answers_declare_their_etag_and_location(document: dict[str, Any]) -> None:
    item = document["paths"]["/api/items/{item_id}"]
    created = document["paths"]["/api/items"]["post"]["responses"]["201"]
    assert {"ETag", "Location"} <= header_names(created)
    assert "ETag" in header_names(item["get"]["responses"]["200"])
    assert "ETag" in header_names(item["get"]["responses"]["304"])
    assert "ETag" in header_names(item["patch"]["responses"]["200"])
    assert "ETag" not in header_names(item["patch"]["responses"]["412"])


def test_every_answer_declares_its_request_id_and_waits_declare_retry_after(
    document: dict[str, Any],
) -> None:
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            names = header_names(response)
            assert "X-Request-ID" in names, (path, method, status)
            assert ("Retry-After" in names) == (status in ("429", "503")), (path, method, status)


def test_rate_limit_headers_are_declared_where_limits_apply(document: dict[str, Any]) -> None:
    def limited(path: str, method: str) -> bool:
        answer = document["paths"][path][method]["responses"]["200"]
        return set(RATE_LIMIT_HEADERS) <= header_names(answer)

    assert limited("/api/items", "get")
    assert limited("/api/auth/token", "post")
    assert not limited("/healthz", "get")
    assert not limited("/openapi.json", "get")
    assert document["components"]["headers"]["X-RateLimit-Limit"]["required"] is False


def test_a_created_item_links_to_its_conditional_change(document: dict[str, Any]) -> None:
    links = document["paths"]["/api/items"]["post"]["responses"]["201"]["links"]
    assert links["change_item"] == {
        "operationId": "change_item",
        "parameters": {"item_id": "$response.body#/id", "header.If-Match": "$response.header.ETag"},
    }


def test_the_declared_headers_are_the_ones_sent(app: Flask) -> None:
    client: FlaskClient = app.test_client()
    client.post("/api/users", json={"username": "declared", "password": PASSWORD})
    token = client.post(
        "/api/auth/token", json={"username": "declared", "password": PASSWORD}
    ).get_json()["token"]
    created = client.post(
        "/api/items", json={"title": "declared"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert created.status_code == 201
    for name in ("ETag", "Location", "X-Request-ID", *RATE_LIMIT_HEADERS):
        assert name in created.headers, name
    unchanged = client.get(
        created.headers["Location"], headers={"If-None-Match": created.headers["ETag"]}
    )
    assert unchanged.status_code == 304
    assert unchanged.headers["ETag"] == created.headers["ETag"]
    assert "X-RateLimit-Limit" not in client.get("/healthz").headers


def test_a_version_with_a_zero_fraction_is_the_integer_the_schema_allows(app: Flask) -> None:
    client: FlaskClient = app.test_client()
    client.post("/api/users", json={"username": "integral", "password": PASSWORD})
    token = client.post(
        "/api/auth/token", json={"username": "integral", "password": PASSWORD}
    ).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    location = client.post("/api/items", json={"title": "integral"}, headers=auth).headers[
        "Location"
    ]
    for refused in (1.5, True, "1"):
        answer = client.patch(location, json={"title": "no", "version": refused}, headers=auth)
        assert answer.status_code == 422, refused
    changed = client.patch(location, json={"title": "yes", "version": 1.0}, headers=auth)
    assert changed.status_code == 200
    assert changed.get_json()["version"] == 2
    stale = client.patch(location, json={"title": "stale", "version": 1.0}, headers=auth)
    assert stale.status_code in (409, 412)
    assert client.get(location).get_json()["title"] == "yes"


def test_the_version_keeps_its_bounds_in_the_document(document: dict[str, Any]) -> None:
    version = document["components"]["schemas"]["ItemChange"]["properties"]["version"]
    integer = next(choice for choice in version["anyOf"] if choice["type"] == "integer")
    assert integer == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


def test_two_models_of_one_name_are_refused() -> None:
    names = ComponentNames()
    first = create_model("Twin", value=(int, ...))
    second = create_model("Twin", other=(str, ...))
    assert names(first) == "Twin"
    assert names(first) == "Twin"
    with pytest.raises(ValueError, match="two models are named Twin"):
        names(second)


def test_a_nested_model_sharing_a_name_with_another_is_refused() -> None:
    names = ComponentNames()
    inner = create_model("Inner", value=(int, ...))
    outer = create_model("Outer", inner=(list[inner] | None, None))  # type: ignore[valid-type]
    names(outer)
    with pytest.raises(ValueError, match="two models are named Inner"):
        names(create_model("Inner", other=(str, ...)))


def test_a_header_without_a_declaration_is_refused() -> None:
    class Body(BaseModel):
        value: int

    with pytest.raises(ValueError, match="X-Unknown"):
        Answers(reads=("X-Unknown",), HTTP_200=Body)
