"""The original's SQL API: setup_sql_db, ModelBase helpers, db_create_all and db_drop_all."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import inspect, select

from adapters.original.models import ItemModel
from adapters.original.sql_setup import SessionDatabase, setup_sql_db
from adapters.sql.database import db_create_all, db_drop_all
from adapters.sql.dbtype import DBType
from api import create_app
from core.errors import Conflict
from core.query import ItemQuery
from tests.helpers import EPOCH, app_settings


def sqlite_app_database(path: Path) -> SessionDatabase:
    return setup_sql_db(Flask(__name__), DBType.SQLITE, None, None, None, str(path))


def an_item_row(title: str) -> ItemModel:
    return ItemModel(
        id=title.ljust(32, "0")[:32], title=title, owner_id="me", created_at=EPOCH, updated_at=EPOCH
    )


def test_setup_sql_db_creates_the_database_and_tables(tmp_path: Path) -> None:
    app = Flask(__name__)
    path = tmp_path / "nested" / "original.db"
    database = setup_sql_db(app, DBType.SQLITE, None, None, None, str(path))
    assert path.exists()
    assert app.extensions["sql"] is database
    assert {"items", "users"} <= set(inspect(database.engine).get_table_names())
    database.dispose()


def test_model_helpers_commit_each_change(tmp_path: Path) -> None:
    database = setup_sql_db(
        Flask(__name__), DBType.SQLITE, None, None, None, str(tmp_path / "m.db")
    )
    row = an_item_row("hello").insert()
    row.update(title="hello again")
    database.remove_session()
    with database.sessions() as session:
        assert session.scalars(select(ItemModel.title)).all() == ["hello again"]
    row = database.sessions().get(ItemModel, row.id)
    assert row is not None
    row.delete()
    database.remove_session()
    with database.sessions() as session:
        assert session.scalars(select(ItemModel)).all() == []
    database.dispose()


def test_a_duplicate_insert_is_a_conflict_and_the_session_stays_usable(tmp_path: Path) -> None:
    database = setup_sql_db(
        Flask(__name__), DBType.SQLITE, None, None, None, str(tmp_path / "d.db")
    )
    an_item_row("same").insert()
    duplicate = an_item_row("same")
    duplicate.id = "1" * 32
    with pytest.raises(Conflict):
        duplicate.insert()
    an_item_row("other").insert()
    database.dispose()


def test_db_drop_all_can_drop_the_database_itself(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'gone.db'}"
    db_create_all(url)
    assert (tmp_path / "gone.db").exists()
    db_drop_all(url, drop_db=True)
    assert not (tmp_path / "gone.db").exists()


def test_model_helpers_work_inside_the_service_on_its_own_engine(tmp_path: Path) -> None:
    settings = app_settings(
        STORAGE_BACKEND="sql",
        INSTANCE_PATH=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}",
    )
    app = create_app(settings)
    container = app.extensions["container"]
    db_create_all(container.sql_database().engine)
    with app.app_context():
        an_item_row("from the helpers").insert()
    units = container.unit_of_work()
    with units() as unit:
        assert [item.title for item in unit.items.list(ItemQuery()).items] == ["from the helpers"]
    container.sql_database().dispose()
