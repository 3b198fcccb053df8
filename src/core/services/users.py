"""User use cases: registration and the account behind a token."""

from __future__ import annotations

from core.entities import User
from core.ports.clock import Clock, IdGenerator
from core.ports.passwords import PasswordHasher
from core.ports.unit_of_work import UnitOfWorkFactory
from core.services.passwords import PasswordPolicy
from core.usernames import prepare_username


class UserService:
    """Creates accounts with hashed passwords; usernames are unique in any letter case."""

    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        ids: IdGenerator,
        policy: PasswordPolicy,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._ids = ids
        self._policy = policy

    def register(
        self, *, username: str, password: str, permissions: frozenset[str] = frozenset()
    ) -> User:
        """A new user; Conflict when the username is taken, ValidationError for a weak password."""
        username = prepare_username(username)
        self._policy.check(password, username=username)
        user = User(
            id=self._ids.new_id(),
            username=username,
            password_hash=self._hasher.hash(password),
            created_at=self._clock.now(),
            permissions=permissions,
        )
        with self._uow() as uow:
            uow.users.add(user)
            uow.commit()
        return user

    def get(self, user_id: str) -> User:
        """The user; NotFound when absent."""
        with self._uow(read_only=True) as uow:
            return uow.users.get(user_id)
