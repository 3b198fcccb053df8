"""Moves every resource from a reader to a writer in batches, resumably, then verifies both.

A batch is inserted as one; when the target holds some of its ids already (a resumed run, or
`merge`), those are compared instead: identical ones are skipped, differing ones reported and
left as the target has them. Nothing is written before every refusal has been checked.
Between two stores that worker processes can reach, a resource of a few batches or more is
split into parts copied by `workers` processes at once (`parts.py`, `workers.py`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, cast

from adapters.transfer.checksum import Checksum
from adapters.transfer.collection import spaced_collections
from adapters.transfer.ends import Reader, Shared, Writer, shared
from adapters.transfer.journal import Checkpoints, Position
from adapters.transfer.parts import Part, advanced, part_batches, split
from adapters.transfer.prefetch import prefetched
from adapters.transfer.progress import Progress
from adapters.transfer.records import Records, records_between
from adapters.transfer.resource import Transferable
from adapters.transfer.verify import verify
from adapters.transfer.workers import Written, in_processes
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
    seconds: float = 0.0  # copying
    verify_seconds: float = 0.0
    source: Checksum = field(default_factory=Checksum)
    target: Checksum = field(default_factory=Checksum)

    def differ(self, entity_id: str) -> None:
        """Count a row held with other content, keeping the first few ids."""
        self.differing_count += 1
        if len(self.differing) < SHOWN:
            self.differing.append(entity_id)

    def absorb(self, part: Report) -> None:
        """Add what the copy of one part of the resource did."""
        self.written += part.written
        self.identical += part.identical
        self.differing.extend(part.differing[: SHOWN - len(self.differing)])
        self.differing_count += part.differing_count
        self.conflicting.extend(part.conflicting)
        self.source.include(part.source)


@dataclass
class Mover:
    """One transfer from `source` to `target`; `journal` makes it resumable."""

    source: Reader
    target: Writer
    journal: Checkpoints
    progress: Progress
    merge: bool = False
    batch: int = BATCH
    workers: int = 1  # processes copying parts of one resource at once, between shared stores
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
        with spaced_collections():
            reports = [self._move(resource) for resource in resources]
        self.journal.remove()
        return reports

    def _move(self, resource: Transferable[Any]) -> Report:
        report = Report(resource.name)
        position = self.journal.position(resource.name)
        started = self.clock()
        # A copy from the first row has read the whole source once: its checksum is known.
        read_whole = not position.done and position.rows == 0
        if not position.done:
            parts = self._parts(resource, position)
            if parts:
                self._copy_parts(resource, list(parts), report)
            else:
                self._copy(resource, position, report)
        report.seconds = self.clock() - started
        verify(self.source, self.target, resource, report, merge=self.merge, batch=self.batch,
               progress=self.progress, source_read=read_whole and not self.merge,
               workers=self.workers)  # fmt: skip
        report.verify_seconds = self.clock() - started - report.seconds
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
        source, target = records_between(self.source, self.target, resource)
        for batch in prefetched(source.batches(after=after, size=self.batch)):
            self._write(target, batch, report)
            report.source.add_lines(source.lines(batch))
            after, rows = source.id(batch[-1]), rows + len(batch)
            self.journal.record(resource.name, Position(after, rows, self.target.mark(resource)))
            self.progress.advance(len(batch))
        if deferred:
            self.target.restore_indexes(resource)
        self.journal.record(resource.name, Position(after, rows, None, done=True))
        self.progress.end()

    def _parts(self, resource: Transferable[Any], position: Position) -> tuple[Part, ...]:
        """The parts of a split copy (those of the journal when resumed); none to copy in one."""
        if position.parts or position.rows:
            return position.parts
        if self.workers < 2 or not (shared(self.source) and shared(self.target)):
            return ()
        total = self.source.count(resource)
        count = min(self.workers, total // self.batch)
        if count < 2:
            return ()
        return split(cast(Shared, self.source), resource, total=total, count=count)

    def _copy_parts(self, resource: Transferable[Any], parts: list[Part], report: Report) -> None:
        # As in `_copy`: into an empty target the non-unique indexes are built once, at the end.
        deferred = not self.merge
        if deferred:
            self.target.defer_indexes(resource)

        def save() -> None:
            written = sum(each.rows for each in parts)
            self.journal.record(resource.name, Position(rows=written, parts=tuple(parts)))

        def record(index: int, after: str, rows: int) -> None:
            parts[index] = advanced(parts[index], after=after, rows=rows)
            save()

        save()  # the split itself, so that a resumed run copies the same parts
        total = self.source.count(resource)
        self.progress.begin(
            resource.name, total=total, done=sum(each.rows for each in parts), task="copy"
        )
        results = in_processes(
            {index: part for index, part in enumerate(parts) if not part.done},
            work=partial(self._copy_part, resource),
            record=record,
            advance=self.progress.advance,
            name=resource.name,
        )
        for index, part_report in sorted(results.items()):
            parts[index] = replace(parts[index], done=True)
            report.absorb(part_report)
        if deferred:
            self.target.restore_indexes(resource)
        rows = sum(each.rows for each in parts)
        self.journal.record(resource.name, Position(rows=rows, done=True))
        self.progress.end()

    def _copy_part(self, resource: Transferable[Any], part: Part, written: Written) -> Report:
        """In a worker process: copy the part's unwritten rows, reporting each batch."""
        for end in (self.source, self.target):
            cast(Shared, end).forked()  # both are, or the resource would not have been split
        report = Report(resource.name)
        source, target = records_between(self.source, self.target, resource)
        for batch in prefetched(part_batches(source, part, size=self.batch)):
            self._write(target, batch, report)
            report.source.add_lines(source.lines(batch))
            written(source.id(batch[-1]), len(batch))
        return report

    def _write(self, target: Records, batch: list[Any], report: Report) -> None:
        if not self.merge:
            try:
                target.insert(batch)
            except Conflict:
                pass  # some ids are there already (a resumed run): compare row by row below
            else:
                report.written += len(batch)
                return
        key = target.id
        ids = [key(each) for each in batch]
        held = dict(zip(map(key, found := target.existing(ids)), target.lines(found), strict=True))
        missing = [each for each in batch if key(each) not in held]
        for record_id, line in zip(ids, target.lines(batch), strict=True):
            if record_id in held:
                if held[record_id] == line:
                    report.identical += 1
                else:
                    report.differ(record_id)
        try:
            target.insert(missing)
            report.written += len(missing)
        except Conflict:
            # A unique value of some row is taken by another held row: find which, one by one.
            for record in missing:
                try:
                    target.insert([record])
                    report.written += 1
                except Conflict:
                    report.conflicting.append(key(record))
