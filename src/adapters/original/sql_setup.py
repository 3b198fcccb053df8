"""The original's `setup_sql_db` and the scoped sessions behind `ModelBase`'s helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from adapters.original.models import ModelBase
from adapters.sql.database import create_sql_engine, db_create_all
from adapters.sql.dbtype import DBType, sql_url


class LazilyBoundSessions(sessionmaker[Session]):
    """Sessions on the engine `engine()` gives, asked for only when a session is made."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        super().__init__(expire_on_commit=False)
        self._engine = engine

    def __call__(self, **local_kw: Any) -> Session:
        """A new session, bound to the engine unless told otherwise."""
        local_kw.setdefault("bind", self._engine())
        return super().__call__(**local_kw)


def bind_sessions(engine: Callable[[], Engine]) -> scoped_session[Session]:
    """One session per thread or request for ModelBase's helpers; binding connects to nothing."""
    sessions = scoped_session(LazilyBoundSessions(engine))
    ModelBase.sessions = sessions
    return sessions


@dataclass(frozen=True, slots=True)
class SessionDatabase:
    """An engine and the scoped sessions made from it, as `setup_sql_db` returns them."""

    engine: Engine
    sessions: scoped_session[Session]

    def remove_session(self, _exc: BaseException | None = None) -> None:
        """Close the current request's session and return its connection to the pool."""
        self.sessions.remove()

    def dispose(self) -> None:
        """Close the session and every pooled connection."""
        self.sessions.remove()
        self.engine.dispose()


class FlaskLikeApp(Protocol):
    """What setup_sql_db needs of a Flask app (kept structural so this module needs no Flask)."""

    extensions: dict[str, Any]

    def teardown_appcontext(self, f: Any) -> Any: ...


def setup_sql_db(
    app: FlaskLikeApp,
    dbtype: DBType,
    username: str | None,
    password: str | None,
    host: str | None,
    database_name: str,
) -> SessionDatabase:
    """The original's set-up: connect the app to the database, creating it and its tables."""
    engine = create_sql_engine(
        sql_url(
            dbtype, username=username, password=password, host=host, database_name=database_name
        )
    )
    database = SessionDatabase(engine=engine, sessions=bind_sessions(lambda: engine))
    app.extensions["sql"] = database
    app.teardown_appcontext(database.remove_session)
    db_create_all(database.engine)
    return database
