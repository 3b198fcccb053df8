"""The image's HEALTHCHECK: GET /healthz on the address gunicorn binds (BIND)."""

from __future__ import annotations

import os
import sys
import urllib.request

TIMEOUT_SECONDS = 2


def health_url(bind: str) -> str:
    """The /healthz URL of a gunicorn BIND value (`host:port`, `0.0.0.0:port`, `[::]:port`)."""
    host, _, port = bind.rpartition(":")
    if host in ("", "0.0.0.0", "[::]"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/healthz"


def main() -> int:
    """0 when the instance answers 200, else 1 (what HEALTHCHECK expects)."""
    try:
        url = health_url(os.environ.get("BIND", "127.0.0.1:8000"))
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return 0 if response.status == 200 else 1
    except (OSError, ValueError):
        return 1


if __name__ == "__main__":
    sys.exit(main())
