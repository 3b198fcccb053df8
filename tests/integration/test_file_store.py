"""The file store behind sessions and the deny-list: cachelib's format, an atomic add, reads
remembered only while the file is unchanged."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cachelib import FileSystemCache

from adapters.session_store import file_store
from adapters.session_store.caches import UNBOUNDED, file_cache
from adapters.session_store.file_store import FileStore
from api import create_app
from core.errors import Unavailable
from tests.contract.http_contract import assert_envelope
from tests.helpers import app_settings

pytestmark = pytest.mark.integration

CLAIMERS = 8


def test_entries_round_trip_and_expire(tmp_path: Path) -> None:
    store = file_cache(tmp_path)
    assert store.set("session", {"uid": "u1"}, timeout=60)
    assert store.get("session") == {"uid": "u1"}
    assert store.get("missing") is None
    assert store.set("gone", 1, timeout=-1)  # cachelib stores a past expiry as given
    assert store.get("gone") is None


def test_the_format_is_cachelibs_own(tmp_path: Path) -> None:
    ours, theirs = file_cache(tmp_path), FileSystemCache(str(tmp_path), threshold=0)
    theirs.set("written by cachelib", [1, 2], timeout=60)
    ours.set("written here", {"a": "b"}, timeout=60)
    assert ours.get("written by cachelib") == [1, 2]
    assert theirs.get("written here") == {"a": "b"}


def test_add_keeps_the_first_entry(tmp_path: Path) -> None:
    store = file_cache(tmp_path, threshold=UNBOUNDED)
    assert store.add("revoked:t1", "first", timeout=60)
    assert not store.add("revoked:t1", "second", timeout=60)
    assert store.get("revoked:t1") == "first"
    assert list(tmp_path.iterdir()) == [tmp_path / Path(store._get_filename("revoked:t1")).name]  # type: ignore[attr-defined]


def claim(directory: str, start: Any, key: str) -> bool:
    store = FileStore(directory, threshold=UNBOUNDED, mode=0o600)
    start.wait()
    return bool(store.add(key, "claimed", timeout=60))


def test_only_one_of_several_processes_claims_a_key(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(CLAIMERS) as pool:
        for attempt in range(20):
            start = context.Manager().Barrier(CLAIMERS)
            key = f"refresh:{attempt}"
            results = pool.starmap(claim, [(str(tmp_path), start, key)] * CLAIMERS)
            assert sorted(results) == [False] * (CLAIMERS - 1) + [True], attempt


def settle(store: FileStore, key: str) -> str:
    """Date the entry's file back a minute, as if written long ago; its path."""
    filename: str = store._get_filename(key)  # type: ignore[attr-defined]
    past = time.time_ns() - 60_000_000_000
    os.utime(filename, ns=(past, past))
    return filename


