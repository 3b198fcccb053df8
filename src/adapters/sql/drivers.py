"""Whether the driver a SQL URL names is installed, and which package extra installs it."""

from __future__ import annotations

from sqlalchemy.engine import URL
from sqlalchemy.exc import NoSuchModuleError

from adapters.sql.dbtype import DBType

# The extra of the hexapi package that installs each server's driver (pyproject.toml).
EXTRA_OF = {
    DBType.POSTGRESQL: "postgresql",
    DBType.MYSQL: "mysql",
    DBType.MSSQL: "mssql",
}
BACKENDS = {
    "postgresql": DBType.POSTGRESQL,
    "mysql": DBType.MYSQL,
    "mariadb": DBType.MYSQL,
    "mssql": DBType.MSSQL,
}


def driver_problem(url: URL) -> str | None:
    """What stops SQLAlchemy from loading this URL's driver, with the fix; None when it loads."""
    try:
        dialect = url.get_dialect()
    except NoSuchModuleError:
        return f"SQLAlchemy has no dialect {url.drivername!r}"
    try:
        dialect.import_dbapi()
    except ImportError as error:
        missing = error.name or str(error)
        dbtype = BACKENDS.get(url.get_backend_name())
        extra = EXTRA_OF.get(dbtype) if dbtype else None
        if dbtype is None or extra is None:
            return f"the driver of {url.drivername}:// is not installed (no module {missing!r})"
        if url.drivername != dbtype.drivername:
            return (
                f"the driver of {url.drivername}:// is not installed (no module {missing!r});"
                f" use {dbtype.drivername}:// and pip install 'hexapi[{extra}]'"
            )
        return (
            f"the driver of {url.drivername}:// is not installed (no module {missing!r}):"
            f" pip install 'hexapi[{extra}]'"
        )
    return None
