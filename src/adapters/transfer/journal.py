"""What an unfinished transfer has written, so running it again resumes where it stopped.

Each batch is written to the target first and recorded here after, so the journal is never
ahead of the target: at worst one batch behind, which the resumed run meets again and skips.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from adapters.transfer.parts import Part


@dataclass(frozen=True, slots=True)
class Position:
    """How far one resource got: the last id written, rows written, the target's mark; or,
    for a resource copied in parts, how far each part got."""

    after: str | None = None
    rows: int = 0
    mark: Any = None
    done: bool = False
    parts: tuple[Part, ...] = ()

    @classmethod
    def read(cls, values: dict[str, Any]) -> Position:
        """The position as `asdict` wrote it to the journal."""
        parts = tuple(Part(**each) for each in values.pop("parts", ()))
        return cls(**values, parts=parts)


class Checkpoints(Protocol):
    """Where each resource's transfer stands, kept where a later run finds it."""

    @property
    def unfinished(self) -> bool:
        """Whether an earlier run of this transfer was interrupted."""
        ...

    def position(self, name: str) -> Position:
        """The resource's position."""
        ...

    def record(self, name: str, position: Position) -> None:
        """Keep the resource's new position."""
        ...

    def remove(self) -> None:
        """Forget everything: the transfer is finished."""
        ...


class Journal:
    """One JSON file per (source, target) pair, replaced atomically on every record."""

    def __init__(self, path: Path, *, source: str, target: str) -> None:
        self.path = path
        self._header = {"source": source, "target": target}
        self._positions: dict[str, Position] = {}
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            self._positions = {
                name: Position.read(values) for name, values in data.get("resources", {}).items()
            }

    @property
    def unfinished(self) -> bool:
        """Whether an interrupted run of this transfer left this journal."""
        return self.path.exists()

    def position(self, name: str) -> Position:
        """Where the resource's transfer stands (the start when never begun)."""
        return self._positions.get(name, Position())

    def record(self, name: str, position: Position) -> None:
        """Remember the resource's new position, durably."""
        self._positions[name] = position
        self.path.parent.mkdir(parents=True, exist_ok=True)
        resources = {key: asdict(value) for key, value in self._positions.items()}
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps({**self._header, "resources": resources}), "utf-8")
        os.replace(temporary, self.path)

    def remove(self) -> None:
        """Forget the transfer: it finished and was verified."""
        self.path.unlink(missing_ok=True)
        self._positions.clear()
