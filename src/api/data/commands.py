"""`flask --app api data copy|export|import`: the mover driven from the command line."""

from __future__ import annotations

import os
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from adapters.transfer.archive import is_archive, pack, unpacked, working_folder
from adapters.transfer.folder import FolderError, JsonLinesFolder
from adapters.transfer.mover import BATCH
from adapters.transfer.resource import Transferable
from api.data.running import configured_url, ends, names_of, settings, store, transfer

data_cli = AppGroup("data", help="Export, import and copy every resource between backends.")

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

# Processes copying parts of a resource at once; past four the servers' own work dominates.
WORKERS = min(4, os.cpu_count() or 1)
workers_option = click.option(
    "--workers",
    default=WORKERS,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes copying parts of each resource at once (between SQL databases).",
)


@data_cli.command("copy")
@click.option("--from", "source", required=True, metavar="URL", help="The store to read.")
@click.option("--to", "target", required=True, metavar="URL", help="The store to write.")
@resource_option
@merge_option
@quiet_option
@batch_option
@workers_option
def data_copy(
    source: str,
    target: str,
    names: tuple[str, ...],
    merge: bool,
    quiet: bool,
    batch: int,
    workers: int,
) -> None:
    """Copy every resource from one store to another, then verify both."""
    resources = names_of(names)
    with ends(store(source, "--from"), store(target, "--to")) as (reader, writer):
        transfer(reader, writer, resources, merge=merge, quiet=quiet, batch=batch, workers=workers)


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
    resources = names_of(names)
    url = source or configured_url(settings(), "--from")
    archive = folder if is_archive(folder) else None
    if archive is not None and archive.exists():
        raise click.ClickException(f"{archive} exists already; choose another file")
    parts = working_folder(archive) if archive is not None else folder
    with ends(store(url, "--from"), lambda: JsonLinesFolder(parts)) as (reader, writer):
        reports = transfer(reader, writer, resources, merge=False, quiet=quiet, batch=batch)
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
    resources = names_of(names)
    url = target or configured_url(settings(), "--to")
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
    with ends(lambda: folder, store(url, "--to")) as (reader, writer):
        try:
            listed = reader.manifest()
        except FolderError as error:
            raise click.ClickException(str(error)) from None
        reports = transfer(reader, writer, resources, merge=merge, quiet=quiet, batch=batch)
        for report in reports:
            expected = listed.get(report.name, {}).get("checksum")
            if expected is not None and expected != report.source.digest:
                raise click.ClickException(
                    f"verification failed: {report.name}: the folder's rows do not match its"
                    " manifest's checksum"
                )
