"""Batches read ahead in a thread: same order, errors raised where they happened, stoppable."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from adapters.transfer.prefetch import prefetched
from core.errors import Unavailable


def test_every_batch_arrives_in_order() -> None:
    assert list(prefetched(iter(range(50)), depth=2)) == list(range(50))


def test_an_error_of_the_reader_is_raised_after_the_batches_before_it() -> None:
    def batches() -> Iterator[int]:
        yield 1
        yield 2
        raise Unavailable("the database connection was lost")

    seen: list[int] = []
    with pytest.raises(Unavailable, match="connection was lost"):
        for batch in prefetched(batches()):
            seen.append(batch)
    assert seen == [1, 2]


def test_a_caller_that_stops_early_stops_the_reader() -> None:
    read: list[int] = []

    def batches() -> Iterator[int]:
        for n in range(1000):
            read.append(n)
            yield n

    stream = prefetched(batches(), depth=2)
    assert next(stream) == 0
    stream.close()
    assert len(read) <= 4  # one taken, two queued, one waiting to be queued
    assert not any(each.name == "transfer-reader" for each in threading.enumerate())
