"""Every setting is documented, and the configuration page lists each one."""

from __future__ import annotations

from scripts.docs_site.settings_page import settings_fields, settings_table

from api.settings import Settings


def test_every_setting_has_a_description() -> None:
    undocumented = [name for name, field in Settings.model_fields.items() if not field.description]
    assert undocumented == []


def test_the_configuration_table_has_a_row_per_setting() -> None:
    rows = settings_table(settings_fields()).splitlines()[2:]
    assert [row.split("|")[1].strip(" `") for row in rows] == list(Settings.model_fields)


def test_a_row_gives_the_type_the_default_and_the_meaning() -> None:
    table = settings_table(settings_fields())
    assert "| `SQL_PORT` | `int | None` | — | ≥ 1, ≤ 65535 | SQL server port. |" in table
    assert "| `STORAGE_BACKEND` | `'sql' | 'mongo' | 'memory'` | `sql` |" in table
