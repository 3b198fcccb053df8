"""The check after a transfer: counts and content checksums of a resource on both ends."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters.transfer.checksum import Checksum
from adapters.transfer.ends import Reader, Writer
from adapters.transfer.progress import Progress
from adapters.transfer.resource import Transferable

if TYPE_CHECKING:
    from adapters.transfer.mover import Report


class VerificationFailed(Exception):
    """The target does not hold what the source does."""


def checksum(
    end: Reader, resource: Transferable[Any], *, batch: int, progress: Progress
) -> Checksum:
    """The count and content checksum of everything the end holds of the resource."""
    total = Checksum()
    line = resource.codec.line
    for entities in end.batches(resource, after=None, size=batch):
        for entity in entities:
            total.add(line(entity))
        progress.advance(len(entities))
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
        if not source_read:
            report.source = checksum(source, resource, batch=batch, progress=progress)
        report.target = checksum(target, resource, batch=batch, progress=progress)
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
    line = resource.codec.line
    for entities in source.batches(resource, after=None, size=batch):
        for entity in entities:
            report.source.add(line(entity))
        for held in target.existing(resource, [each.id for each in entities]):
            report.target.add(line(held))
        progress.advance(2 * len(entities))
