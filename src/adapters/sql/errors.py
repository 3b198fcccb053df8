"""Translation of driver and SQLAlchemy failures into domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Protocol

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from core.errors import Conflict, Unavailable, ValidationError


class RollsBack(Protocol):
    """What translate_errors resets after a failure: a Connection or an ORM Session."""

    def rollback(self) -> None:
        """Discard the current transaction."""
        ...


@contextmanager
def translate_errors(entity: str, connection_or_session: RollsBack | None = None) -> Iterator[None]:
    """Turn a unique violation into Conflict and a lost or busy server into Unavailable.

    The connection or session, when given, is rolled back before the domain error is raised.
    """
    try:
        yield
    except IntegrityError as error:
        _reset(connection_or_session)
        raise Conflict(f"{entity} conflicts with a stored one (a unique field is taken)") from error
    except DataError as error:
        # A value the column cannot hold got past the schemas: refuse it, never store it cut.
        _reset(connection_or_session)
        raise ValidationError(
            f"{entity} has a value the database cannot store", {entity: "value out of range"}
        ) from error
    except (OperationalError, PoolTimeout) as error:
        _reset(connection_or_session)
        raise Unavailable("the database is not answering") from error
    except DBAPIError as error:
        if error.connection_invalidated:
            _reset(connection_or_session)
            raise Unavailable("the database connection was lost") from error
        raise


def _reset(connection_or_session: RollsBack | None) -> None:
    # A rollback on a connection that just died may fail too; the original error matters more.
    if connection_or_session is not None:
        with suppress(DBAPIError):
            connection_or_session.rollback()


class DatabaseCreationError(RuntimeError):
    """The server refused to create the database (usually a missing privilege)."""
