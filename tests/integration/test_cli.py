"""The Flask CLI: `db create|drop` and `keys generate`, as `make run` uses them."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import inspect

from api import create_app
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


def test_keys_generate_writes_a_private_jwk_set_once(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    path = tmp_path / "instance" / "token_keys.json"
    assert runner.invoke(args=["keys", "generate", "--if-missing"]).exit_code == 0
    first = path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert {key["use"] for key in json.loads(first)["keys"]} == {"sig", "enc"}
    kept = runner.invoke(args=["keys", "generate", "--if-missing"])
    assert "kept" in kept.output and path.read_text() == first
    refused = runner.invoke(args=["keys", "generate"], input="n\n")
    assert refused.exit_code != 0 and path.read_text() == first


def test_development_creates_missing_keys_on_first_use(app: Flask, tmp_path: Path) -> None:
    token = app.extensions["container"].token_service().issue(subject="someone")
    assert (tmp_path / "instance" / "token_keys.json").exists()
    assert token.token.count(".") == 4


def test_keys_rotate_keeps_old_keys_and_retire_removes_one(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    path = tmp_path / "instance" / "token_keys.json"
    runner.invoke(args=["keys", "generate"])
    before = [key["kid"] for key in json.loads(path.read_text())["keys"]]
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    after = [key["kid"] for key in json.loads(path.read_text())["keys"]]
    assert set(before) < set(after) and len(after) == 4
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    newest = after[1]  # the file lists each kind oldest first: sig, sig, enc, enc
    refused = runner.invoke(args=["keys", "rotate", "--retire", newest])
    assert refused.exit_code != 0 and "newest" in refused.output
    assert runner.invoke(args=["keys", "rotate", "--retire", before[0]]).exit_code == 0
    remaining = [key["kid"] for key in json.loads(path.read_text())["keys"]]
    assert before[0] not in remaining and len(remaining) == 3


def test_keys_rotate_refuses_keys_given_by_the_environment(tmp_path: Path) -> None:
    app = create_app(app_settings(INSTANCE_PATH=str(tmp_path)))
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
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
