"""The OpenAPI document covers every route; the docs page needs nothing but the service."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from api import create_app
from tests.helpers import app_settings

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app(app_settings())


@pytest.fixture(scope="module")
def document(app: Flask) -> dict[str, Any]:
    body: dict[str, Any] = app.test_client().get("/openapi.json").get_json()
    return body


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_every_registered_route_and_method_is_documented(
    app: Flask, document: dict[str, Any]
) -> None:
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted((rule.methods or set()) - IGNORED_METHODS)
        if method.lower() not in document["paths"].get(openapi_path(rule.rule), {})
    ]
    assert missing == []
    assert document["openapi"].startswith("3.")


def test_guarded_routes_declare_the_bearer_scheme(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWE"}
    assert document["paths"]["/api/items"]["post"]["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/api/items"]["get"]


def test_errors_share_the_envelope_schema(document: dict[str, Any]) -> None:
    post = document["paths"]["/api/items"]["post"]["responses"]
    refs = {post[status]["content"]["application/json"]["schema"]["$ref"] for status in post}
    envelope = next(ref for ref in refs if ref.split("/")[-1].startswith("ErrorOut"))
    assert {"401", "409", "422"} <= set(post)
    for status in ("401", "409", "422"):
        assert post[status]["content"]["application/json"]["schema"]["$ref"] == envelope
    schema = document["components"]["schemas"][envelope.split("/")[-1]]
    assert set(schema["required"]) >= {"error", "message"}


def test_the_docs_page_loads_only_local_assets(app: Flask) -> None:
    client: FlaskClient = app.test_client()
    page = client.get("/docs")
    html = page.get_data(as_text=True)
    assert page.mimetype == "text/html"
    assert "http://" not in html and "https://" not in html
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    for asset in re.findall(r'(?:src|href)="(/docs/assets/[^"]+)"', html):
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.headers["Cache-Control"] == "public, max-age=86400"
        revalidated = client.get(asset, headers={"If-None-Match": response.headers["ETag"]})
        assert revalidated.status_code == 304


@pytest.mark.parametrize("name", ["nope.js", "..%2Fsecret_key", "swagger_bundle.js"])
def test_only_the_pages_own_assets_are_served(app: Flask, name: str) -> None:
    assert app.test_client().get(f"/docs/assets/{name}").status_code == 404
