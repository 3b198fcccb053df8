"""In-process CPU cost of the item routes: `GET /api/items/<id>`, a page of 20 and a create.

The real service on the memory backend through Flask's test client, the process's CPU time per
request (steadier than wall time on a busy machine), median of five rounds:

    python bench/item_routes.py

Run it on two checkouts in one sitting to compare them (PYTHONPATH=<checkout>/src).
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable

from api import create_app
from tests.helpers import app_settings


def per_request_us(call: Callable[[], object], count: int) -> float:
    """Median CPU microseconds per call over five rounds of `count`."""
    rounds = []
    for _ in range(5):
        start = time.process_time()
        for _ in range(count):
            call()
        rounds.append((time.process_time() - start) / count * 1e6)
    return statistics.median(rounds)


def main() -> None:
    app = create_app(app_settings(STORAGE_BACKEND="memory", RATELIMIT_ENABLED=False))
    logging.disable(logging.CRITICAL)
    client = app.test_client()
    auth = {"Authorization": "Bearer " + client.get("/api/public").get_json()["token"]}
    item = client.post("/api/items", json={"title": "bench"}, headers=auth).get_json()
    for number in range(20):
        client.post("/api/items", json={"title": f"bench {number}"}, headers=auth)
    one = per_request_us(lambda: client.get(f"/api/items/{item['id']}"), 1500)
    page = per_request_us(lambda: client.get("/api/items?limit=20"), 500)
    titles = iter(range(10**9))
    create = per_request_us(
        lambda: client.post("/api/items", json={"title": f"new {next(titles)}"}, headers=auth), 500
    )
    print(  # noqa: T201
        f"GET /api/items/<id>: {one:.0f} µs\nGET /api/items?limit=20: {page:.0f} µs\n"
        f"POST /api/items: {create:.0f} µs"
    )


if __name__ == "__main__":
    main()
