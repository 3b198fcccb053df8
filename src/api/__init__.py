"""Composition root: settings, the DI container, `create_app()` and the CLI (`flask --app api`)."""

from __future__ import annotations

from api.app import create_app

__all__ = ["create_app"]
