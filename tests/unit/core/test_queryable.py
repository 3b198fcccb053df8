"""A query's meaning, as the core describes it for every backend."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.errors import ValidationError
from core.query import ITEM_QUERY, USER_QUERY, ItemQuery, Sort, SortField, UserQuery
from core.queryable import Filter, Match
from core.seek import Seek
from tests.helpers import EPOCH, a_user, an_item


def test_a_filter_compares_the_field_its_parameter_names_by_default() -> None:
    assert Filter("owner_id").field == "owner_id"
    assert Filter("title_prefix", "title", Match.PREFIX).field == "title"


@pytest.mark.parametrize(
    ("match", "stored", "value", "accepted"),
    [
        (Match.EXACT, "apple", "apple", True),
        (Match.EXACT, "Apple", "apple", False),
        (Match.PREFIX, "apple pie", "apple", True),
        (Match.PREFIX, "äpple", "a", False),
        (Match.MIN, 5, 5, True),
        (Match.MIN, 4, 5, False),
        (Match.MAX, 5, 5, True),
        (Match.MAX, 6, 5, False),
    ],
)
def test_each_match_compares_as_python_compares(
    match: Match, stored: object, value: object, accepted: bool
) -> None:
    assert Filter("f", match=match).accepts(stored, value) is accepted


def test_only_the_filters_a_query_sets_apply() -> None:
    query = ItemQuery(title_prefix="ap", created_at_min=EPOCH)
    assert [(each.param, value) for each, value in ITEM_QUERY.active(query)] == [
        ("title_prefix", "ap"),
        ("created_at_min", EPOCH),
    ]
    assert ITEM_QUERY.matches(an_item(title="apple", at=EPOCH), query)
    assert not ITEM_QUERY.matches(an_item(title="apple", at=EPOCH - timedelta(1)), query)
    assert not ITEM_QUERY.matches(an_item(title="pear", at=EPOCH), query)


def test_the_order_ends_with_the_id_that_breaks_ties() -> None:
    query = ItemQuery(sort=(Sort(SortField.CREATED_AT, descending=True),))
    assert ITEM_QUERY.order(query) == [("created_at", True), ("id", False)]
    tied = [
        an_item(id=f"{n:032d}", at=EPOCH + timedelta(seconds=s))
        for n, s in [(2, 1), (1, 1), (3, 0)]
    ]
    assert [item.id for item in ITEM_QUERY.sorted(tied, query)] == [f"{n:032d}" for n in (1, 2, 3)]


def test_the_order_ends_at_a_unique_field_where_no_tie_is_left() -> None:
    query = ItemQuery(sort=(Sort(SortField.TITLE, descending=True), Sort(SortField.CREATED_AT)))
    assert ITEM_QUERY.order(query) == [("title", True)]
    users = UserQuery(sort=(Sort("username_key"),))
    assert USER_QUERY.order(users) == [("username_key", False)]


def test_a_sort_field_the_resource_does_not_name_is_a_validation_error() -> None:
    @dataclass(frozen=True)
    class Odd:
        sort: tuple[Sort, ...] = (Sort("password_hash"),)
        limit: int = 20
        offset: int = 0
        seek: Seek | None = None

    with pytest.raises(ValidationError) as refused:
        USER_QUERY.order(Odd())
    assert refused.value.details == {"sort": "not a sort field: password_hash"}


def test_a_derived_field_is_computed_from_the_entity() -> None:
    users = [a_user(username=name) for name in ["bob", "Alice", "carol"]]
    assert USER_QUERY.value(users[1], "username_key") == "alice"
    ordered = USER_QUERY.sorted(users, UserQuery())
    assert [user.username for user in ordered] == ["Alice", "bob", "carol"]
