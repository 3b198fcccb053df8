"""cachelib's file cache with a leaner read, an atomic add, and a read that may fail closed."""

from __future__ import annotations

import io
import os
import pickle
import struct
import tempfile
import threading
import time
from datetime import timedelta
from typing import Any

from cachelib import FileSystemCache

from core.errors import Unavailable


class FileStore(FileSystemCache):
    """cachelib's file cache, with a leaner read and an `add` that is atomic across processes.

    cachelib's `add` checks that the file is missing, then writes it: two workers claiming one
    refresh token could both succeed. Here the entry is written aside and linked into place,
    which fails if the name exists.

    cachelib's `get` opens and reads the file each time (and retries for Windows shares). Here
    an entry already read comes from memory while its file keeps the inode, size and
    modification time it had: one `stat` instead of open, read and close. Every write
    replaces the file (a new inode and time); a file is remembered only once it is older than
    SETTLED_NS, so that a later write cannot carry the same coarse timestamp. A missing file
    is never remembered.

    With `fail_closed`, an entry that exists but cannot be read or decoded raises Unavailable
    (a 503), as the Redis and Mongo stores do when they cannot answer; otherwise it reads as
    missing, as in cachelib.
    """

    def __init__(self, *args: Any, fail_closed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fail_closed = fail_closed
        self._recent: dict[str, tuple[tuple[int, int, int], bytes]] = {}
        self._remembering = threading.Lock()

    def get(self, key: str) -> Any:
        """The entry's value, or None when it is missing or expired (or unreadable, unless
        failing closed)."""
        try:
            data = self._contents(self._get_filename(key))
        except FileNotFoundError:
            return None
        except OSError as error:
            if self._fail_closed:
                raise Unavailable(UNREADABLE) from error
            return super().get(key)  # the stock path logs why
        if len(data) < EXPIRY.size:
            return self._unreadable(None)
        (expires,) = EXPIRY.unpack_from(data)
        if expires != 0 and expires < time.time():
            return None
        if not self._fail_closed:
            return self.serializer.load(io.BytesIO(memoryview(data)[EXPIRY.size :]))
        try:
            value = pickle.loads(memoryview(data)[EXPIRY.size :])
        except Exception as error:  # unpickling garbage may raise almost anything
            return self._unreadable(error)
        return value

    def _unreadable(self, cause: Exception | None) -> None:
        if self._fail_closed:
            raise Unavailable(UNREADABLE) from cause

    def _contents(self, filename: str) -> bytes:
        status = os.stat(filename)
        signature = (status.st_ino, status.st_size, status.st_mtime_ns)
        remembered = self._recent.get(filename)
        if remembered is not None and remembered[0] == signature:
            return remembered[1]
        descriptor = os.open(filename, os.O_RDONLY)
        try:
            data = _read_all(descriptor)
        finally:
            os.close(descriptor)
        # Should the file have changed since the stat, its new bytes sit under the old
        # signature, which it no longer has: they are never served.
        if time.time_ns() - status.st_mtime_ns > SETTLED_NS:
            with self._remembering:  # threads of a gthread worker evict and insert together
                if len(self._recent) >= REMEMBERED_FILES:
                    self._recent.pop(next(iter(self._recent)), None)
                self._recent[filename] = (signature, data)
        return data

    def add(self, key: str, value: Any, timeout: int | timedelta | None = None) -> bool:
        """Store the entry only if none exists under `key`; False when one does."""
        # As cachelib's add: an entry still on disk, even expired, keeps its name taken.
        self._prune()
        try:
            created = self._link(self._get_filename(key), value, timeout)
        except OSError as error:
            raise Unavailable(UNREADABLE) from error
        if created:
            self._update_count(delta=1)
        return created

    def _link(self, filename: str, value: Any, timeout: int | timedelta | None) -> bool:
        descriptor, aside = tempfile.mkstemp(suffix=self._fs_transaction_suffix, dir=self._path)
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(EXPIRY.pack(self._normalize_timeout(timeout)))
                self.serializer.dump(value, out)
            if self._mode is not None:
                os.chmod(aside, self._mode)
            os.link(aside, filename)
        except FileExistsError:
            return False
        finally:
            os.unlink(aside)
        return True


UNREADABLE = "the session store could not read or write an entry"
EXPIRY = struct.Struct("I")
READ_CHUNK = 64 * 1024
# File timestamps are taken from a coarse clock (a few ms per tick); well past one tick, a later
# write of the same name is certain to carry a later time.
SETTLED_NS = 50_000_000
# Entries kept in memory per store (about 200 bytes each for a session).
REMEMBERED_FILES = 16_384


def _read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, READ_CHUNK):
        chunks.append(chunk)
        if len(chunk) < READ_CHUNK:
            break
    return b"".join(chunks)
