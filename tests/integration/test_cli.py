"""The CLI: `db create|drop`, `keys generate|rotate`, `users create`, as operators use them."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from sqlalchemy import inspect

from api import create_app
from api.cli_keys import keys_cli
from tests.helpers import app_settings


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    settings = app_settings(STORAGE_BACKEND="sql", INSTANCE_PATH=str(tmp_path / "instance"))
    del settings["TOKEN_KEYS"]
    return create_app(settings)


def test_db_create_makes_the_sqlite_file_and_tables(app: Flask, tmp_path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["db", "create"])
    assert result.exit_code == 0, result.output
    database = tmp_path / "instance" / "app.db"
    assert database.exists()
    engine = app.extensions["container"].sql_database().engine
    assert {"items", "users"} <= set(inspect(engine).get_table_names())


def test_db_drop_removes_the_tables(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(args=["db", "create"])
    result = runner.invoke(args=["db", "drop", "--yes"])
    assert result.exit_code == 0, result.output
    engine = app.extensions["container"].sql_database().engine
    assert inspect(engine).get_table_names() == []


def keys(instance: Path, *args: str, answer: str | None = None, **env: str) -> Result:
    """Run `keys ...` as the CLI does: from the environment, without building the app."""
    environment = {"INSTANCE_PATH": str(instance), "TOKEN_KEYS": "", **env}
    return CliRunner().invoke(keys_cli, list(args), env=environment, input=answer)


def test_keys_generate_writes_a_private_jwk_set_once(tmp_path: Path) -> None:
    path = tmp_path / "token_keys.json"
    assert keys(tmp_path, "generate", "--if-missing").exit_code == 0
    first = path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert {key["use"] for key in json.loads(first)["keys"]} == {"sig", "enc"}
    kept = keys(tmp_path, "generate", "--if-missing")
    assert "kept" in kept.output and path.read_text() == first
    refused = keys(tmp_path, "generate", answer="n\n")
    assert refused.exit_code != 0 and path.read_text() == first


def test_keys_generate_runs_where_the_app_refuses_to_start(tmp_path: Path) -> None:
    production = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "s" * 40,
        "INSTANCE_PATH": str(tmp_path),
    }
    production.pop("TOKEN_KEYS", None)
    flask = [sys.executable, "-m", "flask", "--app", "api"]
    refused = subprocess.run([*flask, "db", "current"], env=production, capture_output=True)
    assert refused.returncode != 0 and b"TOKEN_KEYS_FILE" in refused.stderr
    generated = subprocess.run([*flask, "keys", "generate"], env=production, capture_output=True)
    assert generated.returncode == 0, generated.stderr
    assert (tmp_path / "token_keys.json").exists()


def test_development_creates_missing_keys_on_first_use(app: Flask, tmp_path: Path) -> None:
    token = app.extensions["container"].token_service().issue(subject="someone")
    assert (tmp_path / "instance" / "token_keys.json").exists()
    assert token.token.count(".") == 4


def test_keys_rotate_keeps_old_keys_and_retire_removes_one(tmp_path: Path) -> None:
    path = tmp_path / "token_keys.json"
    keys(tmp_path, "generate")
    before = [key["kid"] for key in json.loads(path.read_text())["keys"]]
    assert keys(tmp_path, "rotate").exit_code == 0
    after = [key["kid"] for key in json.loads(path.read_text())["keys"]]
    assert set(before) < set(after) and len(after) == 4
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    newest = after[1]  # the file lists each kind oldest first: sig, sig, enc, enc
    refused = keys(tmp_path, "rotate", "--retire", newest)
    assert refused.exit_code != 0 and "newest" in refused.output
    assert keys(tmp_path, "rotate", "--retire", before[0]).exit_code == 0
    remaining = [key["kid"] for key in json.loads(path.read_text())["keys"]]
    assert before[0] not in remaining and len(remaining) == 3


def test_keys_rotate_refuses_keys_given_by_the_environment(tmp_path: Path) -> None:
    result = keys(tmp_path, "rotate", TOKEN_KEYS='{"keys": []}')
    assert result.exit_code != 0 and "TOKEN_KEYS" in result.output


def test_users_create_grants_permissions_and_refuses_a_weak_password(app: Flask) -> None:
    runner = app.test_cli_runner()
    app.test_cli_runner().invoke(args=["db", "create"])
    created = runner.invoke(
        args=["users", "create", "admin", "--permission", "items:admin", "--password", "x" * 16]
    )
    assert created.exit_code == 0, created.output
    assert "items:admin" in created.output
    weak = runner.invoke(args=["users", "create", "weakling", "--password", "short"])
    assert weak.exit_code != 0 and "at least 12" in weak.output
    taken = runner.invoke(args=["users", "create", "ADMIN", "--password", "y" * 16])
    assert taken.exit_code != 0


def test_db_drop_refuses_when_the_data_is_not_in_sql(tmp_path: Path) -> None:
    app = create_app(app_settings(STORAGE_BACKEND="memory", INSTANCE_PATH=str(tmp_path)))
    result = app.test_cli_runner().invoke(args=["db", "drop", "--yes"])
    assert result.exit_code != 0 and "not sql" in result.output
    assert not (tmp_path / "app.db").exists()
