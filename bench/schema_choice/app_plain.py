"""F: plain Flask, no validation at all (the floor)."""

from __future__ import annotations

from typing import Any

from common import Item, Store, register_envelope
from flask import Blueprint, Flask, abort, request


def _dump(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "title": item.title,
        "owner_id": item.owner_id,
        "created_at": item.created_at.isoformat(),
        "updated_at": item.updated_at.isoformat(),
        "version": item.version,
    }


def make_blueprint(store: Store) -> Blueprint:
    bp = Blueprint("items", __name__)

    @bp.post("/items")
    def create() -> Any:
        return _dump(store.add(request.get_json()["title"])), 201

    @bp.get("/items/<item_id>")
    def read(item_id: str) -> Any:
        item = store.get(item_id)
        if item is None:
            abort(404)
        return _dump(item)

    return bp


def create_app(store: Store | None = None) -> Flask:
    app = Flask(__name__)
    app.register_blueprint(make_blueprint(store or Store()))
    register_envelope(app)
    return app
