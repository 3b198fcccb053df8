"""Time and identity ports, so use cases stay deterministic under test."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """The current time."""

    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


class IdGenerator(Protocol):
    """New entity ids."""

    def new_id(self) -> str:
        """A fresh unique id, safe to use in URLs."""
        ...
