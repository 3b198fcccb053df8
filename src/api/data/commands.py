"""`flask --app api data copy|export|import`: the mover driven from the command line."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from adapters.sql.errors import DatabaseCreationError
from adapters.transfer.archive import is_archive, pack, unpacked, working_folder
from adapters.transfer.ends import Reader, Writer
from adapters.transfer.folder import FolderError, JsonLinesFolder
from adapters.transfer.journal import Journal
from adapters.transfer.mover import BATCH, Mover, Report, TransferRefused
from adapters.transfer.resource import Transferable
from adapters.transfer.verify import VerificationFailed
from api.data.endpoints import EndpointError, open_store
from api.data.progress import display
from api.data.resources import chosen
from api.settings import Settings, StorageBackend
from core.errors import DomainError, Unavailable

data_cli = AppGroup("data", help="Export, import and copy every resource between backends.")
INTERRUPTED = 130  # the shell's code for a process stopped by SIGINT

resource_option = click.option(
    "--resource", "names", multiple=True, metavar="NAME", help="Only this resource (repeatable)."
)
merge_option = click.option(
    "--merge",
    is_flag=True,
    help="Write into a non-empty target: add missing rows, report differing.",
)
quiet_option = click.option("--quiet", is_flag=True, help="Print nothing but errors.")
batch_option = click.option(
    "--batch-size",
    "batch",
    default=BATCH,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Rows read and written per unit of work.",
)


def _settings() -> Settings:
    settings: Settings = current_app.extensions["container"].settings()
    return settings


def _configured_url(settings: Settings, option: str) -> str:
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
    except DomainError as error:
        raise click.ClickException(error.message) from None


def _transfer(
    source: Reader,
    target: Writer,
    resources: Sequence[Transferable[Any]],
    *,
    merge: bool,
    quiet: bool,
    batch: int,
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
            reports = Mover(source, target, journal, progress, merge=merge, batch=batch).run(
                resources
            )
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
        f" ({rate:,.0f} rows/s); verified {report.source.count:,} rows,"
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
def _ends(*factories: Callable[[], Any]) -> Iterator[list[Any]]:
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


def _names(names: tuple[str, ...]) -> tuple[Transferable[Any], ...]:
    try:
        return chosen(names)
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _store(text: str, option: str) -> Callable[[], Any]:
    return lambda: open_store(text, option=option, mongo_database=_settings().MONGODB_DATABASE)


@data_cli.command("copy")
@click.option("--from", "source", required=True, metavar="URL", help="The store to read.")
@click.option("--to", "target", required=True, metavar="URL", help="The store to write.")
@resource_option
@merge_option
@quiet_option
@batch_option
def data_copy(
    source: str, target: str, names: tuple[str, ...], merge: bool, quiet: bool, batch: int
) -> None:
    """Copy every resource from one store to another, then verify both."""
    resources = _names(names)
    with _ends(_store(source, "--from"), _store(target, "--to")) as (reader, writer):
        _transfer(reader, writer, resources, merge=merge, quiet=quiet, batch=batch)


@data_cli.command("export")
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(path_type=Path),
    help="A folder, or a .tar / .tar.gz file.",
)
@click.option("--from", "source", metavar="URL", help="The store to read (default: the app's).")
@resource_option
@quiet_option
@batch_option
def data_export(
    folder: Path, source: str | None, names: tuple[str, ...], quiet: bool, batch: int
) -> None:
    """Write each resource as JSON Lines into a folder or archive, with a manifest."""
    resources = _names(names)
    url = source or _configured_url(_settings(), "--from")
    archive = folder if is_archive(folder) else None
    if archive is not None and archive.exists():
        raise click.ClickException(f"{archive} exists already; choose another file")
    parts = working_folder(archive) if archive is not None else folder
    with _ends(_store(url, "--from"), lambda: JsonLinesFolder(parts)) as (reader, writer):
        reports = _transfer(reader, writer, resources, merge=False, quiet=quiet, batch=batch)
        writer.write_manifest({report.name: report.target for report in reports})
    if archive is not None:
        pack(parts, archive)


@data_cli.command("import")
@click.option(
    "--from",
    "folder",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="An export folder, or a .tar / .tar.gz file.",
)
@click.option("--to", "target", metavar="URL", help="The store to write (default: the app's).")
@resource_option
@merge_option
@quiet_option
@batch_option
def data_import(
    folder: Path, target: str | None, names: tuple[str, ...], merge: bool, quiet: bool, batch: int
) -> None:
    """Load an export into a store, then verify it against the export's manifest."""
    resources = _names(names)
    url = target or _configured_url(_settings(), "--to")
    if not is_archive(folder):
        _import(JsonLinesFolder(folder), url, resources, merge=merge, quiet=quiet, batch=batch)
        return
    with ExitStack() as stack:
        try:
            parts = stack.enter_context(unpacked(folder))
        except FolderError as error:
            raise click.ClickException(str(error)) from None
        reader = JsonLinesFolder(parts, named=folder)
        _import(reader, url, resources, merge=merge, quiet=quiet, batch=batch)


def _import(
    folder: JsonLinesFolder,
    url: str,
    resources: Sequence[Transferable[Any]],
    *,
    merge: bool,
    quiet: bool,
    batch: int,
) -> None:
    with _ends(lambda: folder, _store(url, "--to")) as (reader, writer):
        try:
            listed = reader.manifest()
        except FolderError as error:
            raise click.ClickException(str(error)) from None
        reports = _transfer(reader, writer, resources, merge=merge, quiet=quiet, batch=batch)
        for report in reports:
            expected = listed.get(report.name, {}).get("checksum")
            if expected is not None and expected != report.source.digest:
                raise click.ClickException(
                    f"verification failed: {report.name}: the folder's rows do not match its"
                    " manifest's checksum"
                )
