"""Marshmallow HTTP schemas shared by the marshmallow-based candidates (C, D)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate


class ItemInSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=80))


class ItemOutSchema(Schema):
    id = fields.String()
    title = fields.String()
    owner_id = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    version = fields.Integer()


class ErrorSchema(Schema):
    error = fields.Integer()
    message = fields.String()
    success = fields.Boolean()
    details = fields.List(fields.Dict())


def details(messages: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten marshmallow/webargs {location: {field: [msg, ...]}} into a list."""
    out = []
    for location, per_field in messages.items():
        if isinstance(per_field, list):  # e.g. {"json": ["Invalid JSON body."]}
            per_field = {"_body": per_field}
        for field, msgs in per_field.items():
            for msg in msgs if isinstance(msgs, list) else [msgs]:
                out.append({"loc": [location, field], "msg": msg})
    return out
