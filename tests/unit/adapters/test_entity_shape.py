"""Entities as the storage adapters see them: plain values, sets and lists stored as lists."""

from __future__ import annotations

from adapters.entity_shape import EntityShape
from core.entities import Item, User
from tests.contract.notes import Note, a_note
from tests.helpers import a_user, an_item


def test_the_shape_reads_which_fields_hold_sets_lists_and_datetimes() -> None:
    users = EntityShape.of(User)
    assert users.sets == {"permissions"}
    assert users.datetimes == {"created_at"}
    assert EntityShape.of(Note).lists == {"tags"}
    assert EntityShape.of(Item).sets == frozenset()


def test_sets_are_stored_sorted_and_read_back_as_sets() -> None:
    users = EntityShape.of(User)
    user = a_user(permissions=frozenset({"b", "a"}))
    stored = users.values(user)
    assert stored["permissions"] == ["a", "b"]
    assert users.build(stored) == user


def test_lists_keep_their_order_and_a_missing_one_reads_as_empty() -> None:
    notes = EntityShape.of(Note)
    note = a_note(tags=("z", "a"))
    stored = notes.values(note)
    assert stored["tags"] == ["z", "a"]
    assert notes.build(stored) == note
    assert notes.build({**stored, "tags": None}).tags == ()


def test_plain_fields_round_trip_unchanged() -> None:
    items = EntityShape.of(Item)
    item = an_item()
    assert items.build(items.values(item)) == item
