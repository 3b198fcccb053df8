"""One blueprint serves any resource: list, get, create, change and delete, with ETags.

Every rule of a resource's HTTP contract lives here once: exact ETags, 304 on `If-None-Match`,
201 with `Location`, `If-Match` (or the body's `version`) checked through the service (412),
ownership left to the service (403), and the routes' documented headers and links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request, url_for
from pydantic import BaseModel
from spectree import SpecTree
from werkzeug.http import quote_etag

from adapters.http.auth import current_principal, requires_auth
from adapters.http.etags import etag_of, expected_version, none_match
from adapters.http.openapi import BEARER_AUTH, answers
from adapters.http.resources.declaration import HttpResource, ResourceService
from adapters.http.services import services
from core.entities import Versioned
from core.query import Sort

View = Callable[..., Any]


def resource_blueprint(spec: SpecTree, resource: HttpResource[Any]) -> Blueprint:
    """The collection at `resource.prefix` and one entity at `/<id>` below it."""
    blueprint = Blueprint(resource.name, __name__, url_prefix=resource.prefix)
    tags = [resource.name]
    key = resource.id_parameter
    # What an answer carrying an entity lets a client do next, with the values it carries.
    the_one = {key: "$response.body#/id"}
    as_it_is = the_one | {"header.If-Match": "$response.header.ETag"}
    links = {
        resource.operation("get"): the_one,
        resource.operation("change"): as_it_is,
        resource.operation("delete"): as_it_is,
    }
    out = resource.out

    def service() -> ResourceService[Any]:
        return resource.service_of(services())

    def with_etag(entity: Versioned, status: int = 200) -> tuple[BaseModel, int, dict[str, str]]:
        return out.model_validate(entity), status, {"ETag": quote_etag(etag_of(entity))}

    def expected(entity_id: str, stated: int | None) -> int | None:
        return expected_version(
            request.headers.get("If-Match"),
            stated=stated,
            current=lambda: service().get(entity_id).version,
        )

    def route(verb: str, rule: str, method: str, view: View, *decorators: Any) -> None:
        view.__name__ = view.__qualname__ = resource.operation(verb)
        view.__doc__ = resource.summary(verb)
        for decorate in reversed(decorators):
            view = decorate(view)
        blueprint.add_url_rule(rule, methods=[method], view_func=view)

    def list_entities() -> BaseModel:
        params = request.context.query  # type: ignore[attr-defined]
        filters = params.model_dump(exclude={"sort"})
        sort = tuple(Sort.parse(each) for each in params.sort.split(","))
        return resource.page.model_validate(service().list(resource.query(**filters, sort=sort)))

    route(
        "list",
        "",
        "GET",
        list_entities,
        spec.validate(
            query=resource.list_query, resp=answers(422, HTTP_200=resource.page), tags=tags
        ),
    )

    def create_entity() -> tuple[BaseModel, int, dict[str, str]]:
        body = request.context.json  # type: ignore[attr-defined]
        entity = service().create(**body.model_dump(), owner=current_principal())
        answer, status, headers = with_etag(entity, 201)
        headers["Location"] = url_for(f".{resource.operation('get')}", **{key: entity.id})
        return answer, status, headers

    route(
        "create",
        "",
        "POST",
        create_entity,
        requires_auth,
        spec.validate(
            json=resource.create,
            resp=answers(
                401,
                409,
                422,
                body=True,
                sends={201: ("ETag", "Location")},
                links={201: links},
                HTTP_201=out,
            ),
            tags=tags,
            security=BEARER_AUTH,
        ),
    )

    def get_entity(**path: str) -> Any:
        entity = service().get(path[key])
        if none_match(request.headers.get("If-None-Match"), entity):
            return Response(status=304, headers={"ETag": quote_etag(etag_of(entity))})
        return with_etag(entity)

    route(
        "get",
        f"/<{key}>",
        "GET",
        get_entity,
        spec.validate(
            resp=answers(
                404,
                reads=("If-None-Match",),
                sends={200: ("ETag",), 304: ("ETag",)},
                links={200: links},
                HTTP_200=out,
                HTTP_304=None,
            ),
            tags=tags,
        ),
    )

    def change_entity(**path: str) -> tuple[BaseModel, int, dict[str, str]]:
        body = request.context.json  # type: ignore[attr-defined]
        entity_id = path[key]
        entity = service().update(
            entity_id,
            **body.model_dump(exclude={"version"}),
            actor=current_principal(),
            expected_version=expected(entity_id, body.version),
        )
        return with_etag(entity)

    route(
        "change",
        f"/<{key}>",
        "PATCH",
        change_entity,
        requires_auth,
        spec.validate(
            json=resource.change,
            resp=answers(
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
            tags=tags,
            security=BEARER_AUTH,
        ),
    )

    def delete_entity(**path: str) -> Response:
        entity_id = path[key]
        service().delete(
            entity_id, actor=current_principal(), expected_version=expected(entity_id, None)
        )
        return Response(status=204)

    route(
        "delete",
        f"/<{key}>",
        "DELETE",
        delete_entity,
        requires_auth,
        spec.validate(
            resp=answers(401, 403, 404, 412, reads=("If-Match",), HTTP_204=None),
            tags=tags,
            security=BEARER_AUTH,
        ),
    )
    return blueprint
