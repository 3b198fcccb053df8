"""An export as one file: the folder's streams and manifest packed into a tar (gzip optional).

The export is written into a working folder beside the file (so an interrupted export resumes
there) and packed once verified; an import unpacks only the folder's own kind of members.
"""

from __future__ import annotations

import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from adapters.transfer.folder import MANIFEST, FolderError

SUFFIXES = (".tar", ".tar.gz", ".tgz")
MEMBER = re.compile(r"^[A-Za-z0-9_]+\.jsonl$")


def is_archive(path: Path) -> bool:
    """Whether the path names a single-file export."""
    return path.name.endswith(SUFFIXES)


def working_folder(archive: Path) -> Path:
    """Where an export into `archive` is written before it is packed."""
    return archive.with_name(archive.name + ".parts")


def pack(folder: Path, archive: Path) -> None:
    """Pack the folder's streams and manifest into the archive, then remove the folder."""
    temporary = archive.with_name(archive.name + ".tmp")
    gzip = archive.name.endswith((".gz", ".tgz"))
    with tarfile.open(temporary, "w:gz") if gzip else tarfile.open(temporary, "w") as tar:
        for member in sorted(folder.iterdir()):
            if member.name == MANIFEST or MEMBER.match(member.name):
                tar.add(member, arcname=member.name)
    temporary.replace(archive)
    shutil.rmtree(folder)


@contextmanager
def unpacked(archive: Path) -> Iterator[Path]:
    """A temporary folder holding the archive's streams and manifest, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="hexapi-import-") as temporary:
        folder = Path(temporary)
        try:
            with tarfile.open(archive) as tar:
                for member in tar:
                    # Only plain files named like a stream or the manifest: no paths, no links.
                    if not member.isfile() or not (
                        member.name == MANIFEST or MEMBER.match(member.name)
                    ):
                        raise FolderError(f"{archive}: unexpected member {member.name!r}")
                    source = tar.extractfile(member)
                    assert source is not None  # a regular file always has content
                    with source, (folder / member.name).open("wb") as target:
                        shutil.copyfileobj(source, target)
        except (OSError, tarfile.TarError) as error:
            raise FolderError(f"{archive}: not a readable export archive ({error})") from None
        yield folder
