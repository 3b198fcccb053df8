"""SQL unit of work on the request's scoped session."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, scoped_session

from adapters.sql.database import READ_ONLY
from adapters.sql.errors import translate_errors
from adapters.sql.repository import SqlAlchemyItemRepository, SqlAlchemyUserRepository


class SqlAlchemyUnitOfWork:
    """One database transaction; the session itself is closed when the request ends."""

    items: SqlAlchemyItemRepository
    users: SqlAlchemyUserRepository

    def __init__(self, sessions: scoped_session[Session], *, read_only: bool = False) -> None:
        self._sessions = sessions
        self._read_only = read_only

    def __enter__(self) -> Self:
        self._session = self._sessions()
        if self._read_only and not self._session.in_transaction():
            # Marks the transaction this unit begins, so SQLite need not take the write lock.
            with translate_errors("database", self._session):
                self._session.connection(execution_options={READ_ONLY: True})
        self.items = SqlAlchemyItemRepository(self._session)
        self.users = SqlAlchemyUserRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        """Commit the transaction; Conflict or Unavailable when the server refuses."""
        with translate_errors("transaction", self._session):
            self._session.commit()

    def rollback(self) -> None:
        """Roll back whatever was not committed (a no-op after commit)."""
        with translate_errors("transaction", self._session):
            self._session.rollback()
