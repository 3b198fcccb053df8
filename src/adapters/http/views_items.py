"""Item CRUD over the ItemService."""

from __future__ import annotations

from flask import Blueprint, Response, url_for

from adapters.http.auth import current_principal, requires_auth
from adapters.http.parsing import parse_json, parse_query
from adapters.http.schemas import ItemChange, ItemCreate, ItemListQuery, ItemOut, ItemPageOut
from adapters.http.services import services
from core.query import ItemQuery, Sort


def json_response(body: str, status: int = 200) -> Response:
    """A response whose body is already serialised JSON."""
    return Response(body, status=status, mimetype="application/json")


def items_blueprint() -> Blueprint:
    """`/api/items` and `/api/items/<id>`."""
    blueprint = Blueprint("items", __name__, url_prefix="/api/items")

    @blueprint.get("")
    def list_items() -> Response:
        params = parse_query(ItemListQuery)
        query = ItemQuery(
            title=params.title,
            title_prefix=params.title_prefix,
            sort=tuple(Sort.parse(key) for key in params.sort.split(",")),
            limit=params.limit,
            offset=params.offset,
        )
        page = services().item_service().list(query)
        return json_response(ItemPageOut.of(page).model_dump_json())

    @blueprint.post("")
    @requires_auth
    def create_item() -> Response:
        body = parse_json(ItemCreate)
        item = services().item_service().create(title=body.title, owner=current_principal())
        response = json_response(ItemOut.of(item).model_dump_json(), 201)
        response.headers["Location"] = url_for(".get_item", item_id=item.id)
        return response

    @blueprint.get("/<item_id>")
    def get_item(item_id: str) -> Response:
        item = services().item_service().get(item_id)
        return json_response(ItemOut.of(item).model_dump_json())

    @blueprint.patch("/<item_id>")
    @requires_auth
    def change_item(item_id: str) -> Response:
        body = parse_json(ItemChange)
        item = (
            services()
            .item_service()
            .update(
                item_id, actor=current_principal(), title=body.title, expected_version=body.version
            )
        )
        return json_response(ItemOut.of(item).model_dump_json())

    @blueprint.delete("/<item_id>")
    @requires_auth
    def delete_item(item_id: str) -> Response:
        services().item_service().delete(item_id, actor=current_principal())
        return Response(status=204)

    return blueprint
