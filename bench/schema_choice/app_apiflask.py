"""C: apiflask (APIFlask app class + APIBlueprint) with marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, APIFlask, HTTPError, abort
from common import BEARER, Store, error_body
from schemas_marshmallow import ErrorSchema, ItemInSchema, ItemOutSchema, details


def make_blueprint(store: Store) -> APIBlueprint:
    bp = APIBlueprint("items", __name__, tag="items")

    @bp.post("/items")
    @bp.input(ItemInSchema, location="json", arg_name="body")
    @bp.output(ItemOutSchema, status_code=201)
    def create(body: dict[str, Any]) -> Any:
        return store.add(body["title"])

    @bp.get("/items/<item_id>")
    @bp.output(ItemOutSchema)
    def read(item_id: str) -> Any:
        item = store.get(item_id)
        if item is None:
            abort(404)
        return item

    return bp


def _reshape(error: HTTPError) -> Any:
    body = error_body(error.status_code, error.message or "", details(error.detail or {}))
    return body, error.status_code, error.headers


def base_app(error_schema: Any) -> APIFlask:
    """APIFlask instance with bearer scheme and the envelope for every error (no routes)."""
    app = APIFlask(__name__, title="bench", version="1", spec_path="/openapi.json")
    app.config.update(
        SECURITY_SCHEMES={"bearerAuth": BEARER},
        VALIDATION_ERROR_SCHEMA=error_schema,
        HTTP_ERROR_SCHEMA=error_schema,
    )
    app.error_processor(_reshape)
    return app


def create_app(store: Store | None = None) -> APIFlask:
    app = base_app(ErrorSchema)
    app.register_blueprint(make_blueprint(store or Store()))
    return app
