"""User use cases: registration and the account behind a token."""

from __future__ import annotations

import re

from core.entities import USERNAME_MAX_LENGTH, USERNAME_MIN_LENGTH, User
from core.errors import ValidationError
from core.ports.clock import Clock, IdGenerator
from core.ports.passwords import PasswordHasher
from core.ports.unit_of_work import UnitOfWorkFactory
from core.services.passwords import PasswordPolicy

# ASCII only: look-alike letters from other scripts would let two names that read the same
# belong to two accounts.
USERNAME = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9._-]{{{USERNAME_MIN_LENGTH - 1},{USERNAME_MAX_LENGTH - 1}}}"
)


def clean_username(username: str) -> str:
    """The username trimmed; ValidationError unless it is 3..64 letters, digits, `.`, `_`, `-`."""
    cleaned = username.strip()
    if not USERNAME.fullmatch(cleaned):
        raise ValidationError(
            "invalid username",
            {
                "username": f"must be {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} letters, "
                "digits, '.', '_' or '-', starting with a letter or digit"
            },
        )
    return cleaned


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
        username = clean_username(username)
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
