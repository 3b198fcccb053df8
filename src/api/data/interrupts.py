"""SIGINT during a transfer: it stops once the batch being written is committed and recorded.

A KeyboardInterrupt raised inside a driver call leaves the connection mid-protocol (psycopg then
fails the next command, a rollback or the pool's ping, with an error of its own instead of the
interrupt). The first SIGINT is therefore only noted, and the interrupt raised at the next
`advance`, which the mover calls after each batch's commit and journal entry. A second SIGINT
interrupts at once, as the default handler would.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from adapters.transfer.progress import Progress


class BatchEndInterrupts:
    """A progress display that raises KeyboardInterrupt after a batch once SIGINT has come."""

    def __init__(self, inner: Progress) -> None:
        self._inner = inner
        self.requested = False

    def begin(self, resource: str, *, total: int, done: int, task: str) -> None:
        self._inner.begin(resource, total=total, done=done, task=task)

    def advance(self, rows: int) -> None:
        self._inner.advance(rows)
        if self.requested:
            raise KeyboardInterrupt

    def end(self) -> None:
        self._inner.end()

    def note(self, text: str) -> None:
        self._inner.note(text)

    def request(self, _signal: int, _frame: FrameType | None) -> None:
        self.requested = True
        signal.signal(signal.SIGINT, signal.default_int_handler)


@contextmanager
def interrupted_between_batches(progress: Progress) -> Iterator[Progress]:
    """`progress`, with SIGINT deferred to the end of the batch while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield progress  # signal handlers belong to the main thread
        return
    deferred = BatchEndInterrupts(progress)
    previous = signal.signal(signal.SIGINT, deferred.request)
    try:
        yield deferred
    finally:
        # None: a handler set outside Python, which cannot be put back; Python's own instead.
        signal.signal(signal.SIGINT, signal.default_int_handler if previous is None else previous)
