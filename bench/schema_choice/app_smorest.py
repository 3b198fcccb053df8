"""D: flask-smorest (plain Flask app + Api extension, its Blueprint subclass, marshmallow)."""

from __future__ import annotations

from typing import Any

from common import BEARER, Store, error_body
from flask import Flask
from flask_smorest import Api, Blueprint, abort
from schemas_marshmallow import ErrorSchema, ItemInSchema, ItemOutSchema, details
from werkzeug.exceptions import HTTPException


class EnvelopeApi(Api):
    ERROR_SCHEMA = ErrorSchema  # documented as the default error response

    def handle_http_exception(self, error: HTTPException) -> Any:
        messages = (getattr(error, "data", None) or {}).get("messages", {})
        code = error.code or 500
        return error_body(code, error.description or "", details(messages)), code


def make_blueprint(store: Store) -> Blueprint:
    bp = Blueprint("items", __name__)

    @bp.post("/items")
    @bp.arguments(ItemInSchema)
    @bp.response(201, ItemOutSchema)
    def create(body: dict[str, Any]) -> Any:
        return store.add(body["title"])

    @bp.get("/items/<item_id>")
    @bp.response(200, ItemOutSchema)
    def read(item_id: str) -> Any:
        item = store.get(item_id)
        if item is None:
            abort(404)
        return item

    return bp


def create_app(store: Store | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(
        API_TITLE="bench",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
    )
    api = EnvelopeApi()
    api.init_app(app, spec_kwargs={"security": [{"bearerAuth": []}]})
    api.spec.components.security_scheme("bearerAuth", BEARER)
    api.register_blueprint(make_blueprint(store or Store()))
    return app
