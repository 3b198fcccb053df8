"""Response schemas derived from an entity: its fields as they are, and a page of them."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from adapters.http.schemas import Answer


class EntityAnswer(Answer):
    """An answer read from an entity's attributes (a dataclass, not a dict)."""

    model_config = ConfigDict(
        json_schema_serialization_defaults_required=True, from_attributes=True
    )


def entity_schema(
    entity: type[Any], *, name: str, doc: str, hidden: tuple[str, ...] = ()
) -> type[Answer]:
    """The answer showing every field of the dataclass `entity` but `hidden`, in its order."""
    hints = get_type_hints(entity)
    shown: dict[str, Any] = {
        each.name: (hints[each.name], ...) for each in fields(entity) if each.name not in hidden
    }
    model: type[Answer] = create_model(name, __base__=EntityAnswer, __doc__=doc, **shown)
    return model


TOTAL = (
    "Every match of the filters, on an offset page; null on a cursor page, which skips the count."
)
OFFSET = "Where the page starts in the listing, on an offset page; null on a cursor page."
NEXT = "The cursor of the next page (null on the last page): pass it as `cursor`."
PREV = "The cursor of the previous page (null on the first page): pass it as `cursor`."


def page_schema(out: type[BaseModel], *, doc: str) -> type[Answer]:
    """`<Name>PageOut`: a page of `out` with its total, limit, offset and neighbours' cursors."""
    name = f"{out.__name__.removesuffix('Out')}PageOut"
    model: type[Answer] = create_model(
        name,
        __base__=EntityAnswer,
        __doc__=doc,
        items=(list[out], ...),  # type: ignore[valid-type]
        total=(int | None, Field(description=TOTAL)),
        limit=(int, ...),
        offset=(int | None, Field(description=OFFSET)),
        next=(str | None, Field(None, description=NEXT)),
        prev=(str | None, Field(None, description=PREV)),
    )
    return model
