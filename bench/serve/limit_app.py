"""The limit: the thinnest correct Flask code doing the service's work for each benched route.

Served like the service (`limit_app:app`) with the service's environment, it reads the same
storage: PostgreSQL through psycopg when DATABASE_URL is set, else the instance folder's
SQLite file; sessions, the token deny-list and rate-limit counters in Redis when REDIS_URL is
set, else in the instance folder's files and in process. It verifies the same nested JWT with
jwcrypto (and keeps verified claims as the service does), issues the service's data statements
and answers the same JSON with the same ETag, Location, Link and X-RateLimit headers.
What it leaves out is listed on docs/performance.md: no framework of ours, no transaction
around a single statement, no pool pre-ping, no protective headers, no request log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any

from cachelib import BaseCache, FileSystemCache, RedisCache
from flask import Flask, abort, request
from jwcrypto import jwk, jwt
from limits import parse
from limits.storage import storage_from_string
from redis import Redis

COLUMNS = "id, title, owner_id, created_at, updated_at, version"
INSTANCE = Path(os.environ.get("INSTANCE_PATH", "instance"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
KEYS = jwk.JWKSet.from_json(os.environ["TOKEN_KEYS"])
ISSUER = os.environ.get("TOKEN_ISSUER", "hexapi")
AUDIENCE = os.environ.get("TOKEN_AUDIENCE", "api")
LIMIT = parse(os.environ.get("RATELIMIT_DEFAULT", "100000000 per minute"))
LEEWAY = 30  # seconds past `exp` a token is still taken, as the service's
VERIFIED_KEPT = 4096  # verified tokens kept, as the service's TOKEN_CACHE_SIZE
Answer = tuple[dict[str, Any], int, dict[str, str]]
View = Callable[..., Answer]
CURSOR_KEY = hmac.new(
    os.environ["SECRET_KEY"].encode(), b"hexapi page cursor v1", "sha256"
).digest()


class Storage:
    """Rows on PostgreSQL (autocommit) or on SQLite, on connections kept for reuse."""

    def __init__(self) -> None:
        # A pool at its thinnest: each request takes an idle connection or opens one, and puts
        # it back; as many stay open as requests ran at once (the service's pool keeps 5).
        self._idle: queue.LifoQueue[Any] = queue.LifoQueue()
        self.marker = "%s" if DATABASE_URL else "?"

    @contextmanager
    def connection(self) -> Iterator[Any]:
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._open()
        try:
            yield connection
        finally:
            if not getattr(connection, "broken", False):
                self._idle.put(connection)

    @staticmethod
    def _open() -> Any:
        if DATABASE_URL:
            import psycopg

            url = DATABASE_URL.replace("postgresql+psycopg://", "postgresql://")
            return psycopg.connect(url, autocommit=True)
        # The service's own SQLite settings: WAL (kept in the file), NORMAL sync, 10 s busy wait.
        db = sqlite3.connect(
            INSTANCE / "app.db", isolation_level=None, timeout=10, check_same_thread=False
        )
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def rows(self, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
        with self.connection() as connection:
            return list(connection.execute(sql.replace("?", self.marker), parameters).fetchall())

    def insert(self, sql: str, *parameters: Any) -> bool:
        """Whether the row went in (False: it broke a unique key)."""
        with self.connection() as connection:
            try:
                connection.execute(sql.replace("?", self.marker), parameters)
            except self.unique_violation:
                return False
        return True

    @property
    def unique_violation(self) -> type[Exception]:
        if not DATABASE_URL:
            return sqlite3.IntegrityError
        from psycopg.errors import UniqueViolation

        return UniqueViolation


def stores() -> tuple[BaseCache, BaseCache, Any]:
    """Sessions, revoked token ids and rate-limit counters, where the service keeps them."""
    if REDIS_URL:
        client = Redis.from_url(REDIS_URL)
        counters = storage_from_string(REDIS_URL)
        return (
            RedisCache(host=client, key_prefix="hexapi:sessions:"),
            RedisCache(host=client, key_prefix="hexapi:revocations:"),
            counters,
        )
    return (
        FileSystemCache(str(INSTANCE / "sessions"), threshold=0),
        FileSystemCache(str(INSTANCE / "revoked_tokens"), threshold=0),
        None,
    )


def create_limit_app() -> Flask:
    app = Flask("limit")
    storage = Storage()
    sessions, revoked, counters = stores()
    verified: dict[str, dict[str, Any]] = {}
    windows: dict[str, list[float]] = {}
    lock = threading.Lock()

    def count_request(endpoint: str) -> tuple[int, float]:
        """This request's number in its fixed window, and when the window ends."""
        key = LIMIT.key_for(request.remote_addr or "", endpoint)
        if counters is not None:
            return counters.incr(key, LIMIT.get_expiry()), counters.get_expiry(key)
        now = time.time()
        with lock:
            window = windows.get(key)
            if window is None or window[1] <= now:
                window = windows[key] = [0, now + LIMIT.get_expiry()]
            window[0] += 1
            return int(window[0]), window[1]

    def limited(endpoint: str) -> Callable[[View], View]:
        """Count each request of the view (under the service's endpoint name) before it runs."""

        def decorate(view: View) -> View:
            @wraps(view)
            def counted(**arguments: str) -> Answer:
                count, reset_at = count_request(endpoint)
                if count > LIMIT.amount:
                    abort(429)
                body, status, headers = view(**arguments)
                headers["X-RateLimit-Limit"] = str(LIMIT.amount)
                headers["X-RateLimit-Remaining"] = str(max(0, LIMIT.amount - count))
                headers["X-RateLimit-Reset"] = str(int(reset_at))
                return body, status, headers

            return counted

        return decorate

    def principal() -> dict[str, Any]:
        """The token's claims, when it is valid, unrevoked and bound to this session."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        claims = verified.get(token)
        if claims is None:
            try:
                outer = jwt.JWT(
                    jwt=token,
                    key=KEYS,
                    algs=["A256KW", "A256CBC-HS512"],
                    expected_type="JWE",
                    check_claims=False,
                )
                inner = jwt.JWT(
                    jwt=outer.claims,
                    key=KEYS,
                    algs=["HS256"],
                    expected_type="JWS",
                    check_claims={"iss": ISSUER, "aud": AUDIENCE},
                )
            except Exception:  # jwcrypto raises many types: every one means "not ours"
                abort(401)
            claims = json.loads(inner.claims)
            if len(verified) < VERIFIED_KEPT:
                verified[token] = claims
        if scheme.lower() != "bearer" or claims.get("exp", 0) + LEEWAY <= time.time():
            abort(401)
        if revoked.get("revoked-token:" + claims["jti"]) is not None:
            abort(401)
        if "uid" in claims:
            sid = request.cookies.get("session", "")
            session = sessions.get("session:" + sid) if sid else None
            if not session or session.get("uid") != claims["uid"]:
                abort(401)
        return claims

    @app.get("/")
    def hello() -> dict[str, str]:
        return {"message": "Hello World"}

    @app.get("/api/restricted")
    @limited("root.restricted")
    def restricted() -> Answer:
        principal()
        return {"message": "this is a restricted url."}, 200, {}

    @app.get("/api/items/<item_id>")
    @limited("items.get_item")
    def get_item(item_id: str) -> Answer:
        rows = storage.rows(f"SELECT {COLUMNS} FROM items WHERE items.id = ?", item_id)
        if not rows:
            abort(404)
        item = as_item(rows[0])
        return item, 200, {"ETag": f'"v{item["version"]}"'}

    @app.get("/api/items")
    @limited("items.list_items")
    def list_items() -> Answer:
        limit = request.args.get("limit", 20, type=int)
        if not 1 <= limit <= 100:
            abort(422)
        rows = storage.rows(
            f"SELECT {COLUMNS} FROM items ORDER BY items.created_at, items.id LIMIT ?",
            limit + 1,
        )
        items = [as_item(row) for row in rows[:limit]]
        total = (
            len(items)
            if len(rows) <= limit
            else storage.rows("SELECT count(*) AS count_1 FROM items")[0][0]
        )
        after = cursor(items[-1]) if len(rows) > limit else None
        headers = (
            {"Link": f'</api/items?limit={limit}&cursor={after}>; rel="next"'} if after else {}
        )
        page = {
            "items": items,
            "total": total,
            "limit": limit,
            "offset": 0,
            "next": after,
            "prev": None,
        }
        return page, 200, headers

    @app.post("/api/items")
    @limited("items.create_item")
    def create_item() -> Answer:
        owner = principal()["sub"]
        body = request.get_json(silent=True)
        title = body.get("title") if isinstance(body, dict) else None
        if not isinstance(title, str) or not 1 <= len(title.strip()) <= 80:
            abort(422)
        millis = time.time_ns() // 1_000_000
        now = datetime.fromtimestamp(millis // 1000, UTC).replace(microsecond=millis % 1000 * 1000)
        stamp = now if DATABASE_URL else now.replace(tzinfo=None).isoformat(" ")
        item_id = f"{millis:012x}{os.urandom(10).hex()}"
        title = title.strip()
        sql = f"INSERT INTO items ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)"
        if not storage.insert(sql, item_id, title, owner, stamp, stamp, 1):
            abort(409)
        item = as_item((item_id, title, owner, now, now, 1))
        return item, 201, {"Location": f"/api/items/{item_id}", "ETag": '"v1"'}

    return app


def as_item(row: tuple[Any, ...]) -> dict[str, Any]:
    """The service's JSON of an item row (SQLite keeps naive UTC text, PostgreSQL timestamptz)."""
    item_id, title, owner_id, created, updated, version = row
    return {
        "id": item_id,
        "title": title,
        "owner_id": owner_id,
        "created_at": moment(created),
        "updated_at": moment(updated),
        "version": version,
    }


def moment(value: datetime | str) -> str:
    """The timestamp as the service writes it: no fraction when it is a whole second."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    utc = when.astimezone(UTC) if when.tzinfo else when
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if utc.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def cursor(last: dict[str, Any]) -> str:
    """A signed place after `last`, as long and as costly as the service's cursor."""
    place = [1, "n", [["t", last["created_at"]], ["s", last["id"]]]]
    payload = json.dumps(place, separators=(",", ":")).encode()
    mac = hmac.new(CURSOR_KEY, b"items\0sort=\0" + payload, hashlib.sha256).digest()
    return f"{b64(payload)}.{b64(mac)}"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


app = create_limit_app()
