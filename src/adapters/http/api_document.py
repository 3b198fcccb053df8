"""What the OpenAPI document says beyond spectree: headers, links, operation ids, model names.

Generated clients name their classes after components and their functions after operation
ids, so both are plain and stable: a model is one component named after its class (never one
copy per parent), and an operation is named after its view function.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from pydantic import BaseModel
from spectree import Response, SpecTree

from adapters.http.rate_limits import LIMITS_ATTRIBUTE, NO_LIMITS


@dataclass(frozen=True)
class Header:
    """A header the document declares, with its schema."""

    description: str
    schema: Mapping[str, Any]
    required: bool = True


_INTEGER = {"type": "integer", "minimum": 0}
_STRING = {"type": "string"}
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
# Sent on every answer of a rate-limited route while rate limiting is on, so never required.
RESPONSE_HEADERS: dict[str, Header] = {
    "ETag": Header("The item's strong entity tag, for If-Match and If-None-Match.", _STRING),
    "Location": Header("The path of the resource just created.", _STRING),
    "Retry-After": Header("Seconds to wait before asking again.", _INTEGER),
    "X-Request-ID": Header("The request's id in the service's log.", _STRING),
    "X-RateLimit-Limit": Header("Requests allowed in the window.", _INTEGER, required=False),
    "X-RateLimit-Remaining": Header("Requests left in the window.", _INTEGER, required=False),
    "X-RateLimit-Reset": Header("When the window ends (Unix seconds).", _INTEGER, required=False),
}
REQUEST_HEADERS: dict[str, str] = {
    "If-Match": "Change only if the item still has one of these entity tags (else 412).",
    "If-None-Match": "Answer 304 without a body if the item still has one of these tags.",
}
# Every answer carries these, whatever its route and status.
ALWAYS_SENT = ("X-Request-ID",)
SENT_WITH_STATUS = {"429": ("Retry-After",), "503": ("Retry-After",)}


class Answers(Response):
    """spectree's documented responses, with the headers a route reads and sends.

    `reads`: request headers the route honours; `sends`: status -> response headers it adds;
    `links`: status -> {target operation id: {parameter: runtime expression}}.
    """

    def __init__(
        self,
        *codes: str,
        reads: Sequence[str] = (),
        sends: Mapping[int, Sequence[str]] | None = None,
        links: Mapping[int, Mapping[str, Mapping[str, str]]] | None = None,
        **code_models: Any,
    ) -> None:
        super().__init__(*codes, **code_models)
        unknown = {*reads} - REQUEST_HEADERS.keys()
        unknown |= {
            name for names in (sends or {}).values() for name in names
        } - RESPONSE_HEADERS.keys()
        if unknown:
            raise ValueError(f"undeclared headers: {sorted(unknown)}")
        self.reads = tuple(reads)
        self.sends = {str(status): tuple(names) for status, names in (sends or {}).items()}
        self.links = {str(status): dict(targets) for status, targets in (links or {}).items()}


class ComponentNames:
    """Names each model's component after its class; two classes of one name are an error."""

    def __init__(self) -> None:
        self._models: dict[str, type[BaseModel]] = {}

    def __call__(self, model: type[BaseModel]) -> str:
        self._claim(model)
        return model.__name__

    @staticmethod
    def nested(_parent: str, child: str) -> str:
        """The component of a model nested in another: the same one as its own."""
        return child

    def _claim(self, model: type[BaseModel]) -> None:
        holder = self._models.setdefault(model.__name__, model)
        if holder is model:
            for field in model.model_fields.values():
                for nested in _models_in(field.annotation):
                    if self._models.get(nested.__name__) is not nested:
                        self._claim(nested)
            return
        raise ValueError(
            f"two models are named {model.__name__} ({holder.__module__} and "
            f"{model.__module__}): the OpenAPI document needs one name per model"
        )


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        yield from _models_in(argument)


class ApiSpec(SpecTree):
    """A SpecTree whose document declares headers, links and plain operation ids."""

    _completed: dict[str, Any] | None = None

    @property
    def spec(self) -> dict[str, Any]:
        """The OpenAPI document (built once, on first use)."""
        if self._completed is None:
            self._completed = complete(super().spec, self)
        return self._completed


def complete(document: dict[str, Any], spec: SpecTree) -> dict[str, Any]:
    """The document with each operation's headers, links and operation id."""
    document["components"]["headers"] = {
        name: {
            "description": header.description,
            "required": header.required,
            "schema": dict(header.schema),
        }
        for name, header in RESPONSE_HEADERS.items()
    }
    operations: dict[str, str] = {}
    for path, method, view, answers in _operations(document, spec):
        operation = document["paths"][path][method]
        name = view.__name__
        if operations.setdefault(name, f"{method} {path}") != f"{method} {path}":
            raise ValueError(f"two views are named {name}: {operations[name]} and {method} {path}")
        operation["operationId"] = name
        limited = getattr(view, LIMITS_ATTRIBUTE, None) != NO_LIMITS
        declared = answers if isinstance(answers, Answers) else Answers()
        operation["parameters"] = [
            *operation.get("parameters", []),
            *(_header_parameter(header) for header in declared.reads),
        ]
        for status, response in operation["responses"].items():
            names = (
                *ALWAYS_SENT,
                *SENT_WITH_STATUS.get(status, ()),
                *(RATE_LIMIT_HEADERS if limited else ()),
                *declared.sends.get(status, ()),
            )
            response["headers"] = {n: {"$ref": f"#/components/headers/{n}"} for n in names}
            links = declared.links.get(status)
            if links:
                response["links"] = {
                    target: {"operationId": target, "parameters": dict(parameters)}
                    for target, parameters in links.items()
                }
    return document


def _header_parameter(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": False,
        "description": REQUEST_HEADERS[name],
        "schema": {"type": "string"},
    }


def _operations(document: dict[str, Any], spec: SpecTree) -> Iterator[tuple[str, str, Any, Any]]:
    """(path, method, view, declared responses) of each documented operation."""
    paths = document["paths"]
    for rule in spec.backend.find_routes():
        for method, view in spec.backend.parse_func(rule):
            path, _ = spec.backend.parse_path(rule, None)
            metadata = spec.get_function_metadata(view)
            if metadata is not None and method.lower() in paths.get(path, {}):
                yield path, method.lower(), view, metadata.resp
