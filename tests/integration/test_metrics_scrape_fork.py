"""The master's scrape loop, copied into a forked worker, ends there instead of spinning.

Under gevent a fork copies the master's greenlets. The worker closes the inherited scrape
socket, and its descriptor number is soon taken by another file of the worker's; a copied
loop still polling that number wakes each time that file is readable. Each script below runs
in a gevent-patched interpreter of its own: it starts a scrape server, forks, and in the child
closes the socket, lets a readable socket pair take its number, and measures its own CPU.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
# Longer than the loops' half-second wake: a copied loop starts to spin at its first wake.
IDLE_SECONDS = 1.5

FORK = """
from gevent import monkey; monkey.patch_all()
import json, os, socket, sys, time, urllib.request
import gevent
from gevent import hub
from prometheus_client import CollectorRegistry, Counter

registry = CollectorRegistry()
Counter("scrapes_seen", "A counter the scrape must show.", registry=registry).inc()
if sys.argv[1] == "library":
    from prometheus_client import start_http_server
    httpd, _thread = start_http_server(0, addr="127.0.0.1", registry=registry)
    close = httpd.socket.close
else:
    from api.scrape_server import ScrapeServer
    httpd = ScrapeServer("127.0.0.1", 0, registry)
    httpd.start()
    close = httpd.server_close
port = httpd.server_address[1]
gevent.sleep(0.05)
read, write = os.pipe()
child = os.fork()
if child == 0:
    hub.reinit()
    number = httpd.socket.fileno()
    close()
    gevent.sleep(0.05)
    pair = socket.socketpair()
    pair[1].send(b"readable")
    start = time.process_time()
    gevent.sleep(float(sys.argv[2]))
    used = time.process_time() - start
    os.write(write, json.dumps({"reused": number == pair[0].fileno(), "cpu": used}).encode())
    os._exit(0)
os.waitpid(child, 0)
result = json.loads(os.read(read, 4096))
with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
    result["scrape"] = answer.read().decode()
print(json.dumps(result))
"""


def forked(server: str) -> dict[str, object]:
    """What the child of a process serving scrapes with `server` measured of itself."""
    done = subprocess.run(
        [sys.executable, "-c", FORK, server, str(IDLE_SECONDS)],
        cwd=REPO,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_the_copied_loop_ends_in_the_fork_and_the_owner_still_answers() -> None:
    result = forked("ours")
    assert result["reused"], "the setup must give the closed socket's number to another file"
    assert float(result["cpu"]) < IDLE_SECONDS * 0.05, result  # type: ignore[arg-type]
    assert "scrapes_seen_total 1.0" in str(result["scrape"])


def test_the_library_server_would_spin_in_the_fork() -> None:
    # Why the scrape endpoint is served by a loop of ours: prometheus-client's own keeps going.
    # Should this start to fail, the library's loop stops in a fork and ours may give way to it.
    result = forked("library")
    assert result["reused"]
    assert float(result["cpu"]) > IDLE_SECONDS * 0.25, result  # type: ignore[arg-type]
