"""Entities as canonical JSON: the export format, and what content checksums are taken of.

One entity is one JSON object with its fields sorted, sets as sorted lists, timestamps in UTC
with microseconds, dates in ISO form and decimals as text: the same entity gives the same bytes
whatever backend it was read from.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar, Union, get_args, get_origin, get_type_hints

from adapters.entity_shape import EntityShape
from adapters.transfer import canonical

E = TypeVar("E")


def _decode_datetime(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"timestamp {text!r} has no UTC offset")
    return value.astimezone(UTC)


ENCODERS: dict[type, Callable[[Any], Any]] = {
    datetime: canonical.utc_text,
    date: date.isoformat,
    Decimal: str,
}
DECODERS: dict[type, Callable[[Any], Any]] = {
    datetime: _decode_datetime,
    date: date.fromisoformat,
    Decimal: Decimal,
}


def _emptied(encode: canonical.Encode, sets: frozenset[str], name: str) -> canonical.Encode:
    """A many-valued field's encoder taking what `EntityShape.build` makes of a stored value."""
    container = frozenset if name in sets else tuple
    return lambda values: encode(container(values or ()))


def _scalar(hint: Any) -> Any:
    """The type a field holds, an optional's None and a collection's container taken off."""
    if get_origin(hint) in (Union, types.UnionType):
        hint = next(each for each in get_args(hint) if each is not type(None))
    if get_origin(hint) in (frozenset, tuple):
        hint = get_args(hint)[0]
    return hint


class EntityCodec(Generic[E]):
    """An entity type's canonical JSON, both ways."""

    def __init__(self, entity: type[E]) -> None:
        self.shape = EntityShape.of(entity)
        hints = get_type_hints(entity)
        self._kinds = {name: _scalar(hints[name]) for name in self.shape.names}
        self._fields = frozenset(self.shape.names)
        # Only the fields that need converting, looked up once: a line is made per row moved.
        self._encoders = [
            (name, ENCODERS[kind], name in self.shape.many)
            for name, kind in self._kinds.items()
            if kind in ENCODERS
        ]
        # An entity's canonical JSON on one line: `canonical.dumps(self.to_json(entity))`, faster.
        self._line_encoders = {
            name: self._line_encoder(name, kind) for name, kind in self._kinds.items()
        }
        self.line: Callable[[E], str] = canonical.line_writer(self._line_encoders)
        # The lines of a batch of entities, the same as `line` of each.
        self.lines: Callable[[Sequence[E]], list[str]] = canonical.lines_writer(
            self._line_encoders, canonical.attribute_columns(sorted(self._kinds))
        )

    def row_lines(self, names: Sequence[str]) -> Callable[[Sequence[Any]], list[str]]:
        """The lines of rows read as tuples of these values (the fields, perhaps more), each
        the line of the entity the row's values build: a null set or list reads as empty."""
        missing = self._fields - set(names)
        if missing:
            raise ValueError(f"the rows hold no field(s) {', '.join(sorted(missing))}")
        fields = sorted(self._kinds)
        encoders = {
            name: _emptied(encode, self.shape.sets, name) if name in self.shape.many else encode
            for name, encode in self._line_encoders.items()
        }
        positions = [names.index(name) for name in fields]
        return canonical.lines_writer(encoders, canonical.item_columns(positions), positions)

    def _line_encoder(self, name: str, kind: Any) -> canonical.Encode:
        if kind is datetime:
            encode = canonical.TIMESTAMP
        elif kind in ENCODERS:
            encode = canonical.quoted(ENCODERS[kind])
        else:
            encode = canonical.value_text
        if name in self.shape.many:
            return canonical.many(encode, ordered=name in self.shape.sets)
        return encode

    def to_json(self, entity: E) -> dict[str, Any]:
        """The entity's JSON-ready values."""
        values = self.shape.values(entity)
        for name, encode, many in self._encoders:
            value = values[name]
            if value is not None:
                values[name] = [encode(each) for each in value] if many else encode(value)
        return values

    def from_json(self, values: Mapping[str, Any]) -> E:
        """The entity the values describe; ValueError naming a missing or unknown field."""
        if missing := sorted(self._fields - values.keys()):
            raise ValueError(f"missing field(s) {', '.join(missing)}")
        if unknown := sorted(values.keys() - self._fields):
            raise ValueError(f"unknown field(s) {', '.join(unknown)}")
        decoded = dict(values)
        for name, kind in self._kinds.items():
            decode = DECODERS.get(kind)
            value = decoded[name]
            if decode is None or value is None:
                continue
            many = name in self.shape.many
            decoded[name] = [decode(each) for each in value] if many else decode(value)
        return self.shape.build(decoded)
