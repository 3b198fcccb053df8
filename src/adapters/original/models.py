"""The tables as ORM models on `ModelBase`, with the original's insert/update/delete helpers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Self

from sqlalchemy.orm import DeclarativeBase, Mapped, Session, scoped_session

from adapters.sql.errors import translate_errors
from adapters.sql.tables import ITEMS, METADATA, USERS


class ModelBase(DeclarativeBase):
    """Base of every model; `insert()`, `update()` and `delete()` commit at once, as before."""

    metadata = METADATA
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

    __table__ = ITEMS

    id: Mapped[str]
    title: Mapped[str]
    owner_id: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int]


class UserModel(ModelBase):
    """The `users` table; `username_key` is the case-folded username that must be unique."""

    __table__ = USERS

    id: Mapped[str]
    username: Mapped[str]
    username_key: Mapped[str]
    password_hash: Mapped[str]
    permissions: Mapped[list[str]]
    created_at: Mapped[datetime]
    version: Mapped[int]
