"""SIGINT during a transfer is deferred to the end of the batch being written."""

from __future__ import annotations

import signal

import pytest

from adapters.transfer.progress import Silent
from api.data.interrupts import BatchEndInterrupts, interrupted_between_batches


class Recorded(Silent):
    def __init__(self) -> None:
        self.advanced: list[int] = []

    def advance(self, rows: int) -> None:
        self.advanced.append(rows)


def test_a_batch_ends_undisturbed_until_a_sigint_and_the_next_batch_end_raises() -> None:
    inner = Recorded()
    with interrupted_between_batches(inner) as shown:
        assert isinstance(shown, BatchEndInterrupts)
        assert signal.getsignal(signal.SIGINT) == shown.request
        shown.advance(50)
        shown.request(signal.SIGINT, None)
        # A second SIGINT is no longer deferred: Python's own handler raises at once.
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        with pytest.raises(KeyboardInterrupt):
            shown.advance(50)
    # The batch that was running is still counted before the interrupt.
    assert inner.advanced == [50, 50]


def test_the_handler_before_the_transfer_is_put_back() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interrupted_between_batches(Recorded()):
        pass
    assert signal.getsignal(signal.SIGINT) == before
