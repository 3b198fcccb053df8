"""Tables as SQLAlchemy models on `ModelBase`, with the original's insert/update/delete helpers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Self

from sqlalchemy import JSON, Index, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session

from adapters.sql.column_types import UtcDateTime, code_point_string
from adapters.sql.errors import translate_errors
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
MYSQL_TABLE_OPTIONS = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_unicode_ci"}


class ModelBase(DeclarativeBase):
    """Base of every table; `insert()`, `update()` and `delete()` commit at once, as before."""

    metadata = MetaData(naming_convention=NAMING)
    sessions: ClassVar[scoped_session[Session] | None] = None

    def insert(self, session: Session | None = None) -> Self:
        """Add this row and commit; Conflict when a unique column is taken."""
        session = session or self._session()
        with translate_errors(type(self).__name__, session):
            session.add(self)
            session.commit()
        return self

    def update(self, session: Session | None = None, **changes: Any) -> Self:
        """Apply `changes` (if any) to this row and commit."""
        session = session or self._session()
        with translate_errors(type(self).__name__, session):
            for name, value in changes.items():
                setattr(self, name, value)
            session.add(self)
            session.commit()
        return self

    def delete(self, session: Session | None = None) -> None:
        """Delete this row and commit."""
        session = session or self._session()
        with translate_errors(type(self).__name__, session):
            session.delete(self)
            session.commit()

    @classmethod
    def _session(cls) -> Session:
        if ModelBase.sessions is None:
            raise RuntimeError("no SQL database is set up: call setup_sql_db() first")
        return ModelBase.sessions()


class ItemModel(ModelBase):
    """The `items` table (the original's `test` table)."""

    __tablename__ = "items"
    __table_args__ = (
        Index(None, "created_at", "id"),
        Index(None, "updated_at", "id"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    title: Mapped[str] = mapped_column(code_point_string(TITLE_MAX_LENGTH), unique=True)
    owner_id: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)


class UserModel(ModelBase):
    """The `users` table; `username_key` is the case-folded username that must be unique."""

    __tablename__ = "users"
    __table_args__ = MYSQL_TABLE_OPTIONS

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH))
    username_key: Mapped[str] = mapped_column(code_point_string(USERNAME_MAX_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
