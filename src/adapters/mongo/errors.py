"""Translation of pymongo failures into domain errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bson.errors import InvalidDocument
from pymongo.errors import (
    BulkWriteError,
    ConfigurationError,
    ConnectionFailure,
    DuplicateKeyError,
    ExecutionTimeout,
    InvalidURI,
    WTimeoutError,
)

from core.errors import Conflict, Unavailable, ValidationError

DUPLICATE_KEY = 11000


def is_duplicate_key(error: BulkWriteError) -> bool:
    """Whether a bulk write stopped on a unique index."""
    return any(item.get("code") == DUPLICATE_KEY for item in error.details.get("writeErrors", []))


@contextmanager
def translate_errors(entity: str) -> Iterator[None]:
    """Turn a unique violation into Conflict and a server that does not answer into Unavailable."""
    try:
        yield
    except DuplicateKeyError as error:
        raise Conflict(f"{entity} conflicts with a stored one (a unique field is taken)") from error
    except BulkWriteError as error:
        if is_duplicate_key(error):
            raise Conflict(
                f"{entity} conflicts with a stored one (a unique field is taken)"
            ) from error
        raise
    # ServerSelectionTimeoutError, AutoReconnect and NetworkTimeout are ConnectionFailures.
    except (ConnectionFailure, ExecutionTimeout, WTimeoutError) as error:
        raise Unavailable("the Mongo server is not answering") from error
    except InvalidURI:
        raise  # a malformed connection string is a configuration error, not an outage
    except ConfigurationError as error:
        # Raised when a mongodb+srv:// name does not resolve: DNS trouble is an outage too.
        raise Unavailable(f"the Mongo server cannot be reached: {error}") from error
    except (InvalidDocument, UnicodeEncodeError) as error:
        # A value BSON cannot hold (a lone surrogate, say): refuse it, never store it altered.
        raise ValidationError(
            f"{entity} has a value the database cannot store", {entity: "value not storable"}
        ) from error
