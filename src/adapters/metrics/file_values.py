"""Metric values written straight into prometheus-client's multiprocess files.

The library's own multiprocess value asks the kernel for the process id on every write (to
notice a fork) and goes through two more calls to reach the file; a request writes about ten
values. This one is told of a fork by `os.register_at_fork` and packs its two doubles into the
memory map itself, in the format `MultiProcessCollector` reads (the library's `MmapedDict`
still owns the file and the place of each key in it). Where requests run on threads it takes
a lock for each write, as the library does; where they run one at a time or in greenlets
(gunicorn's sync and gevent workers), nothing can come between reading a value and writing
it, and the lock, the costliest part of a write, is left out. It relies on `MmapedDict`'s `_m` and
`_positions`: the version range is pinned and tests/unit/observability/test_file_values.py
fails if they change.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from threading import Lock
from typing import Any

from prometheus_client.mmap_dict import MmapedDict, mmap_key

# Packed in place: a slice assignment would build a bytes object and a slice on every write,
# and takes the memory map's slower path (about three times the cost of this).
_TWO_DOUBLES_INTO = struct.Struct("dd").pack_into


class FileValues:
    """The value class of one multiprocess folder: `prometheus_client.values.ValueClass`.

    One lock for every value, as the library's: the files' maps grow under it when a new label
    set appears; with `threads`, each write takes it too. The file of each kind
    (`counter_<pid>.db`, `gauge_livesum_<pid>.db`, ...) is named as the library names it, so
    its collector and `mark_process_dead` find them.
    """

    def __init__(self, folder: Path, *, threads: bool) -> None:
        self.folder = folder
        self.lock = Lock()
        self._kind = LockedFileValue if threads else FileValue
        self.files: dict[str, MmapedDict] = {}
        self.values: list[FileValue] = []
        os.register_at_fork(after_in_child=self.reopen)

    def __call__(
        self,
        typ: str,
        metric_name: str,
        name: str,
        labelnames: Any,
        labelvalues: Any,
        help_text: str,
        multiprocess_mode: str = "",
        **_kwargs: Any,
    ) -> FileValue:
        """A new value, as the metric classes construct theirs."""
        prefix = f"{typ}_{multiprocess_mode}" if typ == "gauge" else typ
        key = mmap_key(metric_name, name, labelnames, labelvalues, help_text)
        value = self._kind(self, prefix, key)
        with self.lock:
            value.open()
            self.values.append(value)
        return value

    def file(self, prefix: str) -> MmapedDict:
        """This process's file of that kind (lock held)."""
        found = self.files.get(prefix)
        if found is None:
            found = MmapedDict(str(self.folder / f"{prefix}_{os.getpid()}.db"))  # type: ignore[no-untyped-call]
            self.files[prefix] = found
        return found

    def reopen(self) -> None:
        """In a forked child: every value moves to files of the child's own pid."""
        with self.lock:
            for file in self.files.values():
                file.close()  # type: ignore[no-untyped-call]
            self.files.clear()
            for value in self.values:
                value.open()


class FileValue:
    """One value (a counter, a gauge, one bucket or sum of a histogram) in its file."""

    _multiprocess = True

    def __init__(self, values: FileValues, prefix: str, key: str) -> None:
        self._values = values
        self._prefix = prefix
        self._key = key
        self._value = 0.0
        self._timestamp = 0.0
        self._position = 0
        self._file: MmapedDict | None = None

    def open(self) -> None:
        """Find (or make) this value's place in its file and read what it holds (lock held)."""
        file = self._values.file(self._prefix)
        self._value, self._timestamp = file.read_value(self._key)  # type: ignore[no-untyped-call]
        self._position = file._positions[self._key]
        self._file = file

    def inc(self, amount: float) -> None:
        """Add `amount` and write the sum."""
        # Never a `mostrecent` gauge (the library refuses to add to one): its time stays 0.
        value = self._value + amount
        self._value = value
        _TWO_DOUBLES_INTO(self._file._m, self._position, value, 0.0)  # type: ignore[union-attr]

    def set(self, value: float, timestamp: float | None = None) -> None:
        """Write `value` (with its time, for `mostrecent` gauges)."""
        self._value = value
        self._timestamp = timestamp or 0.0
        _TWO_DOUBLES_INTO(self._file._m, self._position, value, self._timestamp)  # type: ignore[union-attr]

    def get(self) -> float:
        """The value this process holds."""
        with self._values.lock:
            return self._value

    def set_exemplar(self, _exemplar: object) -> None:
        """Multiprocess mode keeps no exemplars (as the library's own value)."""

    def get_exemplar(self) -> None:
        """None: no exemplars in multiprocess mode."""
        return None


class LockedFileValue(FileValue):
    """A value whose writes take the folder's lock: for requests on threads."""

    def inc(self, amount: float) -> None:
        """Add `amount` and write the sum, under the lock."""
        with self._values.lock:
            super().inc(amount)

    def set(self, value: float, timestamp: float | None = None) -> None:
        """Write `value`, under the lock."""
        with self._values.lock:
            super().set(value, timestamp)
