"""The storage-independent HTTP cases, once, on memory: the app's and each resource's refusals."""

from __future__ import annotations

from tests.contract.http_once_contract import HttpOnceContract
from tests.contract.http_refusals_contract import HttpResourceRefusalsContract
from tests.shared_apps import SharedMemoryApp


class TestHttpOnce(SharedMemoryApp, HttpOnceContract, HttpResourceRefusalsContract):
    """STORAGE_BACKEND=memory with in-memory sessions."""
