"""LoginService: credentials, refresh rotation with reuse detection, logout."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from functools import partial

import pytest

from adapters.auth.jwe_tokens import JweTokenService
from adapters.auth.keys import load_token_keys
from adapters.auth.revocations import InMemoryRevocationList
from adapters.memory.store import InMemoryStore
from adapters.memory.unit_of_work import InMemoryUnitOfWork
from core.errors import Unauthorized
from core.principal import ITEMS_ADMIN
from core.services.auth import AuthService
from core.services.logins import LoginService, TokenPair
from core.services.passwords import PasswordPolicy
from core.services.users import UserService
from tests.fakes import FakeClock, FakePasswordHasher, SequentialIds
from tests.helpers import token_keys_json

PASSWORD = "correct horse battery"


def NO_SESSION() -> None:  # noqa: N802 - reads as the constant it stands for
    """Login tokens are bound to no session."""


class World:
    """The services of one test on one in-memory store, sharing a clock and a hasher."""

    def __init__(self) -> None:
        self.store = InMemoryStore()
        self.clock = FakeClock()
        self.hasher = FakePasswordHasher()
        self.revocations = InMemoryRevocationList(self.clock)
        ids = SequentialIds()
        self.tokens = JweTokenService(
            keys=load_token_keys(token_keys_json()),
            clock=self.clock,
            revocations=self.revocations,
            issuer="test",
            audience="api",
            access_ttl=timedelta(minutes=15),
            refresh_ttl=timedelta(days=14),
        )
        uow = partial(InMemoryUnitOfWork, self.store)
        self.users = UserService(
            uow=uow, hasher=self.hasher, clock=self.clock, ids=ids, policy=PasswordPolicy()
        )
        self.logins = LoginService(
            uow=uow,
            hasher=self.hasher,
            tokens=self.tokens,
            revocations=self.revocations,
            clock=self.clock,
            ids=ids,
            refresh_ttl=timedelta(days=14),
        )
        self.auth = AuthService(tokens=self.tokens, revocations=self.revocations, ids=ids)

    def subject_of(self, pair: TokenPair) -> str:
        return self.auth.authenticate(pair.access.token, session_uid=NO_SESSION).subject


@pytest.fixture
def world() -> World:
    world = World()
    world.users.register(username="alice", password=PASSWORD)
    return world


def test_valid_credentials_give_an_access_and_a_refresh_token(world: World) -> None:
    pair = world.logins.login(username="ALICE", password=PASSWORD)
    alice = world.store.table("users").rows.popitem()[1]
    assert world.subject_of(pair) == alice.id
    assert pair.access.expires_in == 15 * 60 and pair.refresh.expires_in == 14 * 24 * 3600
    assert pair.access.claims.family_id == pair.refresh.claims.family_id is not None


@pytest.mark.parametrize(
    ("username", "password"), [("alice", "wrong password!"), ("bob", PASSWORD)]
)
def test_bad_credentials_cost_one_hash_and_say_the_same(
    world: World, username: str, password: str
) -> None:
    world.hasher.verified.clear()
    with pytest.raises(Unauthorized) as error:
        world.logins.login(username=username, password=password)
    assert error.value.message == "invalid username or password"
    assert len(world.hasher.verified) == 1


@pytest.mark.parametrize("name", ["\u212aevin", "\u017fam", " kevin", "sam ", "\uff4bevin "])
def test_a_name_that_only_folds_to_an_account_is_unknown_at_the_cost_of_one_hash(
    world: World, name: str
) -> None:
    world.users.register(username="kevin", password=PASSWORD)
    world.users.register(username="sam", password=PASSWORD)
    world.hasher.verified.clear()
    with pytest.raises(Unauthorized) as error:
        world.logins.login(username=name, password=PASSWORD)
    assert error.value.message == "invalid username or password"
    assert len(world.hasher.verified) == 1


def test_a_fullwidth_name_is_the_account_it_maps_to(world: World) -> None:
    world.users.register(username="kevin", password=PASSWORD)
    kevin = world.logins.login(username="\uff4bEVIN", password=PASSWORD)
    assert world.subject_of(kevin) == world.subject_of(
        world.logins.login(username="kevin", password=PASSWORD)
    )


def test_a_hash_made_with_old_costs_is_replaced_at_login(world: World) -> None:
    world.hasher.cost = "v2"
    world.logins.login(username="alice", password=PASSWORD)
    (alice,) = world.store.table("users").rows.values()
    assert alice.password_hash.startswith("fake$v2$") and alice.version == 2
    world.logins.login(username="alice", password=PASSWORD)


def test_a_refresh_token_works_once_and_rotates(world: World) -> None:
    first = world.logins.login(username="alice", password=PASSWORD)
    second = world.logins.refresh(first.refresh.token)
    assert second.refresh.token != first.refresh.token
    assert second.refresh.claims.family_id == first.refresh.claims.family_id
    third = world.logins.refresh(second.refresh.token)
    assert world.subject_of(third) == world.subject_of(first)


def test_reusing_a_spent_refresh_token_revokes_the_whole_family(world: World) -> None:
    stolen = world.logins.login(username="alice", password=PASSWORD)
    legitimate = world.logins.refresh(stolen.refresh.token)
    with pytest.raises(Unauthorized):
        world.logins.refresh(stolen.refresh.token)
    with pytest.raises(Unauthorized):
        world.logins.refresh(legitimate.refresh.token)
    with pytest.raises(Unauthorized):
        world.subject_of(legitimate)
    fresh = world.logins.login(username="alice", password=PASSWORD)
    assert world.subject_of(fresh)


def test_a_refresh_token_is_not_an_access_token_and_the_reverse(world: World) -> None:
    pair = world.logins.login(username="alice", password=PASSWORD)
    with pytest.raises(Unauthorized):
        world.logins.refresh(pair.access.token)
    with pytest.raises(Unauthorized):
        world.auth.authenticate(pair.refresh.token, session_uid=NO_SESSION)


def test_an_expired_refresh_token_is_refused(world: World) -> None:
    pair = world.logins.login(username="alice", password=PASSWORD)
    world.clock.advance(days=15)
    with pytest.raises(Unauthorized, match="expired"):
        world.logins.refresh(pair.refresh.token)


def test_logout_ends_the_access_token_and_its_refresh_tokens(world: World) -> None:
    pair = world.logins.login(username="alice", password=PASSWORD)
    other_device = world.logins.login(username="alice", password=PASSWORD)
    principal = world.auth.authenticate(pair.access.token, session_uid=NO_SESSION)
    assert principal.claims is not None
    world.logins.logout(principal.claims)
    with pytest.raises(Unauthorized):
        world.subject_of(pair)
    with pytest.raises(Unauthorized):
        world.logins.refresh(pair.refresh.token)
    assert world.subject_of(world.logins.refresh(other_device.refresh.token))


def test_permissions_come_from_the_user_record_at_each_issue(world: World) -> None:
    pair = world.logins.login(username="alice", password=PASSWORD)
    assert not pair.access.claims.permissions
    (alice,) = world.store.table("users").rows.values()
    with InMemoryUnitOfWork(world.store) as unit:
        unit.users.update(replace(alice, permissions=frozenset({ITEMS_ADMIN})))
        unit.commit()
    assert world.logins.refresh(pair.refresh.token).access.claims.permissions == {ITEMS_ADMIN}


def test_a_deleted_user_cannot_refresh(world: World) -> None:
    pair = world.logins.login(username="alice", password=PASSWORD)
    (alice,) = world.store.table("users").rows.values()
    with InMemoryUnitOfWork(world.store) as unit:
        unit.users.delete(alice.id)
        unit.commit()
    with pytest.raises(Unauthorized):
        world.logins.refresh(pair.refresh.token)
