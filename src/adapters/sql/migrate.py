"""Schema migrations with Alembic, driven from code (the CLI and the tests call these)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, String, Table

from adapters.sql.models import ModelBase

MIGRATIONS = Path(__file__).parent / "migrations"
# Alembic's bookkeeping table, declared so db_drop_all can remove it with the rest.
VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32)))


def alembic_config() -> Config:
    """Alembic's configuration without an alembic.ini: the scripts ship inside the package."""
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
    with _configured(engine) as config:
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Revert migrations down to `revision` (`base` removes every table)."""
    with _configured(engine) as config:
        command.downgrade(config, revision)


def stamp(engine: Engine, revision: str = "head") -> None:
    """Record `revision` as applied without running it (tables made by create_all)."""
    with _configured(engine) as config:
        command.stamp(config, revision)


def revision(engine: Engine, message: str, *, autogenerate: bool = True) -> Any:
    """Write a new migration script, by default with the changes the models need."""
    with _configured(engine) as config:
        return command.revision(config, message=message, autogenerate=autogenerate)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, None before the first migration."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_drift(engine: Engine) -> list[Any]:
    """Differences between the database's schema and the models; empty when they agree."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, ModelBase.metadata))
