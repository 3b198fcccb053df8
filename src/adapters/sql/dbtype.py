"""Which SQL server to talk to, and the URL that reaches it through a maintained driver."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.engine import URL


class DBType(StrEnum):
    """The SQL databases the service supports, each bound to one driver."""

    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"
    MYSQL = "mysql"  # MariaDB too
    MSSQL = "mssql"

    @property
    def drivername(self) -> str:
        """SQLAlchemy's dialect+driver name."""
        return _DRIVERS[self]


_DRIVERS = {
    DBType.SQLITE: "sqlite+pysqlite",
    DBType.POSTGRESQL: "postgresql+psycopg",
    DBType.MYSQL: "mysql+pymysql",
    DBType.MSSQL: "mssql+pyodbc",
}

MSSQL_ODBC_DRIVER = "ODBC Driver 18 for SQL Server"


def sql_url(
    dbtype: DBType,
    *,
    database_name: str,
    username: str | None = None,
    password: str | None = None,
    host: str | None = None,
    port: int | None = None,
) -> URL:
    """The connection URL; credentials are quoted by SQLAlchemy, so any character is safe.

    `host` may carry the port as `host:port`, as the original's `setup_sql_db` accepted.
    """
    if dbtype is DBType.SQLITE:
        return URL.create(dbtype.drivername, database=database_name)
    if host and port is None and host.count(":") == 1:
        host, _, port_text = host.partition(":")
        port = int(port_text)
    query = {"driver": MSSQL_ODBC_DRIVER} if dbtype is DBType.MSSQL else {}
    if dbtype is DBType.MYSQL:
        query = {"charset": "utf8mb4"}
    return URL.create(
        dbtype.drivername,
        username=username or None,
        password=password or None,
        host=host or None,
        port=port,
        database=database_name,
        query=query,
    )
