"""What each operation of a resource documents: its schemas, statuses, headers, links, security."""

from __future__ import annotations

from typing import Any

from adapters.http.idempotency.keys import HEADER as IDEMPOTENCY_KEY
from adapters.http.idempotency.routes import REPLAYED, IdempotencyPolicy
from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.resources.declaration import HttpResource
from adapters.http.resources.paging import with_cursor


def links_of(resource: HttpResource[Any]) -> dict[str, dict[str, str]]:
    """What an answer carrying an entity lets a client do next, with the values it carries."""
    the_one = {resource.id_parameter: "$response.body#/id"}
    as_it_is = the_one | {"header.If-Match": "$response.header.ETag"}
    return {
        resource.operation("get"): the_one,
        resource.operation("change"): as_it_is,
        resource.operation("delete"): as_it_is,
    }


def keyed(
    resource: HttpResource[Any], keys: IdempotencyPolicy, verb: str, method: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The headers a write reads, requires and may send for Idempotency-Key (none for another)."""
    if method not in keys.methods:
        return (), (), ()
    required = resource.operation(verb) in keys.required
    return (IDEMPOTENCY_KEY,), (IDEMPOTENCY_KEY,) if required else (), (REPLAYED,)


def declarations(resource: HttpResource[Any], keys: IdempotencyPolicy) -> dict[str, dict[str, Any]]:
    """`spec.validate` keywords of each operation (`list`, `create`, `get`, `change`, `delete`)."""
    tags, out, links = [resource.name], resource.out, links_of(resource)
    guarded = {"tags": tags, "security": BEARER_AUTH}
    create_reads, create_requires, create_sends = keyed(resource, keys, "create", "POST")
    change_reads, change_requires, change_sends = keyed(resource, keys, "change", "PATCH")
    # Reads that need a token say so, and that a request without one is 401.
    reads: dict[str, Any] = {"tags": tags} if resource.public_reads else guarded
    unauthorised = () if resource.public_reads else (401,)
    # What nobody owns is created only by a holder of its permission.
    forbidden = (403,) if resource.creating_needs_permission else ()
    return {
        "list": {
            "query": with_cursor(resource.list_query),
            "resp": answers(
                *unauthorised, 400, 422, sends={200: ("Link",)}, HTTP_200=resource.page
            ),
            **reads,
        },
        "create": {
            "json": resource.create,
            "resp": answers(
                401,
                *forbidden,
                409,
                422,
                body=True,
                reads=create_reads,
                requires=create_requires,
                sends={201: ("ETag", "Location", *create_sends)},
                links={201: links},
                HTTP_201=out,
            ),
            **guarded,
        },
        "get": {
            "resp": answers(
                *unauthorised,
                404,
                reads=("If-None-Match",),
                sends={200: ("ETag",), 304: ("ETag",)},
                links={200: links},
                HTTP_200=out,
                HTTP_304=None,
            ),
            **reads,
        },
        "change": {
            "json": resource.change,
            "resp": answers(
                401,
                403,
                404,
                409,
                412,
                422,
                body=True,
                reads=("If-Match", *change_reads),
                requires=change_requires,
                sends={200: ("ETag", *change_sends)},
                links={200: links},
                HTTP_200=out,
            ),
            **guarded,
        },
        "delete": {
            "resp": answers(401, 403, 404, 412, reads=("If-Match",), HTTP_204=None),
            **guarded,
        },
    }
