"""In-process fixed windows: counted exactly, restarted when they end, dropped once ended."""

from __future__ import annotations

import threading

from limits import parse

from adapters.http.rate_limits.windows import SWEEP_SECONDS, LocalWindows


def test_a_window_allows_its_amount_then_refuses_until_it_ends() -> None:
    now = [1000.0]
    windows = LocalWindows(clock=lambda: now[0])
    limit = parse("3 per minute")
    hits = [windows.hit_and_read(limit, "client", "route") for _ in range(4)]
    assert [hit.allowed for hit in hits] == [True, True, True, False]
    assert [hit.remaining for hit in hits] == [2, 1, 0, 0]
    assert {hit.reset_at for hit in hits} == {1060.0}

    now[0] = 1060.0
    fresh = windows.hit_and_read(limit, "client", "route")
    assert (fresh.allowed, fresh.remaining, fresh.reset_at) == (True, 2, 1120.0)


def test_clients_routes_and_limits_count_apart() -> None:
    windows = LocalWindows(clock=lambda: 1000.0)
    minute, hour = parse("1 per minute"), parse("1 per hour")
    assert windows.hit_and_read(minute, "a", "route").allowed
    assert windows.hit_and_read(minute, "b", "route").allowed
    assert windows.hit_and_read(minute, "a", "other").allowed
    assert windows.hit_and_read(hour, "a", "route").allowed
    assert not windows.hit_and_read(minute, "a", "route").allowed


def test_ended_windows_are_dropped_when_a_new_one_opens() -> None:
    now = [1000.0]
    windows = LocalWindows(clock=lambda: now[0])
    limit = parse("5 per second")
    for client in range(100):
        windows.hit_and_read(limit, str(client), "route")
    assert len(windows) == 100
    now[0] += max(1.0, SWEEP_SECONDS)
    windows.hit_and_read(limit, "late", "route")
    assert len(windows) == 1


def test_concurrent_hits_are_each_counted() -> None:
    windows = LocalWindows()
    limit = parse("100000 per hour")
    start = threading.Barrier(8)

    def hammer() -> None:
        start.wait()
        for _ in range(500):
            windows.hit_and_read(limit, "client", "route")

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert windows.hit_and_read(limit, "client", "route").remaining == 100000 - 4001


def test_a_peek_tells_the_next_hit_without_counting_it() -> None:
    now = [1000.0]
    windows = LocalWindows(clock=lambda: now[0])
    limit = parse("2 per minute")
    assert (windows.peek(limit, "a").allowed, windows.peek(limit, "a").remaining) == (True, 1)
    windows.hit_and_read(limit, "a")
    windows.hit_and_read(limit, "a")
    assert not windows.peek(limit, "a").allowed
    assert windows.peek(limit, "a").reset_at == 1060.0
    now[0] = 1060.0
    assert windows.peek(limit, "a").allowed  # the window has ended


def test_a_forgotten_window_starts_again() -> None:
    windows = LocalWindows(clock=lambda: 1000.0)
    limit = parse("1 per minute")
    windows.hit_and_read(limit, "a")
    windows.forget(limit, "a")
    windows.forget(limit, "never counted")
    assert windows.hit_and_read(limit, "a").allowed
