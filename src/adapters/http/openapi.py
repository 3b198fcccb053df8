"""The OpenAPI layer (spectree): validates each route's schemas and documents them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, ClassVar

from flask import Request, current_app
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from spectree import Response, SecurityScheme, SpecTree
from spectree.model_adapter.protocol import SchemaMode
from spectree.model_adapter.pydantic_adapter import PydanticModelAdapter
from spectree.models import SecureType, SecuritySchemeData
from spectree.plugins.base import Context
from spectree.plugins.flask_plugin import FlaskPlugin
from spectree.utils import get_multidict_items
from werkzeug.wrappers import Response as WerkzeugResponse

from adapters.http.document import Answers, ApiSpec, ComponentNames
from adapters.http.problems import PROBLEM_JSON
from adapters.http.schemas import ErrorOut
from core.errors import ValidationError

BEARER = "bearer"


class CachedSchemaAdapter(PydanticModelAdapter):
    """spectree's pydantic adapter, remembering each model's JSON schema.

    spectree asks for the schema of every model of every route each time an app is built;
    the schemas never change, and generating them was most of create_app()'s time. One
    instance serves every app of the process (schema_adapter()), so the pydantic validators it
    keeps per type are built once, not once per app.
    """

    _schemas: ClassVar[dict[tuple[Any, str, str], dict[str, Any]]] = {}

    def json_schema(
        self, model: type[Any], *, ref_template: str, mode: SchemaMode = "validation"
    ) -> dict[str, Any]:
        key = (model, ref_template, mode)
        if key not in self._schemas:
            self._schemas[key] = super().json_schema(model, ref_template=ref_template, mode=mode)
        # No copy: spectree deep-copies each schema (json_compatible_deepcopy) before editing it.
        return self._schemas[key]


class FlaskValidation(FlaskPlugin):
    """spectree's Flask plugin, doing only the work a request and its answer call for.

    The stock plugin copies every header and cookie of every request into dicts before it
    looks whether the route declares a model for them (none of ours does), and sends each
    answer through its general unpacking and Flask's `make_response`, also when the view
    returned an instance of the very model its status declares.
    """

    def request_validation(
        self,
        request: Request,
        query: type[BaseModel] | None,
        json: type[BaseModel] | None,
        form: type[BaseModel] | None,
        headers: type[BaseModel] | None,
        cookies: type[BaseModel] | None,
    ) -> None:
        """Validate the query and the JSON body against the route's models."""
        if form is not None or headers is not None or cookies is not None:
            super().request_validation(request, query, json, form, headers, cookies)  # type: ignore[no-untyped-call]
            return
        adapter = self.model_adapter
        body = None
        if json is not None and request.method not in ("GET", "DELETE"):
            data = request.get_json(silent=True)
            # No body, `null`, `[]` or `0` is no object: never read as "nothing to change".
            if not isinstance(data, dict):
                raise ValidationError("invalid request", {"body": "must be a JSON object"})
            body = adapter.validate_obj(json, data)
        request.context = Context(  # type: ignore[attr-defined]
            adapter.validate_obj(query, get_multidict_items(request.args, query))
            if query
            else None,
            body,
            None,
            None,
            None,
        )

    def validate_response(
        self,
        resp: Any,
        resp_model: Response | None,
        skip_validation: bool,
        force_resp_serialize: bool,
    ) -> tuple[Any, Exception | None]:
        """The view's answer as a response, and the validation error it raised, if any."""
        if isinstance(resp, WerkzeugResponse) and resp.mimetype == PROBLEM_JSON:
            # Problem details a view answers with (`/readyz`'s 503) follow ProblemOut, which
            # the document gives beside the envelope the route declares.
            return resp, None
        # A view returning the model its status declares, alone or as (model, status[,
        # headers]): spectree would skip validating an instance of the declared model too, and
        # serialize it the same way. Anything else takes spectree's path.
        answer = _declared_answer(resp)
        if (
            answer is not None
            and not skip_validation
            and resp_model is not None
            and type(answer[0]) is resp_model.find_model(answer[1])
        ):
            model, status, headers = answer
            response = current_app.response_class(
                model.model_dump_json(), status=status, mimetype="application/json"
            )
            if headers:
                response.headers.update(headers)
            return response, None
        validated: tuple[Any, Exception | None] = super().validate_response(
            resp, resp_model, skip_validation, force_resp_serialize
        )
        return validated


