"""One blueprint serves any resource: list, get, create, change and delete, with ETags.

Every rule of a resource's HTTP contract lives here once: exact ETags, 304 on `If-None-Match`,
201 with `Location`, `If-Match` (or the body's `version`) checked through the service (412),
ownership left to the service (403), Idempotency-Key on its writes, Deprecation and Sunset where
declared; `documented.py` declares the routes' headers and links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, request, url_for
from pydantic import BaseModel
from spectree import SpecTree
from werkzeug.http import quote_etag

from adapters.http.auth import current_principal, requires_auth
from adapters.http.cursors import PageCursors
from adapters.http.deprecation import DEPRECATION_ATTRIBUTE
from adapters.http.etags import etag_of, expected_version, none_match
from adapters.http.idempotency.routes import IdempotencyPolicy
from adapters.http.resources.declaration import HttpResource, ResourceService
from adapters.http.resources.documented import declarations
from adapters.http.resources.paging import ListingPages
from adapters.http.services import services
from core.entities import Versioned
from core.query import Sort

View = Callable[..., Any]
Answer = tuple[BaseModel, int, dict[str, str]]


def resource_blueprint(
    spec: SpecTree,
    resource: HttpResource[Any],
    *,
    cursors: PageCursors,
    idempotency: IdempotencyPolicy | None = None,
) -> Blueprint:
    """The collection at `resource.prefix` and one entity at `/<id>` below it.

    Writes `idempotency` names honour Idempotency-Key; operations the resource declares
    deprecated send Deprecation and Sunset.
    """
    blueprint = Blueprint(resource.name, __name__, url_prefix=resource.prefix)
    keys = idempotency or IdempotencyPolicy()
    documented = declarations(resource, keys)
    key = resource.id_parameter
    pages = ListingPages(cursors, resource=resource.name, endpoint=f".{resource.operation('list')}")

    def service() -> ResourceService[Any]:
        return resource.service_of(services())

    def with_etag(entity: Versioned, status: int = 200) -> Answer:
        return resource.out.model_validate(entity), status, {"ETag": quote_etag(etag_of(entity))}

    def expected(entity_id: str, stated: int | None) -> int | None:
        return expected_version(
            request.headers.get("If-Match"),
            stated=stated,
            current=lambda: service().get(entity_id).version,
        )

    def route(
        verb: str, rule: str, method: str, *, guarded: bool = False
    ) -> Callable[[View], View]:
        def register(view: View) -> View:
            view.__name__ = view.__qualname__ = resource.operation(verb)
            view.__doc__ = resource.summary(verb)
            if verb in resource.deprecations:
                setattr(view, DEPRECATION_ATTRIBUTE, resource.deprecations[verb])
            served = spec.validate(**documented[verb])(view)
            if guarded:  # a key belongs to its caller, so only an authenticated write has one
                served = keys.keyed(served, method=method, operation=resource.operation(verb))
                served = requires_auth(served)
            blueprint.add_url_rule(rule, methods=[method], view_func=served)
            return view

        return register

    reads_guarded = not resource.public_reads

    @route("list", "", "GET", guarded=reads_guarded)
    def list_entities() -> Answer:
        params = request.context.query  # type: ignore[attr-defined]
        filters = params.model_dump(exclude={"sort", "cursor"})
        sort = tuple(Sort.parse(each) for each in params.sort.split(","))
        seek = pages.seek(params)
        page = service().list(resource.query(**filters, sort=sort, seek=seek))
        fields, headers = pages.answer(params, page)
        return resource.page.model_validate(fields), 200, headers

    @route("create", "", "POST", guarded=True)
    def create_entity() -> Answer:
        body = request.context.json  # type: ignore[attr-defined]
        entity = service().create(**body.model_dump(), owner=current_principal())
        answer, status, headers = with_etag(entity, 201)
        headers["Location"] = url_for(f".{resource.operation('get')}", **{key: entity.id})
        return answer, status, headers

    @route("get", f"/<{key}>", "GET", guarded=reads_guarded)
    def get_entity(**path: str) -> Any:
        entity = service().get(path[key])
        if none_match(request.headers.get("If-None-Match"), entity):
            return Response(status=304, headers={"ETag": quote_etag(etag_of(entity))})
        return with_etag(entity)

    @route("change", f"/<{key}>", "PATCH", guarded=True)
    def change_entity(**path: str) -> Answer:
        body = request.context.json  # type: ignore[attr-defined]
        entity_id = path[key]
        entity = service().update(
            entity_id,
            **body.model_dump(exclude={"version"}, exclude_unset=True),
            actor=current_principal(),
            expected_version=expected(entity_id, body.version),
        )
        return with_etag(entity)

    @route("delete", f"/<{key}>", "DELETE", guarded=True)
    def delete_entity(**path: str) -> Response:
        entity_id = path[key]
        service().delete(
            entity_id, actor=current_principal(), expected_version=expected(entity_id, None)
        )
        return Response(status=204)

    for action in resource.actions:
        action(spec, blueprint, resource)
    return blueprint
