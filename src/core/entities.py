"""Domain entities: plain dataclasses that know nothing of storage or HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

TITLE_MAX_LENGTH = 80
USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 64


@dataclass(frozen=True, slots=True)
class Item:
    """A titled thing owned by a user (the original boilerplate's `Test` model)."""

    id: str
    title: str
    owner_id: str
    created_at: datetime
    updated_at: datetime
    version: int = 1


@dataclass(frozen=True, slots=True)
class User:
    """An account that can sign in; `permissions` are copied into its tokens."""

    id: str
    username: str
    password_hash: str
    created_at: datetime
    permissions: frozenset[str] = field(default_factory=frozenset)
    version: int = 1


class Versioned(Protocol):
    """Any entity a repository stores: an id, and a version bumped by every update."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
