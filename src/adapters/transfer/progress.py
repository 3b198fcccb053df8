"""How a transfer reports its progress: one resource at a time, rows as they are written."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """A display of the rows moved (a bar, periodic lines, or nothing)."""

    def begin(self, resource: str, *, total: int, done: int, task: str) -> None:
        """A resource starts (`done` rows were moved by an earlier, interrupted run)."""
        ...

    def advance(self, rows: int) -> None:
        """More rows of the current resource were handled."""
        ...

    def end(self) -> None:
        """The current resource is finished."""
        ...

    def note(self, text: str) -> None:
        """A line worth reading (a differing row, a verification)."""
        ...


class Silent:
    """No display (`--quiet`, and tests)."""

    def begin(self, resource: str, *, total: int, done: int, task: str) -> None:
        """Nothing."""

    def advance(self, rows: int) -> None:
        """Nothing."""

    def end(self) -> None:
        """Nothing."""

    def note(self, text: str) -> None:
        """Nothing."""
