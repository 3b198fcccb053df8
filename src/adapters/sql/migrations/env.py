"""Alembic environment: runs on the connection `adapters.sql.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from adapters.sql.schema import schema


def run_migrations(connection: Connection) -> None:
    """Apply the requested migrations in one transaction where the server allows it."""
    context.configure(
        connection=connection,
        target_metadata=schema(),
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations(context.config.attributes["connection"])
