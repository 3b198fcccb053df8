"""Password hashing port."""

from __future__ import annotations

from typing import Protocol


class PasswordHasher(Protocol):
    """A slow one-way hash; the encoded hash carries its own parameters."""

    def hash(self, password: str) -> str:
        """Encode a new salted hash of the password."""
        ...

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether the password matches; False (never an error) for a malformed hash."""
        ...

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with parameters other than the current ones."""
        ...
