"""The whole storage contract: every backend's test module subclasses `RepositoryContract`.

The subclass provides the `uow` fixture: a factory of fresh units of work on an empty store.
Generic behaviour runs per resource (`ResourceContract`); what is specific to one resource
is tested here, once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import Conflict
from core.ports.unit_of_work import UnitOfWorkFactory
from tests.contract.resource_contract import ResourceContract
from tests.helpers import EPOCH, a_user, an_item


class UserRepositoryContract:
    """Users: found and kept unique by their username in any letter case."""

    def test_users_are_found_by_username_in_any_case(self, uow: UnitOfWorkFactory) -> None:
        user = a_user(username="Alice", permissions=frozenset({"items:admin", "b"}))
        emoji = a_user(username="Zoë🍎")
        with uow() as unit:
            unit.users.add_many([user, emoji])
            unit.commit()
        with uow() as unit:
            assert unit.users.get_by_username("aLICE") == user
            assert unit.users.get_by_username("zoË🍎") == emoji

    def test_a_user_staged_in_the_unit_is_found_by_username(self, uow: UnitOfWorkFactory) -> None:
        user = a_user(username="Staged")
        with uow() as unit:
            unit.users.add(user)
            assert unit.users.get_by_username("staged") == user

    def test_usernames_differing_only_in_case_conflict(self, uow: UnitOfWorkFactory) -> None:
        with uow() as unit:
            unit.users.add(a_user(username="bob"))
            unit.commit()
        with uow() as unit, pytest.raises(Conflict):
            unit.users.add(a_user(username="BOB"))
            unit.commit()


class ItemRepositoryContract:
    """Items: timestamps come back exact and in UTC."""

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


class RepositoryContract(ResourceContract, UserRepositoryContract, ItemRepositoryContract):
    """Behaviour every Repository + UnitOfWork pair must show, for every resource."""
