"""The master's scrape endpoint: answered by the process that opened it, never by its forks.

gunicorn forks its workers from the master, and a fork copies the master's serving loop with it
where threads are greenlets (gevent workers: the master is patched before anything is imported).
prometheus-client's own `start_http_server` loops until told to stop, so each worker's copy
would go on polling the listening socket's descriptor number after the worker closed it, and
spin on whatever file later takes that number (tests/integration/test_metrics_scrape_fork.py
shows it). This loop ends in any process but its owner, at its next wake.
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from prometheus_client import make_wsgi_app

# Seconds between two checks of who is running the loop, and the most a scraper may stay
# silent: requests are answered one at a time, so a stuck client must not hold the others.
WAKE_SECONDS = 0.5
CLIENT_TIMEOUT_SECONDS = 10.0


class _QuietHandler(WSGIRequestHandler):
    timeout = CLIENT_TIMEOUT_SECONDS

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        """Scrapes are not logged: one every few seconds would drown the access log."""


class ScrapeServer(WSGIServer):
    """A registry served in the Prometheus text format by the process that made this server."""

    def __init__(self, host: str, port: int, registry: Any) -> None:
        family, _, _, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        self.address_family = family
        super().__init__((str(address[0]), int(address[1])), _QuietHandler)
        self.set_app(make_wsgi_app(registry))
        self.timeout = WAKE_SECONDS
        self.owner = os.getpid()
        self.stopped = False

    def serve(self) -> None:
        """Answer scrapes until stopped, or until this loop finds itself in a fork."""
        while not self.stopped and os.getpid() == self.owner:
            self.handle_request()
        if os.getpid() == self.owner:
            self.server_close()

    def start(self) -> None:
        """Serve on a daemon thread (a greenlet where threading is patched)."""
        threading.Thread(target=self.serve, name="metrics-scrape", daemon=True).start()

    def stop(self) -> None:
        """End the loop at its next wake; the loop closes the socket."""
        self.stopped = True
