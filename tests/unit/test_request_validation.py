"""spectree validation on our plugin: query and JSON models checked, header models honoured."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from pydantic import BaseModel, Field

from adapters.http.errors import register_error_handlers
from adapters.http.openapi import api_spec


class Query(BaseModel):
    limit: int


class Body(BaseModel):
    title: str


class Headers(BaseModel):
    x_tenant: str = Field(alias="X-Tenant")


def app_with_routes() -> Flask:
    app = Flask("validation")
    register_error_handlers(app)
    spec = api_spec(title="t", version="1")

    @app.post("/things")
    @spec.validate(query=Query, json=Body)
    def create() -> dict[str, Any]:
        context = request.context  # type: ignore[attr-defined]
        return {"limit": context.query.limit, "title": context.json.title}

    @app.get("/tenant")
    @spec.validate(headers=Headers)
    def tenant() -> dict[str, Any]:
        return {"tenant": request.context.headers.x_tenant}  # type: ignore[attr-defined]

    return app


def test_query_and_body_are_validated_into_the_context() -> None:
    client = app_with_routes().test_client()
    answer = client.post("/things?limit=3", json={"title": "a"})
    assert answer.get_json() == {"limit": 3, "title": "a"}
    assert client.post("/things?limit=x", json={"title": "a"}).status_code == 422
    assert client.post("/things?limit=3", json={"name": "a"}).status_code == 422


def test_a_route_with_a_header_model_still_gets_it_checked() -> None:
    client = app_with_routes().test_client()
    assert client.get("/tenant", headers={"X-Tenant": "t1"}).get_json() == {"tenant": "t1"}
    assert client.get("/tenant").status_code == 422
