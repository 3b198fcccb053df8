"""Translation of driver and SQLAlchemy failures into domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session

from core.errors import Conflict, Unavailable, ValidationError


@contextmanager
def translate_errors(entity: str, session: Session | None = None) -> Iterator[None]:
    """Turn a unique violation into Conflict and a lost or busy server into Unavailable."""
    try:
        yield
    except IntegrityError as error:
        _reset(session)
        raise Conflict(f"{entity} conflicts with a stored one (a unique field is taken)") from error
    except DataError as error:
        # A value the column cannot hold got past the schemas: refuse it, never store it cut.
        _reset(session)
        raise ValidationError(
            f"{entity} has a value the database cannot store", {entity: "value out of range"}
        ) from error
    except (OperationalError, PoolTimeout) as error:
        _reset(session)
        raise Unavailable("the database is not answering") from error
    except DBAPIError as error:
        if error.connection_invalidated:
            _reset(session)
            raise Unavailable("the database connection was lost") from error
        raise


def _reset(session: Session | None) -> None:
    # A rollback on a connection that just died may fail too; the original error matters more.
    if session is not None:
        with suppress(DBAPIError):
            session.rollback()


class DatabaseCreationError(RuntimeError):
    """The server refused to create the database (usually a missing privilege)."""
