"""Rich progress bars per resource and task: rows, rate and time left."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class RowRate(ProgressColumn):
    """Rows per second, as rich measures them."""

    def render(self, task: Task) -> Text:
        """The task's speed in rows/s."""
        return Text(f"{task.speed or 0:>9,.0f} rows/s", style="progress.data.speed")


class Bars:
    """One rich bar per resource and task (copy, verify): rows, rate and ETA."""

    def __init__(self, console: Console | None = None) -> None:
        self._bars = Progress(
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            RowRate(),
            TimeRemainingColumn(),
            console=console or Console(stderr=True),
        )
        self._task: TaskID | None = None

    def begin(self, resource: str, *, total: int, done: int, task: str) -> None:
        """A bar for the resource's task."""
        self._bars.start()
        self._task = self._bars.add_task(f"{resource} {task}", total=total, completed=done)

    def advance(self, rows: int) -> None:
        """Move the bar on."""
        if self._task is not None:
            self._bars.advance(self._task, rows)

    def end(self) -> None:
        """Leave the finished bar on screen."""
        self._task = None

    def note(self, text: str) -> None:
        """A line above the bars."""
        self._bars.console.print(text, highlight=False)

    def close(self) -> None:
        """Stop redrawing."""
        self._bars.stop()
