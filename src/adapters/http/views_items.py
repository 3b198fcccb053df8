"""Item CRUD over the ItemService, with ETags and conditional requests."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request, url_for
from spectree import SpecTree
from werkzeug.http import quote_etag

from adapters.http.auth import current_principal, requires_auth
from adapters.http.etags import etag_of, expected_version, none_match
from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.schemas import ItemChange, ItemCreate, ItemListQuery, ItemOut, ItemPageOut
from adapters.http.services import services
from core.entities import Item
from core.query import ItemQuery, Sort

TAGS = ["items"]
# What an answer carrying an item lets a client do next, with the values it carries.
_THE_ITEM = {"item_id": "$response.body#/id"}
_THE_ITEM_AS_IT_IS = _THE_ITEM | {"header.If-Match": "$response.header.ETag"}
ITEM_LINKS = {
    "get_item": _THE_ITEM,
    "change_item": _THE_ITEM_AS_IT_IS,
    "delete_item": _THE_ITEM_AS_IT_IS,
}


def with_etag(item: Item, status: int = 200) -> tuple[ItemOut, int, dict[str, str]]:
    """The item's body and status, with its ETag."""
    return ItemOut.of(item), status, {"ETag": quote_etag(etag_of(item))}


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
        resp=answers(
            401,
            409,
            422,
            body=True,
            sends={201: ("ETag", "Location")},
            links={201: ITEM_LINKS},
            HTTP_201=ItemOut,
        ),
        tags=TAGS,
        security=BEARER_AUTH,
    )
    def create_item() -> tuple[ItemOut, int, dict[str, str]]:
        """Create an item owned by the caller."""
        body: ItemCreate = request.context.json  # type: ignore[attr-defined]
        item = services().item_service().create(title=body.title, owner=current_principal())
        body_out, status, headers = with_etag(item, 201)
        headers["Location"] = url_for(".get_item", item_id=item.id)
        return body_out, status, headers

    @blueprint.get("/<item_id>")
    @spec.validate(
        resp=answers(
            404,
            reads=("If-None-Match",),
            sends={200: ("ETag",), 304: ("ETag",)},
            links={200: ITEM_LINKS},
            HTTP_200=ItemOut,
            HTTP_304=None,
        ),
        tags=TAGS,
    )
    def get_item(item_id: str) -> Any:
        """One item, with its ETag; 304 when `If-None-Match` names the current one."""
        item = services().item_service().get(item_id)
        if none_match(request.headers.get("If-None-Match"), item):
            return Response(status=304, headers={"ETag": quote_etag(etag_of(item))})
        return with_etag(item)

    @blueprint.patch("/<item_id>")
    @requires_auth
    @spec.validate(
        json=ItemChange,
        resp=answers(
            401,
            403,
            404,
            409,
            412,
            422,
            body=True,
            reads=("If-Match",),
            sends={200: ("ETag",)},
            links={200: ITEM_LINKS},
            HTTP_200=ItemOut,
        ),
        tags=TAGS,
        security=BEARER_AUTH,
    )
    def change_item(item_id: str) -> tuple[ItemOut, int, dict[str, str]]:
        """Change an item's title; `If-Match` (or `version`), when given, must be current."""
        body: ItemChange = request.context.json  # type: ignore[attr-defined]
        items = services().item_service()
        expected = expected_version(
            request.headers.get("If-Match"),
            stated=body.version,
            current=lambda: items.get(item_id).version,
        )
        item = items.update(
            item_id, actor=current_principal(), title=body.title, expected_version=expected
        )
        return with_etag(item)

    @blueprint.delete("/<item_id>")
    @requires_auth
    @spec.validate(
        resp=answers(401, 403, 404, 412, reads=("If-Match",), HTTP_204=None),
        tags=TAGS,
        security=BEARER_AUTH,
    )
    def delete_item(item_id: str) -> Any:
        """Delete an item; `If-Match`, when given, must name the current version."""
        items = services().item_service()
        expected = expected_version(
            request.headers.get("If-Match"), stated=None, current=lambda: items.get(item_id).version
        )
        items.delete(item_id, actor=current_principal(), expected_version=expected)
        return Response(status=204)

    return blueprint