def rewrite_in_place(filename: str, old: bytes, new: bytes) -> None:
    """Swap bytes inside the file, keeping its inode, size and modification time."""
    status = os.stat(filename)
    content = Path(filename).read_bytes()
    assert old in content and len(old) == len(new)
    with open(filename, "r+b") as out:
        out.write(content.replace(old, new))
    os.utime(filename, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_a_settled_unchanged_file_is_read_from_memory(tmp_path: Path) -> None:
    store = file_cache(tmp_path)
    store.set("session", {"uid": "aaaa"}, timeout=60)
    filename = settle(store, "session")
    assert store.get("session") == {"uid": "aaaa"}
    rewrite_in_place(filename, b"aaaa", b"bbbb")
    assert store.get("session") == {"uid": "aaaa"}  # the file's signature did not change


def test_a_fresh_file_is_read_again_until_it_settles(tmp_path: Path) -> None:
    store = file_cache(tmp_path)
    store.set("session", {"uid": "aaaa"}, timeout=60)
    assert store.get("session") == {"uid": "aaaa"}
    rewrite_in_place(store._get_filename("session"), b"aaaa", b"bbbb")  # type: ignore[attr-defined]
    assert store.get("session") == {"uid": "bbbb"}


def test_writes_and_deletes_by_any_process_are_seen(tmp_path: Path) -> None:
    reader, writer = file_cache(tmp_path), file_cache(tmp_path)
    writer.set("session", {"uid": "aaaa"}, timeout=60)
    settle(writer, "session")
    assert reader.get("session") == {"uid": "aaaa"}
    writer.set("session", {"uid": "bbbb"}, timeout=60)  # same size, a new file
    settle(writer, "session")
    assert reader.get("session") == {"uid": "bbbb"}
    writer.delete("session")
    assert reader.get("session") is None


def test_remembered_entries_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(file_store, "REMEMBERED_FILES", 2)
    store = file_cache(tmp_path)
    for number in range(5):
        store.set(f"session{number}", {"n": number}, timeout=60)
        settle(store, f"session{number}")
    assert [store.get(f"session{number}") for number in range(5)] == [{"n": n} for n in range(5)]
    assert len(store._recent) == 2  # type: ignore[attr-defined]


def unreadable_entries(store: FileStore, key: str) -> dict[str, Callable[[], None]]:
    """Ways an entry's file can exist and still not be read, by name."""
    filename: str = store._get_filename(key)  # type: ignore[attr-defined]

    def directory() -> None:
        os.unlink(filename)
        os.mkdir(filename)  # open succeeds, read fails (EISDIR), whoever runs the test

    def truncated() -> None:
        Path(filename).write_bytes(b"\x00\x00")

    def garbage() -> None:
        Path(filename).write_bytes(b"\x00\x00\x00\x00not a pickle")

    return {"directory": directory, "truncated": truncated, "garbage": garbage}


@pytest.mark.parametrize("spoil", ["directory", "truncated", "garbage"])
def test_a_deny_list_entry_that_cannot_be_read_is_an_outage(tmp_path: Path, spoil: str) -> None:
    store = file_cache(tmp_path, threshold=UNBOUNDED, fail_closed=True)
    assert isinstance(store, FileStore)
    store.set("revoked-token:t1", 1, timeout=60)
    unreadable_entries(store, "revoked-token:t1")[spoil]()
    with pytest.raises(Unavailable):
        store.get("revoked-token:t1")
    assert store.get("revoked-token:absent") is None


@pytest.mark.parametrize("spoil", ["directory", "truncated", "garbage"])
def test_an_unreadable_session_entry_reads_as_missing(tmp_path: Path, spoil: str) -> None:
    store = file_cache(tmp_path)
    assert isinstance(store, FileStore)
    store.set("session", {"uid": "u1"}, timeout=60)
    unreadable_entries(store, "session")[spoil]()
    assert store.get("session") is None


def test_a_deny_list_claim_that_cannot_be_written_is_an_outage(tmp_path: Path) -> None:
    store = file_cache(tmp_path / "revoked", threshold=UNBOUNDED, fail_closed=True)
    os.rmdir(tmp_path / "revoked")
    (tmp_path / "revoked").write_bytes(b"")  # the folder is now a file: nothing can be created
    with pytest.raises(Unavailable):
        store.add("refresh:t1", 1, timeout=60)


def test_a_token_whose_revocation_cannot_be_read_is_refused_with_503(tmp_path: Path) -> None:
    app = create_app(app_settings(SESSION_TYPE="filesystem", SESSION_FILE_DIR=str(tmp_path / "s")))
    client = app.test_client()
    token = client.get("/api/public").get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/restricted", headers=headers).status_code == 200
    claims = app.extensions["container"].token_service().verify(token)
    revoked = file_cache(tmp_path / "revoked_tokens", threshold=UNBOUNDED)
    assert isinstance(revoked, FileStore)
    revoked.set(f"revoked-token:{claims.token_id}", 1, timeout=60)
    unreadable_entries(revoked, f"revoked-token:{claims.token_id}")["garbage"]()
    assert_envelope(client.get("/api/restricted", headers=headers), 503)
