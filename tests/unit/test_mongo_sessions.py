"""Sessions and revoked token ids in Mongo collections (SESSION_TYPE=mongodb), on mongomock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.auth.revocations import CachelibRevocationList
from adapters.mongo.session_cache import REVOKED_TOKENS, SESSIONS, MongoSessionCache
from adapters.mongo.storage import MongoStorage
from adapters.session_store.caches import ping_cache
from api import create_app
from tests.fakes import FakeClock
from tests.helpers import EPOCH, app_settings


@pytest.fixture
def storage() -> MongoStorage:
    return MongoStorage(uri="mongomock://", database="test")


def test_a_value_reads_back_until_it_is_deleted(storage: MongoStorage) -> None:
    cache = MongoSessionCache(storage, collection=SESSIONS)
    assert cache.set("sid", {"uid": "abc"}, timeout=60)
    assert cache.get("sid") == {"uid": "abc"}
    assert cache.delete("sid") is True
    assert cache.get("sid") is None
    assert cache.delete("sid") is False


def test_add_stores_only_the_first_value_for_a_key(storage: MongoStorage) -> None:
    cache = MongoSessionCache(storage, collection=REVOKED_TOKENS)
    assert cache.add("jti", 1, timeout=60) is True
    assert cache.add("jti", 2, timeout=60) is False
    assert cache.get("jti") == 1


def test_an_expired_entry_is_gone_and_its_key_free_again(storage: MongoStorage) -> None:
    cache = MongoSessionCache(storage, collection=SESSIONS)
    cache.set("old", "value", timeout=60)
    # Expiry is the stored instant: moving it into the past is what time passing does.
    storage.raw_database()[SESSIONS].update_one(
        {"id": "old"}, {"$set": {"expiration": EPOCH - timedelta(days=1)}}
    )
    assert cache.get("old") is None
    assert cache.add("old", "new", timeout=60) is True


def test_the_collection_is_indexed_on_first_use_not_at_construction(storage: MongoStorage) -> None:
    cache = MongoSessionCache(storage, collection=SESSIONS)
    assert not storage.opened
    ping_cache(cache)
    indexes = storage.raw_database()[SESSIONS].index_information()
    assert indexes["id_unique"]["unique"] is True
    assert indexes["expiration_ttl"]["expireAfterSeconds"] == 0


def test_a_refresh_token_is_claimed_once_through_the_revocation_list(storage: MongoStorage) -> None:
    clock = FakeClock()
    revocations = CachelibRevocationList(
        MongoSessionCache(storage, collection=REVOKED_TOKENS), clock
    )
    until = clock.now() + timedelta(minutes=5)
    assert revocations.claim("refresh-1", until=until) is True
    assert revocations.claim("refresh-1", until=until) is False
    assert revocations.contains("refresh-1")
    assert not revocations.contains("refresh-2")


def test_the_app_keeps_sessions_and_revocations_in_separate_collections() -> None:
    app = create_app(
        app_settings(STORAGE_BACKEND="memory", SESSION_TYPE="mongodb", MONGODB_URI="mongomock://")
    )
    container = app.extensions["container"]
    assert container.session_cache().collection == SESSIONS
    assert container.revocation_cache().collection == REVOKED_TOKENS
    client = app.test_client()
    token = client.get("/api/public").get_json()["token"]
    assert (
        client.get("/api/restricted", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    assert container.mongo_storage().raw_database()[SESSIONS].count_documents({}) == 1
