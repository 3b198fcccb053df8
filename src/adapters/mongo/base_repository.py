"""The shared part of the Mongo repositories: writes staged until commit, reads laid over them.

A unit reads its own staged writes: the repository keeps the entities it staged by id and lays
them over what the server answers, with the same rules in Python as in the Mongo filter and sort.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Generic, TypeVar

from pymongo.collection import Collection

from adapters.mongo.client import Document
from adapters.mongo.errors import translate_errors
from adapters.mongo.guard import equals, lookup_key
from adapters.mongo.staging import Delete, Insert, Replace, Write
from core.entities import Versioned
from core.errors import ConcurrentChange, Conflict, NotFound
from core.query import Page

E = TypeVar("E", bound=Versioned)


class MongoRepository(ABC, Generic[E]):
    """Entities of one collection; `log` is the unit's ordered list of staged writes."""

    name: str

    def __init__(self, collection: Collection[Document], log: builtins.list[Write]) -> None:
        self._collection = collection
        self._log = log
        self._staged: dict[str, E | None] = {}  # id -> staged entity, None when deleted

    @abstractmethod
    def _to_document(self, entity: E) -> Document:
        """The stored form of an entity."""

    @abstractmethod
    def _from_document(self, document: Document) -> E:
        """The entity a stored document holds."""

    def add(self, entity: E) -> None:
        """Stage a new entity; Conflict (now or at commit) when its id or a unique key is taken."""
        self.add_many([entity])

    def add_many(self, entities: Iterable[E]) -> int:
        """Stage new entities, inserted in batches on commit; how many."""
        staged: dict[str, E] = {}
        documents: builtins.list[Document] = []
        for entity in entities:
            if entity.id in staged or self._staged.get(entity.id) is not None:
                raise Conflict(f"{self.name} {entity.id} already exists")
            documents.append(self._to_document(entity))
            staged[entity.id] = entity
        if documents:
            self._staged.update(staged)
            self._log.append(Insert(self._collection, self.name, documents))
        return len(documents)

    def get(self, entity_id: str) -> E:
        """The entity as this unit sees it; NotFound when there is none."""
        key = lookup_key(entity_id, field="id")
        if key in self._staged:
            entity = self._staged[key]
        else:
            with translate_errors(self.name):
                document = self._collection.find_one({"_id": equals(key, field="id")})
            entity = None if document is None else self._from_document(document)
        if entity is None:
            raise NotFound(f"{self.name} {entity_id} not found")
        return entity

    def update(self, entity: E) -> E:
        """Stage the entity with its version bumped if the version it carries is current."""
        current = self.get(entity.id)
        if current.version != entity.version:
            raise ConcurrentChange(f"{self.name} {entity.id} was changed concurrently")
        stored: E = replace(entity, version=entity.version + 1)  # type: ignore[type-var]
        document = self._to_document(stored)
        self._log.append(Replace(self._collection, self.name, entity.id, entity.version, document))
        self._staged[entity.id] = stored
        return stored

    def delete(self, entity_id: str, *, expected_version: int | None = None) -> None:
        """Stage the removal; NotFound when absent, Conflict when its version differs."""
        current = self.get(entity_id)
        if expected_version is not None and current.version != expected_version:
            raise ConcurrentChange(f"{self.name} {entity_id} was changed concurrently")
        self._log.append(Delete(self._collection, self.name, current.id, expected_version))
        self._staged[current.id] = None

    def discard(self) -> None:
        """Forget what this unit staged (its writes are dropped from the log by the unit)."""
        self._staged.clear()

    def _page(
        self,
        conditions: Document,
        *,
        sort: builtins.list[tuple[str, int]],
        matches: Callable[[E], bool],
        order: Callable[[builtins.list[E]], builtins.list[E]],
        limit: int,
        offset: int,
    ) -> Page[E]:
        if not self._staged:
            with translate_errors(self.name):
                cursor = self._collection.find(conditions, sort=sort, skip=offset, limit=limit)
                rows = [self._from_document(document) for document in cursor]
                total = self._collection.count_documents(conditions)
            return Page(items=rows, total=total, limit=limit, offset=offset)
        # The first offset + limit of the union lie within the first offset + limit of each part.
        stored = self._unstaged(conditions)
        with translate_errors(self.name):
            cursor = self._collection.find(stored, sort=sort, limit=offset + limit)
            rows = [self._from_document(document) for document in cursor]
            total = self._collection.count_documents(stored)
        staged = self._staged_matching(matches)
        merged = order(rows + staged)[offset : offset + limit]
        return Page(items=merged, total=total + len(staged), limit=limit, offset=offset)

    def _count(self, conditions: Document, matches: Callable[[E], bool]) -> int:
        if self._staged:
            conditions = self._unstaged(conditions)
        with translate_errors(self.name):
            total = self._collection.count_documents(conditions)
        return total + len(self._staged_matching(matches))

    def _unstaged(self, conditions: Document) -> Document:
        return {**conditions, "_id": {"$nin": list(self._staged)}}

    def _staged_matching(self, matches: Callable[[E], bool]) -> builtins.list[E]:
        return [
            entity for entity in self._staged.values() if entity is not None and matches(entity)
        ]
