"""An entity's canonical JSON text written field by field: what `json.dumps` of its values gives.

A line is made for every row moved, read back and checksummed, so each field's encoder is
chosen once from its type: text, whole numbers, timestamps and sets of text are written
directly, three to four times as fast as `json.dumps(..., sort_keys=True)`; any other value
goes through `json.dumps` itself, so the text stays byte for byte the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any

Encode = Callable[[Any], str]

dumps = partial(json.dumps, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def value_text(value: Any) -> str:
    """The JSON text of one value, as `dumps` writes it."""
    kind = type(value)
    if kind is str:
        text: str = encode_basestring(value)
        return text
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    return dumps(value)


def quoted(convert: Callable[[Any], str]) -> Encode:
    """The JSON string of the text `convert` makes of a value, text that needs no escaping
    (a timestamp, date or decimal in ISO or decimal notation)."""

    def encode(value: Any) -> str:
        return "null" if value is None else f'"{convert(value)}"'

    return encode


def many(encode: Encode, *, ordered: bool) -> Encode:
    """The text of a set (sorted first, as stored) or a sequence, as a JSON list."""

    def encode_many(values: Any) -> str:
        if values is None:
            return "null"
        return f"[{','.join(map(encode, sorted(values) if ordered else values))}]"

    return encode_many


def line_writer(fields: dict[str, Encode]) -> Callable[[Any], str]:
    """The canonical line of an entity with these fields, keys sorted as `sort_keys` sorts."""
    names = sorted(fields)
    get = attrgetter(*names) if len(names) > 1 else (lambda entity: (getattr(entity, names[0]),))
    parts = tuple((f"{encode_basestring(name)}:", fields[name]) for name in names)

    def line(entity: Any) -> str:
        values = get(entity)
        return (
            "{"
            + ",".join(
                [key + encode(value) for (key, encode), value in zip(parts, values, strict=True)]
            )
            + "}"
        )

    return line
