"""Logs as one JSON object per line on stderr, for the service's own loggers."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

SERVICE_LOGGERS = ("api", "adapters", "core")
_MARK = "_hexapi_json"


def json_handler(stream: TextIO) -> logging.Handler:
    """A handler writing each record as one JSON object: time, level, logger, message, extras."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    )
    setattr(handler, _MARK, True)
    return handler


def configure_logging(level: str) -> None:
    """Attach the JSON handler to the service's loggers (once per process)."""
    handler = json_handler(sys.stderr)
    for name in SERVICE_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(level)
        if not any(getattr(existing, _MARK, False) for existing in logger.handlers):
            logger.addHandler(handler)
