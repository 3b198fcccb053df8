"""Deprecation (RFC 9745) and Sunset (RFC 8594) of a route: declared once, sent on its answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import http_sf
from flask import Flask, Response, request
from werkzeug.http import http_date

F = TypeVar("F", bound=Callable[..., Any])

# The Deprecation a view function carries; functools.wraps copies it to the decorators above it.
DEPRECATION_ATTRIBUTE = "hexapi_deprecation"


@dataclass(frozen=True, slots=True)
class Deprecation:
    """A route deprecated `since` (past or future), gone at `sunset`, explained at `link`."""

    since: datetime
    sunset: datetime | None = None
    link: str | None = None

    def __post_init__(self) -> None:
        for moment in (self.since, self.sunset):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("a deprecation's dates must carry their time zone")
        if self.sunset is not None and self.sunset < self.since:
            raise ValueError("a route cannot be sunset before it is deprecated (RFC 9745 §3)")

    def headers(self) -> dict[str, str]:
        """`Deprecation: @<epoch>`, `Sunset: <HTTP-date>`, `Link: <...>; rel="deprecation"`."""
        sent = {"Deprecation": http_sf.ser(self.since.replace(microsecond=0))}
        if self.sunset is not None:
            sent["Sunset"] = http_date(self.sunset)
        if self.link is not None:
            sent["Link"] = f'<{self.link}>; rel="deprecation"; type="text/html"'
        return sent


def deprecated(
    since: datetime, *, sunset: datetime | None = None, link: str | None = None
) -> Callable[[F], F]:
    """Mark a view deprecated: its answers say so, and so does the OpenAPI document."""
    deprecation = Deprecation(since, sunset=sunset, link=link)

    def mark(view: F) -> F:
        setattr(view, DEPRECATION_ATTRIBUTE, deprecation)
        return view

    return mark


def deprecation_of(view: object) -> Deprecation | None:
    """The Deprecation a view was marked with, if any."""
    found = getattr(view, DEPRECATION_ATTRIBUTE, None)
    return found if isinstance(found, Deprecation) else None


def send_deprecation_headers(app: Flask) -> None:
    """Add a deprecated route's headers to each of its answers, errors included."""
    known: dict[str | None, dict[str, str]] = {}

    @app.after_request
    def announce(response: Response) -> Response:
        endpoint = request.endpoint
        if endpoint not in known:
            view = app.view_functions.get(endpoint) if endpoint else None
            deprecation = deprecation_of(view)
            known[endpoint] = deprecation.headers() if deprecation else {}
        for name, value in known[endpoint].items():
            response.headers.add(name, value)  # a Link of the answer's own stays beside it
        return response
