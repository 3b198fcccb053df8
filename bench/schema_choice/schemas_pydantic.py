"""Pydantic v2 HTTP schemas shared by the pydantic-based candidates (A, B, C', E)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ItemIn(BaseModel):
    title: str = Field(min_length=1, max_length=80)


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    owner_id: str
    created_at: datetime
    updated_at: datetime
    version: int


class ItemPath(BaseModel):
    item_id: str


class ErrorOut(BaseModel):
    error: int
    message: str
    success: bool = False
    details: list[dict[str, Any]] = []


def details(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]}
        for e in exc.errors(include_url=False, include_context=False)
    ]
