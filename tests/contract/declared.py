"""Two declared resources the product does not ship, declared as `flask resource new` writes them.

Gadgets hold one field of every kind (owned, like items); labels are owned by nobody and written
only with the `labels:write` permission. Their tables live on a MetaData of their own, so the
product's migrations never see them; tests create them with `create_tables`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, delete

from adapters.sql.column_types import UtcDateTime, code_point_string
from adapters.sql.resource import SqlResource
from adapters.sql.tables import MYSQL_TABLE_OPTIONS, NAMING
from api.resource import Resource
from core.fields import Field, Kind
from core.query import DEFAULT_LIMIT, Sort
from core.queryable import Filter
from core.resource import ResourceType
from core.seek import Seek

Kinds = Literal["tool", "toy", "gizmo"]


@dataclass(frozen=True, slots=True)
class Gadget:
    """A gadget: a field of every kind."""

    id: str
    name: str
    notes: str | None
    rank: int
    price: Decimal | None
    active: bool
    due: date
    seen_at: datetime | None
    kind: Kinds
    tags: tuple[str, ...]
    reviewer_id: str | None
    owner_id: str
    created_at: datetime
    updated_at: datetime
    version: int = 1


@dataclass(frozen=True, slots=True)
class GadgetQuery:
    """Filter, order and page of a gadget listing."""

    name: str | None = None
    name_prefix: str | None = None
    rank: int | None = None
    rank_min: int | None = None
    rank_max: int | None = None
    price: Decimal | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    active: bool | None = None
    due: date | None = None
    due_min: date | None = None
    due_max: date | None = None
    seen_at: datetime | None = None
    seen_at_min: datetime | None = None
    seen_at_max: datetime | None = None
    kind: Kinds | None = None
    owner_id: str | None = None  # a custom query: one owner's gadgets
    sort: tuple[Sort, ...] = (Sort("created_at"),)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    seek: Seek | None = None


GADGETS_TYPE = ResourceType(
    name="gadgets",
    singular="gadget",
    entity=Gadget,
    query=GadgetQuery,
    fields=(
        Field("name", Kind.STR, max_length=40, unique=True, filter=True, sort=True),
        Field("notes", Kind.TEXT, optional=True),
        Field("rank", Kind.INT, minimum=0, maximum=100, filter=True, sort=True),
        Field("price", Kind.DECIMAL, minimum=0, optional=True, filter=True),
        Field("active", Kind.BOOL, filter=True, sort=True, default=True),
        Field("due", Kind.DATE, filter=True, sort=True),
        Field("seen_at", Kind.DATETIME, optional=True, filter=True),
        Field("kind", Kind.ENUM, choices=("tool", "toy", "gizmo"), filter=True, sort=True),
        Field("tags", Kind.LIST, maximum=5, max_length=20),
        Field("reviewer_id", Kind.USER, optional=True),
    ),
    extra_filters=(Filter("owner_id"),),
)


@dataclass(frozen=True, slots=True)
class Label:
    """A label anyone may read and only a holder of `labels:write` may write."""

    id: str
    text: str
    created_at: datetime
    updated_at: datetime
    version: int = 1


@dataclass(frozen=True, slots=True)
class LabelQuery:
    """Filter, order and page of a label listing."""

    text: str | None = None
    text_prefix: str | None = None
    sort: tuple[Sort, ...] = (Sort("created_at"),)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    seek: Seek | None = None


LABELS_TYPE = ResourceType(
    name="labels",
    singular="label",
    entity=Label,
    query=LabelQuery,
    fields=(Field("text", Kind.STR, max_length=30, unique=True, filter=True, sort=True),),
    owned=False,
    permission="labels:write",
)

METADATA = MetaData(naming_convention=NAMING)
LABELS_TABLE = Table(
    "labels",
    METADATA,
    Column("id", String(32), primary_key=True),
    Column("text", code_point_string(30), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False, index=True),
    Column("updated_at", UtcDateTime(), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    **MYSQL_TABLE_OPTIONS,
)

# Gadgets' tables are derived from their fields; labels' is stated by hand, as a team that
# wants its own table states it.
GADGETS = Resource.of(GADGETS_TYPE, sql=SqlResource.declared(GADGETS_TYPE, METADATA))
LABELS = Resource.of(
    LABELS_TYPE, sql=SqlResource("label", Label, LABELS_TABLE, LABELS_TYPE.queryable)
)
TEST_RESOURCES = (GADGETS, LABELS)


def create_tables(engine: Engine) -> None:
    """The test resources' tables, beside the product's (the users table must exist)."""
    METADATA.create_all(engine)


def empty_tables(engine: Engine) -> None:
    """Delete every row of the test resources' tables, children first."""
    with engine.begin() as connection:
        for table in reversed(METADATA.sorted_tables):
            connection.execute(delete(table))


def drop_tables(engine: Engine) -> None:
    """Remove the test resources' tables."""
    METADATA.drop_all(engine)
