"""Revocation lists: ids are refused until their token expires, then forgotten."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cachelib import SimpleCache

from adapters.auth.revocations import CachelibRevocationList, InMemoryRevocationList
from core.errors import Unavailable
from tests.fakes import FakeClock, RecordingCache

HOUR = timedelta(hours=1)


def test_in_memory_list_holds_a_revoked_id_until_its_expiry(clock: FakeClock) -> None:
    revocations = InMemoryRevocationList(clock)

    revocations.add("jti-1", until=clock.now() + HOUR)

    assert revocations.contains("jti-1")
    assert not revocations.contains("jti-2")
    clock.advance(HOUR - timedelta(seconds=1))
    assert revocations.contains("jti-1")
    clock.advance(timedelta(seconds=1))
    assert not revocations.contains("jti-1")


def test_in_memory_list_drops_expired_ids_lazily(clock: FakeClock) -> None:
    revocations = InMemoryRevocationList(clock)
    revocations.add("short", until=clock.now() + timedelta(minutes=1))
    revocations.add("long", until=clock.now() + HOUR)
    clock.advance(timedelta(minutes=2))

    assert len(revocations) == 2
    revocations.add("new", until=clock.now() + HOUR)

    assert len(revocations) == 2
    assert not revocations.contains("short")


def test_in_memory_list_ignores_an_id_that_has_already_expired(clock: FakeClock) -> None:
    revocations = InMemoryRevocationList(clock)

    revocations.add("old", until=clock.now() - timedelta(seconds=1))

    assert len(revocations) == 0
    assert not revocations.contains("old")


def test_cachelib_list_holds_a_revoked_id(clock: FakeClock) -> None:
    revocations = CachelibRevocationList(SimpleCache(), clock)

    revocations.add("jti-1", until=clock.now() + HOUR)

    assert revocations.contains("jti-1")
    assert not revocations.contains("jti-2")


def test_cachelib_entry_expires_when_the_token_does(clock: FakeClock) -> None:
    cache = RecordingCache()
    revocations = CachelibRevocationList(cache, clock)

    revocations.add("jti-1", until=clock.now() + HOUR + timedelta(milliseconds=1))

    # Rounded up: an entry that vanished a fraction early would let the token back in.
    assert cache.timeouts == {"revoked-token:jti-1": 3601}


def test_cachelib_list_stores_nothing_for_an_already_expired_token(clock: FakeClock) -> None:
    cache = RecordingCache()
    revocations = CachelibRevocationList(cache, clock)

    # cachelib would read a timeout of 0 as "keep forever"
    revocations.add("jti-1", until=clock.now())

    assert cache.values == {}


def test_cachelib_keys_are_prefixed_so_they_never_meet_session_keys(clock: FakeClock) -> None:
    cache = RecordingCache()
    revocations = CachelibRevocationList(cache, clock, prefix="deny:")

    revocations.add("jti-1", until=clock.now() + HOUR)

    assert list(cache.values) == ["deny:jti-1"]
    assert not CachelibRevocationList(cache, clock).contains("jti-1")


def test_cachelib_write_failure_is_reported_as_unavailable(clock: FakeClock) -> None:
    revocations = CachelibRevocationList(RecordingCache(accept_writes=False), clock)

    with pytest.raises(Unavailable):
        revocations.add("jti-1", until=clock.now() + HOUR)
