"""JSON Schema fragments of an OpenAPI document written as short Markdown text."""

from __future__ import annotations

from typing import Any

REF_PREFIX = "#/components/schemas/"
CONSTRAINTS = {
    "minLength": "length ≥ {}",
    "maxLength": "length ≤ {}",
    "minimum": "≥ {}",
    "maximum": "≤ {}",
    "exclusiveMinimum": "> {}",
    "exclusiveMaximum": "< {}",
    "minItems": "items ≥ {}",
    "maxItems": "items ≤ {}",
    "pattern": "pattern `{}`",
    "format": "format `{}`",
}


def anchor(name: str) -> str:
    """The heading id of a component schema in the reference page."""
    return "schema-" + name.lower()


def type_text(schema: dict[str, Any]) -> str:
    """`string`, `integer or null`, `array of [ItemOut](#schema-itemout)`, ..."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix(REF_PREFIX)
        return f"[{name}](#{anchor(name)})"
    for combiner in ("anyOf", "oneOf", "allOf"):
        if combiner in schema:
            word = " and " if combiner == "allOf" else " or "
            return word.join(type_text(part) for part in schema[combiner])
    if "enum" in schema:
        return " \\| ".join(f"`{value}`" for value in schema["enum"])
    if "const" in schema:
        return f"`{schema['const']}`"
    kind = schema.get("type", "any")
    if kind == "array":
        return "array of " + type_text(schema.get("items", {}))
    if isinstance(kind, list):
        return " or ".join(kind)
    return str(kind)


def constraints_text(schema: dict[str, Any]) -> str:
    """The limits a value must keep, its own and those of the alternatives it may take."""
    parts = [text.format(schema[key]) for key, text in CONSTRAINTS.items() if key in schema]
    for part in schema.get("anyOf", []) + schema.get("oneOf", []):
        inner = constraints_text(part)
        if inner:
            parts.append(inner)
    if "default" in schema and schema["default"] is not None:
        parts.append(f"default `{schema['default']}`")
    return "; ".join(parts)  # every pipe is inside a code span, where it splits no cell


def cell(text: str | None) -> str:
    """Text safe inside one Markdown table cell: pipes escaped outside code spans."""
    parts = " ".join((text or "").split()).split("`")
    # Every second part lies inside a code span, where a pipe splits no cell.
    return "`".join(
        part if index % 2 else part.replace("|", "\\|") for index, part in enumerate(parts)
    )
