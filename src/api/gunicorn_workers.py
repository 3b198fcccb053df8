"""The gunicorn worker classes `GUNICORN_WORKER` names: gunicorn's own, answering errors as JSON.

`gevent` (the default) holds each connection in a greenlet, so clients that send slowly cost a
few kilobytes each instead of a worker or a thread (docs/operations.md, *Slow clients*).
"""

from __future__ import annotations

from typing import Any

from gunicorn.workers.base_async import AsyncWorker
from gunicorn.workers.ggevent import GeventWorker as GunicornGeventWorker
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker
from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker

from api.gunicorn_errors import JsonErrors

# Seconds a client may stay silent while it sends a request body or reads an answer. gunicorn
# bounds the request head by `keepalive` on gevent workers, but leaves the rest unbounded.
CLIENT_TIMEOUT_SECONDS = 10.0


class GeventWorker(JsonErrors, GunicornGeventWorker):  # type: ignore[misc]
    """gunicorn's gevent worker with the envelope for its errors and a bound on silent clients."""

    def handle(self, listener: Any, client: Any, addr: Any) -> None:
        """Serve one connection; a read or write that waits longer than the bound fails it."""
        # gunicorn's own handle() would make the socket blocking without a timeout.
        client.settimeout(CLIENT_TIMEOUT_SECONDS)
        AsyncWorker.handle(self, listener, client, addr)


class ThreadWorker(JsonErrors, GunicornThreadWorker):  # type: ignore[misc]
    """gunicorn's gthread worker with the envelope for its errors."""


class SyncWorker(JsonErrors, GunicornSyncWorker):  # type: ignore[misc]
    """gunicorn's sync worker with the envelope for its errors."""
