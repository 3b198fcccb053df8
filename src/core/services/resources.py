"""The use cases of any declared resource: create, read, list, change and delete.

Driven by the resource's declaration (`core.resource.ResourceType`): each field's rule cleans
what callers send, ownership and the resource's permission decide who may write. A team adds
its domain rules by subclassing (`check` sees every entity about to be stored).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from core.entities import Versioned
from core.errors import Forbidden, NotFound, ValidationError
from core.fields import Kind
from core.ports.clock import Clock, IdGenerator
from core.ports.unit_of_work import UnitOfWork, UnitOfWorkFactory
from core.principal import Principal
from core.query import Page
from core.queryable import ListQuery
from core.resource import ResourceType
from core.services.writes import UNCONDITIONAL_ATTEMPTS, check_page, check_version, retried
from core.titles import normal_text

E = TypeVar("E", bound=Versioned)
Q = TypeVar("Q", bound=ListQuery)


class ResourceService(Generic[E, Q]):
    """CRUD of one resource; the owner, or a holder of the resource's permission, may write."""

    def __init__(
        self,
        *,
        resource: ResourceType[E, Q],
        uow: UnitOfWorkFactory,
        clock: Clock,
        ids: IdGenerator,
        attempts: int = UNCONDITIONAL_ATTEMPTS,
    ) -> None:
        self.resource = resource
        self._uow = uow
        self._clock = clock
        self._ids = ids
        self._attempts = attempts

    def create(self, *, owner: Principal, **fields: Any) -> E:
        """Store a new entity; Conflict when a unique field is taken."""
        if not self.resource.owned:
            self._require_permission(owner)
        values = {each.name: each.default for each in self.resource.fields} | fields
        now = self._clock.now()
        stamps: dict[str, Any] = {"created_at": now, "updated_at": now}
        if self.resource.owned:
            stamps["owner_id"] = owner.subject
        build: Callable[..., E] = self.resource.entity
        entity = build(id=self._ids.new_id(), **self._cleaned(values), **stamps)
        with self._uow() as uow:
            self.check(entity, uow)
            uow.repository(self.resource).add(entity)
            uow.commit()
        return entity

    def get(self, entity_id: str) -> E:
        """The entity; NotFound when absent."""
        with self._uow(read_only=True) as uow:
            return uow.repository(self.resource).get(entity_id)

    def list(self, query: Q) -> Page[E]:
        """One page of the entities matching the query."""
        check_page(query)
        # Text is stored in NFC: a filter in any other spelling of the same text finds it.
        texts = {
            each.param: normal_text(value)
            for each, value in self.resource.queryable.active(query)
            if isinstance(value, str)
        }
        query = dataclasses.replace(query, **texts)  # type: ignore[type-var]
        with self._uow(read_only=True) as uow:
            return uow.repository(self.resource).list(query)

    def update(
        self,
        entity_id: str,
        *,
        actor: Principal,
        expected_version: int | None = None,
        **fields: Any,
    ) -> E:
        """Change the given fields; StaleVersion when `expected_version` is not the stored one.

        A change to what the entity already holds stores nothing and answers it as it is.
        """
        cleaned = self._cleaned(fields)
        return retried(
            lambda: self._update_once(entity_id, actor, cleaned, expected_version),
            attempts=self._attempts,
            conditional=expected_version is not None,
        )

    def delete(
        self, entity_id: str, *, actor: Principal, expected_version: int | None = None
    ) -> None:
        """Remove the entity; StaleVersion when `expected_version` is not the stored one."""
        retried(
            lambda: self._delete_once(entity_id, actor, expected_version),
            attempts=self._attempts,
            conditional=expected_version is not None,
        )

    def check(self, entity: E, uow: UnitOfWork) -> None:
        """The rules an entity must meet before it is stored; subclasses add their own."""
        for each in self.resource.fields:
            value = getattr(entity, each.name)
            if each.kind is Kind.USER and value is not None:
                try:
                    uow.users.get(value)
                except NotFound:
                    raise ValidationError(
                        f"invalid {self.resource.singular}", {each.name: "no such user"}
                    ) from None

    def _cleaned(self, fields: dict[str, Any]) -> dict[str, Any]:
        singular = self.resource.singular
        return {
            name: self.resource.field(name).clean(value, resource=singular)
            for name, value in fields.items()
        }

    def _update_once(
        self,
        entity_id: str,
        actor: Principal,
        fields: dict[str, Any],
        expected_version: int | None,
    ) -> E:
        with self._uow() as uow:
            repository = uow.repository(self.resource)
            entity = repository.get(entity_id)
            self._authorise(entity, actor)
            check_version(self.resource.singular, entity.version, expected_version)
            if all(getattr(entity, name) == value for name, value in fields.items()):
                # A no-op keeps the version, so nobody else's ETag goes stale for nothing.
                return entity
            changed = dataclasses.replace(entity, **fields, updated_at=self._clock.now())  # type: ignore[type-var]
            self.check(changed, uow)
            stored = repository.update(changed)
            uow.commit()
        return stored

    def _delete_once(self, entity_id: str, actor: Principal, expected_version: int | None) -> None:
        with self._uow() as uow:
            repository = uow.repository(self.resource)
            entity: Any = repository.get(entity_id)
            self._authorise(entity, actor)
            check_version(self.resource.singular, entity.version, expected_version)
            repository.delete(entity_id, expected_version=entity.version)
            uow.commit()

    def _authorise(self, entity: Any, actor: Principal) -> None:
        if not self.resource.owned:
            self._require_permission(actor)
        # Reads are public (or open to every caller): refusing with 403 hides nothing.
        elif entity.owner_id != actor.subject and not actor.may(self.resource.write_permission):
            raise Forbidden(f"only the owner may change this {self.resource.singular}")

    def _require_permission(self, actor: Principal) -> None:
        if not actor.may(self.resource.write_permission):
            raise Forbidden(f"writing {self.resource.name} needs {self.resource.write_permission}")
