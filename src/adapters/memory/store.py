"""Committed in-memory state shared by every unit of work of one process."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Table:
    """Committed rows by id and the unique index ((field, value) -> id)."""

    rows: dict[str, Any] = field(default_factory=dict)
    unique: dict[tuple[str, Any], str] = field(default_factory=dict)


@dataclass
class InMemoryStore:
    """All tables by name; `lock` serialises units of work, so each one sees a stable state."""

    tables: dict[str, Table] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    commits: int = 0

    def table(self, name: str) -> Table:
        """The table of that name, created empty on first use."""
        return self.tables.setdefault(name, Table())
