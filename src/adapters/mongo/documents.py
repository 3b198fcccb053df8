"""Entities <-> Mongo documents, mapped explicitly.

Ids: an entity's id (32 hex digits from TimeOrderedIds) is the document's `_id`, stored as that
string, never as an ObjectId, so ids look the same in URLs, in SQL and in Mongo.

Timestamps: BSON dates keep milliseconds only. `created_at` holds the instant to the millisecond
(what tools show and query) and `created_at_us` the microseconds within that millisecond (0-999),
so an entity reads back equal to what was stored; listings sort on both fields.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.mongo.client import Document
from adapters.mongo.guard import plain
from core.entities import Item, User
from core.usernames import username_key

MICROS = "_us"


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


def item_to_document(item: Item) -> Document:
    """The document of an Item."""
    return {
        "_id": plain(item.id, field="id"),
        "title": plain(item.title, field="title"),
        "owner_id": plain(item.owner_id, field="owner_id"),
        **timestamp_fields("created_at", item.created_at),
        **timestamp_fields("updated_at", item.updated_at),
        "version": plain(item.version, field="version"),
    }


def item_from_document(document: Document) -> Item:
    """An Item from its document."""
    return Item(
        id=document["_id"],
        title=document["title"],
        owner_id=document["owner_id"],
        created_at=timestamp(document, "created_at"),
        updated_at=timestamp(document, "updated_at"),
        version=document["version"],
    )


def user_to_document(user: User) -> Document:
    """The document of a User; `username_key` is the case-folded name the unique index holds."""
    return {
        "_id": plain(user.id, field="id"),
        "username": plain(user.username, field="username"),
        "username_key": plain(username_key(user.username), field="username"),
        # Produced by our hasher, never by a request; "$argon2id$..." is its normal shape.
        "password_hash": user.password_hash,
        "permissions": sorted(
            plain(permission, field="permissions") for permission in user.permissions
        ),
        **timestamp_fields("created_at", user.created_at),
        "version": plain(user.version, field="version"),
    }


def user_from_document(document: Document) -> User:
    """A User from its document."""
    return User(
        id=document["_id"],
        username=document["username"],
        password_hash=document["password_hash"],
        permissions=frozenset(document.get("permissions", ())),
        created_at=timestamp(document, "created_at"),
        version=document["version"],
    )
