"""The check after a transfer: counts and content checksums of a resource on both ends."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, cast

from adapters.transfer.checksum import Checksum
from adapters.transfer.ends import Reader, Shared, Writer, shared
from adapters.transfer.parts import Part, part_batches, split
from adapters.transfer.progress import Progress
from adapters.transfer.records import records_between, records_of
from adapters.transfer.resource import Transferable
from adapters.transfer.workers import Written, in_processes

if TYPE_CHECKING:
    from adapters.transfer.mover import Report


class VerificationFailed(Exception):
    """The target does not hold what the source does."""


def checksum(
    end: Reader, resource: Transferable[Any], *, batch: int, progress: Progress, workers: int = 1
) -> Checksum:
    """The count and content checksum of everything the end holds of the resource; read in
    parts by `workers` processes when the end is `shared` and holds two batches or more."""
    if workers > 1 and shared(end):
        rows = end.count(resource)
        if (count := min(workers, rows // batch)) > 1:
            parts = split(cast(Shared, end), resource, total=rows, count=count)
            sums = in_processes(
                dict(enumerate(parts)),
                work=partial(_part_checksum, end, resource, batch),
                record=lambda _index, _after, _rows: None,  # a read leaves nothing to resume
                advance=progress.advance,
                name=resource.name,
            )
            total = Checksum()
            for each in sums.values():
                total.include(each)
            return total
    total = Checksum()
    records = records_of(end, resource)
    for found in records.batches(after=None, size=batch):
        total.add_lines(records.lines(found))
        progress.advance(len(found))
    return total


def _part_checksum(
    end: Reader, resource: Transferable[Any], batch: int, part: Part, read: Written
) -> Checksum:
    """In a worker process: the checksum of one part of the end's rows."""
    cast(Shared, end).forked()
    total = Checksum()
    records = records_of(end, resource)
    for found in part_batches(records, part, size=batch):
        total.add_lines(records.lines(found))
        read(records.id(found[-1]), len(found))
    return total


def verify(
    source: Reader,
    target: Writer,
    resource: Transferable[Any],
    report: Report,
    *,
    merge: bool,
    batch: int,
    progress: Progress,
    source_read: bool = False,
    workers: int = 1,
) -> None:
    """Fill the report's checksums; VerificationFailed when the two ends disagree.

    `source_read`: the report holds the checksum of the whole source, taken while copying,
    so only the target is read again. After a merge the target may hold more rows, and rows
    it kept as they were: there every source row must be present, and the checksums are taken
    over the source's ids only.
    """
    total = source.count(resource)
    progress.begin(resource.name, total=total * (1 if source_read else 2), done=0, task="verify")
    if merge:
        report.source = Checksum()
        _paired(source, target, resource, report, batch=batch, progress=progress)
    else:
        read = partial(checksum, batch=batch, progress=progress, workers=workers)
        if not source_read:
            report.source = read(source, resource)
        report.target = read(target, resource)
    progress.end()
    if report.source.count != report.target.count:
        raise VerificationFailed(
            f"{resource.name}: the source holds {report.source.count} rows,"
            f" the target {report.target.count}"
        )
    if not merge and report.source.digest != report.target.digest:
        raise VerificationFailed(f"{resource.name}: the content checksums differ")


def _paired(
    source: Reader,
    target: Writer,
    resource: Transferable[Any],
    report: Report,
    *,
    batch: int,
    progress: Progress,
) -> None:
    read, held = records_between(source, target, resource)
    for found in read.batches(after=None, size=batch):
        report.source.add_lines(read.lines(found))
        report.target.add_lines(held.lines(held.existing([read.id(each) for each in found])))
        progress.advance(2 * len(found))
