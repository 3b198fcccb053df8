"""The contract specs of a declared resource, read from its fields: no test code per resource.

Sample values come from each field's kind and bounds (`Field.sample`); unique text gets a random
suffix so entities of different tests never collide. Every resource of the app's catalogue and
the test resources (`tests/contract/declared.py`) run the Repository and HTTP contracts so.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from api.catalogue import RESOURCES
from api.resource import Resource
from core.fields import Field, Kind
from tests.contract.declared import TEST_RESOURCES
from tests.contract.http_resource_spec import Body, HttpResourceSpec
from tests.contract.resource_spec import ResourceSpec
from tests.helpers import EPOCH

#: The declared resources every backend's contract runs on: the test ones and the app's own.
DECLARED: tuple[Resource[Any, Any], ...] = (*TEST_RESOURCES, *RESOURCES)


def field_value(field: Field, index: int) -> Any:
    """A valid value of the field for the `index`-th sample; unique text is made unique."""
    if field.kind is Kind.USER:
        return None
    value = field.sample(index)
    low, high = field.bounds
    if field.unique and field.kind is Kind.INT:
        return low + secrets.randbelow(high - low + 1)
    if field.unique and field.kind is Kind.STR:
        if field.length < 16:
            # Short codes: random ideographs, so that even two characters rarely repeat.
            return "".join(chr(0x4E00 + secrets.randbelow(20_000)) for _ in range(field.length))
        return f"{value[: field.length - 13]} {secrets.token_hex(6)}"
    return value


def repository_spec(resource: Resource[Any, Any]) -> ResourceSpec:
    """The Repository contract's spec of a declared resource."""
    declared = resource.declared

    def build(index: int = 1, **fields: Any) -> Any:
        values = {each.name: field_value(each, index) for each in declared.fields}
        values |= {"id": secrets.token_hex(16), "created_at": EPOCH, "updated_at": EPOCH}
        if declared.owned:
            values["owner_id"] = "owner-1"
        return declared.entity(**(values | fields))

    def change(entity: Any) -> Any:
        fields = {each.name: field_value(each, 7) for each in declared.fields if not each.unique}
        return replace(entity, **fields)

    # Built once: the filters below name values these samples hold (each test starts empty).
    made = [build(index) for index in range(8)]

    def samples() -> list[Any]:
        return list(made)

    return ResourceSpec(
        attribute=declared.name,
        build=build,
        change=change,
        unique=declared.unique,
        query=declared.query,
        queryable=declared.queryable,
        samples=samples,
        filters=(
            *_filters(declared.fields, made),
            *({each.param: getattr(made[3], each.field)} for each in declared.extra_filters),
        ),
        key=declared,
    )


def _filters(fields: tuple[Field, ...], samples: list[Any]) -> list[dict[str, Any]]:
    # Each filter set to a value one of the samples holds, so that it matches something.
    chosen: list[dict[str, Any]] = []
    for field in fields:
        if not field.filter:
            continue
        value = getattr(samples[3], field.name)
        chosen.append({field.name: value})
        if field.kind is Kind.STR:
            chosen.append({f"{field.name}_prefix": value[:3]})
        if field.kind in (Kind.INT, Kind.DECIMAL, Kind.DATE, Kind.DATETIME):
            chosen += [{f"{field.name}_min": value}, {f"{field.name}_max": value}]
    return chosen


def as_json(value: Any) -> Any:
    """A value as the API sends it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def http_spec(resource: Resource[Any, Any]) -> HttpResourceSpec:
    """The HTTP resource contract's spec of a declared resource."""
    declared = resource.declared
    unique_text = [each for each in declared.fields if each.unique and each.kind is Kind.STR]

    def body(index: int) -> Body:
        values: Body = {}
        for each in declared.fields:
            # An optional str may hold another resource's id, which no sample can name: the
            # bodies leave it out, and the resource's own tests send the ids it refers to.
            if each.kind is Kind.USER or (each.optional and each.kind is Kind.STR):
                continue
            values[each.name] = as_json(field_value(each, index))
        return values

    filters = {each.name: lambda made, name=each.name: made[name] for each in unique_text}
    filters |= {
        f"{each.name}_prefix": lambda made, name=each.name: made[name][:-1] for each in unique_text
    }
    formats = {Kind.DATE: "date", Kind.DATETIME: "date-time"}
    dated = {each.name: formats[each.kind] for each in declared.fields if each.kind in formats}
    dated |= {each.param: dated[each.field] for each in declared.filters if each.field in dated}
    return HttpResourceSpec(
        name=declared.name,
        url=resource.http.prefix,
        id_parameter=resource.http.id_parameter,
        new=lambda: body(1),
        change=lambda: body(6),
        same=lambda made: {
            each.name: made[each.name]
            for each in declared.fields
            if each.name in made and made[each.name] is not None
        },
        unique=declared.unique,
        filters=filters,
        # Decimals are sent as text, which Python would order differently from the numbers.
        sorts=tuple(
            name
            for name in declared.sorts
            if name in ("created_at", "updated_at") or declared.field(name).kind is not Kind.DECIMAL
        ),
        owned=declared.owned,
        permission="" if declared.owned else declared.write_permission,
        dated=dated,
    )


REPOSITORY_SPECS = tuple(repository_spec(each) for each in DECLARED)
# A resource whose reads need a token is tested by its own module (reading without one is 401).
HTTP_SPECS = tuple(http_spec(each) for each in DECLARED if each.declared.public_reads)
