"""Answers derived from an entity show its fields as the entity holds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from adapters.http.resources.declaration import HttpResource
from adapters.http.resources.schemas import entity_schema, page_schema
from adapters.http.views.items import ITEMS
from core.query import Page


@dataclass(frozen=True, slots=True)
class Badge:
    id: str
    label: str
    secret: str
    awarded_at: datetime
    version: int = 1


BadgeOut = entity_schema(Badge, name="BadgeOut", doc="A badge.", hidden=("secret",))
AWARDED = datetime(2026, 1, 2, tzinfo=UTC)


def test_a_derived_answer_has_the_entity_fields_in_order_without_the_hidden_ones() -> None:
    assert list(BadgeOut.model_fields) == ["id", "label", "awarded_at", "version"]
    assert BadgeOut.__doc__ == "A badge."


def test_a_derived_answer_reads_the_entity_and_never_sends_a_hidden_field() -> None:
    answer = BadgeOut.model_validate(Badge("b1", "gold", "s3cret", AWARDED))
    assert answer.model_dump(mode="json") == {
        "id": "b1",
        "label": "gold",
        "awarded_at": "2026-01-02T00:00:00Z",
        "version": 1,
    }


def test_a_page_answer_is_named_for_its_entity_and_reads_a_core_page() -> None:
    page_out = page_schema(BadgeOut, doc="A page of badges.")
    page = Page(items=[Badge("b1", "gold", "x", AWARDED)], total=3, limit=1, offset=2)
    answer = page_out.model_validate(page).model_dump(mode="json")
    assert page_out.__name__ == "BadgePageOut"
    assert answer["total"] == 3
    assert answer["items"][0]["label"] == "gold"


def test_operations_are_named_for_the_resource_and_summaries_may_be_replaced() -> None:
    assert [ITEMS.operation(verb) for verb in ("list", "get", "change")] == [
        "list_items",
        "get_item",
        "change_item",
    ]
    assert ITEMS.summary("change").startswith("Change an item's title")
    assert ITEMS.summary("create") == "Create an item owned by the caller."
    assert ITEMS.id_parameter == "item_id"
    assert ITEMS.prefix == "/api/items"


def test_a_resource_may_live_at_a_url_of_its_own() -> None:
    badges: HttpResource[Badge] = HttpResource(
        name="badges",
        singular="badge",
        service="badge_service",
        create=BadgeOut,
        change=BadgeOut,
        list_query=BadgeOut,
        query=dict,
        out=BadgeOut,
        page=BadgeOut,
        url="/api/v2/badges",
    )
    assert badges.prefix == "/api/v2/badges"
    assert badges.summary("delete").startswith("Delete a badge;")
