"""Instructions per request of four routes, counted by callgrind (repeatable on a busy machine).

The real service on the memory backend (BACKEND=sql: a SQLite file) through Flask's test
client. For each route the counters are dumped after N1 and after N2 more requests, so
(I(N2) - I(N1)) / (N2 - N1) cancels the fixed cost of asking callgrind for a dump:

    BACKEND=memory PYTHONPATH=.:src valgrind --tool=callgrind --instr-atstart=no \\
        --callgrind-out-file=/tmp/cg/run.%p python bench/route_instructions.py
    python bench/route_instructions.py --summary /tmp/cg/run.<pid>
"""

from __future__ import annotations

import glob
import logging
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from typing import Any

N1, N2 = 50, 150
ROUTES = ("restricted", "item", "list", "post")


def control(*args: str) -> None:
    """Ask the callgrind running this process to do something (dump, instrument)."""
    subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)


def measure() -> None:
    from api import create_app
    from tests.helpers import app_settings

    backend = os.environ.get("BACKEND", "memory")
    extra = {"DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench.db"} if backend == "sql" else {}
    app = create_app(app_settings(STORAGE_BACKEND=backend, RATELIMIT_ENABLED=False, **extra))
    if backend == "sql":
        result = app.test_cli_runner().invoke(args=["db", "create"])
        assert result.exit_code == 0, result.output
    logging.disable(logging.CRITICAL)
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    item = client.post("/api/items", json={"title": "bench"}, headers=auth).get_json()
    for number in range(20):
        client.post("/api/items", json={"title": f"bench {number}"}, headers=auth)
    titles = iter(range(10**9))
    routes: dict[str, Callable[[], Any]] = {
        "restricted": lambda: client.get("/api/restricted", headers=auth),
        "item": lambda: client.get(f"/api/items/{item['id']}"),
        "list": lambda: client.get("/api/items?limit=20"),
        "post": lambda: client.post(
            "/api/items", json={"title": f"n {next(titles)}"}, headers=auth
        ),
    }
    counted(routes)


def counted(routes: dict[str, Callable[[], Any]]) -> None:
    """Warm each route, then dump callgrind's counters after N1 and N2 more of its requests."""
    control("-i", "on")
    for name, call in routes.items():
        for _ in range(30):
            answer = call()
            assert answer.status_code < 300, (name, answer.status_code, answer.get_data())
        control("-d", f"{name}-warm")
        for _ in range(N1):
            call()
        control("-d", f"{name}-n1")
        for _ in range(N2):
            call()
        control("-d", f"{name}-n2")
    control("-i", "off")


def summary(prefix: str) -> None:
    """Millions of instructions per request of each route, from the dumps at `prefix`.*."""
    counts: dict[str, int] = {}
    for path in glob.glob(prefix + ".*"):
        text = open(path).read()
        trigger = re.search(r"^desc: Trigger: dump (\S+)", text, re.M)
        total = re.search(r"^summary: (\d+)", text, re.M)
        if trigger and total:
            counts[trigger.group(1)] = int(total.group(1))
    for route in ROUTES:
        first, second = counts.get(f"{route}-n1"), counts.get(f"{route}-n2")
        if first and second:
            print(f"{route}: {(second - first) / (N2 - N1) / 1e6:.3f} M instructions/request")  # noqa: T201


if __name__ == "__main__":
    if sys.argv[1:2] == ["--summary"]:
        summary(sys.argv[2])
    else:
        measure()
