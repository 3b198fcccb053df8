"""The HTTP suite on the in-memory backend: no file, no database, no network."""

from __future__ import annotations

from tests.contract.http_suite import HttpSuite
from tests.shared_apps import SharedMemoryApp


class TestHttpOnMemory(SharedMemoryApp, HttpSuite):
    """STORAGE_BACKEND=memory with in-memory sessions."""
