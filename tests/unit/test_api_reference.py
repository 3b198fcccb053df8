"""The API reference page holds every operation and schema of the served OpenAPI document."""

from __future__ import annotations

from scripts.docs_site.openapi_page import reference, served_document
from scripts.docs_site.schema_text import cell


def test_every_operation_and_schema_has_its_heading() -> None:
    document = served_document()
    page = reference(document)
    operations = [
        (method.upper(), path, operation["operationId"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    assert operations
    for method, path, operation_id in operations:
        assert f"### `{method} {path}` {{#{operation_id}}}" in page
    for name in document["components"]["schemas"]:
        assert f"### {name} {{#schema-{name.lower()}}}" in page


def test_an_operation_lists_its_parameters_and_answers() -> None:
    page = reference(served_document())
    listing = page.split("### `GET /api/items` {#list_items}")[1].split("\n### ")[0]
    assert "| `limit` | query | integer | no |" in listing
    assert "| 200 | OK | [ItemPageOut](#schema-itempageout) |" in listing


def test_a_pipe_is_escaped_in_table_text_but_not_in_a_code_span() -> None:
    assert cell("title | name, `^(a|b)$`") == "title \\| name, `^(a|b)$`"
