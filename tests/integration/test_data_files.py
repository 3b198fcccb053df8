"""`data export` and `data import`: JSON Lines per resource, a manifest, checked both ways."""

from __future__ import annotations

import json
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from sqlalchemy.engine import URL

from api import create_app
from tests.helpers import app_settings
from tests.integration.servers import SERVERS, server_url
from tests.integration.transfers import (
    absent_database,
    checksums,
    count_all,
    opened,
    seed,
    url_text,
)


@pytest.fixture
def source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    with opened(url) as end:
        seed(end, items=1200, users=30)
    return url


@pytest.fixture
def app(tmp_path: Path, source: str) -> Flask:
    """An app whose configured storage is the source SQLite file."""
    return create_app(
        app_settings(
            STORAGE_BACKEND="sql", DATABASE_URL=source, INSTANCE_PATH=str(tmp_path / "instance")
        )
    )


@pytest.fixture
def mariadb() -> Iterator[URL]:
    with absent_database(server_url(SERVERS["mysql"])) as url:
        yield url


def data(app: Flask, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["data", *args])


def edited_export(
    app: Flask, folder: Path, stream: str, edit: Callable[[list[str]], list[str]]
) -> list[str]:
    """Export into the folder, then rewrite one stream's lines as `edit` returns them (a hand
    edit); the lines as exported."""
    assert data(app, "export", "--to", str(folder)).exit_code == 0
    path = folder / stream
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(list(lines))) + "\n", encoding="utf-8")
    return lines


def with_row(
    index: int, change: Callable[[dict[str, Any]], None]
) -> Callable[[list[str]], list[str]]:
    """An edit changing the row of one line."""

    def edit(lines: list[str]) -> list[str]:
        row = json.loads(lines[index])
        change(row)
        lines[index] = json.dumps(row)
        return lines

    return edit


def test_an_export_imports_into_another_backend_exactly(
    app: Flask, source: str, tmp_path: Path, mariadb: URL
) -> None:
    folder = tmp_path / "export"
    exported = data(app, "export", "--to", str(folder), "--batch-size", "500")
    assert exported.exit_code == 0, exported.output
    with opened(source) as end:
        expected = checksums(end)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == "hexapi-data/1"
    listed = {
        name: (each["rows"], each["checksum"]) for name, each in manifest["resources"].items()
    }
    assert listed == expected
    first = json.loads((folder / "users.jsonl").read_text().splitlines()[0])
    assert first["password_hash"].startswith("$argon2id$")
    assert first["created_at"].endswith("+00:00")

    imported = data(app, "import", "--from", str(folder), "--to", url_text(mariadb))
    assert imported.exit_code == 0, imported.output
    with opened(url_text(mariadb)) as end:
        assert checksums(end) == expected


def test_an_export_into_a_folder_holding_one_is_refused(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    assert data(app, "export", "--to", str(folder)).exit_code == 0
    before = (folder / "items.jsonl").read_bytes()
    again = data(app, "export", "--to", str(folder))
    assert again.exit_code == 1
    assert f"the target {folder} is not empty" in again.output
    assert (folder / "items.jsonl").read_bytes() == before


def test_an_edited_export_fails_verification_against_its_manifest(
    app: Flask, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    edited_export(
        app, folder, "items.jsonl", with_row(5, lambda row: row.update(version=row["version"] + 1))
    )
    target = f"sqlite:///{tmp_path / 'target.db'}"
    result = data(app, "import", "--from", str(folder), "--to", target)
    assert result.exit_code == 1
    assert "items: the folder's rows do not match its manifest's checksum" in result.output


def test_a_malformed_line_is_refused_naming_its_file_and_line(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    edited_export(app, folder, "users.jsonl", with_row(2, lambda row: row.pop("password_hash")))
    stream = folder / "users.jsonl"
    result = data(app, "import", "--from", str(folder), "--to", f"sqlite:///{tmp_path / 't.db'}")
    assert result.exit_code == 1
    assert f"{stream}:3: missing field(s) password_hash" in result.output


def test_import_defaults_to_the_configured_storage(tmp_path: Path, source: str) -> None:
    exporter = create_app(app_settings(STORAGE_BACKEND="sql", DATABASE_URL=source))
    folder = tmp_path / "export"
    assert data(exporter, "export", "--to", str(folder)).exit_code == 0
    target = f"sqlite:///{tmp_path / 'configured.db'}"
    importer = create_app(
        app_settings(STORAGE_BACKEND="sql", DATABASE_URL=target, INSTANCE_PATH=str(tmp_path / "i2"))
    )
    result = data(importer, "import", "--from", str(folder))
    assert result.exit_code == 0, result.output
    with opened(source) as left, opened(target) as right:
        assert checksums(left) == checksums(right)


@pytest.mark.parametrize("name", ["backup.tar", "backup.tar.gz"])
def test_an_export_into_one_file_imports_exactly(
    app: Flask, source: str, tmp_path: Path, name: str
) -> None:
    archive = tmp_path / name
    exported = data(app, "export", "--to", str(archive))
    assert exported.exit_code == 0, exported.output
    assert archive.is_file()
    assert not (tmp_path / f"{name}.parts").exists()
    target = f"sqlite:///{tmp_path / 'target.db'}"
    imported = data(app, "import", "--from", str(archive), "--to", target)
    assert imported.exit_code == 0, imported.output
    with opened(source) as left, opened(target) as right:
        assert checksums(left) == checksums(right)
    again = data(app, "export", "--to", str(archive))
    assert again.exit_code == 1
    assert "exists already" in again.output


def test_an_archive_with_a_foreign_member_is_refused(app: Flask, tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar"
    (tmp_path / "passwd").write_text("root:x:0:0\n")
    with tarfile.open(archive, "w") as tar:
        tar.add(tmp_path / "passwd", arcname="../passwd")
    result = data(app, "import", "--from", str(archive), "--to", f"sqlite:///{tmp_path / 't.db'}")
    assert result.exit_code == 1
    assert "unexpected member '../passwd'" in result.output
    assert not (tmp_path / "t.db").exists()


def test_an_export_holding_one_id_twice_stops_the_import_into_postgresql_keeping_the_rows(
    app: Flask, tmp_path: Path
) -> None:
    folder = tmp_path / "export"

    def twice(lines: list[str]) -> list[str]:  # the first id once more, under another title
        return [*lines, json.dumps({**json.loads(lines[0]), "title": "another title"})]

    lines = edited_export(app, folder, "items.jsonl", twice)
    with absent_database(server_url(SERVERS["postgresql"])) as target:
        imported = data(app, "import", "--from", str(folder), "--to", url_text(target))
        assert imported.exit_code == 1
        assert "items: two stored rows share an id, so its primary key pk_items" in imported.output
        with opened(url_text(target)) as end:  # every row kept, the key left out
            assert count_all(end)["items"] == len(lines) + 1
