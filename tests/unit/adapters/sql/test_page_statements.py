"""A listing's unfiltered page is built once per order and run with its limit and offset bound."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import mysql, postgresql, sqlite

from adapters.sql import resource as sql_resource
from adapters.sql.resource import SqlResource
from adapters.sql.resources import ITEMS
from adapters.sql.statements import PAGE_LIMIT, PAGE_OFFSET, TOTAL
from core.query import ItemQuery, Sort, SortField


def fresh() -> SqlResource[object]:
    """The items' resource with nothing kept yet."""
    return SqlResource(ITEMS.name, ITEMS.entity, ITEMS.table, ITEMS.queryable)  # type: ignore[arg-type]


def test_pages_of_one_order_share_one_statement_and_bind_their_limit_and_offset() -> None:
    items = fresh()
    first, first_parameters = items.page(ItemQuery(limit=20), [])
    later, later_parameters = items.page(ItemQuery(limit=5, offset=40), [])
    assert later is first
    assert first_parameters == {PAGE_LIMIT: 21, PAGE_OFFSET: 0}
    assert later_parameters == {PAGE_LIMIT: 6, PAGE_OFFSET: 40}
    assert TOTAL in first.selected_columns


def test_each_order_has_its_own_statement() -> None:
    items = fresh()
    by_created, _ = items.page(ItemQuery(), [])
    by_title, _ = items.page(ItemQuery(sort=(Sort(SortField.TITLE, descending=True),)), [])
    assert by_title is not by_created
    assert len(items.pages) == 2


def test_a_filtered_or_seeking_page_is_built_for_its_query_and_not_kept() -> None:
    items = fresh()
    conditions = items.conditions(ItemQuery(title="one"))
    statement, parameters = items.page(ItemQuery(title="one"), conditions)
    again, _ = items.page(ItemQuery(title="one"), conditions)
    assert again is not statement
    assert parameters == {}
    assert items.pages == {}


def test_only_so_many_orders_stay_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sql_resource, "KEPT_PAGES", 1)
    items = fresh()
    items.page(ItemQuery(), [])
    by_title, _ = items.page(ItemQuery(sort=(Sort(SortField.TITLE),)), [])
    assert len(items.pages) == 1
    assert items.page(ItemQuery(sort=(Sort(SortField.TITLE),)), [])[0] is not by_title


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect(), mysql.dialect()])
def test_the_bound_limit_and_offset_compile_on_every_server(dialect: object) -> None:
    statement, parameters = fresh().page(ItemQuery(limit=20, offset=40), [])
    compiled = statement.compile(dialect=dialect)  # type: ignore[arg-type]
    assert "LIMIT" in str(compiled).upper()
    assert {compiled.params[PAGE_LIMIT], compiled.params[PAGE_OFFSET]} == {None}
    assert parameters == {PAGE_LIMIT: 21, PAGE_OFFSET: 40}
