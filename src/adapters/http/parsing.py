"""Reading a request into a schema; failures become the core's ValidationError (422)."""

from __future__ import annotations

from typing import TypeVar

import pydantic
from flask import request
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

from core.errors import ValidationError

M = TypeVar("M", bound=pydantic.BaseModel)


def parse_json(model: type[M]) -> M:
    """The JSON body as `model`; 415 for another content type, 400 for malformed JSON."""
    if not request.is_json:
        raise UnsupportedMediaType("the request body must be JSON (Content-Type: application/json)")
    try:
        data = request.get_json()
    except BadRequest:
        raise BadRequest("the request body is not valid JSON") from None
    except RecursionError:
        raise BadRequest("the request body is nested too deeply") from None
    return _validate(model, data, "invalid request body")


def parse_query(model: type[M]) -> M:
    """The query string as `model`; a repeated parameter is an error, not a silent pick."""
    args = request.args
    repeated = [name for name in args if len(args.getlist(name)) > 1]
    if repeated:
        raise ValidationError("invalid query string", dict.fromkeys(repeated, "must be given once"))
    return _validate(model, args.to_dict(), "invalid query string")


def _validate(model: type[M], data: object, message: str) -> M:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        details = {
            ".".join(str(part) for part in issue["loc"]) or "body": issue["msg"]
            for issue in error.errors(include_url=False)
        }
        raise ValidationError(message, details) from None
