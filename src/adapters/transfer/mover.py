"""Moves every resource from a reader to a writer in batches, resumably, then verifies both.

A batch is inserted as one; when the target holds some of its ids already (a resumed run, or
`merge`), those are compared instead: identical ones are skipped, differing ones reported and
left as the target has them. Nothing is written before every refusal has been checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from adapters.transfer.checksum import Checksum
from adapters.transfer.ends import Reader, Writer
from adapters.transfer.journal import Checkpoints, Position
from adapters.transfer.prefetch import prefetched
from adapters.transfer.progress import Progress
from adapters.transfer.resource import Transferable
from adapters.transfer.verify import verify
from core.errors import Conflict, Unavailable

BATCH = 5000
SHOWN = 20  # differing ids listed per resource; the rest are counted


class TransferRefused(Exception):
    """The transfer cannot start; nothing was written."""


@dataclass
class Report:
    """What happened to one resource."""

    name: str
    written: int = 0
    identical: int = 0
    differing: list[str] = field(default_factory=list)
    differing_count: int = 0
    conflicting: list[str] = field(default_factory=list)
    seconds: float = 0.0
    source: Checksum = field(default_factory=Checksum)
    target: Checksum = field(default_factory=Checksum)

    def differ(self, entity_id: str) -> None:
        """Count a row held with other content, keeping the first few ids."""
        self.differing_count += 1
        if len(self.differing) < SHOWN:
            self.differing.append(entity_id)


@dataclass
class Mover:
    """One transfer from `source` to `target`; `journal` makes it resumable."""

    source: Reader
    target: Writer
    journal: Checkpoints
    progress: Progress
    merge: bool = False
    batch: int = BATCH
    clock: Callable[[], float] = time.monotonic

    def refusal(self, resources: Sequence[Transferable[Any]]) -> str | None:
        """Why the transfer must not start, or None; reads only, writes nothing."""
        if self.source.identity == self.target.identity:
            return f"the target {self.target.label} is the same as the source"
        try:
            source_present = self.source.present()
        except Unavailable as error:
            return f"cannot reach the source {self.source.label}: {error.message}"
        if not source_present:
            return f"the source {self.source.label} holds no data of this service"
        try:
            target_present = self.target.present()
        except Unavailable as error:
            return f"cannot reach the target {self.target.label}: {error.message}"
        if self.merge or self.journal.unfinished or not target_present:
            return None
        held = [f"{each.name}: {n}" for each in resources if (n := self.target.count(each))]
        if held:
            return (
                f"the target {self.target.label} is not empty ({', '.join(held)} rows);"
                " use --merge to add the missing rows to it"
            )
        return None

    def run(self, resources: Sequence[Transferable[Any]]) -> list[Report]:
        """Move and verify every resource; TransferRefused before anything is written."""
        if (reason := self.refusal(resources)) is not None:
            raise TransferRefused(reason)
        self.target.prepare()
        reports = [self._move(resource) for resource in resources]
        self.journal.remove()
        return reports

    def _move(self, resource: Transferable[Any]) -> Report:
        report = Report(resource.name)
        position = self.journal.position(resource.name)
        started = self.clock()
        # A copy from the first row has read the whole source once: its checksum is known.
        read_whole = not position.done and position.after is None
        if not position.done:
            self._copy(resource, position, report)
        report.seconds = self.clock() - started
        verify(self.source, self.target, resource, report, merge=self.merge, batch=self.batch,
               progress=self.progress, source_read=read_whole and not self.merge)  # fmt: skip
        return report

    def _copy(self, resource: Transferable[Any], position: Position, report: Report) -> None:
        if position.mark is not None:
            self.target.rewind(resource, position.mark)
        # Into a target that was empty (no merge), the non-unique indexes are built once from
        # all rows at the end; a resumed copy finds them dropped and builds them the same way.
        deferred = not self.merge
        if deferred:
            self.target.defer_indexes(resource)
        total = self.source.count(resource)
        self.progress.begin(resource.name, total=total, done=position.rows, task="copy")
        after, rows = position.after, position.rows
        batches = self.source.batches(resource, after=after, size=self.batch)
        line = resource.codec.line
        for batch in prefetched(batches):
            self._write(resource, batch, report)
            for entity in batch:
                report.source.add(line(entity))
            after, rows = batch[-1].id, rows + len(batch)
            self.journal.record(resource.name, Position(after, rows, self.target.mark(resource)))
            self.progress.advance(len(batch))
        if deferred:
            self.target.restore_indexes(resource)
        self.journal.record(resource.name, Position(after, rows, None, done=True))
        self.progress.end()

    def _write(self, resource: Transferable[Any], batch: list[Any], report: Report) -> None:
        if not self.merge:
            try:
                self.target.insert(resource, batch)
            except Conflict:
                pass  # some ids are there already (a resumed run): compare row by row below
            else:
                report.written += len(batch)
                return
        held = {each.id: each for each in self.target.existing(resource, [e.id for e in batch])}
        missing = [each for each in batch if each.id not in held]
        line = resource.codec.line
        for entity in batch:
            if entity.id in held:
                if line(held[entity.id]) == line(entity):
                    report.identical += 1
                else:
                    report.differ(entity.id)
        try:
            self.target.insert(resource, missing)
            report.written += len(missing)
        except Conflict:
            # A unique value of some row is taken by another held row: find which, one by one.
            for entity in missing:
                try:
                    self.target.insert(resource, [entity])
                    report.written += 1
                except Conflict:
                    report.conflicting.append(entity.id)
