"""A folder of JSON Lines as an end of a transfer: one stream per resource and a manifest.

`<resource>.jsonl` holds one entity per line in canonical JSON (adapters/transfer/codec.py), in
the order the source read them; `manifest.json` lists each stream's rows and content checksum.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from adapters.transfer.checksum import Checksum
from adapters.transfer.resource import Transferable

MANIFEST = "manifest.json"
FORMAT = "hexapi-data/1"


class FolderError(ValueError):
    """A stream or manifest that cannot be read, with its file and line."""


class JsonLinesFolder:
    """Streams appended batch by batch; a batch is flushed to disk before it counts as written."""

    def __init__(self, path: Path, *, named: Path | None = None) -> None:
        """`named`: the file the folder was unpacked from, which then names it in messages."""
        self.path = path
        self.label = str(named or path)
        self.identity = f"folder:{(named or path).resolve()}"
        self._open: dict[str, IO[str]] = {}

    def stream(self, resource: Transferable[Any]) -> Path:
        """The file holding the resource's rows."""
        return self.path / f"{resource.name}.jsonl"

    def present(self) -> bool:
        """Whether the folder holds a stream or a manifest already."""
        return self.path.is_dir() and any(
            each.suffix == ".jsonl" or each.name == MANIFEST for each in self.path.iterdir()
        )

    def manifest(self) -> dict[str, Any]:
        """The manifest's resources (empty when there is no manifest)."""
        file = self.path / MANIFEST
        if not file.exists():
            return {}
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise FolderError(f"{file}: not a readable manifest ({error})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise FolderError(f"{file}: not a {FORMAT} manifest")
        resources: dict[str, Any] = data.get("resources", {})
        return resources

    def write_manifest(self, checksums: dict[str, Checksum]) -> None:
        """Record each stream's rows and checksum, replacing the file atomically."""
        resources = {
            name: {"file": f"{name}.jsonl", "rows": each.count, "checksum": each.digest}
            for name, each in checksums.items()
        }
        text = json.dumps({"format": FORMAT, "resources": resources}, indent=2, sort_keys=True)
        temporary = self.path / f".{MANIFEST}.tmp"
        temporary.write_text(text + "\n", encoding="utf-8")
        os.replace(temporary, self.path / MANIFEST)

    def count(self, resource: Transferable[Any]) -> int:
        """The rows the manifest lists, else the lines of the stream."""
        listed = self.manifest().get(resource.name)
        if listed is not None:
            return int(listed["rows"])
        stream = self.stream(resource)
        if not stream.exists():
            return 0
        with stream.open("rb") as file:
            return sum(1 for _ in file)

    def batches(
        self, resource: Transferable[Any], *, after: str | None, size: int
    ) -> Iterator[list[Any]]:
        """Batches of decoded lines, starting after the line holding the id `after`."""
        stream = self.stream(resource)
        if not stream.exists():
            return
        skipping = after is not None
        batch: list[Any] = []
        with stream.open(encoding="utf-8") as file:
            for number, line in enumerate(file, start=1):
                entity = self._decode(resource, line, f"{stream}:{number}")
                if skipping:
                    skipping = entity.id != after
                    continue
                batch.append(entity)
                if len(batch) == size:
                    yield batch
                    batch = []
        if batch:
            yield batch

    @staticmethod
    def _decode(resource: Transferable[Any], line: str, where: str) -> Any:
        try:
            values = json.loads(line)
            if not isinstance(values, dict):
                raise ValueError("not a JSON object")
            return resource.codec.from_json(values)
        except (ValueError, TypeError) as error:
            raise FolderError(f"{where}: {error}") from None

    def prepare(self) -> None:
        """Create the folder."""
        self.path.mkdir(parents=True, exist_ok=True)

    def insert(self, resource: Transferable[Any], entities: Sequence[Any]) -> None:
        """Append the entities' lines and flush them to disk."""
        file = self._open.get(resource.name)
        if file is None:
            file = self._open[resource.name] = self.stream(resource).open("a", encoding="utf-8")
        file.write("".join(resource.codec.line(each) + "\n" for each in entities))
        file.flush()
        os.fsync(file.fileno())

    def existing(self, resource: Transferable[Any], ids: Sequence[str]) -> list[Any]:
        """The written entities among these ids (a full read: only a resumed run asks)."""
        wanted = set(ids)
        found: list[Any] = []
        for batch in self.batches(resource, after=None, size=5000):
            found += [each for each in batch if each.id in wanted]
        return found

    def defer_indexes(self, resource: Transferable[Any]) -> None:
        """Nothing to defer: a stream has no index."""

    def restore_indexes(self, resource: Transferable[Any]) -> None:
        """Nothing to restore (see `defer_indexes`)."""

    def mark(self, resource: Transferable[Any]) -> int:
        """The stream's length in bytes after the last flushed batch."""
        stream = self.stream(resource)
        return stream.stat().st_size if stream.exists() else 0

    def rewind(self, resource: Transferable[Any], mark: Any) -> None:
        """Cut the stream back to `mark`: a batch interrupted half written disappears."""
        stream = self.stream(resource)
        if stream.exists():
            with stream.open("r+b") as file:
                file.truncate(int(mark or 0))

    def close(self) -> None:
        """Close the streams being written."""
        for file in self._open.values():
            file.close()
        self._open.clear()
