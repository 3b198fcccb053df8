"""`flask --app api users create`: accounts made by an operator, with permissions."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from core.errors import Conflict, ValidationError

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--permission",
    "permissions",
    multiple=True,
    metavar="NAME",
    help="A permission to grant, e.g. items:admin (repeatable).",
)
@click.password_option(help="The password (asked for when not given).")
def users_create(username: str, permissions: tuple[str, ...], password: str) -> None:
    """Create USERNAME with a password and permissions."""
    service = current_app.extensions["container"].user_service()
    try:
        user = service.register(
            username=username, password=password, permissions=frozenset(permissions)
        )
    except (Conflict, ValidationError) as error:
        details = getattr(error, "details", {})
        reasons = "; ".join(f"{field}: {text}" for field, text in details.items())
        raise click.ClickException(f"{error.message}{': ' + reasons if reasons else ''}") from None
    granted = ", ".join(sorted(user.permissions)) or "no permissions"
    click.echo(f"created user {user.username} ({user.id}) with {granted}")
