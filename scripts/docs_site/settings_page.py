"""The configuration table, written from the settings class and its field docstrings."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined


def settings_fields() -> dict[str, FieldInfo]:
    """Every setting of the service, by its environment variable."""
    from api.settings import Settings  # imported late, as the app is

    return dict(Settings.model_fields)


def type_name(field: FieldInfo) -> str:
    """The annotation without module paths: `int`, `str | None`, `Literal['gevent', ...]`."""
    annotation = field.annotation
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return " | ".join(repr(member.value) for member in annotation)
    text = annotation.__name__ if isinstance(annotation, type) else repr(annotation)
    text = re.sub(r"\b[\w.]+\.(\w+)", r"\1", text).replace("typing.", "")
    return re.sub(r"Annotated\[(.*), NoDecode\]", r"\1", text)


def limits_text(field: FieldInfo) -> str:
    """The bounds the settings class enforces: `≥ 1`, `≤ 65535`, a pattern, a minimum length."""
    words = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "min_length": "length ≥"}
    parts = []
    for item in field.metadata:
        for name, word in words.items():
            value = getattr(item, name, None)
            if value is not None:
                parts.append(f"{word} {value}")
        pattern = getattr(item, "pattern", None)
        if pattern is not None:
            parts.append(f"pattern `{pattern}`")
    return ", ".join(parts)


def default_text(field: FieldInfo) -> str:
    """The default as one would write it in the environment, or the rule that computes it."""
    if field.default_factory is not None:
        return "computed (see meaning)"
    value: Any = field.default
    if value is PydanticUndefined:
        return "required"
    if value is None:
        return "—"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        value = str(value).lower()
    if isinstance(value, list):
        value = ",".join(value)
    return f"`{value}`"


def settings_table(fields: dict[str, FieldInfo]) -> str:
    """One row per setting: name, type, default, limits, meaning."""
    rows = ["| variable | type | default | limits | meaning |", "|---|---|---|---|---|"]
    for name, field in fields.items():
        meaning = " ".join((field.description or "").split())
        # A pipe inside a code span splits no cell; outside one it must be escaped.
        row = [
            f"`{name}`",
            f"`{type_name(field)}`",
            default_text(field),
            limits_text(field),
            meaning,
        ]
        rows.append("| " + " | ".join(row) + " |")
    return "\n".join(rows) + "\n"
