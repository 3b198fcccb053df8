"""The `.env` file of the working directory: read when present, below the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import SettingsError, load_settings

pytestmark = pytest.mark.integration


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("STORAGE_BACKEND", "CORS_ORIGINS", "SQL_PORT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_a_dotenv_file_gives_values_lists_included(folder: Path) -> None:
    (folder / ".env").write_text(
        "STORAGE_BACKEND=memory\nCORS_ORIGINS=https://a.example, https://b.example\nSQL_PORT=6000\n"
    )
    settings = load_settings()
    assert settings.STORAGE_BACKEND == "memory"
    assert settings.cors_origins() == ["https://a.example", "https://b.example"]
    assert settings.SQL_PORT == 6000


def test_the_environment_wins_over_the_dotenv_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / ".env").write_text("SQL_PORT=6000\n")
    monkeypatch.setenv("SQL_PORT", "7000")
    assert load_settings().SQL_PORT == 7000


def test_a_bad_value_in_the_dotenv_file_names_its_variable(folder: Path) -> None:
    (folder / ".env").write_text("SQL_PORT=not-a-port\n")
    with pytest.raises(SettingsError, match="SQL_PORT"):
        load_settings()


def test_without_a_dotenv_file_the_defaults_stand(folder: Path) -> None:
    assert not (folder / ".env").exists()
    assert load_settings().SQL_PORT is None
