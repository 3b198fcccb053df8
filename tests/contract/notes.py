"""A resource the product does not ship, declared on every backend as a team would add one.

Notes have a unique title, a body, a list of tags (a child table in SQL, an array in Mongo) and
an owner; the Repository contract runs on them from `NOTES` alone.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from pymongo.database import Database
from sqlalchemy import Column, Connection, ForeignKey, Integer, MetaData, String, Table, Text

from adapters.memory.repository import InMemoryRepository, MemoryResource
from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from adapters.mongo.client import Document
from adapters.mongo.repository import MongoRepository
from adapters.mongo.resource import MongoResource
from adapters.mongo.staging import Write
from adapters.mongo.unit_of_work import MongoUnitOfWork
from adapters.sql.children import ChildTable
from adapters.sql.column_types import UtcDateTime, code_point_string
from adapters.sql.repository import SqlRepository
from adapters.sql.resource import SqlResource
from adapters.sql.tables import NAMING
from adapters.sql.unit_of_work import SqlAlchemyUnitOfWork
from core.query import DEFAULT_LIMIT, Sort
from core.queryable import Filter, Match, Queryable
from core.seek import Seek
from tests.contract.resource_spec import ResourceSpec
from tests.helpers import EPOCH, unique


# -- core: the entity, its query and what the query means
@dataclass(frozen=True, slots=True)
class Note:
    """A titled text with tags, owned by a user."""

    id: str
    title: str
    body: str
    tags: tuple[str, ...]
    owner_id: str
    created_at: datetime
    version: int = 1


@dataclass(frozen=True, slots=True)
class NoteQuery:
    """Filter, order and page of a note listing."""

    title_prefix: str | None = None
    owner_id: str | None = None
    sort: tuple[Sort, ...] = (Sort("created_at"),)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    seek: Seek | None = None


NOTE_QUERY = Queryable(
    filters=(Filter("title_prefix", "title", Match.PREFIX), Filter("owner_id")),
    sorts=frozenset({"title", "created_at"}),
    unique=frozenset({"title"}),
)

# -- memory
MEMORY_NOTES = MemoryResource("note", NOTE_QUERY, unique=("title",))

# -- SQL (a migration would create these tables)
METADATA = MetaData(naming_convention=NAMING)
NOTES_TABLE = Table(
    "notes",
    METADATA,
    Column("id", String(32), primary_key=True),
    Column("title", code_point_string(80), unique=True, nullable=False),
    Column("body", Text, nullable=False),
    Column("owner_id", String(64), nullable=False, index=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False),
)
NOTE_TAGS = Table(
    "note_tags",
    METADATA,
    Column("parent_id", String(32), ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("value", String(40), nullable=False),
)
SQL_NOTES = SqlResource(
    "note", Note, NOTES_TABLE, NOTE_QUERY, children=(ChildTable("tags", NOTE_TAGS),)
)

# -- Mongo
MONGO_NOTES = MongoResource("note", Note, "notes", NOTE_QUERY, unique=("title",))


# -- the registry line each backend gains
class NotesInMemory(InMemoryUnitOfWork):
    """The in-memory unit of work with notes registered."""

    def _open_repositories(self, store: InMemoryStore, declared: Any = None) -> None:
        super()._open_repositories(store, declared)
        self.notes = InMemoryRepository[Note, NoteQuery](store.table("notes"), MEMORY_NOTES)


class NotesInSql(SqlAlchemyUnitOfWork):
    """The SQL unit of work with notes registered."""

    def _open_repositories(self, connection: Connection, declared: Any = None) -> None:
        super()._open_repositories(connection, declared)
        self.notes = SqlRepository[Note, NoteQuery](connection, SQL_NOTES)


class NotesInMongo(MongoUnitOfWork):
    """The Mongo unit of work with notes registered."""

    def _open_repositories(
        self, database: Database[Document], log: list[Write], declared: Any = None
    ) -> None:
        super()._open_repositories(database, log, declared)
        self.notes = MongoRepository[Note, NoteQuery](database["notes"], log, MONGO_NOTES)


# -- the contract's spec
def a_note(**fields: Any) -> Note:
    """A Note with sensible defaults; override any field."""
    values: dict[str, Any] = {
        "id": secrets.token_hex(16),
        "title": unique("note"),
        "body": "a body",
        "tags": ("red", "blue"),
        "owner_id": "owner-1",
        "created_at": EPOCH,
    }
    return Note(**(values | fields))


def note_samples() -> list[Any]:
    """Notes with repeated timestamps, no tags or many, and titles that share prefixes."""
    titles = ["plan", "Plan B", "plans", "p%n", "ideas", "日本 trip"]
    return [
        a_note(
            title=title,
            tags=tuple(f"tag{k}" for k in range(n)),
            owner_id="ann" if n % 2 else "bob",
            created_at=EPOCH + timedelta(seconds=n // 2),
        )
        for n, title in enumerate(titles)
    ]


NOTES = ResourceSpec(
    attribute="notes",
    build=a_note,
    change=lambda note: replace(note, body="changed", tags=("green",) + note.tags),
    unique=("title",),
    query=NoteQuery,
    queryable=NOTE_QUERY,
    samples=note_samples,
    filters=({"title_prefix": "plan"}, {"title_prefix": "p%"}, {"owner_id": "ann"}),
)
