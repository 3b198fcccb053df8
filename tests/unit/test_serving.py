"""Production serving settings: REDIS_URL defaults, gunicorn's options, the JSON access log."""

from __future__ import annotations

import importlib
import json
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import Flask

from adapters.session_store.redis_cache import REVOCATION_PREFIX, SESSION_PREFIX, RedisStoreCache
from api import create_app
from api.gunicorn_errors import JsonErrors
from api.gunicorn_logging import JsonLogger, access_record
from api.gunicorn_setup import gunicorn_options
from api.settings import SessionStore, SettingsError, load_settings
from tests.helpers import app_settings

REDIS = "redis://cache.internal:6379/0"


def test_redis_url_moves_sessions_and_rate_limits_to_redis() -> None:
    settings = load_settings({"REDIS_URL": REDIS})
    assert settings.SESSION_TYPE is SessionStore.REDIS
    assert settings.RATELIMIT_STORAGE_URI == REDIS


def test_a_redis_socket_is_named_for_the_counter_store() -> None:
    settings = load_settings({"REDIS_URL": "unix:///run/redis/redis.sock?db=1"})
    assert settings.RATELIMIT_STORAGE_URI == "redis+unix:///run/redis/redis.sock?db=1"


def test_settings_given_explicitly_win_over_redis_url() -> None:
    settings = load_settings(
        {"REDIS_URL": REDIS, "SESSION_TYPE": "filesystem", "RATELIMIT_STORAGE_URI": "memory://"}
    )
    assert settings.SESSION_TYPE is SessionStore.FILESYSTEM
    assert settings.RATELIMIT_STORAGE_URI == "memory://"


def test_redis_sessions_without_a_redis_url_are_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="REDIS_URL"):
        load_settings({"SESSION_TYPE": "redis"})


def test_a_redis_url_of_another_scheme_is_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="REDIS_URL"):
        load_settings({"REDIS_URL": "http://cache.internal"})


def test_an_app_on_redis_connects_to_nothing_at_start_up() -> None:
    # The unit suite's socket guard fails any connection attempt.
    app: Flask = create_app(app_settings(SESSION_TYPE="redis", REDIS_URL=REDIS))
    container = app.extensions["container"]
    sessions, revocations = container.session_cache(), container.revocation_cache()
    assert isinstance(sessions, RedisStoreCache)
    assert isinstance(revocations, RedisStoreCache)
    assert (sessions.key_prefix, revocations.key_prefix) == (SESSION_PREFIX, REVOCATION_PREFIX)
    counters = app.extensions["rate_limits"].counters
    assert counters.store.storage.connection_pool.connection_kwargs["socket_timeout"] == 2.0


def test_gunicorn_takes_workers_threads_bind_and_grace_from_settings() -> None:
    options = gunicorn_options(
        load_settings(
            {
                "BIND": "0.0.0.0:9000",
                "WEB_CONCURRENCY": 3,
                "GUNICORN_WORKER": "gthread",
                "GUNICORN_THREADS": 4,
                "GRACEFUL_TIMEOUT": 12,
                "ACCESS_LOG": False,
            }
        )
    )
    assert options["bind"] == ["0.0.0.0:9000"]
    assert (options["workers"], options["threads"]) == (3, 4)
    assert options["worker_class"] == "api.gunicorn_workers.ThreadWorker"
    assert options["graceful_timeout"] == 12
    assert options["accesslog"] is None
    assert options["logger_class"] is JsonLogger


def test_gunicorn_defaults_to_two_gevent_workers_with_an_access_log() -> None:
    options = gunicorn_options(load_settings({}))
    assert (options["workers"], options["worker_class"]) == (2, "api.gunicorn_workers.GeventWorker")
    assert options["worker_connections"] == 1000
    assert options["bind"] == ["127.0.0.1:8000"]
    assert options["accesslog"] == "-"


@pytest.mark.parametrize("worker", ["gevent", "gthread", "sync"])
def test_every_worker_choice_names_a_class_of_ours(worker: str) -> None:
    path = gunicorn_options(load_settings({"GUNICORN_WORKER": worker}))["worker_class"]
    module, name = path.rsplit(".", 1)
    worker_class = getattr(importlib.import_module(module), name)
    assert issubclass(worker_class, JsonErrors)


def test_threads_without_the_threaded_worker_are_refused_by_name() -> None:
    with pytest.raises(SettingsError, match="GUNICORN_THREADS=4 needs GUNICORN_WORKER=gthread"):
        load_settings({"GUNICORN_THREADS": 4})


def test_an_access_record_carries_method_path_status_duration_and_request_id() -> None:
    record = access_record(
        environ={
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/items",
            "QUERY_STRING": "",
            "REMOTE_ADDR": "10.0.0.7",
            "HTTP_X_REQUEST_ID": "from-the-client",
        },
        status="201 CREATED",
        response_headers=[("Content-Type", "application/json"), ("X-Request-ID", "echoed")],
        sent=120,
        duration=timedelta(milliseconds=12, microseconds=345),
    )
    assert record["method"] == "POST"
    assert record["path"] == "/api/items"
    assert record["status"] == 201
    assert record["duration_ms"] == 12.345
    assert record["request_id"] == "echoed"
    assert record["remote_addr"] == "10.0.0.7"
    assert record["query"] is None


def test_the_request_id_comes_from_the_request_when_the_response_has_none() -> None:
    record = access_record(
        environ={"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_X_REQUEST_ID": "abc"},
        status=404,
        response_headers=[],
        sent=None,
        duration=timedelta(0),
    )
    assert (record["status"], record["request_id"]) == (404, "abc")


def test_the_access_log_is_one_json_object_per_line(caplog: pytest.LogCaptureFixture) -> None:
    config = SimpleNamespace(accesslog="-")
    logger = JsonLogger.__new__(JsonLogger)  # gunicorn's own setup opens its log files
    logger.cfg, logger.access_log = config, logging.getLogger("gunicorn.access.test")
    response = SimpleNamespace(status="200 OK", headers=[("X-Request-ID", "r1")], sent=25)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "QUERY_STRING": "a=1"}
    with caplog.at_level(logging.INFO, logger="gunicorn.access.test"):
        logger.access(response, None, environ, timedelta(milliseconds=3))
    (line,) = [record.getMessage() for record in caplog.records]
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["path"], entry["query"], entry["request_id"]) == ("/", "a=1", "r1")


def test_under_gunicorn_the_access_log_is_the_one_line_per_request() -> None:
    assert gunicorn_options(load_settings())["raw_env"] == ["REQUEST_LOG=false"]
    assert gunicorn_options(load_settings({"REQUEST_LOG": True}))["raw_env"] == []
    assert gunicorn_options(load_settings({"ACCESS_LOG": False}))["raw_env"] == []
