"""What the resource blueprint needs to know of a resource: its service, schemas and query."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from adapters.http.deprecation import Deprecation
from adapters.http.services import ServiceRegistry
from core.entities import Versioned
from core.query import Page

E = TypeVar("E", bound=Versioned)

#: The operations of a resource, as its declaration names them.
VERBS = ("list", "create", "get", "change", "delete")


class ResourceService(Protocol[E]):
    """The use cases the blueprint calls; a resource's service has them as it is.

    `create` gets the body's fields and `owner`; `update` the id, the body's fields, `actor` and
    `expected_version`; `delete` the id, `actor` and `expected_version`. Their keywords are the
    resource's own, so they are typed loosely here.
    """

    def get(self, entity_id: str, /) -> E: ...
    def list(self, query: Any, /) -> Page[E]: ...
    def create(self, *args: Any, **kwargs: Any) -> E: ...
    def update(self, *args: Any, **kwargs: Any) -> E: ...
    def delete(self, *args: Any, **kwargs: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class HttpResource(Generic[E]):
    """A resource served at `/api/<name>` (or `url`), each of its entities at `<prefix>/<id>`.

    `list_query` validates the query string; its fields but `sort` build the core's `query`,
    `sort` becomes its Sort keys. `change` holds the changeable fields and `version`.
    `service` names the registry's provider of the resource's service (`item_service`); left
    empty, the service is the registry's `resource_services()[name]`. `summaries` replaces the
    default summary of an operation, by operation id; `deprecations` marks operations
    deprecated, by verb (`list`, `create`, `get`, ...). `public_reads`: list and get need no
    token. `creating_needs_permission`: nobody owns what it holds, so creating one needs a
    permission (403 without it). `actions` add routes of the resource's own
    (`POST <prefix>/<id>/archive`).
    """

    name: str
    singular: str
    service: str
    create: type[BaseModel]
    change: type[BaseModel]
    list_query: type[BaseModel]
    query: Callable[..., Any]
    out: type[BaseModel]
    page: type[BaseModel]
    url: str = ""
    summaries: Mapping[str, str] = field(default_factory=dict)
    deprecations: Mapping[str, Deprecation] = field(default_factory=dict)
    public_reads: bool = True
    creating_needs_permission: bool = False
    # Routes beyond the five, added to the resource's blueprint: `action(spec, blueprint, self)`.
    actions: tuple[Callable[..., None], ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.deprecations) - set(VERBS)
        if unknown:
            raise ValueError(f"{self.name}: deprecations name no operation: {sorted(unknown)}")

    def service_of(self, registry: ServiceRegistry) -> ResourceService[E]:
        """The resource's service, from the registry of the running app."""
        if not self.service:
            declared: ResourceService[E] = registry.resource_services()[self.name]
            return declared
        provide: Callable[[], ResourceService[E]] = getattr(registry, self.service)
        return provide()

    @property
    def prefix(self) -> str:
        """The URL of the collection."""
        return self.url or f"/api/{self.name}"

    @property
    def id_parameter(self) -> str:
        """The name of the path parameter naming one entity."""
        return f"{self.singular}_id"

    def operation(self, verb: str) -> str:
        """The operation id (and endpoint) of `verb`: `list_items`, `get_item`, ..."""
        return f"{verb}_{self.name if verb == 'list' else self.singular}"

    def summary(self, verb: str) -> str:
        """The documented summary of an operation."""
        one, article = self.singular, "an" if self.singular[0] in "aeiou" else "a"
        defaults = {
            "list": f"A page of {self.name}, filtered and sorted.",
            "create": f"Create {article} {one} owned by the caller.",
            "get": f"One {one}, with its ETag; 304 when `If-None-Match` names the current one.",
            "change": f"Change {article} {one}; `If-Match` (or `version`), when given, must be "
            "current.",
            "delete": f"Delete {article} {one}; `If-Match`, when given, must name the current "
            "version.",
        }
        return self.summaries.get(self.operation(verb), defaults[verb])
