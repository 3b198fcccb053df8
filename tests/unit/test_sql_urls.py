"""DBType picks a maintained driver and builds URLs that survive any password."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from adapters.sql.dbtype import DBType, sql_url


@pytest.mark.parametrize(
    ("dbtype", "expected"),
    [
        (DBType.POSTGRESQL, "postgresql+psycopg://svc:***@db:5432/app"),
        (DBType.MYSQL, "mysql+pymysql://svc:***@db:5432/app?charset=utf8mb4"),
        (
            DBType.MSSQL,
            "mssql+pyodbc://svc:***@db:5432/app?driver=ODBC+Driver+18+for+SQL+Server",
        ),
    ],
)
def test_each_server_type_gets_its_driver(dbtype: DBType, expected: str) -> None:
    url = sql_url(
        dbtype, username="svc", password="secret", host="db", port=5432, database_name="app"
    )
    assert url.render_as_string(hide_password=True) == expected


def test_sqlite_needs_only_a_path() -> None:
    url = sql_url(DBType.SQLITE, database_name="/var/lib/app.db")
    assert url.render_as_string() == "sqlite+pysqlite:////var/lib/app.db"


@pytest.mark.parametrize("password", ["p@ss", "a/b", "x:y", "we?ird#%&", "ünï cøde"])
def test_passwords_with_url_characters_round_trip(password: str) -> None:
    url = sql_url(DBType.POSTGRESQL, username="u", password=password, host="h", database_name="d")
    rendered = url.render_as_string(hide_password=False)
    assert rendered.count("@") == 1
    assert make_url(rendered).password == password


def test_a_port_may_ride_on_the_host_as_in_the_original() -> None:
    url = sql_url(DBType.MYSQL, username="root", host="127.0.0.1:3307", database_name="shop")
    assert (url.host, url.port) == ("127.0.0.1", 3307)
