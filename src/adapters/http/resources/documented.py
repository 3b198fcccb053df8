"""What each operation of a resource documents: its schemas, statuses, headers, links, security."""

from __future__ import annotations

from typing import Any

from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.resources.declaration import HttpResource


def links_of(resource: HttpResource[Any]) -> dict[str, dict[str, str]]:
    """What an answer carrying an entity lets a client do next, with the values it carries."""
    the_one = {resource.id_parameter: "$response.body#/id"}
    as_it_is = the_one | {"header.If-Match": "$response.header.ETag"}
    return {
        resource.operation("get"): the_one,
        resource.operation("change"): as_it_is,
        resource.operation("delete"): as_it_is,
    }


def declarations(resource: HttpResource[Any]) -> dict[str, dict[str, Any]]:
    """`spec.validate` keywords of each operation (`list`, `create`, `get`, `change`, `delete`)."""
    tags, out, links = [resource.name], resource.out, links_of(resource)
    guarded = {"tags": tags, "security": BEARER_AUTH}
    # Reads that need a token say so, and that a request without one is 401.
    reads: dict[str, Any] = {"tags": tags} if resource.public_reads else guarded
    unauthorised = () if resource.public_reads else (401,)
    return {
        "list": {
            "query": resource.list_query,
            "resp": answers(*unauthorised, 422, HTTP_200=resource.page),
            **reads,
        },
        "create": {
            "json": resource.create,
            "resp": answers(
                401,
                409,
                422,
                body=True,
                sends={201: ("ETag", "Location")},
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
                reads=("If-Match",),
                sends={200: ("ETag",)},
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
