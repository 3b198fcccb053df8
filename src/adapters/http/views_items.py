"""Item CRUD over the ItemService."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request, url_for
from spectree import SpecTree

from adapters.http.auth import current_principal, requires_auth
from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.schemas import ItemChange, ItemCreate, ItemListQuery, ItemOut, ItemPageOut
from adapters.http.services import services
from core.query import ItemQuery, Sort

TAGS = ["items"]


def items_blueprint(spec: SpecTree) -> Blueprint:
    """`/api/items` and `/api/items/<id>`."""
    blueprint = Blueprint("items", __name__, url_prefix="/api/items")

    @blueprint.get("")
    @spec.validate(query=ItemListQuery, resp=answers(422, HTTP_200=ItemPageOut), tags=TAGS)
    def list_items() -> ItemPageOut:
        """A page of items, filtered and sorted."""
        params: ItemListQuery = request.context.query  # type: ignore[attr-defined]
        query = ItemQuery(
            title=params.title,
            title_prefix=params.title_prefix,
            sort=tuple(Sort.parse(key) for key in params.sort.split(",")),
            limit=params.limit,
            offset=params.offset,
        )
        return ItemPageOut.of(services().item_service().list(query))

    @blueprint.post("")
    @requires_auth
    @spec.validate(
        json=ItemCreate,
        resp=answers(401, 409, 422, HTTP_201=ItemOut),
        tags=TAGS,
        security=BEARER_AUTH,
    )
    def create_item() -> tuple[ItemOut, int, dict[str, str]]:
        """Create an item owned by the caller."""
        body: ItemCreate = request.context.json  # type: ignore[attr-defined]
        item = services().item_service().create(title=body.title, owner=current_principal())
        return ItemOut.of(item), 201, {"Location": url_for(".get_item", item_id=item.id)}

    @blueprint.get("/<item_id>")
    @spec.validate(resp=answers(404, HTTP_200=ItemOut), tags=TAGS)
    def get_item(item_id: str) -> ItemOut:
        """One item."""
        return ItemOut.of(services().item_service().get(item_id))

    @blueprint.patch("/<item_id>")
    @requires_auth
    @spec.validate(
        json=ItemChange,
        resp=answers(401, 403, 404, 409, 412, 422, HTTP_200=ItemOut),
        tags=TAGS,
        security=BEARER_AUTH,
    )
    def change_item(item_id: str) -> ItemOut:
        """Change an item's title; `version`, when given, must be the stored one."""
        body: ItemChange = request.context.json  # type: ignore[attr-defined]
        item = (
            services()
            .item_service()
            .update(
                item_id, actor=current_principal(), title=body.title, expected_version=body.version
            )
        )
        return ItemOut.of(item)

    @blueprint.delete("/<item_id>")
    @requires_auth
    @spec.validate(resp=answers(401, 403, 404, HTTP_204=None), tags=TAGS, security=BEARER_AUTH)
    def delete_item(item_id: str) -> Any:
        """Delete an item."""
        services().item_service().delete(item_id, actor=current_principal())
        return Response(status=204)

    return blueprint
