"""Items over HTTP: the resource blueprint configured by the item service and schemas."""

from __future__ import annotations

from adapters.http.resources.declaration import HttpResource
from adapters.http.resources.schemas import entity_schema, page_schema
from adapters.http.schemas import ItemChange, ItemCreate, ItemListQuery
from core.entities import Item
from core.query import ItemQuery

ItemOut = entity_schema(Item, name="ItemOut", doc="An item as the API shows it.")
ItemPageOut = page_schema(ItemOut, doc="A page of items.")

ITEMS: HttpResource[Item] = HttpResource(
    name="items",
    singular="item",
    service="item_service",
    create=ItemCreate,
    change=ItemChange,
    list_query=ItemListQuery,
    query=ItemQuery,
    out=ItemOut,
    page=ItemPageOut,
    summaries={
        "change_item": "Change an item's title; `If-Match` (or `version`), when given, must be "
        "current."
    },
)
