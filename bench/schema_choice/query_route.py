"""Cost of validating a query string (`GET /items?limit=5&sort=title`) per library.

The main benchmark's routes carry a JSON body or a path parameter only; a listing route also
parses its query string, which is where flask-openapi3 rebuilds the model's JSON schema on
every request.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Annotated, Any

from flask import Blueprint, Flask, jsonify, request
from flask_openapi3 import APIBlueprint, OpenAPI
from pydantic import BaseModel, ConfigDict, Field
from spectree import SpecTree
from werkzeug.test import EnvironBuilder


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: Annotated[int, Field(ge=1, le=100)] = 20
    offset: Annotated[int, Field(ge=0)] = 0
    sort: str = "created_at"
    title: str | None = None
    title_prefix: str | None = None


def plain_app() -> Flask:
    app = Flask("plain")

    @app.get("/items")
    def items() -> Any:
        return jsonify(limit=Query.model_validate(request.args.to_dict()).limit)

    return app


def spectree_app() -> Flask:
    app = Flask("spectree")
    spec = SpecTree("flask", annotations=False)
    blueprint = Blueprint("items", __name__)

    @blueprint.get("/items")
    @spec.validate(query=Query)
    def items() -> Any:
        return jsonify(limit=request.context.query.limit)  # type: ignore[attr-defined]

    app.register_blueprint(blueprint)
    spec.register(app)
    return app


def openapi3_app() -> Flask:
    app = OpenAPI("openapi3")
    blueprint = APIBlueprint("items", __name__)

    @blueprint.get("/items")
    def items(query: Query) -> Any:
        return jsonify(limit=query.limit)

    app.register_api(blueprint)
    return app


def requests_per_second(app: Flask, count: int) -> float:
    environ = EnvironBuilder(path="/items", query_string="limit=5&sort=title").get_environ()

    def start_response(*_args: Any) -> None:
        return None

    started = time.perf_counter()
    for _ in range(count):
        b"".join(app.wsgi_app(dict(environ), start_response))
    return count / (time.perf_counter() - started)


def main(count: int = 5000, rounds: int = 3) -> None:
    apps: dict[str, Callable[[], Flask]] = {
        "plain Flask + pydantic": plain_app,
        "spectree": spectree_app,
        "flask-openapi3": openapi3_app,
    }
    built = {name: factory() for name, factory in apps.items()}
    results: dict[str, list[float]] = {name: [] for name in built}
    for _ in range(rounds):
        for name, app in built.items():
            results[name].append(requests_per_second(app, count))
    floor = statistics.median(results["plain Flask + pydantic"])
    print("| stack | GET /items?limit=5&sort=title req/s | ratio | +µs/request |")
    print("|---|---:|---:|---:|")
    for name, values in results.items():
        rate = statistics.median(values)
        extra = (1 / rate - 1 / floor) * 1e6
        print(f"| {name} | {rate:,.0f} | {rate / floor:.2f} | {extra:+.0f} |")


if __name__ == "__main__":
    main()
