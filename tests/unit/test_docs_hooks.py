"""The docs build replaces each generation marker with what it names."""

from __future__ import annotations

from scripts.docs_site.hooks import on_page_markdown


def test_the_settings_marker_becomes_the_settings_table() -> None:
    page = on_page_markdown("before\n<!-- generated: settings table -->\nafter")
    assert "| `APP_ENV` |" in page
    assert "generated:" not in page
    assert page.startswith("before\n") and page.endswith("after")


def test_the_openapi_marker_becomes_the_reference() -> None:
    page = on_page_markdown("<!-- generated: openapi reference -->")
    assert "### `POST /api/items` {#create_item}" in page


def test_a_page_without_a_marker_is_left_as_it_is() -> None:
    assert on_page_markdown("# Title\n\ntext") == "# Title\n\ntext"
