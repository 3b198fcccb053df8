"""Entities <-> Mongo documents, mapped from a resource's declaration.

Ids: an entity's id (32 hex digits from TimeOrderedIds) is the document's `_id`, stored as that
string, never as an ObjectId, so ids look the same in URLs, in SQL and in Mongo.

Timestamps: BSON dates keep milliseconds only. `created_at` holds the instant to the millisecond
(what tools show and query) and `created_at_us` the microseconds within that millisecond (0-999),
so an entity reads back equal to what was stored; listings sort on both fields.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
        if name in resource.shape.datetimes:
            document.update(timestamp_fields(name, value))
        elif name in resource.shape.many:
            document[name] = [plain(each, field=name) for each in value]
        else:
            document[name] = plain(value, field=name)
    return document


def from_document(resource: MongoResource[Any], document: Document) -> Any:
    """The entity a stored document holds."""
    times = {name: timestamp(document, name) for name in resource.shape.datetimes}
    return resource.shape.build({**document, "id": document["_id"], **times})
