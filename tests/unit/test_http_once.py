"""The storage-independent HTTP cases, once, on the in-memory backend."""

from __future__ import annotations

from tests.contract.http_once_contract import HttpOnceContract
from tests.shared_apps import SharedMemoryApp


class TestHttpOnce(SharedMemoryApp, HttpOnceContract):
    """STORAGE_BACKEND=memory with in-memory sessions."""
