"""Schema migrations with Alembic, driven from code (the CLI and the tests call these).

Alembic is imported by the functions that use it, not here: it costs a quarter of a second,
and every process imports this module while only migrations need Alembic.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Engine, MetaData, String, Table

if TYPE_CHECKING:
    from alembic.config import Config

from adapters.sql.schema import schema

MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic's bookkeeping table, declared so db_drop_all can remove it with the rest.
VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32)))


def alembic_config() -> Config:
    """Alembic's configuration without an alembic.ini: the scripts ship inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_locations", str(MIGRATIONS / "versions"))
    config.set_main_option("path_separator", "os")
    return config


@contextmanager
def _configured(engine: Engine) -> Iterator[Config]:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        yield config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision`."""
    from alembic import command

    with _configured(engine) as config:
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to `revision` (`base` removes every table)."""
    from alembic import command

    with _configured(engine) as config:
        command.downgrade(config, revision)


def stamp(engine: Engine, revision: str = "head") -> None:
    """Record `revision` as applied without running it (tables made by create_all)."""
    from alembic import command

    with _configured(engine) as config:
        command.stamp(config, revision)


def revision(engine: Engine, message: str, *, autogenerate: bool = True) -> Any:
    """Write a new migration script, by default with the changes the models need."""
    from alembic import command

    with _configured(engine) as config:
        return command.revision(config, message=message, autogenerate=autogenerate)


def head_revision() -> str:
    """The newest revision of the migration scripts (one head: the chain never branches)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise LookupError("no migration script found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, None before the first migration."""
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_drift(engine: Engine) -> list[Any]:
    """Differences between the database's schema and the models; empty when they agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, schema()))
