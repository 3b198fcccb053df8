"""gunicorn's settings from the service's own (deploy/gunicorn.conf.py applies them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from adapters.http.proxies import allowed_ips
from api.gunicorn_logging import JsonLogger
from api.settings import Settings

# Seconds an idle keep-alive connection stays open, and on gevent workers the most a request's
# head may take to arrive (sync workers close at once).
KEEPALIVE_SECONDS = 5
# Our subclasses of gunicorn's workers: the same, with its error pages in the JSON envelope.
WORKER_CLASSES = {
    "gevent": "api.gunicorn_workers.GeventWorker",
    "gthread": "api.gunicorn_workers.ThreadWorker",
    "sync": "api.gunicorn_workers.SyncWorker",
}
# Workers touch a heartbeat file on every request; in memory it never waits on a disk.
SHARED_MEMORY = Path("/dev/shm")


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """The gunicorn configuration values for these settings."""
    # gunicorn's access line already carries the request id the app answers with; the app's
    # own line would log every request twice. REQUEST_LOG given explicitly still wins.
    worker_env = [] if "REQUEST_LOG" in settings.model_fields_set else ["REQUEST_LOG=false"]
    return {
        "raw_env": worker_env if settings.ACCESS_LOG else [],
        "bind": [settings.BIND],
        # gunicorn's own reading of X-Forwarded-Proto trusts the same peers as the app.
        "forwarded_allow_ips": (
            allowed_ips(settings.TRUSTED_PROXIES) if settings.PROXY_FIX_X_FOR else ""
        ),
        "workers": settings.WEB_CONCURRENCY,
        "threads": settings.GUNICORN_THREADS,
        "worker_class": WORKER_CLASSES[settings.GUNICORN_WORKER],
        # gevent: connections one worker holds at once (slow clients included).
        "worker_connections": settings.GUNICORN_CONNECTIONS,
        # SIGTERM: stop accepting, let in-flight requests finish for up to this long.
        "graceful_timeout": settings.GRACEFUL_TIMEOUT,
        "timeout": settings.WORKER_TIMEOUT,
        "keepalive": KEEPALIVE_SECONDS,
        "accesslog": "-" if settings.ACCESS_LOG else None,
        "errorlog": "-",
        "loglevel": settings.LOG_LEVEL.lower(),
        "logger_class": JsonLogger,
        "worker_tmp_dir": str(SHARED_MEMORY) if SHARED_MEMORY.is_dir() else None,
        # Each worker builds its own app (and its own connection pools) after the fork.
        "preload_app": False,
        # gunicorn 25.1+ opens a control socket in $HOME by default; instances on one host
        # would fight over it, and nothing here uses it. Older versions ignore the name.
        "control_socket_disable": True,
    }
