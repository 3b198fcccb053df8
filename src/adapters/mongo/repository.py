"""The Mongo repository of any resource: writes staged until commit, reads laid over them.

A unit reads its own staged writes: the repository keeps the entities it staged by id and lays
them over what the server answers, with the same rules in Python as in the Mongo filter and sort.
"""

from __future__ import annotations

import builtins
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Generic, TypeVar

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from adapters.mongo.client import Document
from adapters.mongo.documents import from_document, to_document
from adapters.mongo.errors import translate_errors
from adapters.mongo.guard import equals, lookup_key, plain
from adapters.mongo.in_process import is_in_process, stored_documents
from adapters.mongo.query import mongo_filter, mongo_sort
from adapters.mongo.resource import MongoResource
from adapters.mongo.staging import Delete, Insert, Replace, Write
from core.entities import Versioned
from core.errors import ConcurrentChange, Conflict, NotFound
from core.paging import page_of
from core.query import Page
from core.queryable import ListQuery

E = TypeVar("E", bound=Versioned)
Q = TypeVar("Q", bound=ListQuery)


class MongoRepository(Generic[E, Q]):
    """Entities of one collection; `log` is the unit's ordered list of staged writes."""

    def __init__(
        self,
        collection: Collection[Document],
        log: builtins.list[Write],
        resource: MongoResource[E],
    ) -> None:
        self._collection = collection
        self._log = log
        self._resource = resource
        self.name = resource.name
        self._staged: dict[str, E | None] = {}  # id -> staged entity, None when deleted

    def _to_document(self, entity: E) -> Document:
        document: Document = to_document(self._resource, entity)
        return document

    def _from_document(self, document: Document) -> E:
        entity: E = from_document(self._resource, document)
        return entity

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

    def get_many(self, ids: Sequence[str]) -> builtins.list[E]:
        """The entities among these ids as this unit sees them, in one query."""
        wanted = [plain(lookup_key(each, field="id"), field="id") for each in dict.fromkeys(ids)]
        stored = [each for each in wanted if each not in self._staged]
        found: builtins.list[E] = []
        if stored:
            with translate_errors(self.name):
                cursor = self._collection.find({"_id": {"$in": stored}})
                found = [self._from_document(document) for document in cursor]
        staged = (self._staged[each] for each in wanted if each in self._staged)
        return found + [entity for entity in staged if entity is not None]

    def scan(self, after: str | None = None, *, limit: int) -> builtins.list[E]:
        """The next entities in `_id` order (its index), this unit's staged writes laid over."""
        conditions: builtins.list[Document] = []
        if after is not None:
            conditions.append({"_id": {"$gt": plain(lookup_key(after, field="id"), field="id")}})
        if self._staged:
            conditions.append({"_id": {"$nin": list(self._staged)}})
        with translate_errors(self.name):
            cursor = self._collection.find(
                {"$and": conditions} if conditions else {}, sort=[("_id", 1)], limit=limit
            )
            rows = [self._from_document(document) for document in cursor]
        staged = [
            entity
            for key, entity in self._staged.items()
            if entity is not None and (after is None or key > after)
        ]
        return sorted(rows + staged, key=lambda each: each.id)[:limit] if staged else rows

    def stored_batches(self, after: str | None, *, size: int) -> Iterator[builtins.list[E]]:
        """Every stored entity following `after` in `_id` order, in batches of `size`: mongomock's
        documents as they are now, read once (what `scan` would give batch by batch, in time
        growing with the collection, not its square); a server's are read with `scan`."""
        if not is_in_process(self._collection):
            return self._scanned(after, size=size)
        documents = sorted(stored_documents(self._collection), key=itemgetter("_id"))
        start = 0 if after is None else bisect_right(documents, after, key=itemgetter("_id"))
        return self._built(documents, start, size)

    def _built(
        self, documents: builtins.list[Document], start: int, size: int
    ) -> Iterator[builtins.list[E]]:
        for first in range(start, len(documents), size):
            yield [self._from_document(each) for each in documents[first : first + size]]

    def _scanned(self, after: str | None, *, size: int) -> Iterator[builtins.list[E]]:
        while batch := self.scan(after, limit=size):
            yield batch
            after = batch[-1].id

    def drop_secondary_indexes(self) -> None:
        """Drop the collection's declared indexes, the unique ones too (`_id` stays), before a
        bulk load into it: mongomock checks each unique index by reading the whole collection
        for every inserted document, and a server builds an index faster from all rows at once."""
        names = {model.document["name"] for model in self._resource.indexes()}
        with translate_errors(self.name):
            for name in names & set(self._collection.index_information()):
                self._collection.drop_index(name)

    def create_secondary_indexes(self) -> None:
        """Create the declared indexes that are missing; Conflict, naming the field, when two
        stored documents share the value of a unique one (the documents stay, unindexed)."""
        with translate_errors(self.name):
            for model in self._resource.indexes():
                try:
                    self._collection.create_indexes([model])
                except DuplicateKeyError as error:
                    field = next(iter(model.document["key"]))
                    raise Conflict(
                        f"{self.name}: two stored rows share a {field}, so its unique index"
                        " cannot be created; the rows are kept without it"
                    ) from error

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

    def list(self, query: Q) -> Page[E]:
        """One page in the query's order, ties broken by id, from its offset or its seek."""
        conditions, sort = mongo_filter(self._resource, query), mongo_sort(self._resource, query)
        # The row past the limit tells whether a next page exists; a seek page skips nothing.
        limit, offset = query.limit + 1, 0 if query.seek is not None else query.offset
        queryable = self._resource.queryable
        if not self._staged:
            with translate_errors(self.name):
                cursor = self._collection.find(conditions, sort=sort, skip=offset, limit=limit)
                rows = [self._from_document(document) for document in cursor]
            return page_of(queryable, rows, query, total=self._total(query, conditions))
        # The first offset + limit of the union lie within the first offset + limit of each part.
        stored = self._unstaged(conditions)
        with translate_errors(self.name):
            cursor = self._collection.find(stored, sort=sort, limit=offset + limit)
            rows = [self._from_document(document) for document in cursor]
        found = queryable.keyset(query)
        staged = [
            entity for entity in self._staged_matching(query) if queryable.follows(entity, found)
        ]
        merged = queryable.sorted(rows + staged, query)[offset : offset + limit]
        total = self._total(query, stored)
        return page_of(
            queryable, merged, query, total=None if total is None else total + len(staged)
        )

    def _total(self, query: Q, conditions: Document) -> int | None:
        # A seek page skips the count: it would cost a read of every match (docs/pagination.md).
        if query.seek is not None:
            return None
        with translate_errors(self.name):
            return self._collection.count_documents(conditions)

    def count(self, query: Q) -> int:
        """How many entities match the filters."""
        conditions = mongo_filter(self._resource, query)
        if self._staged:
            conditions = self._unstaged(conditions)
        with translate_errors(self.name):
            total = self._collection.count_documents(conditions)
        return total + len(self._staged_matching(query))

    def _unstaged(self, conditions: Document) -> Document:
        return {**conditions, "_id": {"$nin": list(self._staged)}}

    def _staged_matching(self, query: Q) -> builtins.list[E]:
        matches = self._resource.queryable.matches
        return [
            entity
            for entity in self._staged.values()
            if entity is not None and matches(entity, query)
        ]
