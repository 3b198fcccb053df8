"""The specs of the resources every backend stores: items and users."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from core.query import ITEM_QUERY, USER_QUERY, ItemQuery, UserQuery
from tests.contract.resource_spec import ResourceSpec
from tests.helpers import EPOCH, a_user, an_item

# Code-point order, case, accents, LIKE wildcards and emoji: what text comparison must agree on.
TITLES = [
    "b", "B", "a", "é", "e", "Z", "10", "9", "a b", "ab", "~", "日本", "apple", "Apple",
    "äpple", "apple pie", "applesauce", "a%ple", "a_ple", "🍎 pomme, Ωmega",
]  # fmt: skip


def item_samples() -> list[object]:
    """Items with repeated timestamps (ties broken by id) and microseconds, two owners."""
    return [
        an_item(
            title=title,
            owner_id="ann" if n % 3 else "zoë🍎",
            at=EPOCH + timedelta(seconds=n // 4, microseconds=123456 * (n % 2)),
        )
        for n, title in enumerate(TITLES)
    ]


ITEMS = ResourceSpec(
    attribute="items",
    build=an_item,
    change=lambda item: replace(
        item, title=item.title + " changed", updated_at=EPOCH + timedelta(1)
    ),
    unique=("title",),
    query=ItemQuery,
    queryable=ITEM_QUERY,
    samples=item_samples,
    filters=(
        {"title": "apple"},
        {"title": "Apple"},
        {"title_prefix": "app"},
        {"title_prefix": "a%"},
        {"title_prefix": "a_ple"},
        {"title_prefix": "🍎"},
        {"owner_id": "zoë🍎"},
        {"owner_id": "ann", "title_prefix": "a"},
        {"created_at_min": EPOCH + timedelta(seconds=2)},
        {"created_at_max": EPOCH + timedelta(seconds=1, microseconds=123456)},
        {"created_at_min": EPOCH + timedelta(seconds=1, microseconds=1), "owner_id": "ann"},
    ),
    bulk=1200,
)

USERS = ResourceSpec(
    attribute="users",
    build=a_user,
    change=lambda user: replace(user, permissions=frozenset({"items:admin", "b"})),
    unique=("username",),
    query=UserQuery,
    queryable=USER_QUERY,
    samples=lambda: [a_user(username=name) for name in ["zed", "Amy", "bob", "Émile", "ALICE"]],
)

SPECS = (ITEMS, USERS)
