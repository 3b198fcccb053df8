"""The Repository and UnitOfWork contract: every storage backend runs these tests unchanged.

A backend's test module subclasses `RepositoryContract` and provides the `uow` fixture: a
factory of fresh units of work on an empty store.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.errors import ConcurrentChange, Conflict, NotFound
from core.ports.unit_of_work import UnitOfWorkFactory
from core.query import ItemQuery, Sort, SortField, UserQuery
from tests.helpers import EPOCH, a_user, an_item


class RepositoryContract:
    """Behaviour every Repository + UnitOfWork pair must show."""

    def test_added_item_reads_back_equal(self, uow: UnitOfWorkFactory) -> None:
        item = an_item(title="first")
        with uow() as unit:
            unit.items.add(item)
            unit.commit()
        with uow() as unit:
            assert unit.items.get(item.id) == item

    def test_uncommitted_changes_are_rolled_back(self, uow: UnitOfWorkFactory) -> None:
        item = an_item()
        with uow() as unit:
            unit.items.add(item)
        with uow() as unit, pytest.raises(NotFound):
            unit.items.get(item.id)

    def test_an_exception_rolls_back_every_change_of_the_unit(self, uow: UnitOfWorkFactory) -> None:
        kept = an_item()
        with uow() as unit:
            unit.items.add(kept)
            unit.commit()
        with pytest.raises(RuntimeError), uow() as unit:
            unit.items.add(an_item())
            unit.items.delete(kept.id)
            raise RuntimeError("use case failed")
        with uow() as unit:
            assert unit.items.count(ItemQuery()) == 1
            assert unit.items.get(kept.id) == kept

    def test_explicit_rollback_discards_changes(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit:
            unit.items.add(an_item())
            unit.rollback()
            unit.commit()
        with uow() as unit:
            assert unit.items.count(ItemQuery()) == 0

    def test_a_unit_reads_its_own_uncommitted_writes(self, uow: UnitOfWorkFactory) -> None:
        item = an_item()
        with uow() as unit:
            unit.items.add(item)
            assert unit.items.get(item.id) == item
            assert unit.items.count(ItemQuery()) == 1

    def test_a_read_only_unit_reads_what_others_committed(self, uow: UnitOfWorkFactory) -> None:
        item = an_item()
        with uow() as unit:
            unit.items.add(item)
            unit.commit()
        with uow(read_only=True) as unit:
            assert unit.items.get(item.id) == item
            assert unit.items.list(ItemQuery()).items == [item]

    def test_missing_item_is_not_found(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit, pytest.raises(NotFound):
            unit.items.get("0" * 32)

    def test_duplicate_title_is_a_conflict(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit:
            unit.items.add(an_item(title="same"))
            unit.commit()
        with uow() as unit, pytest.raises(Conflict):
            unit.items.add(an_item(title="same"))
            unit.commit()

    def test_update_bumps_the_version_and_stores_the_fields(self, uow: UnitOfWorkFactory) -> None:
        item = an_item(title="before")
        with uow() as unit:
            unit.items.add(item)
            unit.commit()
        later = EPOCH + timedelta(minutes=5)
        with uow() as unit:
            stored = unit.items.update(replace(item, title="after", updated_at=later))
            unit.commit()
        assert stored.version == 2
        with uow() as unit:
            assert unit.items.get(item.id) == replace(
                item, title="after", updated_at=later, version=2
            )

    def test_stale_version_is_refused(self, uow: UnitOfWorkFactory) -> None:
        item = an_item()
        with uow() as unit:
            unit.items.add(item)
            unit.items.update(replace(item, title="first change"))
            unit.commit()
        with uow() as unit, pytest.raises(ConcurrentChange):
            unit.items.update(replace(item, title="lost update"))
        with uow() as unit:
            assert unit.items.get(item.id).title == "first change"

    def test_update_to_a_taken_title_is_a_conflict(self, uow: UnitOfWorkFactory) -> None:
        first, second = an_item(title="one"), an_item(title="two")
        with uow() as unit:
            unit.items.add_many([first, second])
            unit.commit()
        with uow() as unit, pytest.raises(Conflict) as error:
            unit.items.update(replace(second, title="one"))
            unit.commit()
        # A taken title is no concurrent change: retrying the write could never help.
        assert not isinstance(error.value, ConcurrentChange)

    def test_a_title_freed_by_an_update_can_be_reused(self, uow: UnitOfWorkFactory) -> None:
        item = an_item(title="old name")
        with uow() as unit:
            unit.items.add(item)
            unit.items.update(replace(item, title="new name"))
            unit.items.add(an_item(title="old name"))
            unit.commit()
        with uow() as unit:
            assert unit.items.count(ItemQuery(title="old name")) == 1

    def test_update_of_a_missing_item_is_not_found(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit, pytest.raises(NotFound):
            unit.items.update(an_item())

    def test_delete_removes_the_item(self, uow: UnitOfWorkFactory) -> None:
        item = an_item()
        with uow() as unit:
            unit.items.add(item)
            unit.commit()
        with uow() as unit:
            unit.items.delete(item.id, expected_version=1)
            unit.commit()
        with uow() as unit, pytest.raises(NotFound):
            unit.items.get(item.id)

    def test_delete_with_a_stale_version_is_refused(self, uow: UnitOfWorkFactory) -> None:
        item = an_item()
        with uow() as unit:
            unit.items.add(item)
            unit.commit()
        with uow() as unit, pytest.raises(ConcurrentChange):
            unit.items.delete(item.id, expected_version=7)

    def test_delete_of_a_missing_item_is_not_found(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit, pytest.raises(NotFound):
            unit.items.delete("f" * 32)

    def test_bulk_add_stores_every_item(self, uow: UnitOfWorkFactory) -> None:
        items = [an_item(title=f"bulk {n:04d}") for n in range(1200)]
        with uow() as unit:
            assert unit.items.add_many(items) == 1200
            unit.commit()
        with uow() as unit:
            assert unit.items.count(ItemQuery(title_prefix="bulk ")) == 1200

    def test_bulk_add_with_a_duplicate_stores_nothing(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit, pytest.raises(Conflict):
            unit.items.add_many([an_item(title="dup"), an_item(title="dup")])
            unit.commit()
        with uow() as unit:
            assert unit.items.count(ItemQuery()) == 0

    def test_listing_pages_in_the_requested_order(self, uow: UnitOfWorkFactory) -> None:
        titles = ["delta", "alpha", "charlie", "echo", "bravo"]
        with uow() as unit:
            unit.items.add_many(
                an_item(title=title, at=EPOCH + timedelta(seconds=n))
                for n, title in enumerate(titles)
            )
            unit.commit()
        by_title = ItemQuery(sort=(Sort(SortField.TITLE),), limit=2, offset=1)
        newest_first = ItemQuery(sort=(Sort(SortField.CREATED_AT, descending=True),), limit=3)
        with uow() as unit:
            page = unit.items.list(by_title)
            assert [item.title for item in page.items] == ["bravo", "charlie"]
            assert (page.total, page.limit, page.offset) == (5, 2, 1)
            assert [i.title for i in unit.items.list(newest_first).items] == [
                "bravo",
                "echo",
                "charlie",
            ]

    def test_equal_sort_keys_are_ordered_by_id(self, uow: UnitOfWorkFactory) -> None:
        items = [an_item(id=f"{n:032d}", at=EPOCH) for n in (3, 1, 2)]
        with uow() as unit:
            unit.items.add_many(items)
            unit.commit()
            listed = unit.items.list(ItemQuery())
        assert [item.id for item in listed.items] == [f"{n:032d}" for n in (1, 2, 3)]

    def test_title_filters_match_exactly_or_by_prefix(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit:
            unit.items.add_many(
                an_item(title=title) for title in ["apple", "apple pie", "applesauce", "a%ple"]
            )
            unit.commit()
            assert unit.items.count(ItemQuery(title="apple")) == 1
            assert unit.items.count(ItemQuery(title_prefix="apple")) == 3
            # LIKE wildcards in a prefix are matched literally, never as patterns.
            assert unit.items.count(ItemQuery(title_prefix="a%")) == 1
            assert unit.items.count(ItemQuery(title_prefix="a_ple")) == 0

    def test_titles_differing_only_in_case_or_accent_are_distinct(
        self, uow: UnitOfWorkFactory
    ) -> None:
        with uow() as unit:
            unit.items.add_many(an_item(title=title) for title in ["apple", "Apple", "äpple"])
            unit.commit()
            assert unit.items.count(ItemQuery(title="apple")) == 1
            assert unit.items.count(ItemQuery(title_prefix="app")) == 1

    def test_any_unicode_text_round_trips(self, uow: UnitOfWorkFactory) -> None:
        item = an_item(title="🍎 pomme, 日本, Ωmega", owner_id="zoë🍎")
        user = a_user(username="Zoë🍎")
        with uow() as unit:
            unit.items.add(item)
            unit.users.add(user)
            unit.commit()
        with uow() as unit:
            assert unit.items.get(item.id) == item
            assert unit.users.get_by_username("zoë🍎") == user

    def test_titles_sort_by_code_point_on_every_backend(self, uow: UnitOfWorkFactory) -> None:
        titles = ["b", "B", "a", "é", "e", "Z", "10", "9", "a b", "ab", "~", "日本"]
        with uow() as unit:
            unit.items.add_many(an_item(title=title) for title in titles)
            unit.commit()
            page = unit.items.list(ItemQuery(sort=(Sort(SortField.TITLE),), limit=100))
        assert [item.title for item in page.items] == sorted(titles)

    def test_owner_filter_matches_only_that_owner(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit:
            unit.items.add_many([an_item(owner_id="ann"), an_item(owner_id="bob")])
            unit.commit()
            page = unit.items.list(ItemQuery(owner_id="ann"))
        assert [item.owner_id for item in page.items] == ["ann"]

    def test_timestamps_keep_microseconds_and_utc(self, uow: UnitOfWorkFactory) -> None:
        moment = EPOCH.replace(microsecond=123456)
        item = an_item(at=moment)
        with uow() as unit:
            unit.items.add(item)
            unit.commit()
        with uow() as unit:
            stored = unit.items.get(item.id)
        assert stored.created_at == moment
        assert stored.created_at.utcoffset() == timedelta(0)

    def test_users_are_found_by_username_in_any_case(self, uow: UnitOfWorkFactory) -> None:
        user = a_user(username="Alice", permissions=frozenset({"items:admin", "b"}))
        with uow() as unit:
            unit.users.add(user)
            unit.commit()
        with uow() as unit:
            assert unit.users.get_by_username("aLICE") == user
            assert unit.users.get(user.id) == user

    def test_usernames_differing_only_in_case_conflict(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit:
            unit.users.add(a_user(username="bob"))
            unit.commit()
        with uow() as unit, pytest.raises(Conflict):
            unit.users.add(a_user(username="BOB"))
            unit.commit()

    def test_user_update_and_listing(self, uow: UnitOfWorkFactory) -> None:
        zed, amy = a_user(username="zed"), a_user(username="Amy")
        with uow() as unit:
            unit.users.add_many([zed, amy])
            changed = unit.users.update(replace(zed, permissions=frozenset({"items:admin"})))
            unit.commit()
        with uow() as unit:
            page = unit.users.list(UserQuery())
            assert [user.username for user in page.items] == ["Amy", "zed"]
            assert unit.users.get(zed.id) == changed
            assert changed.version == 2
            assert unit.users.count(UserQuery()) == 2
