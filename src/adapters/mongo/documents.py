"""Entities <-> Mongo documents, mapped from a resource's declaration.

Ids: an entity's id (32 hex digits from TimeOrderedIds) is the document's `_id`, stored as that
string, never as an ObjectId, so ids look the same in URLs, in SQL and in Mongo.

Timestamps: BSON dates keep milliseconds only. `created_at` holds the instant to the millisecond
(what tools show and query) and `created_at_us` the microseconds within that millisecond (0-999),
so an entity reads back equal to what was stored; listings sort on both fields.

Dates are ISO text (`2026-01-31`, ordered as the dates are), decimals integers of their places.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from adapters.mongo.client import Document
from adapters.mongo.guard import plain
from adapters.mongo.resource import MICROS, MongoResource


def timestamp_fields(name: str, moment: datetime) -> Document:
    """The two fields that store an aware datetime exactly."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where UTC was expected")
    utc = moment if moment.tzinfo is UTC else moment.astimezone(UTC)
    micros = utc.microsecond % 1000
    # The clock already truncates to milliseconds: the common case builds no new datetime.
    millis = utc.replace(microsecond=utc.microsecond - micros) if micros else utc
    return {name: millis, name + MICROS: micros}


def timestamp(document: Document, name: str) -> datetime:
    """The aware UTC datetime stored by `timestamp_fields`."""
    stored: datetime = document[name]
    moment = stored.replace(tzinfo=UTC) if stored.tzinfo is None else stored.astimezone(UTC)
    return moment + timedelta(microseconds=document.get(name + MICROS, 0))


def to_document(resource: MongoResource[Any], entity: Any) -> Document:
    """The document of an entity: checked scalars, lists of them for multi-valued fields."""
    values = resource.shape.values(entity)
    document: Document = {"_id": plain(values.pop("id"), field="id")}
    for name in resource.queryable.derived:
        values[name] = resource.queryable.value(entity, name)
    for name, value in values.items():
        if value is None:
            document[name] = None
            if name in resource.shape.datetimes:
                document[name + MICROS] = None
        elif name in resource.shape.datetimes:
            document.update(timestamp_fields(name, value))
        elif name in resource.shape.many:
            document[name] = [plain(each, field=name) for each in value]
        else:
            document[name] = stored_value(resource, name, value)
    return document


def stored_value(resource: MongoResource[Any], name: str, value: Any, *, label: str = "") -> Any:
    """A field's value as the document keeps it (and as a filter compares it)."""
    if value is None:
        return None
    if name in resource.places:
        return int(Decimal(value).scaleb(resource.places[name]))
    if name in resource.shape.dates:
        return value.isoformat()
    return plain(value, field=label or name)


def from_document(resource: MongoResource[Any], document: Document) -> Any:
    """The entity a stored document holds."""
    values = {**document, "id": document["_id"]}
    for name in resource.shape.datetimes:
        values[name] = None if document.get(name) is None else timestamp(document, name)
    for name, places in resource.places.items():
        if document.get(name) is not None:
            values[name] = Decimal(document[name]).scaleb(-places)
    for name in resource.shape.dates:
        if document.get(name) is not None:
            values[name] = date.fromisoformat(document[name])
    return resource.shape.build(values)
