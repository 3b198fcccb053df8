"""Render /docs in headless Chromium and check that Swagger UI drew every operation.

Run it through `make docs-check`, which closes the network first (a network namespace with
loopback only), so the page can only load what the service itself serves:

    python scripts/docs_page_check.py [--screenshot bench/docs.png]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=15000",
    "--window-size=1280,1800",
]
EXPECTED_PATHS = ["/api/items", "/api/auth/token", "/api/users/me", "/readyz"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the service did not answer at {url}")


def chromium(*args: str, profile: Path) -> str:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("chromium is not installed (Debian: apt-get install chromium)")
    command = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshot", type=Path, default=Path("bench/docs.png"))
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "INSTANCE_PATH": folder, "STORAGE_BACKEND": "memory"}
        server = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "api", "run", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/docs"
            wait_until_up(f"http://127.0.0.1:{port}/healthz")
            dom = chromium("--dump-dom", url, profile=Path(folder) / "dom")
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            chromium(f"--screenshot={args.screenshot.resolve()}", url, profile=Path(folder) / "png")
        finally:
            server.terminate()
            server.wait(timeout=10)
    missing = [path for path in EXPECTED_PATHS if f'data-path="{path}"' not in dom]
    operations = dom.count('class="opblock-summary-path"')
    if missing or operations == 0:
        raise SystemExit(f"Swagger UI did not render: {operations} operations, missing {missing}")
    print(f"rendered {operations} operations; screenshot in {args.screenshot}")


if __name__ == "__main__":
    main()
