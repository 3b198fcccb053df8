"""gunicorn's logs as one JSON object per line: its access log and its own messages."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

from api.tracing_setup import TRACE_ID_KEY

REQUEST_ID_HEADER = "x-request-id"


def access_record(
    *,
    environ: dict[str, Any],
    status: str | int,
    response_headers: list[tuple[str, str]],
    sent: int | None,
    duration: timedelta,
) -> dict[str, Any]:
    """One access-log entry: method, path, status, duration, request id and client."""
    request_id = next(
        (value for name, value in response_headers if name.lower() == REQUEST_ID_HEADER),
        environ.get("HTTP_X_REQUEST_ID"),
    )
    return {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "level": "INFO",
        "logger": "gunicorn.access",
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "query": environ.get("QUERY_STRING") or None,
        "status": int(str(status).split(None, 1)[0]),
        "duration_ms": round(duration.total_seconds() * 1000, 3),
        "bytes": sent,
        "request_id": request_id,
        "remote_addr": environ.get("REMOTE_ADDR"),
        "user_agent": environ.get("HTTP_USER_AGENT"),
        "pid": os.getpid(),
    }


class JsonLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type information
    """gunicorn's Logger writing JSON lines: `logger_class` in the gunicorn configuration."""

    def setup(self, cfg: Any) -> None:
        """gunicorn's handlers, with the error log's formatter swapped for JSON."""
        super().setup(cfg)
        formatter = JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
        for handler in self.error_log.handlers:
            if getattr(handler, "_gunicorn", False):
                handler.setFormatter(formatter)

    def access(
        self, resp: Any, _req: Any, environ: dict[str, Any], request_time: timedelta
    ) -> None:
        """Log one finished request, when the access log is on."""
        if self.cfg.accesslog is None:
            return
        headers = resp.headers.items() if hasattr(resp.headers, "items") else resp.headers
        record = access_record(
            environ=environ,
            status=resp.status,
            response_headers=list(headers),
            sent=getattr(resp, "sent", None),
            duration=request_time,
        )
        if TRACE_ID_KEY in environ:  # only while tracing is on
            record["trace_id"] = environ[TRACE_ID_KEY]
        try:
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:  # a log line must never fail the request that it describes
            logging.getLogger("gunicorn.error").exception("could not write the access log")
