"""The parts of `flask --app api data` that need no store: URLs, resources, progress lines."""

from __future__ import annotations

import pytest

from api.data.endpoints import EndpointError, open_store
from api.data.progress import Lines
from api.data.resources import chosen
from tests.contract.declared import GADGETS_TYPE, TEST_RESOURCES


def identity(url: str) -> str:
    end = open_store(url, option="--to", catalogue=())
    try:
        return end.identity
    finally:
        end.close()


def test_spellings_of_one_database_have_one_identity() -> None:
    assert identity("postgresql+psycopg://a@localhost/db") == identity(
        "postgresql+psycopg://b:pw@127.0.0.1:5432/db"
    )
    assert identity("mysql+pymysql://root@127.0.0.1/db") == identity(
        "mariadb+pymysql://root@localhost:3306/db"
    )
    assert identity("mongodb://u:p@localhost:27017/shop") == identity(
        "mongodb://127.0.0.1:27017/shop?retryWrites=true"
    )
    assert identity("postgresql+psycopg://a@localhost/db") != identity(
        "postgresql+psycopg://a@localhost/other"
    )
    assert identity("mongomock://localhost/app") != identity("mongodb://localhost/app")


def test_a_mongo_url_without_a_database_uses_the_default() -> None:
    end = open_store("mongomock://", option="--to", catalogue=(), mongo_database="fallback")
    assert end.identity.endswith("/fallback")
    assert "database fallback" in end.label


def test_a_url_that_names_no_store_is_refused_naming_the_option() -> None:
    with pytest.raises(EndpointError, match="--from: 'nothing' is not a database URL"):
        open_store("nothing", option="--from", catalogue=())


def test_resources_are_chosen_by_name_once_each_in_the_order_given() -> None:
    every = chosen((), TEST_RESOURCES)
    assert [each.name for each in every] == ["items", "users", "gadgets", "labels"]
    named = chosen(("labels", "items", "labels"), TEST_RESOURCES)
    assert [each.name for each in named] == ["labels", "items"]
    known = "known: items, users, gadgets, labels"
    with pytest.raises(ValueError, match=f"unknown resource 'nope', 'x'; {known}"):
        chosen(("nope", "items", "x"), TEST_RESOURCES)


def test_a_store_reaches_the_repositories_of_the_catalogue_it_is_opened_with() -> None:
    """On mongomock here; tests/integration/test_data_declared.py moves them on every backend."""
    url = "mongomock://localhost/declared"
    bare, held = (open_store(url, option="--to", catalogue=each) for each in ((), TEST_RESOURCES))
    try:
        with bare.units() as unit, pytest.raises(LookupError, match="gadgets is not declared"):
            unit.repository(GADGETS_TYPE)
        with held.units() as unit:
            assert unit.repository(GADGETS_TYPE).count(GADGETS_TYPE.query()) == 0
    finally:
        bare.close()
        held.close()


def test_plain_progress_prints_a_line_every_few_seconds_and_one_at_the_end() -> None:
    now, printed = [0.0], list[str]()
    lines = Lines(printed.append, every=5.0, clock=lambda: now[0])
    lines.begin("items", total=1000, done=100, task="copy")
    now[0] = 2
    lines.advance(100)
    assert printed == []
    now[0] = 6
    lines.advance(200)
    now[0] = 10
    lines.end()
    assert printed == [
        "items copy: 400/1,000 rows (40.0%), 50 rows/s, ETA 12 s",
        "items copy: done, 400 rows in 10.0 s (30 rows/s)",
    ]
