"""The SQL schema as Core tables: what the repositories query and the migrations must create."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table

from adapters.sql.column_types import UtcDateTime, code_point_string
from core.entities import TITLE_MAX_LENGTH, USERNAME_MAX_LENGTH

ID_LENGTH = 32

# Named constraints keep migrations and error messages stable across servers.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# MySQL's "utf8" holds no 4-byte character (emoji); every table states utf8mb4 itself so a
# database created with another default still stores any text.
MYSQL_TABLE_OPTIONS: dict[str, Any] = {
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_unicode_ci",
}

METADATA = MetaData(naming_convention=NAMING)

ITEMS = Table(
    "items",
    METADATA,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("title", code_point_string(TITLE_MAX_LENGTH), nullable=False, unique=True),
    Column("owner_id", String(USERNAME_MAX_LENGTH), nullable=False, index=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Index(None, "created_at", "id"),
    Index(None, "updated_at", "id"),
    **MYSQL_TABLE_OPTIONS,
)

# `username_key` is the case-folded username that must be unique.
USERS = Table(
    "users",
    METADATA,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("username", String(USERNAME_MAX_LENGTH), nullable=False),
    Column("username_key", code_point_string(USERNAME_MAX_LENGTH), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("permissions", JSON, nullable=False, default=list),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    **MYSQL_TABLE_OPTIONS,
)
