"""Connections taken from the pool without its ping, for units whose first round trip proves the
connection alive instead: a write's own BEGIN, a read's first statement (PostgreSQL, psycopg).

The pool's ping costs a round trip at every checkout only to learn the connection is alive. A
unit that would send something at once anyway learns the same from that, provided it can send it
again on a new connection when the pooled one turns out dead: a BEGIN before anything else, or a
read in autocommit (which holds nothing on the server). SQLAlchemy has then invalidated the pool,
so the next checkout opens a new connection.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

# Set while such a unit takes its connection: the dialect's do_ping answers without a round trip.
UNPINGED: ContextVar[bool] = ContextVar("hexapi.unpinged", default=False)
T = TypeVar("T")


def unpinged(engine: Engine, connection_type: type[Connection] = Connection) -> Connection:
    """A connection of `connection_type` from the engine's pool, without the pool's ping."""
    token = UNPINGED.set(True)
    try:
        return connection_type(engine)
    finally:
        UNPINGED.reset(token)


class FirstReadResent(Connection):
    """A connection in autocommit whose first statement, a read, is sent once more on a new
    connection when the pooled one was dead (SQLAlchemy invalidated it on the disconnect)."""

    _sent = False

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        if self._sent:
            return super().execute(*args, **kwargs)
        return self.first_read(lambda: super(FirstReadResent, self).execute(*args, **kwargs))

    def first_read(self, send: Callable[[], T]) -> T:
        """What `send` returns, sent once more on a new connection if it is the first read and
        the pooled connection was dead."""
        if self._sent:
            return send()
        self._sent = True
        try:
            return send()
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        # Out of the transaction the invalidation ended, back to autocommit on a new connection.
        self.rollback()
        self.execution_options(isolation_level="AUTOCOMMIT")
        return send()


def first_read(connection: Connection, send: Callable[[], T]) -> T:
    """`send` (a read on `connection` outside SQLAlchemy's execute), resent as the connection's
    own first read is when it is a FirstReadResent."""
    if isinstance(connection, FirstReadResent):
        return connection.first_read(send)
    return send()
