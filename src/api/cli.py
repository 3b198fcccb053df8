"""Flask CLI: `flask --app api db create|drop|upgrade|downgrade|revision|current`, `users`,
`resource`."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from adapters.sql import migrate
from adapters.sql.database import db_create_all, db_drop_all
from adapters.sql.errors import DatabaseCreationError
from api.cli_users import users_cli
from api.container import Container
from api.data.commands import data_cli
from api.scaffold.cli import resource_cli
from core.errors import Unavailable

db_cli = AppGroup("db", help="Create or drop the SQL database and its tables.")


def _container() -> Container:
    container: Container = current_app.extensions["container"]
    return container


def _mongo_indexes(container: Container) -> bool:
    """With STORAGE_BACKEND=mongo, create the missing indexes (Mongo's schema); whether it was."""
    if container.settings().STORAGE_BACKEND != "mongo":
        return False
    storage = container.mongo_storage()
    try:
        names = storage.ensure_indexes()
    except Unavailable as error:
        raise click.ClickException(error.message) from None
    click.echo(f"indexes of {storage.database_name}: {', '.join(names)}")
    return True


@db_cli.command("create")
def db_create() -> None:
    """Create the database (when the server allows it) and migrate it to the newest schema."""
    container = _container()
    if _mongo_indexes(container):
        return
    if container.settings().STORAGE_BACKEND != "sql":
        click.echo("STORAGE_BACKEND is not sql: nothing to create")
        return
    database = container.sql_database()
    try:
        db_create_all(database.engine)
    except DatabaseCreationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created {database.engine.url.render_as_string(hide_password=True)}")


@db_cli.command("drop")
@click.option("--database", "drop_db", is_flag=True, help="Drop the database itself too.")
@click.confirmation_option(prompt="Drop every table and its data?")
def db_drop(drop_db: bool) -> None:
    """Drop every SQL table (and with --database the database too)."""
    container = _container()
    if container.settings().STORAGE_BACKEND != "sql":
        # Never touch the default SQLite file while another backend holds the data.
        raise click.ClickException("STORAGE_BACKEND is not sql: nothing to drop")
    database = container.sql_database()
    db_drop_all(database.engine, drop_db=drop_db)
    click.echo("dropped")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head); with Mongo, create the indexes."""
    if _mongo_indexes(_container()):
        return
    engine = _container().sql_database().engine
    migrate.upgrade(engine, revision)
    click.echo(f"database at {migrate.current_revision(engine)}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION (`base` removes every table)."""
    engine = _container().sql_database().engine
    migrate.downgrade(engine, revision)
    click.echo(f"database at {migrate.current_revision(engine)}")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@click.option("--empty", is_flag=True, help="Write an empty script instead of autogenerating.")
def db_revision(message: str, empty: bool) -> None:
    """Write a new migration script from the difference between the models and the database."""
    migrate.revision(_container().sql_database().engine, message, autogenerate=not empty)


@db_cli.command("current")
def db_current() -> None:
    """Print the revision the database is at."""
    click.echo(migrate.current_revision(_container().sql_database().engine) or "base")


def register_commands(app: Flask) -> None:
    """Attach the command groups to the app."""
    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(resource_cli)
    app.cli.add_command(data_cli)
