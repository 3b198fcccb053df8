"""The token key file: atomic round trip, owner-only permissions, clear errors."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from adapters.auth.keys import (
    InvalidTokenKeys,
    generate_token_keys,
    read_token_keys_file,
    rotate,
    write_token_keys_file,
)

pytestmark = pytest.mark.integration


def test_key_file_round_trips_and_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "token-keys.json"
    keys = rotate(generate_token_keys())

    write_token_keys_file(path, keys)

    assert read_token_keys_file(path) == keys
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_rewriting_the_key_file_replaces_it_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "token-keys.json"
    keys = generate_token_keys()
    write_token_keys_file(path, keys)
    path.chmod(0o644)

    rotated = rotate(keys)

    write_token_keys_file(path, rotated)

    assert read_token_keys_file(path) == rotated
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["token-keys.json"]


def test_malformed_key_file_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "token-keys.json"
    path.write_text('{"keys": []}', encoding="utf-8")

    with pytest.raises(InvalidTokenKeys, match="token-keys.json"):
        read_token_keys_file(path)


def test_missing_key_file_raises_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_token_keys_file(tmp_path / "absent.json")
