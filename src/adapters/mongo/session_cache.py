"""Flask-Session data and revoked token ids in a Mongo collection (cachelib's MongoDbCache)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from cachelib import BaseCache, MongoDbCache
from pymongo import ASCENDING, IndexModel
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from adapters.mongo.client import Document
from adapters.mongo.errors import translate_errors
from adapters.mongo.storage import MongoStorage

SESSIONS = "sessions"
REVOKED_TOKENS = "revoked_tokens"
IDEMPOTENCY_KEYS = "idempotency_keys"

CACHE_INDEXES = [
    IndexModel([("id", ASCENDING)], name="id_unique", unique=True),
    # The server removes expired entries by itself; reads skip them until it has.
    IndexModel([("expiration", ASCENDING)], name="expiration_ttl", expireAfterSeconds=0),
]


class MongoSessionCache(MongoDbCache):
    """cachelib's MongoDbCache, made lazy, with an atomic `add` and outages as Unavailable.

    cachelib's constructor lists and creates indexes, which would connect while the app is
    being created; here the collection is indexed on first use. Its `add` reads then writes;
    here it is one insert against the unique index, so a refresh token is claimed only once
    even by two instances at the same moment. No entry is ever evicted before it expires,
    which the token deny-list needs.
    """

    def __init__(self, storage: MongoStorage, *, collection: str, default_timeout: int = 300):
        BaseCache.__init__(self, default_timeout=default_timeout)
        # What MongoDbCache's methods read, set as its own constructor would.
        self.key_prefix = ""
        self.collection = collection
        self.check_connection = False
        self._storage = storage
        self._indexed = False
        self._lock = threading.Lock()

    @property
    def client(self) -> Collection[Document]:
        """The collection (cachelib's name for it), indexed on first use."""
        collection = self._storage.raw_database()[self.collection]
        with self._lock:
            if not self._indexed:
                collection.create_indexes(CACHE_INDEXES)
                self._indexed = True
        return collection

    def get(self, key: str) -> Any:
        """The value, None when absent or expired.

        One read: cachelib's own `get` first deletes every expired entry, a write on each
        request; here expired entries are skipped by the filter and left to the TTL index.
        """
        live = [{"expiration": {"$gt": _now()}}, {"expiration": {"$exists": False}}]
        with translate_errors("session store"):
            record = self.client.find_one({"id": self.key_prefix + key, "$or": live})
        return None if record is None else self.serializer.loads(record["val"])

    def set(self, key: str, value: Any, timeout: int | dt.timedelta | None = None) -> Any:
        """Store the value, replacing any."""
        with translate_errors("session store"):
            return super().set(key, value, timeout=timeout)

    def delete(self, key: str) -> bool:
        """Remove the entry; whether it existed."""
        with translate_errors("session store"):
            return bool(super().delete(key))

    def add(self, key: str, value: Any, timeout: int | dt.timedelta | None = None) -> bool:
        """Store the value only if no live entry has the key, in one atomic insert."""
        seconds = self._normalize_timeout(timeout)
        now = _now()
        record: Document = {"id": self.key_prefix + key, "val": self.serializer.dumps(value)}
        if seconds > 0:
            record["expiration"] = now + dt.timedelta(seconds=seconds)
        with translate_errors("session store"):
            # An expired entry the TTL index has not removed yet must not block the key.
            self.client.delete_one({"id": record["id"], "expiration": {"$lte": now}})
            try:
                self.client.insert_one(record)
            except DuplicateKeyError:
                return False
        return True


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
