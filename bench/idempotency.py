"""In-process CPU cost of Idempotency-Key on `POST /api/items`: no key, a new key, a replay.

The real service on the memory backend (answers kept in memory) through Flask's test client;
CPU time (time.process_time), median of five rounds, so a loaded machine skews it little:

    python bench/idempotency.py
"""

from __future__ import annotations

import itertools
import logging
import statistics
import time
from collections.abc import Callable

from api import create_app
from tests.helpers import app_settings

COUNT = 400


def cpu_us_per_call(call: Callable[[int], object]) -> float:
    """Median CPU microseconds per call over five rounds of COUNT (each call numbered)."""
    numbers = itertools.count()
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(COUNT):
            call(next(numbers))
        rounds.append((time.process_time() - start) / COUNT * 1e6)
    return statistics.median(rounds)


def main() -> None:
    app = create_app(app_settings(STORAGE_BACKEND="memory", RATELIMIT_ENABLED=False))
    logging.disable(logging.CRITICAL)
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    replayed = {**auth, "Idempotency-Key": '"replayed"'}
    client.post("/api/items", json={"title": "replayed"}, headers=replayed)

    def unkeyed(number: int) -> object:
        return client.post("/api/items", json={"title": f"plain {number}"}, headers=auth)

    def keyed(number: int) -> object:
        headers = {**auth, "Idempotency-Key": f'"key-{number}"'}
        return client.post("/api/items", json={"title": f"keyed {number}"}, headers=headers)

    def replay(_: int) -> object:
        return client.post("/api/items", json={"title": "replayed"}, headers=replayed)

    for name, call in (("no key", unkeyed), ("a new key", keyed), ("a replay", replay)):
        print(f"POST /api/items, {name}: {cpu_us_per_call(call):.0f} µs CPU")  # noqa: T201


if __name__ == "__main__":
    main()
