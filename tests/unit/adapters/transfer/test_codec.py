"""Canonical JSON of entities and the order-free checksum taken of it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from adapters.sql.rows import ReadRows
from adapters.transfer.canonical import KnownUtcTexts
from adapters.transfer.checksum import Checksum
from adapters.transfer.codec import EntityCodec
from core.entities import Item, User
from tests.contract.notes import Note, a_note
from tests.helpers import a_user, an_item


@dataclass(frozen=True, slots=True)
class Priced:
    """An entity with the field types a generated resource may have."""

    id: str
    price: Decimal
    due: date | None
    seen: tuple[datetime, ...]
    version: int = 1


def test_every_entity_reads_back_equal_from_its_json() -> None:
    moment = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    cases = [
        (Item, an_item(at=moment, title='é🍎 "quoted"\n')),
        (User, a_user(permissions=frozenset({"b", "a"}), password_hash="$argon2id$v=19$x")),
        (Note, a_note(tags=("z", "a", "z"))),
        (Priced, Priced("p1", Decimal("10.50"), date(2026, 2, 28), (moment, moment))),
        (Priced, Priced("p2", Decimal("-0.001"), None, ())),
    ]
    for entity_type, entity in cases:
        codec = EntityCodec(entity_type)
        assert codec.from_json(json.loads(codec.line(entity))) == entity


def test_the_line_is_canonical_sets_sorted_timestamps_in_utc() -> None:
    codec = EntityCodec(User)
    elsewhere = datetime(2026, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=1)))
    user = a_user(id="u1", permissions=frozenset({"z", "a"}), created_at=elsewhere)
    values = json.loads(codec.line(user))
    assert values["permissions"] == ["a", "z"]
    assert values["created_at"] == "2026-01-01T00:00:00.000000+00:00"
    assert codec.line(user) == codec.line(codec.from_json(values))


@dataclass(frozen=True, slots=True)
class Odd:
    """Values a field may hold beyond its type hint: the line must still be `json.dumps`'s."""

    id: str
    note: str | None
    count: int
    flag: bool
    ratio: float
    tags: frozenset[str]
    extra: tuple[int, ...]


@pytest.mark.parametrize(
    "entity",
    [
        an_item(title='tab\t "quote" back\\slash \x00 \u2028 é🍎'),
        a_user(permissions=frozenset({"b", "ä", "a", "\n"})),
        a_note(tags=("z", "a", "z")),
        Priced("p1", Decimal("-1E+3"), date(2026, 2, 28), (datetime(2026, 1, 1, tzinfo=UTC),)),
        Priced("p2", Decimal("NaN"), None, ()),
        Odd("o1", None, 3, True, 0.1, frozenset(), (1, 2)),
        Odd("o2", "x", True, False, float("nan"), frozenset({"b", "a"}), ()),  # type: ignore[arg-type]
        Odd("o3", 7, -0, 1, 1e300, frozenset({"é"}), (-1,)),  # type: ignore[arg-type]
    ],
)
def test_the_line_is_what_json_dumps_writes_of_the_values(entity: object) -> None:
    codec = EntityCodec(type(entity))
    expected = json.dumps(
        codec.to_json(entity), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert codec.line(entity) == expected


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda values: values.pop("password_hash"), "missing field(s) password_hash"),
        (lambda values: values.update(admin=True), "unknown field(s) admin"),
        (
            lambda values: values.update(created_at="2026-01-01T00:00:00"),
            "timestamp '2026-01-01T00:00:00' has no UTC offset",
        ),
    ],
)
def test_a_row_that_does_not_describe_an_entity_is_refused(change: object, message: str) -> None:
    codec = EntityCodec(User)
    values = json.loads(codec.line(a_user()))
    change(values)  # type: ignore[operator]
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        codec.from_json(values)


