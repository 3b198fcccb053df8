"""The HTTP API reference page, written from the OpenAPI document the service serves."""

from __future__ import annotations

import tempfile
from typing import Any

from scripts.docs_site.schema_text import anchor, cell, constraints_text, type_text

METHODS = ("get", "post", "put", "patch", "delete")
HEADER_PREFIX = "#/components/headers/"


def served_document() -> dict[str, Any]:
    """`GET /openapi.json` of an app on the memory backend: the document clients are built from."""
    from api.app import create_app  # imported late: the hooks module loads before the site builds

    with tempfile.TemporaryDirectory() as folder:
        settings = {
            "APP_ENV": "testing",
            "STORAGE_BACKEND": "memory",
            "SESSION_TYPE": "memory",
            "INSTANCE_PATH": folder,
            "REQUEST_LOG": False,
        }
        answer = create_app(settings).test_client().get("/openapi.json")
        if answer.status_code != 200:
            raise RuntimeError(f"/openapi.json answered {answer.status_code}")
        document: dict[str, Any] = answer.get_json()
        return document


def reference(document: dict[str, Any]) -> str:
    """Every operation by tag, then every schema and shared header."""
    info = document["info"]
    lines = [f"OpenAPI {document['openapi']}, {info['title']} {info['version']}."]
    for tag in [entry["name"] for entry in document.get("tags", [])]:
        lines += ["", f"## {tag}"]
        for path, operations in document["paths"].items():
            for method in METHODS:
                operation = operations.get(method)
                if operation and tag in operation.get("tags", []):
                    lines += operation_text(method, path, operation)
    lines += ["", "## Schemas"]
    for name, schema in document["components"]["schemas"].items():
        lines += schema_lines(name, schema)
    lines += ["", "## Headers", "", "| header | meaning |", "|---|---|"]
    for name, header in document["components"].get("headers", {}).items():
        lines.append(f"| `{name}` | {cell(header.get('description'))} |")
    return "\n".join(lines) + "\n"


def operation_text(method: str, path: str, operation: dict[str, Any]) -> list[str]:
    """One operation: summary, auth, parameters, body and every answer."""
    auth = "bearer token" if operation.get("security") else "none"
    lines = ["", f"### `{method.upper()} {path}` {{#{operation['operationId']}}}", ""]
    lines += [cell(operation.get("summary")), "", f"Auth: {auth}."]
    parameters = operation.get("parameters", [])
    if parameters:
        lines += ["", "| parameter | in | type | required | constraints | meaning |"]
        lines.append("|---|---|---|---|---|---|")
        for parameter in parameters:
            schema = parameter.get("schema", {})
            lines.append(
                f"| `{parameter['name']}` | {parameter['in']} | {type_text(schema)} | "
                f"{'yes' if parameter.get('required') else 'no'} | {constraints_text(schema)} | "
                f"{cell(parameter.get('description'))} |"
            )
    body = operation.get("requestBody", {}).get("content", {})
    for media, content in body.items():
        lines += ["", f"Body (`{media}`): {type_text(content.get('schema', {}))}."]
    lines += ["", "| status | meaning | body | headers |", "|---|---|---|---|"]
    for status, answer in operation["responses"].items():
        content = answer.get("content", {})
        bodies = ", ".join(type_text(item.get("schema", {})) for item in content.values()) or "—"
        headers = ", ".join(f"`{name}`" for name in answer.get("headers", {})) or "—"
        lines.append(f"| {status} | {cell(answer.get('description'))} | {bodies} | {headers} |")
    return lines


def schema_lines(name: str, schema: dict[str, Any]) -> list[str]:
    """One component schema: its description and a row per property."""
    lines = ["", f"### {name} {{#{anchor(name)}}}", "", cell(schema.get("description"))]
    properties = schema.get("properties", {})
    if not properties:
        return lines + ["", f"Type: {type_text(schema)}."]
    required = set(schema.get("required", []))
    lines += ["", "| field | type | required | constraints | meaning |", "|---|---|---|---|---|"]
    for field, value in properties.items():
        lines.append(
            f"| `{field}` | {type_text(value)} | {'yes' if field in required else 'no'} | "
            f"{constraints_text(value)} | {cell(value.get('description'))} |"
        )
    if schema.get("additionalProperties") is False:
        lines += ["", "No other fields are accepted."]
    return lines
