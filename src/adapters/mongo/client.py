"""Mongo connection strings and clients: pymongo for a server, mongomock for `mongomock://`."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote_plus

from pymongo import MongoClient
from pymongo.errors import ConfigurationError
from pymongo.uri_parser import parse_uri

Document = dict[str, Any]
Client = MongoClient[Document]

MOCK_SCHEME = "mongomock://"
SCHEMES = ("mongodb://", "mongodb+srv://", MOCK_SCHEME)
URI_PATTERN = r"^(mongodb|mongodb\+srv|mongomock)://"
DEFAULT_TIMEOUT_MS = 5000
# The original's options: retried writes and majority-acknowledged writes.
SRV_OPTIONS = "retryWrites=true&w=majority"


def is_mock(uri: str) -> bool:
    """Whether the URI selects mongomock (in process, for tests and quick runs)."""
    return uri.startswith(MOCK_SCHEME)


def mongo_uri(*, username: str | None, password: str | None, host: str, srv: bool = True) -> str:
    """A connection string with quoted credentials, as the original built it but safely.

    `host` may carry its own scheme (`mongodb://h1:27017,h2`, `mongomock://`); otherwise the
    original's `mongodb+srv://` is used (`srv=False` gives `mongodb://`).
    """
    scheme, _, hosts = host.rpartition("://")
    scheme = f"{scheme}://" if scheme else ("mongodb+srv://" if srv else "mongodb://")
    if scheme not in SCHEMES:
        raise ValueError(f"unsupported Mongo scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    credentials = ""
    if username:
        credentials = quote_plus(username)
        if password is not None:
            credentials += ":" + quote_plus(password)
        credentials += "@"
    hosts = hosts.rstrip("/")
    options = f"/?{SRV_OPTIONS}" if scheme == "mongodb+srv://" else ""
    return f"{scheme}{credentials}{hosts}{options}"


def check_uri(uri: str) -> None:
    """ValueError saying what is wrong with a connection string; no network is used.

    A `mongodb+srv://` name is only known to be good once it resolves, at first use.
    """
    if is_mock(uri) or uri.startswith("mongodb+srv://"):
        return
    try:
        parse_uri(uri)
    except (ConfigurationError, ValueError) as error:  # InvalidURI is a ConfigurationError
        raise ValueError(str(error).replace(uri, "<uri>")) from None


def connect(uri: str, *, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Client:
    """A client for the URI; it opens no connection until its first operation."""
    if is_mock(uri):
        import mongomock  # a test double: imported only when asked for

        return cast(Client, mongomock.MongoClient(tz_aware=True))
    options: dict[str, Any] = {
        "tz_aware": True,
        # Bounded, so a server that does not answer turns into a 503 quickly, not a hung request.
        "serverSelectionTimeoutMS": timeout_ms,
        "connectTimeoutMS": timeout_ms,
        "appname": "hexapi",
        "connect": False,
    }
    return MongoClient(uri, **options)
