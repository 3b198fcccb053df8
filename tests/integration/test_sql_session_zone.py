"""PostgreSQL sessions run in UTC, so timestamps read come back in `datetime.UTC` itself."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import text

from adapters.sql.database import create_sql_engine
from tests.integration.servers import SERVERS, server_url


def test_a_psycopg_session_is_in_utc_whatever_the_servers_default() -> None:
    engine = create_sql_engine(server_url(SERVERS["postgresql"]))
    try:
        with engine.connect() as connection:
            zone = connection.execute(text("SHOW TimeZone")).scalar_one()
            moment = connection.execute(text("SELECT now()")).scalar_one()
    finally:
        engine.dispose()
    assert zone == "UTC"
    assert moment.tzinfo is UTC  # as UtcDateTime returns it, with no conversion
