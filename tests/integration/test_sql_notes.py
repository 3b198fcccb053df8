"""The Repository contract on a resource declared outside the product, on every SQL database.

Notes keep their tags in a child table (`note_tags`), the hook a multi-valued field uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

import pytest
from sqlalchemy import select

from adapters.sql.database import SqlDatabase
from tests.contract.notes import METADATA, NOTE_TAGS, NOTES, NotesInSql, a_note
from tests.contract.resource_contract import ResourceContract
from tests.contract.resource_spec import ResourceSpec


class TestSqlNotes(ResourceContract):
    """SQLite, PostgreSQL and MariaDB with the notes tables created for the test."""

    @pytest.fixture
    def spec(self) -> ResourceSpec:
        return NOTES

    @pytest.fixture
    def uow(self, any_sql_database: SqlDatabase) -> Iterator[Callable[[], NotesInSql]]:
        METADATA.create_all(any_sql_database.engine)
        yield partial(NotesInSql, any_sql_database.engine)
        METADATA.drop_all(any_sql_database.engine)


def test_tags_are_rows_of_the_child_table_in_their_order(any_sql_database: SqlDatabase) -> None:
    engine = any_sql_database.engine
    METADATA.create_all(engine)
    try:
        note = a_note(tags=("b", "a", "c"))
        with NotesInSql(engine) as unit:
            unit.notes.add(note)
            unit.notes.update(a_note(id=note.id, title=note.title, tags=("z",)))
            unit.commit()
        with engine.connect() as connection:
            rows = connection.execute(select(NOTE_TAGS).order_by(NOTE_TAGS.c.position)).all()
        assert [tuple(row) for row in rows] == [(note.id, 0, "z")]
        with NotesInSql(engine) as unit:
            unit.notes.delete(note.id)
            unit.commit()
        with engine.connect() as connection:
            assert connection.execute(select(NOTE_TAGS)).all() == []
    finally:
        METADATA.drop_all(engine)
