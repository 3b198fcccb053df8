"""Every method of a timed repository passes its call through and is observed under its name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest

from adapters.metrics.storage import METHODS
from adapters.metrics.timed_repository import TimedRepository, TimedUserRepository, Timers
from core.errors import NotFound

# Each method with the arguments a caller gives it.
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "add": (("entity",), {}),
    "add_many": ((["a", "b"],), {}),
    "get": (("id-1",), {}),
    "get_many": ((["id-1", "id-2"],), {}),
    "scan": (("id-1",), {"limit": 3}),
    "list": (("query",), {}),
    "count": (("query",), {}),
    "update": (("entity",), {}),
    "delete": (("id-1",), {"expected_version": 2}),
    "get_by_username": (("ada",), {}),
}


class RecordingRepository:
    """Answers every method with its name, or raises NotFound when told to; records each call."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Callable[..., str]:
        def method(*args: Any, **kwargs: Any) -> str:
            self.calls.append((name, args, kwargs))
            if self.fail:
                raise NotFound("nothing here")
            return name

        return method


def timers_recording(observed: list[tuple[str, float]]) -> Timers:
    def timer(name: str) -> Callable[[float], None]:
        return lambda seconds: observed.append((name, seconds))

    return {name: timer(name) for name in (*METHODS, "get_by_username")}


def test_the_timed_methods_are_the_ones_the_meter_makes_timers_for() -> None:
    assert set(CALLS) == {*METHODS, "get_by_username"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_each_call_reaches_the_inner_method_and_is_observed_under_its_name(name: str) -> None:
    inner, observed = RecordingRepository(), []
    timed = TimedUserRepository(cast(Any, inner), timers_recording(observed))
    args, kwargs = CALLS[name]
    answer = getattr(timed, name)(*args, **kwargs)
    expected_answer = None if name in ("add", "delete") else name
    assert (answer, inner.calls) == (expected_answer, [(name, args, kwargs)])
    assert [recorded for recorded, _ in observed] == [name]
    assert observed[0][1] >= 0


@pytest.mark.parametrize("name", sorted(set(CALLS) - {"get_by_username"}))
def test_a_failed_call_is_observed_and_its_error_passes_through(name: str) -> None:
    observed: list[tuple[str, float]] = []
    timed = TimedRepository(cast(Any, RecordingRepository(fail=True)), timers_recording(observed))
    args, kwargs = CALLS[name]
    with pytest.raises(NotFound):
        getattr(timed, name)(*args, **kwargs)
    assert [recorded for recorded, _ in observed] == [name]