def test_the_checksum_ignores_order_and_sees_any_change() -> None:
    lines = [EntityCodec(Item).line(an_item()) for _ in range(5)]
    forward, backward, changed = Checksum(), Checksum(), Checksum()
    for line in lines:
        forward.add(line)
    for line in reversed(lines):
        backward.add(line)
    for line in [*lines[:-1], lines[-1].replace('"version":1', '"version":2')]:
        changed.add(line)
    assert (forward.count, forward.digest) == (backward.count, backward.digest)
    assert changed.count == forward.count
    assert changed.digest != forward.digest
    assert len(forward.digest) == 64


def test_the_lines_of_a_batch_are_the_line_of_each_whatever_its_columns_hold() -> None:
    # Columns of one type each take the fast path; mixed ones (null and text, a timestamp in
    # another zone, whole seconds) go value by value: both must give each entity's own line.
    berlin = timezone(timedelta(hours=1))
    items = [
        an_item(title="a"),
        replace(an_item(title='"b"'), created_at=datetime(2026, 1, 1, 1, tzinfo=berlin)),
        replace(an_item(title="c"), updated_at=datetime(2026, 1, 1, tzinfo=UTC), version=3),
    ]
    # Every timestamp in UTC: the fast path, whole seconds and a year before 1000 included.
    in_utc = [
        replace(an_item(), created_at=datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)),
        replace(an_item(), updated_at=datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)),
    ]
    zero = timezone(timedelta(0), "Z")  # no offset, yet not UTC itself: value by value
    zeroed = [*in_utc, replace(an_item(), created_at=datetime(2026, 1, 1, tzinfo=zero))]
    odd = [
        Odd("o1", None, 3, True, 0.1, frozenset(), (1, 2)),
        Odd("o2", "x", 4, False, 2.5, frozenset({"b", "a"}), ()),
    ]
    for batch in (items, items[:1], in_utc, zeroed, odd, odd[1:]):
        codec = EntityCodec(type(batch[0]))
        assert codec.lines(batch) == [codec.line(each) for each in batch]
    assert EntityCodec(Item).lines([]) == []


def test_a_naive_timestamp_in_a_batch_is_refused_as_in_one_line() -> None:
    naive = replace(an_item(), created_at=datetime(2026, 1, 1))  # noqa: DTZ001 - the point
    with pytest.raises(ValueError, match="naive datetime"):
        EntityCodec(Item).lines([an_item(), naive])


def test_the_checksum_of_many_lines_at_once_is_that_of_each_in_turn() -> None:
    lines = [EntityCodec(Item).line(an_item()) for _ in range(5)]
    one_by_one, at_once = Checksum(), Checksum(count=2, total=7)
    one_by_one.include(Checksum(count=2, total=7))
    for line in lines:
        one_by_one.add(line)
    at_once.add_lines(lines)
    assert (at_once.count, at_once.digest) == (one_by_one.count, one_by_one.digest)


def test_timestamp_texts_a_batch_knows_are_its_lines_texts() -> None:
    codec = EntityCodec(Item)
    layout = ("id", "title", "owner_id", "created_at", "updated_at", "version")
    items = [an_item(title="a"), an_item(title="b")]
    rows = [tuple(getattr(each, name) for name in layout) for each in items]
    naive = [each.created_at.replace(tzinfo=None).isoformat("T", "microseconds") for each in items]
    known = ReadRows(rows, {3: naive})
    assert isinstance(known, KnownUtcTexts)
    lines = codec.row_lines(layout)
    assert lines(known) == lines(rows) == [codec.line(each) for each in items]
    # The texts it knows are taken as they are (here made to differ, to show they are used)...
    assert (
        '"created_at":"1999-01-01T00:00:00.000000+00:00"'
        in lines(ReadRows(rows, {3: ["1999-01-01T00:00:00.000000"] * 2}))[0]
    )
    # ...unless they do not describe every row of the batch.
    assert lines(ReadRows(rows, {3: naive[:1]})) == lines(rows)
