"""C': apiflask 3.x with pydantic v2 models instead of marshmallow (same app class)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, APIFlask, abort
from app_apiflask import base_app
from common import Store
from schemas_pydantic import ErrorOut, ItemIn, ItemOut


def make_blueprint(store: Store) -> APIBlueprint:
    bp = APIBlueprint("items", __name__, tag="items")

    @bp.post("/items")
    @bp.input(ItemIn, location="json", arg_name="body")
    @bp.output(ItemOut, status_code=201)
    def create(body: ItemIn) -> Any:
        return store.add(body.title)

    @bp.get("/items/<item_id>")
    @bp.output(ItemOut)
    def read(item_id: str) -> Any:
        item = store.get(item_id)
        if item is None:
            abort(404)
        return item

    return bp


def create_app(store: Store | None = None) -> APIFlask:
    app = base_app(ErrorOut.model_json_schema())  # a pydantic class is not accepted here
    app.register_blueprint(make_blueprint(store or Store()))
    return app
