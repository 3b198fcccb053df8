"""Cost of the schema layer: the service with spectree, and with hand-called pydantic instead.

Both apps are the real service (memory backend, same views); in the second, each route's
`@spec.validate` is replaced by a minimal wrapper that validates the declared query/body models
with pydantic and serialises returned models, without spectree. Requests go straight to the
WSGI callable, interleaved, median of the rounds:

    python bench/schema_overhead.py [--count 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from types import SimpleNamespace
from typing import Any
from unittest import mock

from flask import Flask, Response, request
from pydantic import BaseModel
from werkzeug.test import EnvironBuilder

import api.http_setup
from adapters.http.openapi import api_spec
from api import create_app

PASSWORD = "correct horse battery"
SETTINGS = {
    "STORAGE_BACKEND": "memory",
    "SESSION_TYPE": "memory",
    "APP_ENV": "testing",
    "SECRET_KEY": "bench-secret-key-" + "x" * 32,
    "RATELIMIT_ENABLED": False,
    "REQUEST_LOG": False,
}


class HandValidated:
    """Stands in for SpecTree: the same models, validated by pydantic directly."""

    def __init__(self, spec: Any) -> None:
        self._spec = spec  # keeps `.spec` and friends working for the docs routes

    def __getattr__(self, name: str) -> Any:
        return getattr(self._spec, name)

    def validate(
        self, *, query: type[BaseModel] | None = None, json: type[BaseModel] | None = None, **_: Any
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
            @wraps(view)
            def validated(*args: Any, **kwargs: Any) -> Any:
                request.context = SimpleNamespace(  # type: ignore[attr-defined]
                    query=query.model_validate(request.args.to_dict()) if query else None,
                    json=json.model_validate(request.get_json()) if json else None,
                )
                return serialised(view(*args, **kwargs))

            return validated

        return decorate


def serialised(result: Any) -> Any:
    body, rest = (result[0], result[1:]) if isinstance(result, tuple) else (result, ())
    if isinstance(body, BaseModel):
        body = Response(body.model_dump_json(), mimetype="application/json")
    return (body, *rest) if rest else body


@contextmanager
def without_spectree() -> Iterator[None]:
    def hand_spec(**kwargs: Any) -> HandValidated:
        return HandValidated(api_spec(**kwargs))

    with mock.patch.object(api.http_setup, "api_spec", hand_spec):
        yield


def token_for(app: Flask) -> str:
    client = app.test_client()
    client.post("/api/users", json={"username": "bench", "password": PASSWORD})
    login = client.post("/api/auth/token", json={"username": "bench", "password": PASSWORD})
    token: str = login.get_json()["token"]
    return token


def per_second(app: Flask, environs: list[dict[str, Any]]) -> float:
    def start_response(*_args: Any) -> None:
        return None

    started = time.perf_counter()
    for environ in environs:
        environ["wsgi.input"].seek(0)
        b"".join(app.wsgi_app(environ, start_response))
    return len(environs) / (time.perf_counter() - started)


def environs(
    app: Flask, *, method: str, path: str, count: int, body: Callable[[int], bytes] | None = None
) -> list[dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token_for(app)}"}
    built = []
    for n in range(count):
        data = body(n) if body else None
        builder = EnvironBuilder(
            method=method, path=path, headers=headers, data=data, content_type="application/json"
        )
        environ = builder.get_environ()
        environ["wsgi.input"] = io.BytesIO(data or b"")
        built.append(environ)
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    apps = {"spectree (the service)": create_app(SETTINGS)}
    with without_spectree():
        apps["hand-called pydantic"] = create_app(SETTINGS)
    rates: dict[tuple[str, str], list[float]] = {}
    names = list(apps)
    for round_number in range(args.rounds):
        # Alternate who goes first, so warm-up and drift do not favour one app.
        for name in names if round_number % 2 == 0 else names[::-1]:
            app = apps[name]
            prefix = f"r{round_number}-{name[:4]}"
            posts = environs(
                app,
                method="POST",
                path="/api/items",
                count=args.count,
                body=lambda n, p=prefix: f'{{"title": "{p}-{n}"}}'.encode(),
            )
            gc.collect()
            rates.setdefault((name, "POST /api/items"), []).append(per_second(app, posts))
            item_id = app.test_client().get("/api/items?limit=1").get_json()["items"][0]["id"]
            gets = environs(app, method="GET", path=f"/api/items/{item_id}", count=args.count)
            gc.collect()
            rates.setdefault((name, "GET /api/items/<id>"), []).append(per_second(app, gets))
    print(f"{args.count:,} requests per route x {args.rounds} rounds, WSGI level, median")
    print("| route | spectree req/s | hand-called pydantic req/s | ratio spectree/hand |")
    print("|---|---:|---:|---:|")
    for route in ("POST /api/items", "GET /api/items/<id>"):
        with_layer = statistics.median(rates[("spectree (the service)", route)])
        without = statistics.median(rates[("hand-called pydantic", route)])
        print(f"| {route} | {with_layer:,.0f} | {without:,.0f} | {with_layer / without:.2f} |")


if __name__ == "__main__":
    main()
