"""UserService: registration rules against the in-memory unit of work."""

from __future__ import annotations

from functools import partial

import pytest

from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from core.errors import Conflict, NotFound, ValidationError
from core.services.passwords import PasswordPolicy
from core.services.users import UserService
from tests.fakes import FakeClock, FakePasswordHasher, SequentialIds
from tests.helpers import EPOCH

GOOD_PASSWORD = "correct horse battery"


@pytest.fixture
def store() -> InMemoryStore:
    return InMemoryStore()


@pytest.fixture
def service(store: InMemoryStore) -> UserService:
    return UserService(
        uow=partial(InMemoryUnitOfWork, store),
        hasher=FakePasswordHasher(),
        clock=FakeClock(),
        ids=SequentialIds(),
        policy=PasswordPolicy(min_length=12),
    )


def test_registration_stores_a_hash_never_the_password(service: UserService) -> None:
    user = service.register(username="alice", password=GOOD_PASSWORD)
    assert (user.username, user.created_at, user.permissions) == ("alice", EPOCH, frozenset())
    assert GOOD_PASSWORD not in user.password_hash
    assert FakePasswordHasher().verify(user.password_hash, GOOD_PASSWORD)
    assert service.get(user.id) == user


def test_usernames_are_unique_in_any_letter_case(service: UserService) -> None:
    service.register(username="Alice", password=GOOD_PASSWORD)
    with pytest.raises(Conflict):
        service.register(username="aLICE", password=GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "at least 12"),
        ("x" * 1025, "at most 1024"),
        ("Alice.Smith7", "not be the username"),
        (" alice.smith7 ", "not be the username"),
    ],
)
def test_a_weak_password_is_refused_with_details(
    service: UserService, store: InMemoryStore, password: str, problem: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service.register(username="alice.smith7", password=password)
    assert problem in error.value.details["password"]
    assert store.table("users").rows == {}


@pytest.mark.parametrize("username", ["ab", "x" * 65, "has space", "-dash", "zoë", "a/b", ""])
def test_a_malformed_username_is_refused(service: UserService, username: str) -> None:
    with pytest.raises(ValidationError) as error:
        service.register(username=username, password=GOOD_PASSWORD)
    assert "username" in error.value.details


def test_permissions_can_be_granted_at_creation(service: UserService) -> None:
    admin = service.register(
        username="root", password=GOOD_PASSWORD, permissions=frozenset({"items:admin"})
    )
    assert service.get(admin.id).permissions == {"items:admin"}


def test_an_unknown_user_is_not_found(service: UserService) -> None:
    with pytest.raises(NotFound):
        service.get("nobody")