def _declared_answer(resp: Any) -> tuple[BaseModel, int, Mapping[str, str]] | None:
    """(model, status, headers) of a view's `model`, `(model, status)` or
    `(model, status, headers)`; None for any other shape."""
    if isinstance(resp, BaseModel):
        return resp, 200, {}
    if not isinstance(resp, tuple) or not 2 <= len(resp) <= 3:
        return None
    model, status, *rest = resp
    headers = rest[0] if rest else {}
    if isinstance(model, BaseModel) and type(status) is int and isinstance(headers, Mapping):
        return model, status, headers
    return None


@cache
def schema_adapter() -> CachedSchemaAdapter:
    """The process's one schema adapter: it holds only what each model always yields."""
    return CachedSchemaAdapter()


def api_spec(*, title: str, version: str) -> SpecTree:
    """A spectree instance for one app; views declare their schemas on it."""
    names = ComponentNames()
    return ApiSpec(
        "flask",
        backend=FlaskValidation,
        title=title,
        version=version,
        mode="strict",
        annotations=False,
        # The document and its page are served by views/docs.py, with local assets.
        page_templates={},
        security_schemes=[
            SecurityScheme(
                name=BEARER,
                data=SecuritySchemeData(type=SecureType.HTTP, scheme="bearer", bearer_format="JWE"),
            )
        ],
        validation_error_status=422,
        validation_error_model=ErrorOut,
        before=refuse_invalid_request,
        model_adapter=schema_adapter(),
        naming_strategy=names,
        nested_naming_strategy=names.nested,
    )


def refuse_invalid_request(
    request: Request, _response: Any, error: Exception | None, *_rest: Any
) -> None:
    """Turn spectree's validation failure (or a repeated parameter) into the core's 422."""
    if error is None and not request.query_string:
        return  # nothing failed and nothing can be repeated
    details: dict[str, str] = {
        name: "must be given once" for name in request.args if len(request.args.getlist(name)) > 1
    }
    if isinstance(error, PydanticValidationError):
        for issue in error.errors(include_url=False):
            field = ".".join(str(part) for part in issue["loc"]) or "body"
            details.setdefault(field, issue["msg"])
    elif error is not None:
        details.setdefault("request", str(error))
    if details:
        raise ValidationError("invalid request", details)


# Any route may be rate limited, find storage down, or fail; a route with a body may also get
# one that is not JSON, malformed, or too large.
ANY_ROUTE_ERRORS = (429, 500, 503)
BODY_ERRORS = (400, 413, 415)


def answers(
    *errors: int,
    body: bool = False,
    reads: Sequence[str] = (),
    requires: Sequence[str] = (),
    sends: Mapping[int, Sequence[str]] | None = None,
    links: Mapping[int, Mapping[str, Mapping[str, str]]] | None = None,
    **success: type[BaseModel] | None,
) -> Answers:
    """The documented responses of a route: `HTTP_200=Model` and every error status it can give.

    `reads`, `requires`, `sends` and `links` declare the headers it honours, demands and adds,
    and its links (Answers).
    """
    statuses = {*errors, *ANY_ROUTE_ERRORS, *(BODY_ERRORS if body else ())}
    declared: dict[str, Any] = dict(success)
    declared |= {f"HTTP_{status}": ErrorOut for status in sorted(statuses)}
    return Answers(reads=reads, requires=requires, sends=sends, links=links, **declared)


#: The `security` a route guarded by requires_auth declares.
BEARER_AUTH: dict[str, list[str]] = {BEARER: []}
