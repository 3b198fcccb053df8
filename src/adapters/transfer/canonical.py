"""An entity's canonical JSON text written field by field: what `json.dumps` of its values gives.

A line is made for every row moved, read back and checksummed, so each field's encoder is
chosen once from its type: text, whole numbers, timestamps and sets of text are written
directly, three to four times as fast as `json.dumps(..., sort_keys=True)`; any other value
goes through `json.dumps` itself, so the text stays byte for byte the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from itertools import repeat
from json.encoder import encode_basestring
from operator import add, attrgetter, methodcaller, sub
from typing import Any, Protocol, runtime_checkable

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


def utc_text(value: datetime) -> str:
    """A timestamp's ISO text in UTC, with microseconds; ValueError when it is naive."""
    if value.tzinfo is not UTC:
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC was expected")
        value = value.astimezone(UTC)
    # isoformat() writes microseconds unless they are 0, and is faster without the keyword.
    return value.isoformat() if value.microsecond else value.isoformat(timespec="microseconds")


TIMESTAMP = quoted(utc_text)


def many(encode: Encode, *, ordered: bool) -> Encode:
    """The text of a set (sorted first, as stored) or a sequence, as a JSON list."""

    def encode_many(values: Any) -> str:
        if values is None:
            return "null"
        return f"[{','.join(map(encode, sorted(values) if ordered else values))}]"

    return encode_many


def line_writer(fields: dict[str, Encode]) -> Callable[[Any], str]:
    """The canonical line of an entity with these fields, keys sorted as `sort_keys` sorts."""
    lines = lines_writer(fields, attribute_columns(sorted(fields)))
    return lambda entity: lines([entity])[0]


Columns = Callable[[Sequence[Any]], list[tuple[Any, ...]]]


def attribute_columns(names: Sequence[str]) -> Columns:
    """The columns of these attributes of a batch of objects, in this order."""
    pick = attrgetter(*names)
    if len(names) == 1:
        return lambda records: [tuple(map(pick, records))]
    return lambda records: list(zip(*map(pick, records), strict=True))


def item_columns(indexes: Sequence[int]) -> Columns:
    """The columns at these positions of a batch of tuples (not empty), in this order."""

    def columns_of(records: Sequence[Any]) -> list[tuple[Any, ...]]:
        columns = list(zip(*records, strict=True))
        return [columns[each] for each in indexes]

    return columns_of


@runtime_checkable
class KnownUtcTexts(Protocol):
    """A batch of tuples that knows, for some timestamp columns (by position in a tuple), the
    ISO text of each value's naive UTC time (`isoformat("T", "microseconds")`), as read."""

    utc_iso: Mapping[int, Sequence[str]]


def lines_writer(
    fields: dict[str, Encode], columns_of: Columns, positions: Sequence[int] | None = None
) -> Callable[[Sequence[Any]], list[str]]:
    """The canonical lines of a batch of records whose columns `columns_of` picks, one per
    field in sorted order (at `positions` of tuples, when given).

    A batch is encoded a column at a time: a column whose values are all text, whole numbers or
    UTC timestamps goes through one C function mapped over it, and its lines are filled from
    one %-template, so a row costs few Python calls. Any other column goes value by value
    through its field's encoder, whose text is `json.dumps`'s. A timestamp column whose texts
    the batch knows already (KnownUtcTexts) takes them as they are.
    """
    names = sorted(fields)
    keys = [encode_basestring(name).replace("%", "%%") + ":" for name in names]
    encoders = [fields[name] for name in names]
    places: Sequence[int | None] = [None] * len(names) if positions is None else positions

    def lines(records: Sequence[Any]) -> list[str]:
        if not records:
            return []
        columns = columns_of(records)
        known = records.utc_iso if isinstance(records, KnownUtcTexts) else {}
        texts: list[Sequence[str]] = []
        template = []
        for key, encode, column, position in zip(keys, encoders, columns, places, strict=True):
            given = known.get(position) if encode is TIMESTAMP and position is not None else None
            if given is not None and len(given) == len(records):
                encoded, place = given, _UTC_PLACE
            else:
                encoded, place = _column_text(column, encode)
            texts.append(encoded)
            template.append(key + place)
        return list(map(("{" + ",".join(template) + "}").__mod__, zip(*texts, strict=True)))

    return lines


def _column_text(column: tuple[Any, ...], encode: Encode) -> tuple[list[str], str]:
    """Each value's text, and the place in a line's template that makes it the value's JSON."""
    kinds = set(map(type, column))
    if encode is value_text and kinds == {str}:
        return list(map(encode_basestring, column)), "%s"
    if encode is value_text and kinds == {int}:
        return list(map(int.__repr__, column)), "%s"
    if encode is TIMESTAMP and kinds == {datetime} and set(map(_ZONE, column)) == {UTC}:
        # The UTC times as naive ones (one subtraction and one addition, in C), whose
        # isoformat() is a third of an aware one's, and the offset written by the template.
        naive = map(add, repeat(_NAIVE_EPOCH), map(sub, column, repeat(_EPOCH)))
        return list(map(_ISO_MICROSECONDS, naive)), _UTC_PLACE
    return list(map(encode, column)), "%s"


_UTC_PLACE = '"%s+00:00"'  # a naive UTC time's ISO text, as a JSON string with its offset
_ZONE = attrgetter("tzinfo")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)  # noqa: DTZ001 - the naive twin of _EPOCH, by design
_ISO_MICROSECONDS = methodcaller("isoformat", "T", "microseconds")
