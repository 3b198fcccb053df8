"""Column types that behave the same on every supported server."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import repeat
from operator import attrgetter, is_, methodcaller
from typing import Any, cast

from sqlalchemy import DateTime, String
from sqlalchemy.dialects import mssql, mysql, postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

_NAIVE_DIALECTS = frozenset({"sqlite", "mysql", "mariadb"})
# The text SQLite keeps of a naive UTC time, as SQLAlchemy's DATETIME writes it (microseconds
# always), one value a line; ASCII digits only, as fromisoformat reads them.
_STORED_LINES = re.compile(r"(?:\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\n)*", re.ASCII)
_SPACE_TO_T = methodcaller("replace", " ", "T", 1)
_ZONE = attrgetter("tzinfo")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, with microseconds, whatever the server keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        # MySQL's DATETIME drops fractions of a second unless asked for them.
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC was expected")
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name in _NAIVE_DIALECTS else value

    def binds_unchanged(self, dialect: Dialect, values: Sequence[Any]) -> bool:
        """Whether process_bind_param would give each value back as it is: aware datetimes in
        UTC itself, to a server that keeps the offset. A bulk write then skips it."""
        return (
            dialect.name not in _NAIVE_DIALECTS
            and set(map(type, values)) == {datetime}
            and all(map(is_, map(_ZONE, values), repeat(UTC)))
        )

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any]:
        # One function per column rather than process_result_value under SQLAlchemy's wrapper:
        # two datetimes of every row read, a million rows in a data copy.
        parse = self.load_dialect_impl(dialect).result_processor(dialect, coltype)

        def aware(value: Any) -> datetime | None:
            if value is None:
                return None
            moment: datetime = value if parse is None else cast(datetime, parse(value))
            if moment.tzinfo is UTC:
                return moment
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

        if dialect.name != "sqlite":
            return aware

        def utc_text(value: Any) -> datetime | None:
            # SQLite keeps the ISO text of the naive UTC time: parsed with its offset added, it
            # comes out aware in one call, a fifth of parsing it and then replacing its tzinfo.
            if type(value) is str:
                try:
                    moment = datetime.fromisoformat(value + "+00:00")
                except ValueError:  # a text with an offset of its own
                    return aware(value)
                if moment.tzinfo is UTC:  # not a date alone, which drops the offset
                    return moment
            return aware(value)

        return utc_text

    def stored_iso_texts(self, dialect: Dialect, stored: Sequence[Any]) -> list[str] | None:
        """The ISO text (`T`, microseconds, no offset) of the naive UTC time each stored value
        reads as, when every value is SQLite's own text of one (what SQLAlchemy writes); else
        None. That text is already the time's `isoformat`: no datetime need be formatted again.

        Checked a column at a time (one pattern over the values joined), since a data copy reads
        two timestamps of every row; a value in any other layout, or a null, gives None.
        """
        if dialect.name != "sqlite":
            return None
        try:
            joined = "\n".join(stored)
        except TypeError:  # a null, or a value that is no text
            return None
        if not _STORED_LINES.fullmatch(joined + "\n" if joined else joined):
            return None
        return list(map(_SPACE_TO_T, stored))


def code_point_string(length: int) -> TypeEngine[str]:
    """A string compared and sorted by code point, as Python and SQLite's BINARY do.

    Server defaults differ (MariaDB ignores case, PostgreSQL follows the locale), which would let
    "Apple" and "apple" collide or sort differently per backend. The C collation also lets
    PostgreSQL serve `LIKE 'prefix%'` from the plain index.
    """
    return (
        String(length)
        .with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")
        .with_variant(mysql.VARCHAR(length, collation="utf8mb4_bin"), "mysql", "mariadb")
        .with_variant(mssql.NVARCHAR(length, collation="Latin1_General_100_BIN2"), "mssql")
    )
