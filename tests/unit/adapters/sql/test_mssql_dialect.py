"""MSSQL cannot run here: the models' DDL and the repository's queries are compiled for it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.dialects import mssql
from sqlalchemy.schema import CreateIndex, CreateTable

from adapters.sql import resources
from adapters.sql.repository import SqlRepository
from adapters.sql.tables import ITEMS, METADATA, USERS
from core.entities import Item
from core.errors import NotFound
from core.query import ItemQuery, Sort, SortField
from core.seek import Seek
from tests.helpers import EPOCH, an_item

DIALECT = mssql.dialect()  # type: ignore[no-untyped-call]


def compiled(statement: Any, parameters: Any = None) -> str:
    # With the executed parameters' names, an UPDATE shows the columns it really sets.
    keys = {"column_keys": list(parameters)} if isinstance(parameters, dict) else {}
    return " ".join(str(statement.compile(dialect=DIALECT, **keys)).split())


class RecordingConnection:
    """Records statements and parameters; answers as an empty table where every write matches."""

    def __init__(self) -> None:
        self.statements: list[Any] = []
        self.parameters: list[Any] = []

    # As a connection whose statements something listens to: every statement comes through
    # execute, none on a driver's cursor (adapters/sql/driver_statements.py).
    dispatch = SimpleNamespace(before_cursor_execute=[print], after_cursor_execute=[])

    def execute(self, statement: Any, parameters: Any = None) -> RecordingConnection:
        self.statements.append(statement)
        self.parameters.append(parameters)
        return self

    rowcount = 1

    def first(self) -> None:
        return None

    def all(self) -> list[Any]:
        return []

    def scalar_one(self) -> int:
        return 0


@pytest.fixture
def connection() -> RecordingConnection:
    return RecordingConnection()


@pytest.fixture
def items(connection: RecordingConnection) -> SqlRepository[Item, ItemQuery]:
    return SqlRepository[Item, ItemQuery](connection, resources.ITEMS)  # type: ignore[arg-type]


def test_items_table_ddl_uses_unicode_binary_titles_and_datetimeoffset() -> None:
    ddl = compiled(CreateTable(ITEMS))
    assert "title NVARCHAR(80) COLLATE Latin1_General_100_BIN2 NOT NULL" in ddl
    assert "created_at DATETIMEOFFSET NOT NULL" in ddl
    assert "CONSTRAINT pk_items PRIMARY KEY (id)" in ddl
    assert "CONSTRAINT uq_items_title UNIQUE (title)" in ddl


def test_users_table_ddl_keeps_permissions_as_json() -> None:
    ddl = compiled(CreateTable(USERS))
    assert "username_key NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL" in ddl
    assert "permissions NVARCHAR(max) NOT NULL" in ddl
    assert "CONSTRAINT uq_users_username_key UNIQUE (username_key)" in ddl


def test_every_index_compiles() -> None:
    statements = [
        compiled(CreateIndex(index)) for table in METADATA.sorted_tables for index in table.indexes
    ]
    assert "CREATE INDEX ix_items_created_at_id ON items (created_at, id)" in statements


def test_listing_pages_in_a_stable_order(
    connection: RecordingConnection, items: SqlRepository[Item, ItemQuery]
) -> None:
    items.list(
        ItemQuery(title_prefix="a_%", sort=(Sort(SortField.CREATED_AT, True),), limit=20, offset=40)
    )
    page, count = (compiled(statement) for statement in connection.statements)
    assert "WHERE (items.title LIKE :title_1 + '%' ESCAPE '/')" in page
    # Without a live server SQLAlchemy assumes the oldest paging form, ROW_NUMBER(); against
    # SQL Server 2012+ it emits OFFSET/FETCH with the same ORDER BY.
    assert "ROW_NUMBER() OVER (ORDER BY items.created_at DESC, items.id) AS mssql_rn" in page
    assert "WHERE mssql_rn > :param_1 AND mssql_rn <= :param_2 + :param_1" in page
    assert count.startswith("SELECT count(*) AS count_1 FROM items WHERE")


def test_a_cursor_page_seeks_past_its_place_and_counts_nothing(
    connection: RecordingConnection, items: SqlRepository[Item, ItemQuery]
) -> None:
    place = Seek((EPOCH, "0" * 32))
    items.list(ItemQuery(sort=(Sort(SortField.CREATED_AT, True),), limit=20, seek=place))
    (page,) = (compiled(statement) for statement in connection.statements)
    assert (
        "WHERE items.created_at <= :created_at_1 AND (items.created_at < :created_at_2 "
        "OR items.created_at = :created_at_3 AND items.id > :id_1)"
    ) in page
    assert "ORDER BY items.created_at DESC, items.id" in page


def test_update_checks_the_version_in_its_where_clause(
    connection: RecordingConnection, items: SqlRepository[Item, ItemQuery]
) -> None:
    item = an_item()
    items.update(item)
    statement, parameters = connection.statements[0], connection.parameters[0]
    assert compiled(statement, parameters) == (
        "UPDATE items SET title=:title, owner_id=:owner_id, created_at=:created_at, "
        "updated_at=:updated_at, version=:version "
        "WHERE items.id = :match_id AND items.version = :match_version"
    )
    matched = (parameters["match_id"], parameters["match_version"], parameters["version"])
    assert matched == (item.id, item.version, item.version + 1)


def test_get_of_a_missing_row_is_not_found(
    connection: RecordingConnection, items: SqlRepository[Item, ItemQuery]
) -> None:
    with pytest.raises(NotFound):
        items.get("0" * 32)
    assert compiled(connection.statements[0]).endswith("WHERE items.id = :match_id")
    assert connection.parameters[0] == {"match_id": "0" * 32}
