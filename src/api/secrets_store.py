"""Secrets the service needs at start-up: given by settings, or created in development."""

from __future__ import annotations

import secrets
from pathlib import Path

from adapters.auth.keys import (
    InvalidTokenKeys,
    TokenKeys,
    generate_token_keys,
    load_token_keys,
    read_token_keys_file,
    write_token_keys_file,
)
from api.settings import Settings, SettingsError


def token_keys_path(settings: Settings) -> Path:
    """TOKEN_KEYS_FILE, or `token_keys.json` in the instance folder."""
    return settings.TOKEN_KEYS_FILE or settings.INSTANCE_PATH / "token_keys.json"


def load_keys(settings: Settings) -> TokenKeys:
    """The JWK set from TOKEN_KEYS or its file; created there on first run in development."""
    if settings.TOKEN_KEYS:
        try:
            return load_token_keys(settings.TOKEN_KEYS)
        except InvalidTokenKeys as error:
            raise SettingsError(f"TOKEN_KEYS: {error}") from None
    path = token_keys_path(settings)
    if not path.exists():
        if not settings.development:
            raise SettingsError(
                f"TOKEN_KEYS_FILE: {path} does not exist; run `flask --app api keys generate`"
            )
        create_token_keys_file(path)
    try:
        return read_token_keys_file(path)
    except (InvalidTokenKeys, OSError) as error:
        raise SettingsError(f"TOKEN_KEYS_FILE: {error}") from None


def create_token_keys_file(path: Path) -> None:
    """Write a freshly generated JWK set to `path` (0600), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_token_keys_file(path, generate_token_keys())


def load_secret_key(settings: Settings) -> str:
    """SECRET_KEY, or one generated into the instance folder in development."""
    if settings.SECRET_KEY:
        return settings.SECRET_KEY
    if not settings.development:
        raise SettingsError("SECRET_KEY: required outside development (32 characters or more)")
    path = settings.INSTANCE_PATH / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()
