"""The tiny 'core' every candidate adapter wraps: a domain object, a store, the error envelope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException

OWNER_ID = "7f0c1d8e-0000-4000-8000-000000000001"
SPEC_URL = "/openapi.json"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    title: str
    owner_id: str
    created_at: datetime
    updated_at: datetime
    version: int


class Store:
    """In-memory repository standing in for the persistence port."""

    def __init__(self) -> None:
        self._items: dict[str, Item] = {}

    def add(self, title: str) -> Item:
        now = datetime.now(UTC)
        item = Item(str(uuid.uuid4()), title, OWNER_ID, now, now, 1)
        self._items[item.id] = item
        return item

    def get(self, item_id: str) -> Item | None:
        return self._items.get(item_id)

    def prune(self, keep: str) -> None:
        """Benchmark hook: drop everything but one item so the heap does not grow across batches."""
        self._items = {keep: self._items[keep]}


def error_body(status: int, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    """The envelope the template wants for every error."""
    return {"error": status, "message": message, "success": False, "details": details or []}


BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


def register_envelope(app: Flask) -> None:
    """Render every HTTPException (404, 405, ...) as the envelope, as the template does."""

    def handle(exc: HTTPException) -> Any:
        code = exc.code or 500
        return error_body(code, exc.description or exc.name), code

    app.register_error_handler(HTTPException, handle)
