"""Reading the next batches while the current one is written: the two ends wait in parallel.

The drivers release the GIL while they wait on a server or a file, so a reader thread lets
the source's reads overlap the target's writes and commits.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from queue import Empty, Full, Queue
from typing import TypeVar

T = TypeVar("T")
DEPTH = 2  # batches read ahead: memory stays a few batches, whatever the size of the table
POLL = 0.1  # seconds between two looks at the stop flag while the queue is full or empty


class _Done:
    """The reader's last message: every batch was read."""


def prefetched(batches: Iterator[T], depth: int = DEPTH) -> Iterator[T]:
    """The same batches in the same order, read by a thread ahead of the caller.

    An error of the reader is raised here, at the batch it stopped at; when the caller stops
    (an error, Ctrl-C), the reader is told to stop and waited for before this returns.
    """
    queue: Queue[T | _Done | BaseException] = Queue(maxsize=depth)
    stop = threading.Event()

    def offer(message: T | _Done | BaseException) -> bool:
        while not stop.is_set():
            try:
                queue.put(message, timeout=POLL)
                return True
            except Full:
                continue
        return False

    def read() -> None:
        try:
            for batch in batches:
                if not offer(batch):
                    return
            offer(_Done())
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            offer(error)

    reader = threading.Thread(target=read, name="transfer-reader", daemon=True)
    reader.start()
    try:
        while True:
            try:
                message = queue.get(timeout=POLL)
            except Empty:
                continue
            if isinstance(message, _Done):
                return
            if isinstance(message, BaseException):
                raise message
            yield message
    finally:
        stop.set()
        reader.join()
