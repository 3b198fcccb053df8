"""Parts run in forked processes: batches recorded, results returned, failures raised."""

from __future__ import annotations

import os
import threading

import pytest

from adapters.transfer.parts import Part
from adapters.transfer.workers import WorkerFailed, Written, in_processes
from core.errors import Conflict

PARTS = {0: Part(start=None, size=3, after=None), 1: Part(start="c", size=None, after="c")}


class Recorded:
    """What the parent was told: each batch and each advance."""

    def __init__(self) -> None:
        self.batches: list[tuple[int, str, int]] = []
        self.advanced = 0

    def record(self, index: int, after: str, rows: int) -> None:
        self.batches.append((index, after, rows))

    def advance(self, rows: int) -> None:
        self.advanced += rows


def three_batches(part: Part, written: Written) -> str:
    for n in range(3):
        written(f"{part.after}{n}", 2)
    return f"from {part.start} in {os.getpid()}"


def test_each_committed_batch_is_recorded_and_each_parts_result_returned() -> None:
    seen = Recorded()
    results = in_processes(
        PARTS, work=three_batches, record=seen.record, advance=seen.advance, name="items"
    )
    assert sorted(results) == [0, 1]
    assert results[0].startswith("from None in ") and results[1].startswith("from c in ")
    assert str(os.getpid()) not in results[0] + results[1]  # each ran in a child
    assert sorted(seen.batches) == [(0, f"None{n}", 2) for n in range(3)] + [
        (1, f"c{n}", 2) for n in range(3)
    ]
    assert seen.advanced == 12


def failing(part: Part, written: Written) -> None:
    if part.start is None:
        raise Conflict("items: a unique value is taken")
    for n in range(100_000):
        written(f"c{n}", 1)


def test_a_workers_error_is_raised_in_the_parent_and_the_others_stop() -> None:
    seen = Recorded()
    with pytest.raises(Conflict, match="a unique value is taken"):
        in_processes(PARTS, work=failing, record=seen.record, advance=seen.advance, name="items")
    assert len(seen.batches) < 100_000  # told to stop after a batch, not run to its end


class Unpicklable(Exception):
    def __init__(self, lock: object) -> None:
        super().__init__("held a lock")
        self.lock = lock


def raising_unpicklable(_part: Part, _written: Written) -> None:
    raise Unpicklable(threading.Lock())


def test_an_error_that_cannot_cross_the_pipe_arrives_as_its_type_and_text() -> None:
    seen = Recorded()
    with pytest.raises(WorkerFailed, match="Unpicklable: held a lock"):
        in_processes(
            {0: PARTS[0]}, work=raising_unpicklable, record=seen.record, advance=seen.advance,
            name="items",
        )  # fmt: skip


def dying(part: Part, written: Written) -> None:
    written(f"{part.after}0", 1)
    if part.start is None:
        os._exit(3)  # as a process killed or crashed: no message, no clean-up
    for n in range(100_000):
        written(f"c{n}", 1)


def test_a_worker_that_dies_fails_the_copy_with_its_exit_code() -> None:
    seen = Recorded()
    with pytest.raises(WorkerFailed, match=r"items: a worker process stopped \(exit code 3\)"):
        in_processes(PARTS, work=dying, record=seen.record, advance=seen.advance, name="items")
    assert (0, "None0", 1) in seen.batches  # what it committed before it died is recorded
    assert len(seen.batches) < 100_000


def test_an_interrupt_in_the_parent_stops_the_workers_and_keeps_their_batches() -> None:
    seen = Recorded()

    def interrupted(rows: int) -> None:
        seen.advance(rows)
        raise KeyboardInterrupt

    endless = {0: Part(start="a", size=None, after="a"), 1: PARTS[1]}
    with pytest.raises(KeyboardInterrupt):
        in_processes(endless, work=dying, record=seen.record, advance=interrupted, name="items")
    assert seen.advanced == 1
    assert 1 <= len(seen.batches) < 200_000
