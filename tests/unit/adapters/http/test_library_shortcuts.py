"""Where the HTTP adapter relies on a library's internals; each test fails when that changes.

spectree's Flask plugin (FlaskValidation re-implements its request and response paths and the
schema adapter's cache), Werkzeug's request cookies (ApiRequest), Flask's `ensure_sync`
(ApiFlask), Flask-Cors's after-request hook (allow_cross_origin) and limits' Redis storage
(FixedWindow counts with a script of its own, on limits' client and keys).
"""

from __future__ import annotations

import inspect

from flask import Flask
from limits.storage import RedisStorage
from spectree.model_adapter.pydantic_adapter import PydanticModelAdapter
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin
from werkzeug.sansio.request import Request as SansIORequest
from werkzeug.test import EnvironBuilder
from werkzeug.utils import cached_property
from werkzeug.wrappers import Request

from adapters.http.cors import allow_cross_origin
from adapters.http.flask_app import ApiFlask, ApiRequest
from adapters.http.rate_limits.windows import INCR_EXPIRE_TTL


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_spectree_calls_the_plugin_methods_the_fast_path_replaces_as_before() -> None:
    assert parameters(FlaskPlugin.request_validation) == [
        "self",
        "request",
        "query",
        "json",
        "form",
        "headers",
        "cookies",
    ]
    assert parameters(FlaskPlugin.validate_response) == [
        "self",
        "resp",
        "resp_model",
        "skip_validation",
        "force_resp_serialize",
    ]
    assert Context._fields == ("query", "json", "form", "headers", "cookies")


def test_spectree_asks_its_model_adapter_for_schemas_as_the_cache_expects() -> None:
    assert parameters(PydanticModelAdapter.json_schema) == [
        "self",
        "model",
        "ref_template",
        "mode",
    ]


def test_werkzeug_still_computes_cookies_once_per_request_from_the_headers() -> None:
    assert isinstance(SansIORequest.__dict__["cookies"], cached_property)
    environ = EnvironBuilder(headers={"Cookie": "a=1; b=two; a=3"}).get_environ()
    assert ApiRequest(environ).cookies == Request(environ).cookies
    assert ApiRequest(environ).cookies.getlist("a") == ["1", "3"]


def test_flask_still_asks_ensure_sync_for_each_callable() -> None:
    assert parameters(Flask.ensure_sync) == ["self", "func"]
    assert "ensure_sync" in inspect.getsource(Flask.full_dispatch_request) + inspect.getsource(
        Flask.dispatch_request
    )


def test_flask_cors_adds_one_after_request_hook_by_the_name_looked_for() -> None:
    app = ApiFlask("cors")
    allow_cross_origin(
        app, origins=["http://allowed.example"], methods=["GET"], headers=[], expose=[]
    )
    (hook,) = app.after_request_funcs[None]
    assert hook.__wrapped__.__name__ == "cors_after_request"  # type: ignore[attr-defined]


def test_limits_counts_a_redis_window_as_the_one_round_trip_script_does() -> None:
    def statements(script: str) -> list[str]:
        return [line.strip() for line in script.splitlines() if line.strip()]

    # Ours is limits' incr_expire.lua with the key's TTL returned beside the count.
    ours = statements(INCR_EXPIRE_TTL)
    theirs = statements(RedisStorage.SCRIPT_INCR_EXPIRE.decode())
    assert theirs[-1] == "return current"
    assert ours[:-1] == theirs[:-1]
    assert parameters(RedisStorage.prefixed_key) == ["self", "key"]
    assert parameters(RedisStorage.get_connection) == ["self", "readonly"]
    assert isinstance(RedisStorage.base_exceptions, property)
