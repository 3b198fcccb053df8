"""The statements read on the driver's cursor, as compiled: markers, escaped names, refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.dialects import mysql, postgresql, sqlite

from adapters.sql.driver_statements import _bound, _compiled, insert_of
from adapters.sql.resources import ITEMS as SqlItems
from adapters.sql.table_rows import row_type
from adapters.sql.tables import ITEMS
from tests.helpers import an_item

BY_ID = select(ITEMS).where(ITEMS.c.id == bindparam("match_id"))


def test_a_positional_paramstyle_gets_the_values_in_the_order_of_their_markers() -> None:
    statement = select(ITEMS).where(
        ITEMS.c.title == bindparam("title"), ITEMS.c.id == bindparam("match_id")
    )
    compiled = _compiled(statement, sqlite.dialect())
    assert compiled.sql.count("?") == 2
    assert _bound(compiled, {"match_id": "an id", "title": "a title"}) == ("a title", "an id")


@pytest.mark.parametrize("dialect", [postgresql.psycopg.dialect(), mysql.pymysql.dialect()])
def test_a_named_or_format_paramstyle_gets_what_its_markers_name(dialect: object) -> None:
    compiled = _compiled(BY_ID, dialect)  # type: ignore[arg-type]
    bound = _bound(compiled, {"match_id": "an id"})
    if compiled.order is None:
        assert "%(match_id)s" in compiled.sql
        assert bound == {"match_id": "an id"}
    else:
        assert bound == ("an id",)


def test_a_name_the_compiler_escapes_is_bound_under_its_escaped_name() -> None:
    statement = select(ITEMS).where(ITEMS.c.id == bindparam("match.id"))
    compiled = _compiled(statement, postgresql.psycopg.dialect())
    (escaped,) = _bound(compiled, {"match.id": "an id"})
    assert escaped != "match.id"
    assert f"%({escaped})s" in compiled.sql


def test_an_expanding_parameter_is_refused() -> None:
    statement = select(ITEMS).where(ITEMS.c.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="expanding"):
        _compiled(statement, postgresql.psycopg.dialect())


def test_a_table_row_reads_as_a_sqlalchemy_row_does() -> None:
    values = ("an id", "a title", "an owner", None, None, 1)
    row = row_type(ITEMS)(values)
    assert row._fields == tuple(ITEMS.c.keys())
    assert row._mapping["title"] == "a title"
    assert row[0] == "an id"
    assert row == values


def test_an_insert_binds_every_column_in_the_order_of_its_markers() -> None:
    compiled = _compiled(insert_of(ITEMS), sqlite.dialect())
    item = an_item()
    row = dict(reversed(SqlItems.to_row(item).items()))
    bound = _bound(compiled, row)
    assert bound[:3] == (item.id, item.title, item.owner_id)
    assert len(bound) == len(ITEMS.c) == compiled.sql.count("?")
