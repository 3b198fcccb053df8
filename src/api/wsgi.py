"""The WSGI entry point for production servers: `gunicorn ... api.wsgi:app`.

The only module that builds an app when imported; gunicorn imports it in each worker.
"""

from __future__ import annotations

from api.app import create_app

app = create_app()
