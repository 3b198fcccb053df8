"""The writes a unit of work stages, and how its commit applies them.

Inside a transaction the server undoes a failed commit. Without one (a standalone server,
mongomock) the writes are applied in order and each applied write leaves a step that undoes it;
when a later write fails, those steps run newest first, so the commit stores nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from pymongo.client_session import ClientSession
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, PyMongoError

from adapters.batching import batched
from adapters.mongo.client import Document
from adapters.mongo.errors import translate_errors
from core.errors import ConcurrentChange, DomainError, NotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Insert:
    """New documents, in order."""

    collection: Collection[Document]
    entity: str
    documents: list[Document]


@dataclass(frozen=True, slots=True)
class Replace:
    """A whole new document, written only over the version it was read at."""

    collection: Collection[Document]
    entity: str
    entity_id: str
    expected_version: int
    document: Document


@dataclass(frozen=True, slots=True)
class Delete:
    """A removal, of the given version when one is expected."""

    collection: Collection[Document]
    entity: str
    entity_id: str
    expected_version: int | None


Write = Insert | Replace | Delete


class Applier:
    """Applies writes in order; without a session it keeps how to undo each applied one."""

    def __init__(self, session: ClientSession | None = None) -> None:
        self._session = session
        self._undo: list[Callable[[], object]] = []

    def apply(self, writes: Iterable[Write]) -> None:
        """Apply each write; Conflict, NotFound or Unavailable stops at the first failure."""
        for write in writes:
            with translate_errors(write.entity):
                if isinstance(write, Insert):
                    self._insert(write)
                elif isinstance(write, Replace):
                    self._replace(write)
                else:
                    self._delete(write)

    def undo(self) -> None:
        """Revert what was applied, newest first; a step that fails is logged and skipped."""
        for step in reversed(self._undo):
            try:
                step()
            except PyMongoError:
                log.exception("could not undo a write of a failed commit; data may be partial")
        self._undo.clear()

    def _insert(self, write: Insert) -> None:
        for batch in batched(write.documents):
            try:
                write.collection.insert_many(batch, ordered=True, session=self._session)
            except BulkWriteError as error:
                self._forget(write.collection, batch[: error.details.get("nInserted", 0)])
                raise
            self._forget(write.collection, batch)

    def _forget(self, collection: Collection[Document], documents: list[Document]) -> None:
        if documents:
            ids = [document["_id"] for document in documents]
            self._undo.append(partial(collection.delete_many, {"_id": {"$in": ids}}))

    def _replace(self, write: Replace) -> None:
        # The version in the filter makes the check and the write one atomic operation.
        before = write.collection.find_one_and_replace(
            {"_id": write.entity_id, "version": write.expected_version},
            write.document,
            session=self._session,
        )
        if before is None:
            raise self._missing_or_changed(write.collection, write.entity, write.entity_id)
        current = {"_id": write.entity_id, "version": write.document["version"]}
        self._undo.append(partial(write.collection.replace_one, current, before))

    def _delete(self, write: Delete) -> None:
        condition: Document = {"_id": write.entity_id}
        if write.expected_version is not None:
            condition["version"] = write.expected_version
        before = write.collection.find_one_and_delete(condition, session=self._session)
        if before is None:
            raise self._missing_or_changed(write.collection, write.entity, write.entity_id)
        self._undo.append(partial(write.collection.insert_one, before))

    def _missing_or_changed(
        self, collection: Collection[Document], entity: str, entity_id: str
    ) -> DomainError:
        if collection.count_documents({"_id": entity_id}, limit=1, session=self._session) == 0:
            return NotFound(f"{entity} {entity_id} not found")
        return ConcurrentChange(f"{entity} {entity_id} was changed concurrently")
