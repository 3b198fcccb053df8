"""The route template a request matched, read by WSGI middleware as the app starts its answer."""

from __future__ import annotations

from typing import Any

# Werkzeug's request puts itself here (`populate_request`, on by default) and Flask's keeps the
# rule it matched; Flask empties the key when the request ends, after calling `start_response`.
# Middleware outside the app reads it there, without a hook run in every request.
REQUEST_KEY = "werkzeug.request"


def matched_route(environ: dict[str, Any]) -> str | None:
    """The URL rule's template (`/api/items/<item_id>`), or None when no route matched."""
    rule = getattr(environ.get(REQUEST_KEY), "url_rule", None)
    return None if rule is None else str(rule.rule)
