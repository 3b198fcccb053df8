"""The OpenAPI layer (spectree): validates each route's schemas and documents them."""

from __future__ import annotations

from typing import Any

from flask import Request
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from spectree import Response, SecurityScheme, SpecTree
from spectree.models import SecureType, SecuritySchemeData

from adapters.http.schemas import ErrorOut
from core.errors import ValidationError

BEARER = "bearer"


def api_spec(*, title: str, version: str) -> SpecTree:
    """A spectree instance for one app; views declare their schemas on it."""
    return SpecTree(
        "flask",
        title=title,
        version=version,
        mode="strict",
        annotations=False,
        # The interactive page comes with locally served assets; no CDN-backed page meanwhile.
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
    )


def refuse_invalid_request(
    request: Request, _response: Any, error: Exception | None, *_rest: Any
) -> None:
    """Turn spectree's validation failure (or a repeated parameter) into the core's 422."""
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


def answers(*errors: int, **success: type[BaseModel] | None) -> Response:
    """The documented responses of a route: `HTTP_200=Model` and the error statuses it uses."""
    declared: dict[str, Any] = dict(success)
    declared |= {f"HTTP_{status}": ErrorOut for status in errors}
    return Response(**declared)


#: The `security` a route guarded by requires_auth declares.
BEARER_AUTH: dict[str, list[str]] = {BEARER: []}
