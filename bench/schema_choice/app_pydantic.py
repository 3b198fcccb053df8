"""E: plain Flask, hand-validated with pydantic v2 (no OpenAPI layer)."""

from __future__ import annotations

from typing import Any

from common import Store, error_body, register_envelope
from flask import Blueprint, Flask, abort, request
from pydantic import ValidationError
from schemas_pydantic import ItemIn, ItemOut, details


def make_blueprint(store: Store) -> Blueprint:
    bp = Blueprint("items", __name__)

    @bp.post("/items")
    def create() -> Any:
        try:
            body = ItemIn.model_validate_json(request.get_data())
        except ValidationError as exc:
            return error_body(422, "Validation failed", details(exc)), 422
        return ItemOut.model_validate(store.add(body.title)).model_dump(mode="json"), 201

    @bp.get("/items/<item_id>")
    def read(item_id: str) -> Any:
        item = store.get(item_id)
        if item is None:
            abort(404)
        return ItemOut.model_validate(item).model_dump(mode="json")

    return bp


def create_app(store: Store | None = None) -> Flask:
    app = Flask(__name__)
    app.register_blueprint(make_blueprint(store or Store()))
    register_envelope(app)
    return app
