"""The yardstick: a bare Flask app answering `{"message": "Hello World"}`, nothing else.

Served by the same gunicorn configuration as the service (`bare_app:app`).
"""

from __future__ import annotations

from flask import Flask


def create_bare_app() -> Flask:
    """Flask with one route and no extension."""
    app = Flask("bare")

    @app.get("/")
    def hello() -> dict[str, str]:
        return {"message": "Hello World"}

    return app


app = create_bare_app()
