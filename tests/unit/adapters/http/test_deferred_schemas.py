"""The document's component schemas, made when it is first served, are those spectree makes as it
decorates each route (ApiSpec defers spectree's `_add_model`)."""

from __future__ import annotations

import inspect
from functools import partial
from typing import Any

from flask import Blueprint, Flask
from spectree import SpecTree

from adapters.http.cursors import PageCursors, cursor_key
from adapters.http.document import ApiSpec
from adapters.http.openapi import answers, api_spec
from adapters.http.resources.blueprint import resource_blueprint
from adapters.http.schemas import MessageOut
from adapters.http.views.items import ITEMS, ItemOut, ItemPageOut
from adapters.http.views.root import root_blueprint


def echo_blueprint(spec: SpecTree) -> Blueprint:
    """One model both read (validation schema) and answered (serialization schema)."""
    blueprint = Blueprint("echo", __name__)

    @blueprint.post("/echo")
    @spec.validate(json=MessageOut, resp=answers(body=True, HTTP_200=MessageOut))
    def echo() -> MessageOut:
        """The message, back."""
        return MessageOut(message="echo")

    return blueprint


def served(spec: ApiSpec) -> dict[str, Any]:
    app = Flask("deferred")
    for blueprint in (
        root_blueprint(spec),
        resource_blueprint(spec, ITEMS, cursors=PageCursors(cursor_key("deferred"))),
        echo_blueprint(spec),
    ):
        app.register_blueprint(blueprint)
    with app.test_request_context():
        return spec.spec


def spectrees_own() -> ApiSpec:
    spec = api_spec(title="deferred", version="1")
    assert isinstance(spec, ApiSpec)
    # spectree's path: each model's schema made as the route is decorated.
    spec._add_model = partial(SpecTree._add_model, spec)  # type: ignore[method-assign]
    return spec


def test_the_deferred_document_is_the_one_spectree_builds_while_decorating() -> None:
    deferred = api_spec(title="deferred", version="1")
    assert isinstance(deferred, ApiSpec)
    document = served(deferred)
    expected = served(spectrees_own())
    assert document == expected
    assert list(document["components"]["schemas"]) == list(expected["components"]["schemas"])
    names = {"MessageOut", "ErrorOut", ItemOut.__name__, ItemPageOut.__name__}
    assert names <= set(expected["components"]["schemas"])


def test_spectree_still_adds_each_routes_models_through_add_model_while_decorating() -> None:
    spec = api_spec(title="deferred", version="1")
    assert isinstance(spec, ApiSpec)
    echo_blueprint(spec)
    # Were spectree to stop calling _add_model, nothing would be deferred (and the document
    # would lack the models): this fails first.
    assert set(spec._deferred) == {"MessageOut", "ErrorOut"}
    assert spec.models == {}


def test_spectrees_add_model_takes_the_arguments_the_deferral_keeps() -> None:
    assert list(inspect.signature(SpecTree._add_model).parameters) == ["self", "model", "mode"]
