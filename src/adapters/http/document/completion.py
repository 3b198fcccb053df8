"""The document spectree writes, completed with headers, links and operation ids."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spectree import SpecTree
from spectree.model_adapter.protocol import SchemaMode

from adapters.http.deprecation import deprecation_of
from adapters.http.document.answers import Answers
from adapters.http.document.headers import (
    ALWAYS_SENT,
    RATE_LIMIT_HEADERS,
    SENT_WITH_STATUS,
    header_components,
    header_parameter,
)
from adapters.http.problems import PLAIN_JSON, PROBLEM_JSON
from adapters.http.rate_limits.limits import LIMITS_ATTRIBUTE, NO_LIMITS
from adapters.http.schemas import ProblemOut

PROBLEM_REF = f"#/components/schemas/{ProblemOut.__name__}"


class ApiSpec(SpecTree):
    """A SpecTree whose document declares headers, links and plain operation ids.

    spectree turns a route's models into component schemas as it decorates the route, for the
    document alone; here that waits for the document, so an app that never serves it (every
    worker but the one asked, each test app) never pays for it.
    """

    _completed: dict[str, Any] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._deferred: dict[str, tuple[Any, SchemaMode]] = {}
        super().__init__(*args, **kwargs)

    def _add_model(self, model: Any, mode: SchemaMode = "validation") -> str:
        """The model's component name, claimed now; its schema is made with the document."""
        key: str = self.naming_strategy(model)
        # A model decorated again replaces its entry in place, as spectree's own dict does.
        self._deferred[key] = (model, mode)
        return key

    @property
    def spec(self) -> dict[str, Any]:
        """The OpenAPI document (built once, on first use)."""
        if self._completed is None:
            while self._deferred:
                key = next(iter(self._deferred))
                model, mode = self._deferred.pop(key)
                SpecTree._add_model(self, model, mode)
            self._completed = complete(super().spec, self)
        return self._completed


def complete(document: dict[str, Any], spec: SpecTree) -> dict[str, Any]:
    """The document with each operation's headers, links, operation id and deprecation, and
    problem details beside each error's envelope."""
    document["components"]["headers"] = header_components()
    document["components"]["schemas"].update(problem_components())
    named: dict[str, str] = {}
    for path, method, view, answers in _operations(document, spec):
        operation = document["paths"][path][method]
        where = named.setdefault(view.__name__, f"{method} {path}")
        if where != f"{method} {path}":
            raise ValueError(f"two views are named {view.__name__}: {where} and {method} {path}")
        operation["operationId"] = view.__name__
        declared = answers if isinstance(answers, Answers) else Answers()
        operation["parameters"] = [
            *operation.get("parameters", []),
            *(
                header_parameter(name, required=name in declared.requires)
                for name in declared.reads
            ),
        ]
        limited = getattr(view, LIMITS_ATTRIBUTE, None) != NO_LIMITS
        deprecation = deprecation_of(view)
        if deprecation is not None:
            operation["deprecated"] = True
        announced = tuple(deprecation.headers()) if deprecation else ()
        for status, response in operation["responses"].items():
            names = (
                *ALWAYS_SENT,
                *SENT_WITH_STATUS.get(status, ()),
                *(RATE_LIMIT_HEADERS if limited else ()),
                *declared.sends.get(status, ()),
                *announced,
            )
            response["headers"] = {name: {"$ref": f"#/components/headers/{name}"} for name in names}
            if int(status) >= 400 and PLAIN_JSON in response.get("content", {}):
                response["content"][PROBLEM_JSON] = {"schema": {"$ref": PROBLEM_REF}}
            links = declared.links.get(status)
            if links:
                response["links"] = {
                    target: {"operationId": target, "parameters": dict(parameters)}
                    for target, parameters in links.items()
                }
    return document


def problem_components() -> dict[str, Any]:
    """The schemas of problem details, as components (each error answer may be one)."""
    schema = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
    nested: dict[str, Any] = schema.pop("$defs", {})
    return {**nested, ProblemOut.__name__: schema}


def _operations(document: dict[str, Any], spec: SpecTree) -> Iterator[tuple[str, str, Any, Any]]:
    """(path, method, view, declared responses) of each documented operation, as spectree
    finds them (its route plugin's find_routes, parse_func and parse_path)."""
    paths = document["paths"]
    for rule in spec.backend.find_routes():
        for method, view in spec.backend.parse_func(rule):
            path, _ = spec.backend.parse_path(rule, None)
            metadata = spec.get_function_metadata(view)
            if metadata is not None and method.lower() in paths.get(path, {}):
                yield path, method.lower(), view, metadata.resp
