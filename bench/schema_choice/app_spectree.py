"""A: pydantic v2 + spectree decorators on plain Flask blueprints."""

from __future__ import annotations

from typing import Any

from common import BEARER, Store, error_body, register_envelope
from flask import Blueprint, Flask, abort, make_response
from schemas_pydantic import ErrorOut, ItemIn, ItemOut, details
from spectree import Response, SpecTree


def _reshape(_req: Any, _resp: Any, err: Any, _instance: Any, _adapter: Any = None) -> None:
    if err is not None:
        abort(make_response(error_body(422, "Validation failed", details(err)), 422))


def make_blueprint(spec: SpecTree, store: Store) -> Blueprint:
    bp = Blueprint("items", __name__)

    @bp.post("/items")
    @spec.validate(json=ItemIn, resp=Response(HTTP_201=ItemOut), tags=["items"])
    def create(json: ItemIn) -> Any:
        return ItemOut.model_validate(store.add(json.title)), 201

    @bp.get("/items/<item_id>")
    @spec.validate(resp=Response(HTTP_200=ItemOut, HTTP_404=ErrorOut), tags=["items"])
    def read(item_id: str) -> Any:
        item = store.get(item_id)
        if item is None:
            abort(404)
        return ItemOut.model_validate(item)

    return bp


def create_app(store: Store | None = None) -> Flask:
    app = Flask(__name__)
    spec = SpecTree(
        "flask",
        title="bench",
        version="1",
        path="apidoc",
        filename="openapi.json",
        before=_reshape,
        validation_error_model=ErrorOut,
        security_schemes=[{"name": "bearerAuth", "data": BEARER}],
        security={"bearerAuth": []},
    )
    app.register_blueprint(make_blueprint(spec, store or Store()))
    spec.register(app)
    register_envelope(app)
    return app


SPEC_URL = "/apidoc/openapi.json"
