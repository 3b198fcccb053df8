"""Progress of a transfer: rich bars on a terminal, plain periodic lines in logs, or nothing."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from adapters.transfer.progress import Silent

if TYPE_CHECKING:
    from api.data.bars import Bars

PLAIN_EVERY = 5.0  # seconds between two lines of one resource when not on a terminal


class Lines:
    """A line per resource and task every few seconds and at its end, for logs and CI."""

    def __init__(
        self,
        echo: Callable[[str], None],
        *,
        every: float = PLAIN_EVERY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._echo, self._every, self._clock = echo, every, clock
        self._name, self._total, self._done, self._base = "", 0, 0, 0
        self._started = self._last = 0.0

    def begin(self, resource: str, *, total: int, done: int, task: str) -> None:
        """Start counting the resource's task."""
        self._name, self._total, self._done, self._base = f"{resource} {task}", total, done, done
        self._started = self._last = self._clock()

    def advance(self, rows: int) -> None:
        """Count rows; print a line when `every` seconds have passed since the last."""
        self._done += rows
        if self._clock() - self._last >= self._every:
            self._last = self._clock()
            self._echo(self._line())

    def end(self) -> None:
        """The final line of the task."""
        seconds = self._clock() - self._started
        rate = self._rate()
        self._echo(
            f"{self._name}: done, {self._done:,} rows in {seconds:.1f} s ({rate:,.0f} rows/s)"
        )

    def note(self, text: str) -> None:
        """Print the text."""
        self._echo(text)

    def close(self) -> None:
        """Nothing to stop."""

    def _rate(self) -> float:
        seconds = self._clock() - self._started
        return (self._done - self._base) / seconds if seconds > 0 else 0.0

    def _line(self) -> str:
        rate = self._rate()
        share = f" ({100 * self._done / self._total:.1f}%)" if self._total else ""
        left = (self._total - self._done) / rate if rate and self._total else None
        eta = f", ETA {left:.0f} s" if left is not None else ""
        return f"{self._name}: {self._done:,}/{self._total:,} rows{share}, {rate:,.0f} rows/s{eta}"


class Quiet(Silent):
    """`--quiet`: nothing but errors."""

    def close(self) -> None:
        """Nothing to stop."""


def display(*, quiet: bool, terminal: bool, echo: Callable[[str], None]) -> Bars | Lines | Quiet:
    """The display for the run: quiet, bars on a terminal, lines elsewhere."""
    if quiet:
        return Quiet()
    if terminal:
        # rich costs its import only where bars are drawn, not in every process of the app.
        from api.data.bars import Bars

        return Bars()
    return Lines(echo)
