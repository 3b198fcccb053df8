"""The request schemas of a declared resource, read from its fields: bodies and listing query.

Each field's rule is the core's (`core.fields`), applied once there; a schema states the types
and bounds a client can see in the document, and refuses what is not even of the right type.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    create_model,
)
from pydantic_core import PydanticCustomError

from adapters.http.resources.declaration import HttpResource
from adapters.http.resources.schemas import entity_schema, page_schema
from adapters.http.schemas import JSON_INTEGER, MAX_OFFSET, Strict
from core.entities import Versioned
from core.fields import DECIMAL_DIGITS, USER_ID_LENGTH, Kind
from core.fields import Field as Declared
from core.query import DEFAULT_LIMIT, MAX_LIMIT
from core.resource import ResourceType

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=Versioned)

# A filter is normalised to NFC: room for a fully decomposed spelling of the longest value.
DECOMPOSED = 4

# Dates and timestamps travel as RFC 3339 text. pydantic also reads a number, or text of digits,
# as seconds since 1970, so `0` would be stored as 1970-01-01: text of another shape is refused
# before pydantic parses it.
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATETIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _written_as(shape: re.Pattern[str], example: str) -> BeforeValidator:
    def check(value: object) -> object:
        if isinstance(value, str) and shape.match(value):
            return value
        raise PydanticCustomError(
            "temporal_text", "must be text such as {example}", {"example": example}
        )

    return BeforeValidator(check)


ISO_DATE = Annotated[date, _written_as(_DATE_TEXT, "2026-12-01")]
ISO_DATETIME = Annotated[AwareDatetime, _written_as(_DATETIME_TEXT, "2026-12-01T09:30:00Z")]


def value_type(field: Declared, *, body: bool = True) -> Any:
    """The pydantic type of one value of the field (a query string's, when not `body`)."""
    low, high = field.bounds
    kind = field.kind
    if not body:
        return _query_type(field)
    if kind in (Kind.STR, Kind.TEXT):
        return Annotated[StrictStr, Field(description=_text_rule(field))]
    if kind is Kind.USER:
        return Annotated[StrictStr, Field(max_length=USER_ID_LENGTH, description="a user's id")]
    if kind is Kind.INT:
        return Annotated[StrictInt, Field(ge=low, le=high), JSON_INTEGER]
    if kind is Kind.DECIMAL:
        places = field.places
        return Annotated[
            Decimal,
            Field(ge=low, le=high, strict=False, max_digits=DECIMAL_DIGITS, decimal_places=places),
        ]
    if kind is Kind.BOOL:
        return StrictBool
    if kind is Kind.DATE:
        return Annotated[ISO_DATE, Field(ge=low, le=high, strict=False)]
    if kind is Kind.DATETIME:
        return Annotated[ISO_DATETIME, Field(ge=low, le=high, strict=False)]
    if kind is Kind.ENUM:
        return Literal[field.choices]
    item = Annotated[StrictStr, Field(description=f"1 to {field.length} characters")]
    return Annotated[list[item], Field(min_length=low, max_length=high)]


def _query_type(field: Declared) -> Any:
    # A query string holds text only: numbers, dates and booleans are read from it.
    lax: dict[Kind, Any] = {
        Kind.INT: int,
        Kind.DECIMAL: Decimal,
        Kind.BOOL: bool,
        Kind.DATE: ISO_DATE,
        Kind.DATETIME: ISO_DATETIME,
    }
    if field.kind is Kind.ENUM:
        return Literal[field.choices]
    if field.kind in lax:
        return lax[field.kind]
    return Annotated[str, Field(max_length=DECOMPOSED * field.length)]


def _text_rule(field: Declared) -> str:
    if field.kind is Kind.TEXT:
        return f"at most {field.length} characters, stored in Unicode NFC"
    return (
        f"1 to {field.length} characters once surrounding spaces are trimmed, stored in Unicode "
        "NFC; no control or invisible characters"
    )


def create_schema(resource: ResourceType[Any, Any]) -> type[Strict]:
    """`<Singular>Create`: every field, required unless optional or defaulted."""
    shown: dict[str, Any] = {}
    for field in resource.fields:
        kind = value_type(field)
        if field.optional:
            shown[field.name] = (kind | None, field.default)
        elif field.default is not None:
            shown[field.name] = (kind, field.default)
        else:
            shown[field.name] = (kind, ...)
    return _model(
        f"{_camel(resource.singular)}Create", Strict, f"Body creating a {resource.singular}.", shown
    )


def change_schema(resource: ResourceType[Any, Any]) -> type[Strict]:
    """`<Singular>Change`: any of the fields, and `version`, which must then be the stored one."""
    shown: dict[str, Any] = {
        field.name: (value_type(field) | None, None) for field in resource.fields
    }
    version = Annotated[StrictInt, Field(ge=1, le=2**31 - 1), JSON_INTEGER] | None
    shown["version"] = (version, None)
    return _model(
        f"{_camel(resource.singular)}Change", Strict, f"Body changing a {resource.singular}.", shown
    )


class ListQuery(BaseModel):
    """A listing's query string: paging and sort beside the resource's filters."""

    model_config = ConfigDict(extra="forbid")

    limit: Annotated[int, Field(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0


def list_query_schema(resource: ResourceType[Any, Any]) -> type[ListQuery]:
    """`<Singular>ListQuery`: `sort=-a,b`, and each filter the resource declares."""
    keys = "|".join(resource.sorts)
    pattern = rf"^-?({keys})(,-?({keys})){{0,2}}$"
    shown: dict[str, Any] = {
        "sort": (Annotated[str, Field(pattern=pattern)], resource.default_sort)
    }
    declared = {field.name for field in resource.fields}
    for each in resource.filters:
        # A filter on a field every entity has (`owner_id`) compares text.
        kind = (
            value_type(resource.field(each.field), body=False)
            if each.field in declared
            else Annotated[str, Field(max_length=USER_ID_LENGTH)]
        )
        shown[each.param] = (kind | None, None)
    return _model(
        f"{_camel(resource.singular)}ListQuery",
        ListQuery,
        f"Query string listing {resource.name}.",
        shown,
    )


def _model(name: str, base: type[M], doc: str, fields: dict[str, Any]) -> type[M]:
    model: type[M] = create_model(name, __base__=base, __doc__=doc, **fields)
    return model


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def http_resource(resource: ResourceType[E, Any]) -> HttpResource[E]:
    """The declared resource on the resource blueprint, at `/api/<name>`, with derived schemas."""
    out = entity_schema(
        resource.entity, name=f"{_camel(resource.singular)}Out", doc=f"A {resource.singular}."
    )
    summaries: dict[str, str] = {}
    if not resource.owned:
        needs = f"needs the `{resource.write_permission}` permission"
        summaries = {
            f"create_{resource.singular}": f"Create a {resource.singular}; {needs}.",
            f"change_{resource.singular}": f"Change a {resource.singular}; {needs}.",
            f"delete_{resource.singular}": f"Delete a {resource.singular}; {needs}.",
        }
    return HttpResource(
        name=resource.name,
        singular=resource.singular,
        service="",
        create=create_schema(resource),
        change=change_schema(resource),
        list_query=list_query_schema(resource),
        query=resource.query,
        out=out,
        page=page_schema(out, doc=f"A page of {resource.name}."),
        summaries=summaries,
        public_reads=resource.public_reads,
        creating_needs_permission=not resource.owned,
    )
