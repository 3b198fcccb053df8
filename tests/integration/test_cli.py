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
