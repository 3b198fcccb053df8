"""Committed in-memory state shared by every unit of work of one process."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from core.entities import Item, User

E = TypeVar("E")


@dataclass
class Table(Generic[E]):
    """Committed rows by id and the unique index (unique key -> id)."""

    rows: dict[str, E] = field(default_factory=dict)
    unique: dict[str, str] = field(default_factory=dict)


@dataclass
class InMemoryStore:
    """All tables; `lock` serialises units of work, so each one sees a stable state."""

    items: Table[Item] = field(default_factory=Table)
    users: Table[User] = field(default_factory=Table)
    lock: threading.RLock = field(default_factory=threading.RLock)
    commits: int = 0
