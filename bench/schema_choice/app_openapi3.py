"""B: pydantic v2 + flask-openapi3 (OpenAPI app class + APIBlueprint, handler gets models)."""

from __future__ import annotations

from typing import Any

from common import BEARER, Store, error_body, register_envelope
from flask import abort, make_response
from flask_openapi3 import APIBlueprint, Info, OpenAPI, Tag
from pydantic import ValidationError
from schemas_pydantic import ErrorOut, ItemIn, ItemOut, ItemPath, details


def _reshape(exc: ValidationError) -> Any:
    # must return a Response: flask-openapi3 passes it to abort()
    return make_response(error_body(422, "Validation failed", details(exc)), 422)


def make_blueprint(store: Store) -> APIBlueprint:
    bp = APIBlueprint(
        "items", __name__, abp_tags=[Tag(name="items")], abp_security=[{"bearerAuth": []}]
    )

    @bp.post("/items", responses={201: ItemOut})
    def create(body: ItemIn) -> Any:
        return ItemOut.model_validate(store.add(body.title)).model_dump(mode="json"), 201

    @bp.get("/items/<item_id>", responses={200: ItemOut, 404: ErrorOut})
    def read(path: ItemPath) -> Any:
        item = store.get(path.item_id)
        if item is None:
            abort(404)
        return ItemOut.model_validate(item).model_dump(mode="json")

    return bp


def create_app(store: Store | None = None) -> OpenAPI:
    app = OpenAPI(
        __name__,
        info=Info(title="bench", version="1"),
        security_schemes={"bearerAuth": BEARER},
        validation_error_model=ErrorOut,
        validation_error_callback=_reshape,
        doc_prefix="/apidoc",
    )
    app.register_api(make_blueprint(store or Store()))
    register_envelope(app)
    return app


SPEC_URL = "/apidoc/openapi.json"
