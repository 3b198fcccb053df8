"""FileStore reaches into cachelib's FileSystemCache: these fail when cachelib changes under it."""

from __future__ import annotations

import inspect
from pathlib import Path

from cachelib import FileSystemCache

from adapters.session_store.file_store import EXPIRY, FileStore


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_the_private_methods_it_calls_keep_their_signatures() -> None:
    assert parameters(FileSystemCache._get_filename) == ["self", "key"]
    assert parameters(FileSystemCache._prune) == ["self"]
    assert parameters(FileSystemCache._update_count) == ["self", "delta", "value"]
    assert parameters(FileSystemCache._normalize_timeout) == ["self", "timeout"]


def test_the_private_attributes_it_reads_are_set_by_cachelib(tmp_path: Path) -> None:
    cache = FileSystemCache(str(tmp_path), mode=0o600)
    assert cache._path == str(tmp_path)
    assert cache._mode == 0o600
    assert isinstance(cache._fs_transaction_suffix, str)


def test_a_file_cachelib_writes_starts_with_the_expiry_it_reads(tmp_path: Path) -> None:
    cache = FileSystemCache(str(tmp_path))
    cache.set("key", "value", timeout=60)
    (expiry,) = EXPIRY.unpack(Path(cache._get_filename("key")).read_bytes()[: EXPIRY.size])
    assert expiry > 0
    assert FileStore(str(tmp_path)).get("key") == "value"
