"""`flask --app api keys generate|rotate`: the JWK set, managed without starting the app.

Registered as a Flask CLI plugin (entry point `flask.commands`), so it runs even where the app
itself refuses to start for want of keys, as a fresh production machine does.
"""

from __future__ import annotations

import click

from adapters.auth.keys import (
    InvalidTokenKeys,
    read_token_keys_file,
    retire,
    rotate,
    write_token_keys_file,
)
from api.secrets_store import create_token_keys_file, token_keys_path
from api.settings import Settings, SettingsError, load_settings

keys_cli = click.Group("keys", help="Manage the JWK set that signs and encrypts tokens.")


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


@keys_cli.command("generate")
@click.option("--if-missing", is_flag=True, help="Keep an existing key file untouched.")
def keys_generate(if_missing: bool) -> None:
    """Write a new JWK set to TOKEN_KEYS_FILE (instance/token_keys.json by default)."""
    path = token_keys_path(_settings())
    if path.exists():
        if if_missing:
            click.echo(f"kept {path}")
            return
        click.confirm(f"{path} exists; replace it and invalidate every token?", abort=True)
    create_token_keys_file(path)
    click.echo(f"wrote {path}")


@keys_cli.command("rotate")
@click.option("--retire", "retired", metavar="KID", help="Remove this key instead of adding one.")
def keys_rotate(retired: str | None) -> None:
    """Add a new newest key of each kind (old tokens keep verifying), or retire one by kid."""
    settings = _settings()
    if settings.TOKEN_KEYS:
        raise click.ClickException("the keys come from TOKEN_KEYS; rotate them where that is kept")
    path = token_keys_path(settings)
    try:
        keys = read_token_keys_file(path)
        changed = rotate(keys) if retired is None else retire(keys, retired)
    except (OSError, InvalidTokenKeys) as error:
        raise click.ClickException(str(error)) from None
    write_token_keys_file(path, changed)
    kids = [key["kid"] for key in (*changed.signing, *changed.wrapping)]
    click.echo(f"wrote {path}: keys {', '.join(kids)}")
