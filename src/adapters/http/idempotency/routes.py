"""Which routes honour Idempotency-Key, and the wrapper that replays their first answer."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest, Conflict, HTTPException, UnprocessableEntity

from adapters.http.auth import current_principal
from adapters.http.idempotency.keys import HEADER, fingerprint, read_key, scoped
from adapters.http.idempotency.store import Entry, IdempotencyStore
from adapters.http.services import services
from core.errors import DomainError, Unavailable

log = logging.getLogger(__name__)
View = Callable[..., Any]

REPLAYED = "Idempotent-Replayed"
POLL_SECONDS = 0.02


@dataclass(frozen=True, slots=True)
class IdempotencyPolicy:
    """How keyed requests are kept: `methods` honour a key, `required` operations demand one.

    `ttl`: seconds an answer is replayed; `claim_ttl`: seconds a running request holds its key;
    `wait`: seconds a retry waits for the running one before its 409.
    """

    ttl: int = 24 * 3600
    claim_ttl: int = 60
    wait: float = 0.0
    methods: frozenset[str] = frozenset({"POST"})
    required: frozenset[str] = frozenset()

    def keyed(self, view: View, *, method: str, operation: str) -> View:
        """`view` replaying its first answer to a retry with its key (goes inside requires_auth)."""
        if method not in self.methods:
            return view
        return _keyed(view, self, required=operation in self.required)


def _keyed(view: View, policy: IdempotencyPolicy, *, required: bool) -> View:
    @wraps(view)
    def answer_once(*args: Any, **kwargs: Any) -> Any:
        key = read_key(request.headers.get(HEADER))
        if key is None:
            if required:
                raise BadRequest(f"this operation requires an {HEADER} header")
            return view(*args, **kwargs)
        store = IdempotencyStore(
            services().idempotency_cache(), ttl=policy.ttl, claim_ttl=policy.claim_ttl
        )
        scope = scoped(current_principal().subject, key)
        asked = fingerprint(
            method=request.method,
            path=request.full_path.removesuffix("?"),
            body=request.get_json(silent=True),
            raw=request.get_data(),
        )
        earlier = _claim(store, scope, asked, wait=policy.wait)
        if earlier is not None:
            return _replay(earlier, asked)
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except (DomainError, HTTPException) as error:
            response = current_app.make_response(current_app.handle_user_exception(error))
        except BaseException:
            store.release(scope)
            raise
        _settle(store, scope, asked, response)
        return response

    return answer_once


def _claim(store: IdempotencyStore, scope: str, asked: str, *, wait: float) -> Entry | None:
    deadline = time.monotonic() + wait
    while True:
        earlier = store.claim(scope, asked)
        if earlier is None or not earlier.running or earlier.fingerprint != asked:
            return earlier
        if time.monotonic() >= deadline:
            return earlier
        time.sleep(POLL_SECONDS)


def _replay(earlier: Entry, asked: str) -> Response:
    if earlier.fingerprint != asked:
        raise UnprocessableEntity(f"this {HEADER} was used for another request")
    if earlier.status is None:
        raise Conflict(f"a request with this {HEADER} is still being processed; retry later")
    response = current_app.response_class(earlier.body, status=earlier.status)
    response.headers.clear()
    response.headers.extend(earlier.headers)
    response.headers[REPLAYED] = "true"
    return response


def _settle(store: IdempotencyStore, scope: str, asked: str, response: Response) -> None:
    # A 5xx is kept for no one: the write most likely did not happen (storage down), and a
    # retry must be able to make it (docs/http-standards.md).
    try:
        if response.status_code >= 500:
            store.release(scope)
        else:
            store.keep(
                scope,
                asked,
                status=response.status_code,
                headers=response.headers.to_wsgi_list(),
                body=response.get_data(),
            )
    except Unavailable as error:
        # The answer stands (its write is done); only its replay is lost, and the claim ends
        # when it expires.
        log.warning("idempotency store failed to keep an answer: %s", error.message)
