"""CORS from settings (Flask-Cors), evaluated only for requests that name an Origin."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from typing import cast

from flask import Flask, Response, request
from flask_cors import CORS

ResponseHook = Callable[[Response], Response]


def allow_cross_origin(
    app: Flask,
    *,
    origins: Sequence[str],
    methods: Sequence[str],
    headers: Sequence[str],
    expose: Sequence[str],
) -> None:
    """Answer cross-origin requests from `origins` (with credentials), as Flask-Cors decides."""
    CORS(
        app,
        origins=list(origins),
        methods=list(methods),
        allow_headers=list(headers),
        expose_headers=list(expose),
        supports_credentials=True,
        always_send=False,
    )
    hooks = app.after_request_funcs[None]
    if not hooks or getattr(hooks[-1], "__name__", "") != "cors_after_request":
        raise RuntimeError("Flask-Cors did not add its after-request hook where expected")
    hooks[-1] = only_cross_origin(cast(ResponseHook, hooks[-1]))


def only_cross_origin(evaluate: ResponseHook) -> ResponseHook:
    """Run Flask-Cors's hook only when the request carries an Origin header.

    Without one Flask-Cors adds nothing (not even `Vary: Origin`), yet it still matches the
    path against its resources and builds an empty header set on every request.
    """

    @wraps(evaluate)
    def hook(response: Response) -> Response:
        return evaluate(response) if "HTTP_ORIGIN" in request.environ else response

    return hook
