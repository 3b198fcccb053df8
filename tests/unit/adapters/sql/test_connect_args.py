"""The driver arguments an engine is made with, beside those of its URL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from adapters.sql.database import connect_args


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql+psycopg://u@h/db",
            {"connect_timeout": 5, "options": "-c TimeZone=UTC"},
        ),
        # The URL's own options are kept, the zone added after them.
        (
            "postgresql+psycopg://u@h/db?options=-c%20statement_timeout%3D5000",
            {"connect_timeout": 5, "options": "-c statement_timeout=5000 -c TimeZone=UTC"},
        ),
        # A zone the URL asks for is its own; so is its timeout.
        ("postgresql+psycopg://u@h/db?options=-c%20timezone%3DEurope/Berlin&connect_timeout=2", {}),
        ("postgresql+psycopg2://u@h/db", {"connect_timeout": 5}),
        ("mysql+pymysql://u@h/db", {"connect_timeout": 5}),
        ("sqlite:///x.db", {}),
    ],
)
def test_the_engine_gets_a_timeout_and_psycopg_sessions_in_utc(
    url: str, expected: dict[str, object]
) -> None:
    assert connect_args(make_url(url), 5) == expected
