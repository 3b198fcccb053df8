"""Running a transfer for the commands: ends opened, the mover run, each outcome printed."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click
from flask import current_app

from adapters.sql.errors import DatabaseCreationError
from adapters.transfer.ends import Reader, Writer
from adapters.transfer.folder import FolderError
from adapters.transfer.journal import Journal
from adapters.transfer.mover import Mover, Report, TransferRefused
from adapters.transfer.resource import Transferable
from adapters.transfer.verify import VerificationFailed
from adapters.transfer.workers import WorkerFailed
from api.data.endpoints import EndpointError, open_store
from api.data.interrupts import interrupted_between_batches
from api.data.progress import display
from api.data.resources import chosen
from api.resource import Catalogue
from api.settings import Settings, StorageBackend
from core.errors import DomainError, Unavailable

INTERRUPTED = 130  # the shell's code for a process stopped by SIGINT


def settings() -> Settings:
    settings: Settings = current_app.extensions["container"].settings()
    return settings


def catalogue() -> Catalogue:
    """The declared resources of the app the command runs in (a test's own, when overridden)."""
    found: Catalogue = current_app.extensions["container"].catalogue()
    return found


def configured_url(settings: Settings, option: str) -> str:
    """The URL of the storage the settings select, for a command given no URL."""
    if settings.STORAGE_BACKEND is StorageBackend.SQL:
        return settings.database_url().render_as_string(hide_password=False)
    if settings.STORAGE_BACKEND is StorageBackend.MONGO and settings.MONGODB_URI:
        return settings.MONGODB_URI
    raise click.UsageError(f"STORAGE_BACKEND=memory keeps no data between processes: give {option}")


@contextmanager
def _failures(journal: Journal) -> Iterator[None]:
    """Each way a transfer stops, as a clear message and exit code; resumable ones say so."""
    resume = "run the same command again to resume"
    try:
        yield
    except (EndpointError, TransferRefused, FolderError, DatabaseCreationError) as error:
        raise click.ClickException(str(error)) from None
    except VerificationFailed as error:
        raise click.ClickException(f"verification failed: {error}") from None
    except KeyboardInterrupt:
        click.echo(f"interrupted: {resume}", err=True)
        sys.exit(INTERRUPTED)
    except Unavailable as error:
        tail = f": {resume}" if journal.unfinished else ""
        raise click.ClickException(f"{error.message}{tail}") from None
    except WorkerFailed as error:
        raise click.ClickException(f"{error}: {resume}") from None
    except DomainError as error:
        raise click.ClickException(error.message) from None


def transfer(
    source: Reader,
    target: Writer,
    resources: Sequence[Transferable[Any]],
    *,
    merge: bool,
    quiet: bool,
    batch: int,
    workers: int = 1,
) -> list[Report]:
    """Run the mover with its journal in the instance folder and print what it did."""
    key = hashlib.sha256(f"{source.identity}\n{target.identity}".encode()).hexdigest()[:16]
    journal = Journal(
        Path(current_app.instance_path) / "transfers" / f"{key}.json",
        source=source.label,
        target=target.label,
    )
    progress = display(quiet=quiet, terminal=sys.stderr.isatty(), echo=_echo_err)
    with _failures(journal):
        if journal.unfinished and not quiet:
            click.echo(f"resuming the unfinished transfer to {target.label}", err=True)
        try:
            with interrupted_between_batches(progress) as shown:
                mover = Mover(
                    source, target, journal, shown, merge=merge, batch=batch, workers=workers
                )
                reports = mover.run(resources)
        finally:
            progress.close()
    for report in reports:
        _summary(report, merge=merge, echo=(lambda _text: None) if quiet else click.echo)
    return reports


def _echo_err(text: str) -> None:
    click.echo(text, err=True)


def _summary(report: Report, *, merge: bool, echo: Callable[[str], None]) -> None:
    rate = report.written / report.seconds if report.seconds > 0 else 0.0
    skipped = f", {report.identical:,} identical skipped" if report.identical else ""
    echo(
        f"{report.name}: {report.written:,} rows written{skipped} in {report.seconds:.1f} s"
        f" ({rate:,.0f} rows/s); verified {report.source.count:,} rows"
        f" in {report.verify_seconds:.1f} s,"
        f" checksum {report.source.digest[:16]}"
        + (" on both sides" if not merge else f" (source), {report.target.digest[:16]} (target)")
    )
    if report.differing_count:
        shown = ", ".join(report.differing)
        more = report.differing_count - len(report.differing)
        echo(
            f"{report.name}: {report.differing_count:,} rows differ in the target and were kept"
            f" as the target has them: {shown}{f' and {more:,} more' if more > 0 else ''}"
        )
    if report.conflicting:
        echo(
            f"{report.name}: not written, a unique value is taken: {', '.join(report.conflicting)}"
        )


@contextmanager
def ends(*factories: Callable[[], Any]) -> Iterator[list[Any]]:
    with ExitStack() as stack:
        ends = []
        for factory in factories:
            try:
                end = factory()
            except EndpointError as error:
                raise click.UsageError(str(error)) from None
            stack.callback(end.close)
            ends.append(end)
        yield ends


def names_of(names: tuple[str, ...]) -> tuple[Transferable[Any], ...]:
    try:
        return chosen(names, catalogue())
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def store(text: str, option: str) -> Callable[[], Any]:
    return lambda: open_store(
        text, option=option, catalogue=catalogue(), mongo_database=settings().MONGODB_DATABASE
    )
