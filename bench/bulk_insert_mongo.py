"""Bulk insert of N items into MongoDB: the repository's add_many against pymongo's insert_many.

Both paths run alternately in one process on the same backend, the collection emptied before
each run, and the median of each is compared: mongomock always, and the server of
TEST_MONGODB_URI when it is set (a fresh database, dropped afterwards).

    python bench/bulk_insert_mongo.py [--rows 100000] [--rounds 3]

mongomock checks a unique index by scanning the whole collection on every insert (quadratic:
8,000 rows take 40 s), so on mongomock both paths run without indexes; a server keeps them.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from collections.abc import Callable

from sample_items import make_items

from adapters.mongo.client import Document, is_mock
from adapters.mongo.documents import to_document
from adapters.mongo.resources import ITEMS
from adapters.mongo.storage import MongoStorage
from adapters.mongo.unit_of_work import MongoUnitOfWork
from core.entities import Item
from core.errors import Unavailable


def through_repository(storage: MongoStorage, items: list[Item]) -> None:
    with MongoUnitOfWork(storage) as unit:
        unit.items.add_many(items)
        unit.commit()


def through_pymongo(storage: MongoStorage, documents: list[Document]) -> None:
    storage.raw_database()[ITEMS.collection].insert_many(documents, ordered=True)


def timed(run: Callable[[], None], storage: MongoStorage, *, indexed: bool) -> float:
    # Dropping is instant where deleting 100k documents one by one (mongomock) is not.
    storage.raw_database()[ITEMS.collection].drop()
    if indexed:
        storage.ensure_indexes()
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(uri: str, items: list[Item], rounds: int) -> tuple[float, float]:
    """Median seconds of the repository and of bare insert_many of prebuilt documents."""
    documents = [to_document(ITEMS, item) for item in items]
    storage = MongoStorage(uri=uri, database=f"hexapi_bench_{secrets.token_hex(4)}")
    try:
        storage.database()  # the unit of work finds its indexes in place from here on
        indexed = not is_mock(uri)
        repository, bare = [], []
        for _ in range(rounds):
            repository.append(
                timed(lambda: through_repository(storage, items), storage, indexed=indexed)
            )
            bare.append(
                timed(lambda: through_pymongo(storage, documents), storage, indexed=indexed)
            )
        return statistics.median(repository), statistics.median(bare)
    finally:
        storage.drop()
        storage.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = make_items(args.rows)
    backends = {"mongomock (no indexes)": "mongomock://"}
    if server := os.environ.get("TEST_MONGODB_URI"):
        backends["MongoDB server"] = server
    print(f"{args.rows:,} items, median of {args.rounds} alternating runs")
    print(
        "| backend | repository add_many s | pymongo insert_many s | rows/s (repository) |"
        " time ratio repository/insert_many |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, uri in backends.items():
        try:
            repository, bare = measure(uri, items, args.rounds)
        except Unavailable as error:
            print(f"| {name} | not reachable: {error.message} | | | |")
            continue
        print(
            f"| {name} | {repository:.2f} | {bare:.2f} | {args.rows / repository:,.0f} |"
            f" {repository / bare:.2f} |"
        )


if __name__ == "__main__":
    main()
